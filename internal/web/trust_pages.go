package web

// The pages of review you can trust (issue 17): on the evaluator's page,
// why an approval is not possible (four eyes: who changed what, and who can
// approve instead), sending the changes to the school, ruling on contests
// and the assessment's whole trail; on the school's page, each change with
// its reason and a reply form within the window; on the campaign forms,
// four eyes and the reply window. Forms post with CSRF and redirect back
// (Post/Redirect/Get), calling the same survey methods as the API.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

func (s *Server) trustPageRoutes() {
	const POST = http.MethodPost
	evaluators := Roles(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune)
	school := Roles(model.RoleSchool, model.RoleOffice) // the unit assessed: see trustRoutes
	scope := func(r Rule) Rule { return r.InScope("assessment", assessmentParamScope) }
	s.route(POST, "/assessments/:aid/send-for-reply", scope(evaluators), s.sendForReplyPage)
	s.route(POST, "/assessments/:aid/replies/:indicator", scope(school), s.replyPage)
	s.route(POST, "/assessments/:aid/replies/:indicator/ruling", scope(evaluators), s.rulingPage)
	s.route(http.MethodGet, "/api/v1/assessments/:aid/trail", scope(SignedIn()), s.apiTrail,
		routeDoc{Summary: "The whole trail of an assessment, oldest first: history, the evaluator's changes with their reasons, the school's replies, rulings, approvals and the publications that carried it (kind: event, change, reversal, reply, ruling, publication)", Response: []model.TrailEntry{}})
}

func (s *Server) apiTrail(c echo.Context) error { return assessmentJSON(c, s.survey.Trail) }

// trustItem is one changed value as the pages show it.
type trustItem struct {
	model.ReplyItem
	Name                      string
	SchoolDisplay, NewDisplay string
	// CanRule: the reader may rule on this contest now (a reviewer who
	// did not make the change).
	CanRule bool
	// Office: the unit assessed is an office (an agency set, Decision
	// 3806), so the page says "đơn vị" where it says "nhà trường" of a
	// school, to its staff and to its reviewers alike.
	Office bool
}

// trailLine is one entry of the trail with its values in words.
type trailLine struct {
	model.TrailEntry
	Label, OldDisplay, NewDisplay string
}

// trustView is what the assessment page shows of issue 17.
type trustView struct {
	Replies *model.ReplyState
	Items   []trustItem
	// Cannot is why the reader cannot approve now ("" when nothing
	// stands in the way); ChangedBy and Eligible fill the four-eyes box.
	Cannot    string
	FourEyes  bool
	ChangedBy []string
	Eligible  []model.Reviewer
	CanSend   bool
	Trail     []trailLine
	// Office: see trustItem.Office.
	Office bool
}

func rawDisplay(lang string, set *indicators.Set, code string, v any) string {
	var raw json.RawMessage
	switch x := v.(type) {
	case json.RawMessage:
		raw = x
	case []byte:
		raw = x
	default:
		return ""
	}
	ind, ok := set.Indicator(code)
	if !ok {
		return string(raw)
	}
	return display(lang, ind, raw)
}

// buildTrust reads the replies, the approval check (reviewers of a
// submitted assessment) and the trail (reviewers) for the page.
func (s *Server) buildTrust(c echo.Context, x *model.Assessment, set *indicators.Set, reviewer bool) (*trustView, error) {
	ctx := c.Request().Context()
	a := actorOf(c)
	lang := langOf(c)
	st, err := s.survey.Replies(ctx, a, x.ID)
	if err != nil {
		return nil, err
	}
	v := &trustView{Replies: st, Office: officeAssessed(set)}
	changed := 0
	for _, it := range st.Items {
		ti := trustItem{ReplyItem: it, Office: v.Office, SchoolDisplay: rawDisplay(lang, set, it.Indicator, it.SchoolValue), NewDisplay: rawDisplay(lang, set, it.Indicator, it.Value)}
		if ind, ok := set.Indicator(it.Indicator); ok {
			ti.Name = ind.Name.In(lang)
		}
		if it.Value != nil {
			changed++
		}
		ti.CanRule = st.CanRule && it.Verdict == model.VerdictContest && it.Ruling == "" &&
			!slices.Contains(strings.Split(it.ChangedBy, ", "), a.Username)
		v.Items = append(v.Items, ti)
	}
	if !reviewer {
		return v, nil
	}
	v.CanSend = x.Status == model.StatusSubmitted && changed > 0 && !st.Open
	if x.Status == model.StatusSubmitted {
		chk, err := s.survey.CheckApproval(ctx, a, x.ID)
		if err != nil {
			return nil, err
		}
		if chk != nil {
			v.Cannot = chk.Reason.In(lang)
			if chk.FourEyes != nil {
				v.FourEyes, v.ChangedBy, v.Eligible = true, chk.FourEyes.ChangedBy, chk.FourEyes.Eligible
			}
		}
	}
	trail, err := s.survey.Trail(ctx, a, x.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range trail {
		l := trailLine{TrailEntry: e}
		switch e.Kind {
		case model.TrailEvent:
			l.Label = tr(lang, unitKey("action."+e.Action, v.Office))
		case model.TrailReply:
			l.Label = tr(lang, unitKey("trail.reply", v.Office)) + ": " + tr(lang, "trust.verdict."+e.Action)
		case model.TrailRuling:
			l.Label = tr(lang, "trail.ruling") + ": " + tr(lang, "trust.ruling."+e.Action)
		default:
			l.Label = tr(lang, unitKey("trail."+e.Kind, v.Office))
		}
		if e.Old != nil {
			l.OldDisplay = rawDisplay(lang, set, e.Indicator, e.Old)
		} else if e.Kind == model.TrailChange {
			// The first change replaces the unit's own answer (as the
			// result's list of changes says), not "—".
			if av := x.Answers[e.Indicator]; av != nil {
				l.OldDisplay = rawDisplay(lang, set, e.Indicator, av.Value)
			}
		}
		if e.New != nil {
			l.NewDisplay = rawDisplay(lang, set, e.Indicator, e.New)
		}
		v.Trail = append(v.Trail, l)
	}
	return v, nil
}

// trustAction runs one step from a trust form: on success back to the
// assessment with a message; on a rule the user can fix, the page again
// with the message beside the form (field).
func (s *Server) trustAction(c echo.Context, field, done string, step func(ctx context.Context, a *model.Actor, id int64) error) error {
	id, _ := idParam(c, "aid")
	lang := langOf(c)
	err := step(c.Request().Context(), actorOf(c), id)
	if err == nil {
		return s.backTo(c, id, done) // in the unit's words (backTo)
	}
	var fe errkind.FieldErrors
	var le *errkind.Error
	msg := ""
	switch {
	case errors.As(err, &fe):
		m := fe.In(lang)
		for _, k := range sortedCodes(m) {
			msg += m[k] + " "
		}
	case errors.As(err, &le) && (errors.Is(err, errkind.Invalid) || errors.Is(err, errkind.Conflict) ||
		errors.Is(err, errkind.Forbidden) || errors.Is(err, errkind.NotFound)):
		msg = le.Msg.In(lang)
	default:
		return err
	}
	return s.rerender(c, id, map[string]string{field: strings.TrimSpace(msg)})
}

func (s *Server) sendForReplyPage(c echo.Context) error {
	return s.trustAction(c, "trust.send", "trust.sent", func(ctx context.Context, a *model.Actor, id int64) error {
		return s.survey.SendForReply(ctx, a, id)
	})
}

func (s *Server) replyPage(c echo.Context) error {
	ind := c.Param("indicator")
	return s.trustAction(c, "reply."+ind, "trust.replied", func(ctx context.Context, a *model.Actor, id int64) error {
		return s.survey.ReplyToChange(ctx, a, id, ind, c.FormValue("verdict"), c.FormValue("comment"), c.FormValue("evidence_url"))
	})
}

func (s *Server) rulingPage(c echo.Context) error {
	ind := c.Param("indicator")
	return s.trustAction(c, "ruling."+ind, "trust.ruled", func(ctx context.Context, a *model.Actor, id int64) error {
		return s.survey.RuleOnReply(ctx, a, id, ind, c.FormValue("ruling"), c.FormValue("reason"))
	})
}

// trustCampaignFields reads the campaign form's four eyes (a checkbox
// "on" followed by a hidden "off": the first value counts; nil when the
// form has neither) and reply window (0 when empty).
func trustCampaignFields(c echo.Context, fe errkind.FieldErrors) (*bool, int) {
	var fourEyes *bool
	if v := c.FormValue("four_eyes"); v == "on" || v == "off" {
		b := v == "on"
		fourEyes = &b
	}
	days := 0
	if v := strings.TrimSpace(c.FormValue("reply_days")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 60 {
			fe.Add("reply_days", "Thời hạn phản hồi phải từ 1 đến 60 ngày.", "the reply window is 1 to 60 days")
		} else {
			days = n
		}
	}
	return fourEyes, days
}

// trustFieldsView feeds the template "trust_campaign_fields".
type trustFieldsView struct {
	FourEyes  bool
	ReplyDays string
	Error     string
	// Office: the campaign assesses offices (its reply window is the
	// unit's, not the school's).
	Office bool
}

func trustFields(fourEyes bool, replyDays string, errs map[string]string, office bool) trustFieldsView {
	return trustFieldsView{FourEyes: fourEyes, ReplyDays: replyDays, Error: errs["reply_days"], Office: office}
}
