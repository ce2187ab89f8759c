package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// assessmentPageRoutes registers the pages of the workflow: the school's
// form, the evaluator's review, and their actions (Post/Redirect/Get).
func (s *Server) assessmentPageRoutes() {
	const GET, POST = http.MethodGet, http.MethodPost
	evaluators := Roles(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune)
	school := Roles(model.RoleSchool, model.RoleOffice) // self-assessors: a school's people, an office's own staff
	scope := func(r Rule) Rule { return r.InScope("assessment", assessmentParamScope) }

	s.route(GET, "/assessments/:aid", scope(SignedIn()), s.assessmentPage)
	s.route(GET, "/assessments/:aid/report", scope(SignedIn()), s.assessmentReport)
	s.route(POST, "/assessments/:aid/answers", scope(school), s.assessmentSaveForm)
	s.route(POST, "/assessments/:aid/evidence", scope(school).Uploads(evidenceUploadLimit), s.evidenceAddPage)
	s.route(POST, "/assessments/:aid/evidence-delete/:eid", scope(school), s.evidenceDeletePage)
	s.route(POST, "/assessments/:aid/submit", scope(school), s.submitPage)
	s.route(POST, "/assessments/:aid/return", scope(evaluators), s.returnPage)
	s.route(POST, "/assessments/:aid/approve", scope(evaluators), s.approvePage)
	s.route(POST, "/assessments/:aid/revoke", scope(evaluators), s.revokePage)
	s.route(POST, "/assessments/:aid/review/:indicator", scope(evaluators), s.reviewPage)
	s.route(POST, "/assessments/:aid/comment", scope(SignedIn()), s.commentPage)
	s.route(POST, "/campaigns/:id/approve", evaluators.InScope("campaign", campaignParamScope), s.bulkApprovePage)
	s.route(POST, "/campaigns/:id/publish", evaluators.InScope("campaign", campaignParamScope), s.publishPage)
}

type formOption struct {
	Code, Name string
	Points     float64
	Checked    bool
}

type formIndicator struct {
	Code, Name, Help, Type string
	Mandatory              bool
	// MandatoryMet: a mandatory condition met, in the validated result
	// when the reader sees one, else in the self-assessment.
	MandatoryMet            bool
	Evidence                string // required | optional | none
	EvidenceMaxAge          int    // evidence_max_age_days (0: no limit)
	Max                     float64
	Options                 []formOption
	BoolValue               string // "true", "false" or ""
	Number                  string
	Display                 string // the answer as words, for reading
	Answered                bool
	Version                 int
	Points, ValidatedPoints float64
	HasPoints               bool
	Evidences               []model.Evidence
	Review                  *model.ReviewView
	ReviewDisplay           string
	Missing                 string
	Comments                []model.Comment
	// IsRollup: computed from the schools' results (an office's form),
	// shown read-only with Rollup's provenance.
	IsRollup bool
	Rollup   *rollupView
}

type formCriterion struct {
	Code, Name string
	Indicators []*formIndicator
}

type formGroup struct {
	Code, Name            string
	Score, Max, Validated float64
	Answered, Total       int
	Criteria              []formCriterion
}

type assessmentPage struct {
	page
	X        *model.Assessment
	Groups   []formGroup
	Editable bool
	Reviewer bool
	IsSchool bool
	// IsOffice: the reader is an office's own staff on its assessment
	// (IsSchool too): the page names the superior authority, not the
	// Phòng/Sở, as the one that reviews.
	IsOffice bool
	// OfficeUnit: the unit assessed is an office (an agency set): the
	// reviewer's buttons speak of the unit, not the school.
	OfficeUnit bool
	Overall    []model.Comment
	// Missing is what stops a submission (only a refused submission
	// fills it); other errors sit beside their field in Errors.
	Missing map[string]string
	Panel   *panelView
	Result  *resultView
	// Printed is the printable report of the result.
	Printed string
	// Paper is the heading and signature block of the printed phiếu tự
	// đánh giá.
	Paper *paperHead
	// Sampled: the assessment was drawn in an office's verification
	// sample; SampledIndicators the indicators to verify (empty: all).
	Sampled           bool
	SampledIndicators []string
	// Trust: four eyes, the school's reply, the trail (trust_pages.go).
	Trust *trustView
	// Overdue: the unit's own draft is past its deadline and no longer
	// editable; how long ago ("quá hạn 553 ngày"), "" otherwise.
	Overdue string
}

// display writes an answer in words: Có/Không, option names, numbers with
// a decimal comma.
func display(lang string, ind *indicators.Indicator, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var a indicators.Answer
	if err := json.Unmarshal(raw, &a); err != nil {
		return string(raw)
	}
	return displayAnswer(lang, ind, a)
}

func displayAnswer(lang string, ind *indicators.Indicator, a indicators.Answer) string {
	optName := func(code string) string {
		for _, o := range ind.Options {
			if o.Code == code {
				return o.Name.In(lang)
			}
		}
		return code
	}
	switch a.Kind {
	case indicators.KindBool:
		if a.Bool {
			return tr(lang, "answer.yes")
		}
		return tr(lang, "answer.no")
	case indicators.KindNumber:
		s := formatNumber(lang, a.Number, 2)
		if ind.Type == indicators.TypePercent {
			s += " %"
		}
		return s
	case indicators.KindOption:
		return optName(a.Option)
	case indicators.KindOptions:
		names := make([]string, len(a.Options))
		for i, c := range a.Options {
			names[i] = optName(c)
		}
		if len(names) == 0 {
			return tr(lang, "answer.none_selected")
		}
		return strings.Join(names, "; ")
	}
	return ""
}

// assessmentAndSet reads the assessment id and its indicator set.
func (s *Server) assessmentAndSet(ctx context.Context, a *model.Actor, id int64) (*model.Assessment, *indicators.Set, error) {
	x, err := s.survey.Assessment(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	set, err := s.survey.Set(ctx, x.SetCode, x.SetVersion)
	return x, set, err
}

func (s *Server) buildAssessmentPage(c echo.Context, id int64) (*assessmentPage, error) {
	ctx := c.Request().Context()
	a := actorOf(c)
	x, set, err := s.assessmentAndSet(ctx, a, id)
	if err != nil {
		return nil, err
	}
	lang := langOf(c)
	p := &assessmentPage{page: s.page(c), X: x, IsSchool: a.Is(model.RoleSchool, model.RoleOffice), IsOffice: a.Is(model.RoleOffice),
		Reviewer: a.Is(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune)}
	// What the page offers is what the workflow allows now (deadline
	// included): survey decides (Assessment.Can), for the API alike.
	p.Editable = x.Allows(string(model.ActionEdit))
	if p.IsSchool && !p.Editable && (x.Status == model.StatusDraft || x.Status == model.StatusReturned) && !x.SelfDue.Time.IsZero() {
		// The form is gone: say why, and who can reopen it.
		now := s.survey.CurrentTime().In(vnTime)
		due := x.SelfDue.Time
		if time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, vnTime).Before(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, vnTime)) {
			p.Overdue = countdown(langOf(c), due, now)
		}
	}
	if p.Reviewer {
		if p.SampledIndicators, p.Sampled, err = s.survey.SampledIndicators(ctx, a, x.ID); err != nil {
			return nil, err
		}
	}
	p.OfficeUnit = officeAssessed(set)
	p.Panel = buildPanel(lang, set, x.SchoolLevel, x.Self, x.Validated, x.Gap, x.Answered, x.Applicable, x.Revision)
	p.Result = buildResult(lang, set, x)
	if p.Result != nil {
		p.Result.Office = p.OfficeUnit
	}
	if p.Trust, err = s.buildTrust(c, x, set, p.Reviewer && !p.IsSchool); err != nil {
		return nil, err
	}
	byIndicator := map[string][]model.Comment{}
	for _, cm := range x.Comments {
		if cm.Indicator == "" {
			p.Overall = append(p.Overall, cm)
		} else {
			byIndicator[cm.Indicator] = append(byIndicator[cm.Indicator], cm)
		}
	}
	for _, g := range set.Groups {
		fg := formGroup{Code: g.Code, Name: g.Name.In(lang), Max: g.Max}
		if x.Self != nil {
			fg.Score = groupScore(x.Self, g.Code)
		}
		if x.Validated != nil {
			fg.Validated = groupScore(x.Validated, g.Code)
		}
		for _, cr := range g.Criteria {
			fc := formCriterion{Code: cr.Code, Name: cr.Name.In(lang)}
			for i := range cr.Indicators {
				ind := &cr.Indicators[i]
				if x.SchoolLevel != "" && !ind.AppliesToLevel(x.SchoolLevel) {
					continue
				}
				// The set's provenance notes (Note, Unconfirmed) are for
				// administrators, on the methodology and set pages: in
				// the official workflow they read as doubt about the form.
				fi := &formIndicator{Code: ind.Code, Name: ind.Name.In(lang), Type: ind.Type, Mandatory: ind.Mandatory,
					Evidence: ind.Evidence, EvidenceMaxAge: ind.EvidenceMaxAgeDays, Max: ind.MaxPoints(), HasPoints: !ind.Mandatory,
					Comments: byIndicator[ind.Code], Evidences: []model.Evidence{}}
				if fi.Evidence == "" {
					fi.Evidence = "optional"
				}
				if ind.Help != nil {
					fi.Help = ind.Help.In(lang)
				}
				var cur indicators.Answer
				if av, ok := x.Answers[ind.Code]; ok {
					fi.Version = av.Version
					fi.Evidences = av.Evidence
					fi.Review = av.Review
					if av.Review != nil {
						fi.ReviewDisplay = display(lang, ind, av.Review.Value)
					}
					if len(av.Value) > 0 && string(av.Value) != "null" {
						fi.Answered = true
						_ = json.Unmarshal(av.Value, &cur)
						fi.Display = displayAnswer(lang, ind, cur)
					}
				}
				switch cur.Kind {
				case indicators.KindBool:
					fi.BoolValue = strconv.FormatBool(cur.Bool)
				case indicators.KindNumber:
					fi.Number = inputNumber(lang, cur.Number)
				}
				for _, o := range ind.Options {
					checked := cur.Option == o.Code
					for _, c := range cur.Options {
						checked = checked || c == o.Code
					}
					fi.Options = append(fi.Options, formOption{Code: o.Code, Name: o.Name.In(lang), Points: o.Points, Checked: checked})
				}
				if ind.Mandatory {
					sc := x.Self
					if x.Validated != nil {
						sc = x.Validated
					}
					fi.MandatoryMet = sc != nil && !slices.Contains(sc.MandatoryFailed, ind.Code) && fi.Answered
				}
				if ind.IsRollup() {
					fi.IsRollup, fi.Rollup = true, newRollupView(lang, x.Rollups, ind.Code)
				}
				if x.Self != nil {
					fi.Points, _ = x.Self.IndicatorPoints.Get(ind.Code)
				}
				if x.Validated != nil {
					fi.ValidatedPoints, _ = x.Validated.IndicatorPoints.Get(ind.Code)
				}
				fg.Total++
				if fi.Answered {
					fg.Answered++
				}
				fc.Indicators = append(fc.Indicators, fi)
			}
			if len(fc.Indicators) > 0 {
				fg.Criteria = append(fg.Criteria, fc)
			}
		}
		p.Groups = append(p.Groups, fg)
	}
	return p, nil
}

func (s *Server) assessmentPage(c echo.Context) error {
	id, _ := idParam(c, "aid")
	p, err := s.buildAssessmentPage(c, id)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "assessment.html", p)
}

// rerender shows the assessment page again with errors (422), each
// beside what caused it (an indicator, the evidence form, a review form).
func (s *Server) rerender(c echo.Context, id int64, errs map[string]string) error {
	return s.rerenderPage(c, id, errs, false)
}

// rerenderPage is rerender; missing says the errors are what stops a
// submission, listed together at the top of the page.
func (s *Server) rerenderPage(c echo.Context, id int64, errs map[string]string, missing bool) error {
	p, err := s.buildAssessmentPage(c, id)
	if err != nil {
		return err
	}
	p.Errors = errs
	if missing {
		p.Missing = errs
	}
	return c.Render(http.StatusUnprocessableEntity, "assessment.html", p)
}

func (s *Server) backTo(c echo.Context, id int64, flashKey string) error {
	if _, ok := catalog[flashKey+officeSuffix]; ok {
		// The message names who the assessment is of ("Đã trả lại cho
		// nhà trường", or the unit of an office's own assessment).
		_, set, err := s.assessmentAndSet(c.Request().Context(), actorOf(c), id)
		if err != nil {
			return err
		}
		flashKey = unitKey(flashKey, officeAssessed(set))
	}
	setFlash(c, tr(langOf(c), flashKey))
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/assessments/%d", id))
}

// formErrors turns a domain error into messages for the page, or returns
// it when it is not the user's to fix.
func formErrors(err error, lang, field string) (map[string]string, error) {
	var ae indicators.AnswerErrors
	if errors.As(err, &ae) {
		return answerFieldErrors(lang, ae), nil
	}
	var fe errkind.FieldErrors
	if errors.As(err, &fe) {
		return fe.In(lang), nil
	}
	var le *errkind.Error
	if errors.As(err, &le) && (errors.Is(err, errkind.Invalid) || errors.Is(err, errkind.Conflict)) {
		return map[string]string{field: le.Msg.In(lang)}, nil
	}
	return nil, err
}

// assessmentSaveForm saves the answers of the form posted without
// JavaScript: every field whose value differs from the stored one.
func (s *Server) assessmentSaveForm(c echo.Context) error {
	id, _ := idParam(c, "aid")
	ctx := c.Request().Context()
	lang := langOf(c)
	x, set, err := s.assessmentAndSet(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	errs := map[string]string{}
	for _, code := range sortedFormCodes(form) {
		ind, ok := set.Indicator(code)
		if !ok {
			continue
		}
		raw, ok := formValue(ind, form)
		if !ok {
			errs[code] = tr(lang, "answer.invalid_number")
			continue
		}
		version, _ := strconv.Atoi(form.Get("ver." + code))
		cur := json.RawMessage("null")
		if av, ok := x.Answers[code]; ok && av.Value != nil {
			cur = av.Value
		}
		if sameJSON(cur, raw) {
			continue
		}
		if _, err := s.survey.SaveAnswer(ctx, actorOf(c), id, code, raw, version); err != nil {
			m, ferr := formErrors(err, lang, code)
			if ferr != nil {
				return ferr
			}
			for k, v := range m {
				errs[k] = v
			}
		}
	}
	if len(errs) > 0 {
		return s.rerender(c, id, errs)
	}
	return s.backTo(c, id, "common.saved")
}

func sortedFormCodes(form map[string][]string) []string {
	seen := map[string]bool{}
	var codes []string
	for k := range form {
		if code, ok := strings.CutPrefix(k, "ver."); ok && !seen[code] {
			seen[code] = true
			codes = append(codes, code)
		}
	}
	return codes
}

// formValue reads an indicator's value from the form fields "v.<code>".
func formValue(ind *indicators.Indicator, form map[string][]string) (json.RawMessage, bool) {
	vals := form["v."+ind.Code]
	first := ""
	if len(vals) > 0 {
		first = strings.TrimSpace(vals[0])
	}
	switch ind.Type {
	case indicators.TypeMulti:
		if vals == nil {
			vals = []string{}
		}
		b, _ := json.Marshal(vals)
		return b, true
	case indicators.TypeBoolean:
		if first == "true" || first == "false" {
			return json.RawMessage(first), true
		}
		return json.RawMessage("null"), first == ""
	case indicators.TypeChoice:
		if first == "" {
			return json.RawMessage("null"), true
		}
		b, _ := json.Marshal(first)
		return b, true
	default:
		if first == "" {
			return json.RawMessage("null"), true
		}
		n, err := strconv.ParseFloat(strings.ReplaceAll(first, ",", "."), 64)
		if err != nil {
			return nil, false
		}
		return json.RawMessage(strconv.FormatFloat(n, 'f', -1, 64)), true
	}
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}

func (s *Server) evidenceAddPage(c echo.Context) error {
	id, _ := idParam(c, "aid")
	ctx := c.Request().Context()
	ind := c.FormValue("indicator")
	// The day the document was issued (a file) or the link checked (fresh
	// evidence, issue 17): optional, but an indicator with a maximum age
	// cannot be submitted on undated evidence.
	dated, bad := evidenceDate(c.FormValue("dated_on"), langOf(c))
	if bad != "" {
		return s.rerender(c, id, map[string]string{"evidence": bad, ind: bad})
	}
	var err error
	if link := strings.TrimSpace(c.FormValue("url")); link != "" {
		_, err = s.survey.AddDatedEvidenceLink(ctx, actorOf(c), id, ind, link, dated)
	} else {
		name, data, rerr := readUpload(c)
		if rerr != nil {
			err = rerr
		} else {
			_, err = s.survey.AddDatedEvidenceFile(ctx, actorOf(c), id, ind, name, data, dated)
		}
	}
	if err != nil {
		m, ferr := formErrors(err, langOf(c), ind)
		if ferr != nil {
			return ferr
		}
		// The evidence form's error goes beside that form (and the
		// indicator it was for), never under "not submitted".
		msg := ""
		for _, k := range sortedCodes(m) {
			if msg == "" {
				msg = m[k]
			}
		}
		return s.rerender(c, id, map[string]string{"evidence": msg, ind: msg})
	}
	return s.backTo(c, id, "evidence.added")
}

func (s *Server) evidenceDeletePage(c echo.Context) error {
	id, _ := idParam(c, "aid")
	eid, err := idParam(c, "eid")
	if err != nil {
		return err
	}
	if err := s.survey.DeleteEvidence(c.Request().Context(), actorOf(c), id, eid); err != nil {
		return err
	}
	return s.backTo(c, id, "evidence.removed")
}

// action runs one step of the workflow from a page's form: on success
// back to the assessment with a message, on a rule the user can fix the
// page again with the message beside field.
func (s *Server) action(c echo.Context, field, done string, step func(ctx context.Context, a *model.Actor, id int64) error) error {
	id, _ := idParam(c, "aid")
	if err := step(c.Request().Context(), actorOf(c), id); err != nil {
		m, ferr := formErrors(err, langOf(c), field)
		if ferr != nil {
			return ferr
		}
		return s.rerender(c, id, m)
	}
	return s.backTo(c, id, done)
}

// submitPage submits after an explicit confirmation: the form's
// checkbox "confirm", which the server checks (a JavaScript dialog alone
// is skipped by scripts, keyboards and screen readers alike).
func (s *Server) submitPage(c echo.Context) error {
	id, _ := idParam(c, "aid")
	if c.FormValue("confirm") != "yes" {
		return s.rerender(c, id, map[string]string{"confirm": tr(langOf(c), "confirm.submit_need")})
	}
	if err := s.survey.Submit(c.Request().Context(), actorOf(c), id); err != nil {
		m, ferr := formErrors(err, langOf(c), "submit")
		if ferr != nil {
			return ferr
		}
		return s.rerenderPage(c, id, m, true)
	}
	return s.backTo(c, id, "assessment.submitted")
}

func (s *Server) returnPage(c echo.Context) error {
	return s.action(c, "comment", "assessment.returned", func(ctx context.Context, a *model.Actor, id int64) error {
		return s.survey.Return(ctx, a, id, c.FormValue("comment"))
	})
}

func (s *Server) approvePage(c echo.Context) error {
	return s.action(c, "approve", "assessment.approved", func(ctx context.Context, a *model.Actor, id int64) error {
		return s.survey.Approve(ctx, a, id, c.FormValue("comment"))
	})
}

func (s *Server) revokePage(c echo.Context) error {
	return s.action(c, "revoke", "assessment.revoked", func(ctx context.Context, a *model.Actor, id int64) error {
		return s.survey.Revoke(ctx, a, id, c.FormValue("reason"))
	})
}

// reviewPage sets the evaluator's value for one indicator from the review
// form (same fields as the school's form, plus the reason).
func (s *Server) reviewPage(c echo.Context) error {
	id, _ := idParam(c, "aid")
	ctx := c.Request().Context()
	code := c.Param("indicator")
	_, set, err := s.assessmentAndSet(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	ind, ok := set.Indicator(code)
	if !ok {
		return model.ErrNotFound
	}
	form, _ := c.FormParams()
	raw, valid := formValue(ind, form)
	if !valid {
		return s.rerender(c, id, map[string]string{code: tr(langOf(c), "answer.invalid_number")})
	}
	if _, err := s.survey.Review(ctx, actorOf(c), id, code, raw, c.FormValue("reason")); err != nil {
		m, ferr := formErrors(err, langOf(c), code)
		if ferr != nil {
			return ferr
		}
		if v, ok := m["reason"]; ok {
			m = map[string]string{code: v}
		}
		return s.rerender(c, id, m)
	}
	return s.backTo(c, id, "review.saved")
}

func (s *Server) commentPage(c echo.Context) error {
	id, _ := idParam(c, "aid")
	if _, err := s.survey.AddComment(c.Request().Context(), actorOf(c), id, c.FormValue("indicator"), c.FormValue("body")); err != nil {
		m, ferr := formErrors(err, langOf(c), "comment")
		if ferr != nil {
			return ferr
		}
		return s.rerender(c, id, m)
	}
	return s.backTo(c, id, "comment.added")
}

func (s *Server) bulkApprovePage(c echo.Context) error {
	id, _ := idParam(c, "id")
	form, _ := c.FormParams()
	ids, err := parseIDs(form["ids"])
	if err != nil {
		return err
	}
	// Approving many at once is confirmed explicitly, like a submission.
	if len(ids) == 0 || form.Get("confirm") != "yes" {
		key := "confirm.approve_need"
		if len(ids) == 0 {
			key = "confirm.approve_none"
		}
		setFlash(c, tr(langOf(c), key))
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d", id))
	}
	results := s.survey.BulkApprove(c.Request().Context(), actorOf(c), ids, langOf(c))
	ok, failed := 0, []string{}
	for _, r := range results {
		if r.OK {
			ok++
		} else {
			failed = append(failed, fmt.Sprintf("#%d: %s", r.ID, r.Error))
		}
	}
	msg := fmt.Sprintf(tr(langOf(c), "queue.bulk_done"), ok)
	if len(failed) > 0 {
		msg += " " + strings.Join(failed, " · ")
	}
	setFlash(c, msg)
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d", id))
}

func (s *Server) publishPage(c echo.Context) error {
	id, _ := idParam(c, "id")
	// Publishing shows the coverage and asks first (publishConfirmPage);
	// only the confirmation's form, which carries the count confirmed,
	// publishes.
	if c.FormValue("confirm") == "" {
		return s.publishConfirmPage(c, id)
	}
	confirmed, err := strconv.Atoi(c.FormValue("confirm"))
	if err != nil {
		return s.publishConfirmPage(c, id)
	}
	pub, err := s.survey.PublishConfirmed(c.Request().Context(), actorOf(c), id, c.FormValue("note"), confirmed)
	if err != nil {
		var le *errkind.Error
		if errors.As(err, &le) && errors.Is(err, errkind.Conflict) {
			setFlash(c, le.Msg.In(langOf(c)))
			return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d", id))
		}
		return err
	}
	setFlash(c, fmt.Sprintf(tr(langOf(c), "queue.published"), pub.Revision, pub.Published, len(pub.NotPublished)))
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d", id))
}
