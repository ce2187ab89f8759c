package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey"
	"github.com/labstack/echo/v4"
)

type campaignsPage struct {
	page
	Campaigns []*survey.Campaign
	Sets      []*indicators.Stored
	Form      campaignForm
	CanCreate bool
}

type campaignForm struct {
	Name, Set, RootUnitCode, OpensOn, SelfDue, ReviewDue string
}

func (s *Server) campaignsPage(c echo.Context) error {
	return s.renderCampaigns(c, http.StatusOK, campaignForm{}, nil)
}

func (s *Server) renderCampaigns(c echo.Context, status int, f campaignForm, errs map[string]string) error {
	ctx := c.Request().Context()
	a := actorOf(c)
	list, err := s.survey.ListCampaigns(ctx, a)
	if err != nil {
		return err
	}
	p := campaignsPage{page: s.page(c), Campaigns: list, Form: f, CanCreate: a.Is(survey.RoleAdmin, survey.RoleProvince)}
	p.Errors = errs
	if p.CanCreate {
		if p.Sets, err = indicators.List(ctx, s.cfg.Pool); err != nil {
			return err
		}
		if p.Form.RootUnitCode == "" {
			p.Form.RootUnitCode = a.UnitCode
		}
	}
	return c.Render(status, "campaigns.html", p)
}

func (s *Server) campaignCreate(c echo.Context) error {
	lang := langOf(c)
	f := campaignForm{Name: c.FormValue("name"), Set: c.FormValue("set"), RootUnitCode: c.FormValue("root_unit_code"),
		OpensOn: c.FormValue("opens_on"), SelfDue: c.FormValue("self_due"), ReviewDue: c.FormValue("review_due")}
	fe := errkind.FieldErrors{}
	date := func(field, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, ok := parseDate(v)
		if !ok {
			fe.Add(field, "Ngày phải có dạng dd/mm/yyyy.", "a date is written dd/mm/yyyy")
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	code, version := splitSet(f.Set)
	in := survey.CampaignInput{Name: f.Name, SetCode: code, SetVersion: version, RootUnitCode: f.RootUnitCode,
		OpensOn: date("opens_on", f.OpensOn), SelfDue: date("self_due", f.SelfDue), ReviewDue: date("review_due", f.ReviewDue)}
	if len(fe) == 0 {
		cp, err := s.survey.CreateCampaign(c.Request().Context(), actorOf(c), in)
		if err == nil {
			setFlash(c, tr(lang, "common.saved"))
			return c.Redirect(http.StatusSeeOther, "/campaigns/"+strconv.FormatInt(cp.ID, 10))
		}
		if !errors.As(err, &fe) {
			return err
		}
	}
	if _, ok := fe["set_code"]; ok {
		fe["set"] = fe["set_code"]
	}
	return s.renderCampaigns(c, http.StatusUnprocessableEntity, f, fe.In(lang))
}

// splitSet reads the set picker's "code@version".
func splitSet(v string) (code, version string) {
	for i := len(v) - 1; i >= 0; i-- {
		if v[i] == '@' {
			return v[:i], v[i+1:]
		}
	}
	return v, ""
}

type campaignPage struct {
	page
	Campaign    *survey.Campaign
	Assessments []survey.AssessmentRow
	Filter      survey.QueueFilter
	Districts   []string // parent names in the list, for the filter
	Reviewer    bool
	Statuses    []string
	LevelsSeen  []string
}

func (s *Server) campaignPage(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cp, err := s.survey.Campaign(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	f := survey.QueueFilter{Status: c.QueryParam("status"), ParentCode: c.QueryParam("district"), SchoolLevel: c.QueryParam("level")}
	all, err := s.survey.CampaignAssessments(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	rows := all
	if f != (survey.QueueFilter{}) {
		if rows, err = s.survey.CampaignAssessments(ctx, actorOf(c), id, f); err != nil {
			return err
		}
	}
	p := campaignPage{page: s.page(c), Campaign: cp, Assessments: rows, Filter: f,
		Reviewer: actorOf(c).Is(survey.RoleAdmin, survey.RoleProvince, survey.RoleDistrict, survey.RoleCommune),
		Statuses: []string{survey.StatusDraft, survey.StatusSubmitted, survey.StatusReturned, survey.StatusApproved}}
	seenD, seenL := map[string]bool{}, map[string]bool{}
	for _, r := range all {
		if r.ParentCode != "" && !seenD[r.ParentCode] {
			seenD[r.ParentCode] = true
			p.Districts = append(p.Districts, r.ParentCode+"|"+r.ParentName)
		}
		if r.SchoolLevel != "" && !seenL[r.SchoolLevel] {
			seenL[r.SchoolLevel] = true
			p.LevelsSeen = append(p.LevelsSeen, r.SchoolLevel)
		}
	}
	return c.Render(http.StatusOK, "campaign.html", p)
}
