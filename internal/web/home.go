package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type homePage struct {
	Version string
}

// home is the landing page.
func (s *Server) home(c echo.Context) error {
	return c.Render(http.StatusOK, "home.html", homePage{Version: s.cfg.Version})
}
