package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// campaignOfficeRoutes are the office's hold on a campaign: edit it (its
// owner), extend a deadline (one school: its Phòng/Sở/admin; the whole
// campaign: its owner), reopen an assessment. Pages and API alike; the
// survey service checks again next to the data.
func (s *Server) campaignOfficeRoutes() {
	const POST, PATCH = http.MethodPost, http.MethodPatch
	owners := Roles(model.RoleAdmin, model.RoleProvince).InScope("campaign", campaignParamScope)
	evaluators := Roles(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune)

	s.route(POST, "/campaigns/:id/edit", owners, s.campaignEditPage)
	s.route(POST, "/campaigns/:id/deadline", evaluators.InScope("campaign", campaignParamScope), s.deadlinePage)
	s.route(POST, "/assessments/:aid/reopen", evaluators.InScope("assessment", assessmentParamScope), s.reopenPage)

	s.route(PATCH, "/api/v1/campaigns/:id", owners, s.apiCampaignEdit,
		routeDoc{Summary: "Edit a campaign's name and dates (its owner: admin or Sở)", Request: campaignEditRequest{}})
	s.route(POST, "/api/v1/campaigns/:id/deadline", evaluators.InScope("campaign", campaignParamScope), s.apiDeadline,
		routeDoc{Summary: "Extend the self-assessment deadline of one school (unit_code) or of the whole campaign, with a reason", Request: deadlineRequest{}})
	s.route(POST, "/api/v1/assessments/:aid/reopen", evaluators.InScope("assessment", assessmentParamScope), s.apiReopen,
		routeDoc{Summary: "Reopen a submitted or overdue assessment as a draft due on self_due, with a reason", Request: deadlineRequest{}})
}

type campaignEditRequest struct {
	Name      string `json:"name" validate:"max=200"`
	OpensOn   string `json:"opens_on" validate:"omitempty,datetime=2006-01-02"`
	SelfDue   string `json:"self_due" validate:"omitempty,datetime=2006-01-02"`
	ReviewDue string `json:"review_due" validate:"omitempty,datetime=2006-01-02"`
	FourEyes  *bool  `json:"four_eyes"`
	ReplyDays int    `json:"reply_days" validate:"omitempty,min=1,max=60"`
}

type deadlineRequest struct {
	UnitCode string `json:"unit_code" validate:"max=40"`
	SelfDue  string `json:"self_due" validate:"required,datetime=2006-01-02"`
	Reason   string `json:"reason" validate:"required,max=2000"`
}

func (s *Server) apiCampaignEdit(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req campaignEditRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	cp, err := s.survey.UpdateCampaign(c.Request().Context(), actorOf(c), id, model.CampaignEdit{Name: req.Name,
		OpensOn: isoDate(req.OpensOn), SelfDue: isoDate(req.SelfDue), ReviewDue: isoDate(req.ReviewDue), FourEyes: req.FourEyes, ReplyDays: req.ReplyDays})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cp)
}

func (s *Server) apiDeadline(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req deadlineRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	n, err := s.survey.ExtendDeadline(c.Request().Context(), actorOf(c), id, req.UnitCode, isoDate(req.SelfDue), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"campaign_id": id, "unit_code": req.UnitCode, "self_due": req.SelfDue, "assessments": n})
}

func (s *Server) apiReopen(c echo.Context) error {
	id, err := idParam(c, "aid")
	if err != nil {
		return err
	}
	var req deadlineRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if err := s.survey.Reopen(c.Request().Context(), actorOf(c), id, isoDate(req.SelfDue), req.Reason); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"assessment_id": id, "status": model.StatusDraft, "self_due": req.SelfDue})
}

// formDate reads a dd/mm/yyyy field (zero when empty), into fe when bad.
func formDate(fe errkind.FieldErrors, field, v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	t, ok := parseDate(v)
	if !ok {
		fe.Add(field, "Ngày phải có dạng dd/mm/yyyy.", "a date is written dd/mm/yyyy")
		return time.Time{}
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// officeDone ends a page action: the flash says what happened (or, for a
// refusal a person can fix, why not) and the campaign page shows it.
func (s *Server) officeDone(c echo.Context, back string, err error) error {
	lang := langOf(c)
	if err != nil {
		var fe errkind.FieldErrors
		var le *errkind.Error
		switch {
		case errors.As(err, &fe):
			msg := ""
			for _, m := range fe.In(lang) {
				msg += m + " "
			}
			setFlash(c, msg)
		case errors.As(err, &le) && (errors.Is(err, errkind.Conflict) || errors.Is(err, errkind.Invalid) || errors.Is(err, errkind.NotFound)):
			setFlash(c, le.Msg.In(lang))
		default:
			return err
		}
		return c.Redirect(http.StatusSeeOther, back)
	}
	setFlash(c, tr(lang, "common.saved"))
	return c.Redirect(http.StatusSeeOther, back)
}

func (s *Server) campaignEditPage(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	fe := errkind.FieldErrors{}
	in := model.CampaignEdit{Name: c.FormValue("name"), OpensOn: formDate(fe, "opens_on", c.FormValue("opens_on")),
		SelfDue: formDate(fe, "self_due", c.FormValue("self_due")), ReviewDue: formDate(fe, "review_due", c.FormValue("review_due"))}
	in.FourEyes, in.ReplyDays = trustCampaignFields(c, fe)
	back := fmt.Sprintf("/campaigns/%d", id)
	if len(fe) > 0 {
		return s.officeDone(c, back, fe)
	}
	_, err = s.survey.UpdateCampaign(c.Request().Context(), actorOf(c), id, in)
	return s.officeDone(c, back, err)
}

func (s *Server) deadlinePage(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	fe := errkind.FieldErrors{}
	until := formDate(fe, "self_due", c.FormValue("self_due"))
	back := fmt.Sprintf("/campaigns/%d", id)
	if len(fe) > 0 {
		return s.officeDone(c, back, fe)
	}
	_, err = s.survey.ExtendDeadline(c.Request().Context(), actorOf(c), id, c.FormValue("unit_code"), until, c.FormValue("reason"))
	return s.officeDone(c, back, err)
}

func (s *Server) reopenPage(c echo.Context) error {
	id, err := idParam(c, "aid")
	if err != nil {
		return err
	}
	fe := errkind.FieldErrors{}
	until := formDate(fe, "self_due", c.FormValue("self_due"))
	back := fmt.Sprintf("/assessments/%d", id)
	if len(fe) > 0 {
		return s.officeDone(c, back, fe)
	}
	return s.officeDone(c, back, s.survey.Reopen(c.Request().Context(), actorOf(c), id, until, c.FormValue("reason")))
}
