package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// setMoveRoutes: what-if (issue 13). A campaign's owners preview every
// assessment's score and level under another version of the campaign's
// set, see who would change level, then apply the move (with a reason,
// recorded) or leave it. Page and API; survey checks again.
func (s *Server) setMoveRoutes() {
	owners := Roles(model.RoleAdmin, model.RoleProvince).InScope("campaign", campaignParamScope)
	s.route(http.MethodGet, "/campaigns/:id/set-version", owners, s.setMovePage)
	s.route(http.MethodPost, "/campaigns/:id/set-version", owners, s.setMoveApplyPage)
	s.route(http.MethodGet, "/api/v1/campaigns/:id/set-version/preview", owners, s.apiSetMovePreview,
		routeDoc{Summary: "What-if: every assessment's index and level under ?version= of the campaign's set, and who would change level (changes nothing)", Response: model.SetMove{}})
	s.route(http.MethodPost, "/api/v1/campaigns/:id/set-version", owners, s.apiSetMoveApply,
		routeDoc{Summary: "Move an open campaign to another version of its set, answers carried over by indicator code, with a reason (recorded)", Request: setMoveRequest{}, Response: model.SetMove{}})
}

type setMoveRequest struct {
	Version string `json:"version" validate:"required,max=100"`
	Reason  string `json:"reason" validate:"required,max=2000"`
}

type setMovePage struct {
	page
	C        *model.Campaign
	Versions []string
	Version  string
	Preview  *model.SetMove
	Problem  string
	Reason   string
}

func (s *Server) setMovePage(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.renderSetMove(c, id, c.QueryParam("version"), "", nil)
}

// renderSetMove shows the page: the versions to choose from and, for a
// chosen version, the preview; problem (an error of the last attempt)
// beside it.
func (s *Server) renderSetMove(c echo.Context, id int64, version, reason string, problem error) error {
	ctx := c.Request().Context()
	cp, versions, err := s.survey.SetMoveVersions(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	p := setMovePage{page: s.page(c), C: cp, Versions: versions, Version: version, Reason: reason}
	status := http.StatusOK
	if problem != nil {
		p.Problem, status = errText(p.Lang, problem), http.StatusUnprocessableEntity
		if errors.Is(problem, errkind.Conflict) {
			status = http.StatusConflict
		}
	}
	if version != "" {
		if p.Preview, err = s.survey.PreviewSetMove(ctx, actorOf(c), id, version); err != nil {
			if !shownOnPage(err) {
				return err
			}
			p.Problem, status = errText(p.Lang, err), http.StatusUnprocessableEntity
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Render(status, "campaign_setmove.html", p)
}

func (s *Server) setMoveApplyPage(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	version, reason := c.FormValue("version"), c.FormValue("reason")
	if c.FormValue("confirm") != "yes" {
		return s.renderSetMove(c, id, version, reason, errkind.New(errkind.Invalid, "Hãy đánh dấu xác nhận trước khi áp dụng.", "tick the confirmation before applying"))
	}
	if _, err := s.survey.ApplySetMove(c.Request().Context(), actorOf(c), id, version, reason); err != nil {
		if !shownOnPage(err) {
			return err
		}
		return s.renderSetMove(c, id, version, reason, err)
	}
	setFlash(c, fmt.Sprintf(tr(langOf(c), "setmove.applied"), version))
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d", id))
}

func (s *Server) apiSetMovePreview(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v := c.QueryParam("version")
	if v == "" {
		return errkind.New(errkind.Invalid, "Hãy cho biết phiên bản (version).", "give the version (?version=)")
	}
	p, err := s.survey.PreviewSetMove(c.Request().Context(), actorOf(c), id, v)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) apiSetMoveApply(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req setMoveRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, err := s.survey.ApplySetMove(c.Request().Context(), actorOf(c), id, req.Version, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// shownOnPage: a mistake the page shows beside the form (bad input, a
// conflict), rather than an error page.
func shownOnPage(err error) bool {
	return errors.Is(err, errkind.Invalid) || errors.Is(err, errkind.Conflict)
}
