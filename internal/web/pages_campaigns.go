package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/setstore/setview"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

type campaignsPage struct {
	page
	Campaigns []*model.Campaign
	Sets      []*setview.Stored
	Form      campaignForm
	CanCreate bool
}

type campaignForm struct {
	Name, Set, RootUnitCode, OpensOn, SelfDue, ReviewDue string
	// Four eyes (on unless turned off) and the reply window (issue 17).
	FourEyesOff bool
	ReplyDays   string
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
	p := campaignsPage{page: s.page(c), Campaigns: list, Form: f, CanCreate: a.Is(model.RoleAdmin, model.RoleProvince)}
	p.Errors = errs
	if p.CanCreate {
		if p.Sets, err = s.sets.List(ctx); err != nil {
			return err
		}
		if p.Form.RootUnitCode == "" {
			p.Form.RootUnitCode = a.UnitCode
		}
		if p.Form.Set == "" {
			// The official school set (Decision 4725), newest version,
			// not whichever set sorts first (the example).
			for _, st := range p.Sets {
				if st.Code == "moet-4725" { // listed newest first
					p.Form.Set = st.Code + "@" + st.Version
					break
				}
			}
		}
	}
	return c.Render(status, "campaigns.html", p)
}

func (s *Server) campaignCreate(c echo.Context) error {
	lang := langOf(c)
	f := campaignForm{Name: c.FormValue("name"), Set: c.FormValue("set"), RootUnitCode: c.FormValue("root_unit_code"),
		OpensOn: c.FormValue("opens_on"), SelfDue: c.FormValue("self_due"), ReviewDue: c.FormValue("review_due"),
		FourEyesOff: c.FormValue("four_eyes") == "off", ReplyDays: c.FormValue("reply_days")}
	fe := errkind.FieldErrors{}
	_, replyDays := trustCampaignFields(c, fe)
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
	in := model.CampaignInput{Name: f.Name, SetCode: code, SetVersion: version, RootUnitCode: f.RootUnitCode,
		OpensOn: date("opens_on", f.OpensOn), SelfDue: date("self_due", f.SelfDue), ReviewDue: date("review_due", f.ReviewDue),
		// Four eyes is on unless the form turns it off (issue 17).
		FourEyes: c.FormValue("four_eyes") != "off", ReplyDays: replyDays}
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
	Campaign    *model.Campaign
	Assessments []model.AssessmentRow
	Filter      model.QueueFilter
	Districts   []string // parent names in the list, for the filter
	Reviewer    bool
	Statuses    []model.Status
	LevelsSeen  []string
	// Level names by assessment (self, validated); the deadline countdown.
	SelfLevels, ValidatedLevels map[int64]string
	Countdown                   map[int64]string
	CampaignCountdown           string
	Owner                       bool // may edit the campaign
	// Sampled marks the assessments drawn in the reader's office's sample
	// (sampled verification, issue 17); nil when nothing was drawn.
	Sampled map[int64]bool
	// Office: the campaign assesses offices (i18n_unitwords.go).
	Office bool
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
	f := model.QueueFilter{Status: c.QueryParam("status"), ParentCode: c.QueryParam("district"), SchoolLevel: c.QueryParam("level")}
	all, err := s.survey.CampaignAssessments(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	rows := all
	if f != (model.QueueFilter{}) {
		if rows, err = s.survey.CampaignAssessments(ctx, actorOf(c), id, f); err != nil {
			return err
		}
	}
	p := campaignPage{page: s.page(c), Campaign: cp, Assessments: rows, Filter: f,
		Reviewer: actorOf(c).Is(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune),
		Statuses: model.Statuses}
	names := s.levelNamesOf(c, cp.SetCode, cp.SetVersion)
	if p.Office, err = s.officeCampaign(ctx, cp); err != nil {
		return err
	}
	now := s.survey.CurrentTime()
	lang := langOf(c)
	p.SelfLevels, p.ValidatedLevels, p.Countdown = map[int64]string{}, map[int64]string{}, map[int64]string{}
	for _, r := range rows {
		p.SelfLevels[r.ID], p.ValidatedLevels[r.ID] = levelLabel(names, r.SelfLevel), levelLabel(names, r.ValidatedLevel)
		if r.Status == model.StatusDraft || r.Status == model.StatusReturned {
			p.Countdown[r.ID] = countdown(lang, r.SelfDue.Time, now)
		}
	}
	p.CampaignCountdown = countdown(lang, cp.SelfDue.Time, now)
	p.Owner = actorOf(c).Is(model.RoleAdmin, model.RoleProvince) // the service checks the scope
	if p.Reviewer {
		if m, err := s.survey.SampleOf(ctx, actorOf(c), id); err == nil {
			p.Sampled = m.Sampled()
		} else if !errors.Is(err, model.ErrNoSample) {
			return err
		}
	}
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

type publishConfirmPage struct {
	page
	Campaign *model.Campaign
	Cov      *model.Coverage
	Note     string
	Low      bool // under dashview.CoverageThreshold
}

// publishConfirmPage shows what a publication would hold, n / N per unit,
// and asks for confirmation: a partial publication must not pass for a
// result by accident.
func (s *Server) publishConfirmPage(c echo.Context, id int64) error {
	ctx := c.Request().Context()
	a := actorOf(c)
	cp, err := s.survey.Campaign(ctx, a, id)
	if err != nil {
		return err
	}
	cov, err := s.survey.PublishCoverage(ctx, a, id)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "publish_confirm.html", publishConfirmPage{page: s.page(c), Campaign: cp, Cov: cov,
		Note: c.FormValue("note"), Low: cov.Share() < dashview.CoverageThreshold})
}

// levelNamesOf are a set's level names in lang (0: no level reached).
func (s *Server) levelNamesOf(c echo.Context, code, version string) map[int]string {
	lang := langOf(c)
	out := map[int]string{0: dashview.NoLevelName(lang)}
	if st, err := s.sets.Get(c.Request().Context(), code, version); err == nil {
		for _, l := range st.Set.Levels {
			out[l.Level] = l.Name.In(lang)
		}
	}
	return out
}

// countdown says how long until a self-assessment deadline (the end of
// its day, Vietnam time, as the lock has it): "còn 5 ngày", "hạn cuối là
// hôm nay", "quá hạn 3 ngày".
func countdown(lang string, due, now time.Time) string {
	if due.IsZero() {
		return ""
	}
	d := time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, vnTime)
	n := now.In(vnTime)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, vnTime)
	days := int(d.Sub(today).Hours() / 24)
	switch {
	case days > 0:
		return fmt.Sprintf(tr(lang, "deadline.days_left"), days)
	case days == 0:
		return tr(lang, "deadline.today")
	}
	return fmt.Sprintf(tr(lang, "deadline.overdue"), -days)
}

// levelLabel names a level (nil: none yet).
func levelLabel(names map[int]string, l *int) string {
	if l == nil {
		return ""
	}
	return names[*l]
}
