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
	Mine []survey.MyAssessment
}

// home is the landing page.
func (s *Server) home(c echo.Context) error {
	p := homePage{page: s.page(c)}
	if a := actorOf(c); a != nil && s.survey != nil {
		mine, err := s.survey.MyAssessments(c.Request().Context(), a)
		if err != nil {
			return err
		}
		p.Mine = mine
	}
	return c.Render(http.StatusOK, "home.html", p)
}
