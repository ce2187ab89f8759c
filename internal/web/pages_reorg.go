package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/seed/crosswalk"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// reorgPageRoutes: the reorganisation on the web for a system-wide admin,
// with a dry run first (the same survey.Reorganize as the CLI and the API).
func (s *Server) reorgPageRoutes() {
	admin := Roles(model.RoleAdmin)
	s.route(http.MethodGet, "/admin/reorganize", admin, s.reorgPage)
	s.route(http.MethodPost, "/admin/reorganize", admin, s.reorgRun)
}

type reorgPage struct {
	page
	Effective string
	Report    *model.ReorgReport
	// Shown caps the lists of the report on the page (the API has them all).
	Shown int
}

const reorgShown = 200

// systemWide refuses a province's admin: the reorganisation changes the
// whole tree, so only a system-wide admin runs it (or sees its form).
func systemWide(c echo.Context) error {
	if a := actorOf(c); a == nil || a.Role != model.RoleAdmin || a.UnitID != 0 {
		return errkind.New(errkind.Forbidden, "Chỉ quản trị toàn hệ thống mới được sắp xếp lại đơn vị hành chính.",
			"only a system-wide admin may reorganise the administrative tree")
	}
	return nil
}

func (s *Server) reorgPage(c echo.Context) error {
	if err := systemWide(c); err != nil {
		return err
	}
	return c.Render(http.StatusOK, "reorganize.html", reorgPage{page: s.page(c), Effective: "01/07/2025", Shown: reorgShown})
}

func (s *Server) reorgRun(c echo.Context) error {
	if err := systemWide(c); err != nil {
		return err
	}
	lang := langOf(c)
	p := reorgPage{page: s.page(c), Effective: strings.TrimSpace(c.FormValue("effective")), Shown: reorgShown}
	dry := c.FormValue("run") == ""
	fe := errkind.FieldErrors{}
	day, err := time.Parse("02/01/2006", p.Effective)
	if err != nil {
		fe.Add("effective", "Ngày hiệu lực phải có dạng dd/mm/yyyy.", "the effective day is written dd/mm/yyyy")
	}
	if !dry && c.FormValue("confirm") != "yes" {
		fe.Add("confirm", "Hãy xác nhận trước khi sắp xếp lại (hoặc chạy thử).", "confirm before reorganising (or do a dry run)")
	}
	if len(fe) > 0 {
		p.Errors = fe.In(lang)
		return c.Render(http.StatusUnprocessableEntity, "reorganize.html", p)
	}
	cw, err := crosswalk.July2025(nil)
	if err != nil {
		return err
	}
	p.Report, err = s.survey.Reorganize(c.Request().Context(), actorOf(c), cw, day, dry)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "reorganize.html", p)
}
