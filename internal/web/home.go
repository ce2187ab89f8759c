package web

import (
	"net/http"

	"github.com/dxindex/dxindex/survey"
	"github.com/labstack/echo/v4"
)

// page is what the layout needs; every page's data embeds it.
type page struct {
	Version string
	Lang    string
	Actor   *survey.Actor
	CSRF    string
	Path    string
	Flash   string
	Errors  map[string]string // field → message, for forms
}

func (s *Server) page(c echo.Context) page {
	p := page{Version: s.cfg.Version, Lang: langVI}
	if c != nil {
		p.Lang = langOf(c)
		p.Actor = actorOf(c)
		p.CSRF = csrfToken(c)
		p.Path = c.Request().URL.RequestURI()
		p.Flash = takeFlash(c)
	}
	return p
}

type homePage struct {
	page
}

// home is the landing page.
func (s *Server) home(c echo.Context) error {
	return c.Render(http.StatusOK, "home.html", homePage{page: s.page(c)})
}
