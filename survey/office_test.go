package survey

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
)

// officeWorld: the Ministry (BGD) → Thái Bình (34) → Quỳnh Phụ (338) →
// A1, A2; H1 directly under 34. A school campaign on 34 and an office
// campaign on BGD reading it; accounts for the Ministry, the Sở's
// evaluators, the Sở's and the Phòng's own staff, and the Phòng.
type officeWorld struct {
	s                                       *Service
	schoolCampaign, officeCampaign          int64
	school                                  map[string]int64 // school assessments by unit code
	principal                               map[string]*model.Actor
	office                                  map[string]int64 // office assessments by unit code
	ministry, so34, staff34, staff338, d338 *model.Actor
}

func newOfficeWorld(t *testing.T) *officeWorld {
	t.Helper()
	ctx := context.Background()
	s := newService(t)
	mustUnit(t, s, "BGD", "Bộ Giáo dục và Đào tạo", "ministry", "")
	mustUnit(t, s, "34", "Thái Bình", "province", "BGD")
	mustUnit(t, s, "338", "Quỳnh Phụ", "district", "34")
	mustUnit(t, s, "A1", "Trường THCS An Bài", "school", "338", "lower_secondary")
	mustUnit(t, s, "A2", "Trường THCS An Ấp", "school", "338", "lower_secondary")
	mustUnit(t, s, "H1", "Trường THPT Quỳnh Côi", "school", "34", "upper_secondary")
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, model.Vietnam)
	s.Now = func() time.Time { return now }
	w := &officeWorld{s: s, school: map[string]int64{}, office: map[string]int64{}, principal: map[string]*model.Actor{}}
	actor := func(code string, role model.Role) *model.Actor {
		u, _ := s.UnitByCode(ctx, code)
		name := strings.ToLower(string(role)) + "." + strings.ToLower(code)
		user, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: name, Role: role, UnitCode: code, Password: "password-" + name})
		if err != nil {
			t.Fatal(err)
		}
		return &model.Actor{UserID: user.ID, Username: name, Role: role, UnitID: u.ID, UnitCode: code, UnitPath: u.Path}
	}
	w.ministry, w.so34, w.staff34, w.staff338, w.d338 = actor("BGD", model.RoleMinistry), actor("34", model.RoleProvince), actor("34", model.RoleOffice), actor("338", model.RoleOffice), actor("338", model.RoleDistrict)
	for _, code := range []string{"A1", "A2", "H1"} {
		w.principal[code] = actor(code, model.RoleSchool)
	}
	c, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Trường học 2024-2025", SetCode: "moet-4725", RootUnitCode: "34"})
	if err != nil {
		t.Fatal(err)
	}
	w.schoolCampaign = c.ID
	rows, err := s.CampaignAssessments(ctx, root, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		w.school[r.UnitCode] = r.ID
	}
	return w
}

// fillAll answers every indicator of x a person may type, with evidence
// where required, as who.
func fillAll(t *testing.T, s *Service, who *model.Actor, id int64) {
	t.Helper()
	ctx := context.Background()
	x, err := s.Assessment(ctx, who, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range model.ApplicableIndicators(x.Set, x.SchoolLevel) {
		if ind.IsRollup() {
			continue
		}
		if _, err := s.SaveAnswer(ctx, who, id, ind.Code, fullAnswer(ind), versionOrZero(x.Answers[ind.Code])); err != nil {
			t.Fatalf("save %s: %v", ind.Code, err)
		}
		if ind.Evidence == "required" {
			// Dated: the agency set takes evidence at most a year old.
			if _, err := s.AddDatedEvidenceLink(ctx, who, id, ind.Code, "https://so.example.gov.vn/minh-chung/"+ind.Code, s.Now()); err != nil {
				t.Fatalf("evidence %s: %v", ind.Code, err)
			}
		}
	}
}

func versionOrZero(v *model.AnswerView) int {
	if v == nil {
		return 0
	}
	return v.Version
}

// approveAndPublish takes a school's assessment through to publication.
func (w *officeWorld) approveAndPublish(t *testing.T, codes ...string) {
	t.Helper()
	ctx := context.Background()
	for _, code := range codes {
		principal := w.principal[code]
		fillAll(t, w.s, principal, w.school[code])
		if err := w.s.Submit(ctx, principal, w.school[code]); err != nil {
			t.Fatalf("submit %s: %v", code, err)
		}
		if err := w.s.Approve(ctx, root, w.school[code], ""); err != nil {
			t.Fatalf("approve %s: %v", code, err)
		}
	}
	if _, err := w.s.Publish(ctx, root, w.schoolCampaign, ""); err != nil {
		t.Fatal(err)
	}
}

// recompute is the roll-up of an office computed afresh from the public
// results of its schools, read through the public API.
func (w *officeWorld) recompute(t *testing.T, set *indicators.Set, code string, schools ...string) map[string]float64 {
	t.Helper()
	ctx := context.Background()
	var results []indicators.SchoolResult
	for _, sc := range schools {
		r, err := w.s.PublishedResultOf(ctx, w.schoolCampaign, sc)
		if errors.Is(err, errkind.NotFound) {
			results = append(results, indicators.SchoolResult{Unit: sc})
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, indicators.SchoolResult{Unit: sc, Validated: true, Approved: true, Index: r.Index, Level: r.Level})
	}
	out := map[string]float64{}
	for _, ind := range set.Rollups() {
		v, err := indicators.ComputeRollup(*ind.Rollup, results)
		if err != nil {
			t.Fatal(err)
		}
		out[ind.Code] = v.Value
	}
	return out
}

// TestOfficeCampaignEndToEnd: the Sở's own staff fill and submit its
// assessment (roll-ups computed, refused when typed), the Ministry returns,
// corrects with a reason, approves and publishes; the Sở's evaluators may
// not review their own office but review the Phòng; roll-up values equal a
// recomputation from the published school results and stay frozen after
// submission while the school campaign publishes again.
func TestOfficeCampaignEndToEnd(t *testing.T) {
	ctx := context.Background()
	w := newOfficeWorld(t)
	s := w.s
	w.approveAndPublish(t, "A1") // revision 1
	oc, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Sở, Phòng 2024-2025", SetCode: "moet-agency", RootUnitCode: "BGD", SchoolCampaignID: w.schoolCampaign})
	if err != nil {
		t.Fatal(err)
	}
	if oc.SchoolCampaignID == nil || *oc.SchoolCampaignID != w.schoolCampaign {
		t.Fatalf("school campaign of the office campaign: %v", oc.SchoolCampaignID)
	}
	w.officeCampaign = oc.ID
	rows, err := s.CampaignAssessments(ctx, root, oc.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		w.office[r.UnitCode] = r.ID
	}
	if len(w.office) != 2 || w.office["34"] == 0 || w.office["338"] == 0 {
		t.Fatalf("office assessments: %v", w.office)
	}
	// A school set's campaign reads no school campaign.
	_, err = s.CreateCampaign(ctx, root, model.CampaignInput{Name: "x", SetCode: "moet-4725", RootUnitCode: "34", SchoolCampaignID: w.schoolCampaign})
	fieldErr(t, err, "school_campaign_id")
	_, err = s.CreateCampaign(ctx, root, model.CampaignInput{Name: "x", SetCode: "moet-agency", RootUnitCode: "BGD", SchoolCampaignID: oc.ID})
	fieldErr(t, err, "school_campaign_id")

	// Scope: the office's staff see their own assessment only.
	if mine, err := s.CampaignAssessments(ctx, w.staff34, oc.ID); err != nil || len(mine) != 1 || mine[0].UnitCode != "34" {
		t.Fatalf("the Sở staff's list: %+v %v", mine, err)
	}
	if _, err := s.Assessment(ctx, w.staff34, w.office["338"]); !errors.Is(err, errkind.NotFound) {
		t.Fatalf("the Sở's staff read the Phòng's assessment: %v", err)
	}
	if _, err := s.Assessment(ctx, w.staff34, w.school["A1"]); !errors.Is(err, errkind.NotFound) {
		t.Fatalf("the Sở's staff read a school's assessment: %v", err)
	}
	if mine, _ := s.MyAssessments(ctx, w.staff34); len(mine) != 1 || mine[0].ID != w.office["34"] {
		t.Fatalf("the Sở staff's home: %+v", mine)
	}
	// Evaluators do not fill; the Sở's staff do not fill the Phòng's.
	x, err := s.Assessment(ctx, w.staff34, w.office["34"])
	if err != nil {
		t.Fatal(err)
	}
	var plain *indicators.Indicator
	for _, ind := range model.ApplicableIndicators(x.Set, "") {
		if !ind.IsRollup() {
			plain = ind
			break
		}
	}
	for _, who := range []*model.Actor{w.so34, w.ministry} {
		if _, err := s.SaveAnswer(ctx, who, w.office["34"], plain.Code, fullAnswer(plain), 0); !errors.Is(err, errkind.Forbidden) {
			t.Fatalf("%s saved the Sở's answer: %v", who.Username, err)
		}
	}
	if _, err := s.SaveAnswer(ctx, w.staff34, w.office["338"], plain.Code, fullAnswer(plain), 0); err == nil {
		t.Fatal("the Sở's staff saved the Phòng's answer")
	}

	// Roll-ups: computed from revision 1 (A1 only), with provenance.
	set := x.Set
	want := w.recompute(t, set, "34", "A1", "A2", "H1")
	checkRollups := func(id int64, want map[string]float64, revision int, counted func(string) bool) map[string]model.RollupView {
		t.Helper()
		x, err := s.Assessment(ctx, root, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Rollups) != len(set.Rollups()) {
			t.Fatalf("roll-ups %v, want %d", x.Rollups, len(set.Rollups()))
		}
		for code, v := range want {
			got := x.Rollups[code]
			if math.Abs(got.Value-v) > 1e-9 || got.Revision != revision || got.SchoolCampaignID != w.schoolCampaign || got.SchoolCampaignName == "" {
				t.Fatalf("%s: %+v, want value %v at revision %d", code, got, v, revision)
			}
			var ans float64
			if err := json.Unmarshal(x.Answers[code].Value, &ans); err != nil || math.Abs(ans-v) > 1e-9 {
				t.Fatalf("%s: the answer scored is %s, want %v", code, x.Answers[code].Value, v)
			}
		}
		return x.Rollups
	}
	rv := checkRollups(w.office["34"], want, 1, nil)
	if v := rv["KQ.1.1"]; v.Counted != 1 || v.Schools != 3 {
		t.Fatalf("participation of the Sở: %d of %d, want 1 of 3", v.Counted, v.Schools)
	}
	// Typed by hand: refused, by the office and by the reviewer alike.
	if _, err := s.SaveAnswer(ctx, w.staff34, w.office["34"], "KQ.1.1", json.RawMessage(`100`), 1); !errors.Is(err, errkind.Invalid) ||
		!strings.Contains(err.Error(), "cannot be typed") {
		t.Fatalf("a roll-up typed by hand: %v", err)
	}

	// The school campaign publishes again: the roll-ups follow.
	w.approveAndPublish(t, "A2") // revision 2
	want = w.recompute(t, set, "34", "A1", "A2", "H1")
	checkRollups(w.office["34"], want, 2, nil)
	checkRollups(w.office["338"], w.recompute(t, set, "338", "A1", "A2"), 2, nil)

	// The Sở's staff fill and submit: the roll-ups are frozen.
	fillAll(t, s, w.staff34, w.office["34"])
	if err := s.Submit(ctx, w.staff34, w.office["34"]); err != nil {
		t.Fatalf("submit the Sở: %v", err)
	}
	frozen := want
	w.approveAndPublish(t, "H1") // revision 3
	checkRollups(w.office["34"], frozen, 2, nil)
	if w.recompute(t, set, "34", "A1", "A2", "H1")["KQ.1.1"] == frozen["KQ.1.1"] {
		t.Fatal("the test does not show anything: revision 3 changes nothing for the Sở")
	}
	// The Phòng, still a draft, follows revision 3.
	checkRollups(w.office["338"], w.recompute(t, set, "338", "A1", "A2"), 3, nil)

	// Review: the Sở's evaluators never review their own office.
	if err := s.Approve(ctx, w.so34, w.office["34"], ""); !errors.Is(err, errkind.Forbidden) {
		t.Fatalf("the Sở approved itself: %v", err)
	}
	// The Ministry returns, the staff correct and resubmit.
	if err := s.Return(ctx, w.ministry, w.office["34"], "Bổ sung minh chứng."); err != nil {
		t.Fatal(err)
	}
	x, _ = s.Assessment(ctx, w.staff34, w.office["34"])
	if _, err := s.SaveAnswer(ctx, w.staff34, w.office["34"], plain.Code, fullAnswer(plain), x.Answers[plain.Code].Version); err != nil {
		t.Fatalf("correct after return: %v", err)
	}
	if err := s.Submit(ctx, w.staff34, w.office["34"]); err != nil {
		t.Fatal(err)
	}
	checkRollups(w.office["34"], frozen, 2, nil) // resubmitting does not move them
	if _, err := s.Review(ctx, w.ministry, w.office["34"], "KQ.1.1", json.RawMessage(`100`), "thử"); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("the Ministry typed a roll-up: %v", err)
	}
	if _, err := s.Review(ctx, w.ministry, w.office["34"], plain.Code, nil, "Minh chứng không hợp lệ."); err != nil {
		t.Fatalf("the Ministry corrects: %v", err)
	}
	if err := s.Approve(ctx, w.ministry, w.office["34"], ""); err != nil {
		t.Fatal(err)
	}
	pub, err := s.Publish(ctx, w.ministry, oc.ID, "")
	if err != nil || pub.Published != 1 {
		t.Fatalf("the Ministry publishes: %+v %v", pub, err)
	}
	// The Phòng: its own staff fill it; the Phòng's evaluators do not
	// review it; the Sở does.
	fillAll(t, s, w.staff338, w.office["338"])
	if err := s.Submit(ctx, w.staff338, w.office["338"]); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(ctx, w.d338, w.office["338"], ""); !errors.Is(err, errkind.Forbidden) {
		t.Fatalf("the Phòng approved itself: %v", err)
	}
	if err := s.Approve(ctx, w.so34, w.office["338"], ""); err != nil {
		t.Fatalf("the Sở approves the Phòng: %v", err)
	}
	// The Ministry reviews offices, not schools.
	if _, err := s.Review(ctx, w.ministry, w.school["A1"], "a.lms", nil, "x"); err == nil {
		t.Fatal("the Ministry reviewed a school")
	}
}

// TestOfficeSubmitNeedsSchoolCampaign: without a school campaign the
// roll-ups cannot be computed, and the submission says so.
func TestOfficeSubmitNeedsSchoolCampaign(t *testing.T) {
	ctx := context.Background()
	w := newOfficeWorld(t)
	oc, err := w.s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Sở 2024-2025", SetCode: "moet-agency", RootUnitCode: "BGD"})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := w.s.CampaignAssessments(ctx, w.staff34, oc.ID)
	if len(rows) != 1 {
		t.Fatalf("rows %v", rows)
	}
	fillAll(t, w.s, w.staff34, rows[0].ID)
	err = w.s.Submit(ctx, w.staff34, rows[0].ID)
	if !errors.Is(err, errkind.Conflict) || !strings.Contains(err.Error(), "names no school campaign") {
		t.Fatalf("submit without a school campaign: %v", err)
	}
}
