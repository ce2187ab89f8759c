package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// page is what the layout needs; every page's data embeds it.
type page struct {
	Version string
}

func (s *Server) page() page { return page{Version: s.cfg.Version} }

type homePage struct {
	page
}

// home is the landing page.
func (s *Server) home(c echo.Context) error {
	return c.Render(http.StatusOK, "home.html", homePage{page: s.page()})
}
