package survey

import (
	"context"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/dxindex/dxindex/survey/model"
)

// exampleV2 is version 2 of the example set: a.lms renamed a.lms2 (its
// answers have no place: set aside; a.lms2 unanswered) and level 3 harder.
func exampleV2(t *testing.T, s *Service) *indicators.Set {
	t.Helper()
	raw, err := os.ReadFile("../indicators/sets/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	y := strings.Replace(string(raw), `version: "1"`, `version: "2"`, 1)
	y = strings.Replace(y, "code: a.lms\n", "code: a.lms2\n", 1)
	y = strings.Replace(y, "groups: {A: {at_least: 80}, B: {above: 35}}", "groups: {A: {at_least: 100}, B: {above: 35}}", 1)
	set, err := indicators.Parse("example-2.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := setstore.Save(context.Background(), s.pool, set); err != nil {
		t.Fatal(err)
	}
	return set
}

// TestSetMoveWhatIf: the preview scores every assessment under the other
// version (answers by code, new indicators unanswered) and lists who
// changes level, changing nothing; applying it rescores, sets the answers
// without a place aside in the audit entry and leaves the published
// revision alone; only the campaign's owners may, with a reason.
func TestSetMoveWhatIf(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	mustUnit(t, s, "34", "Thái Bình", "province", "")
	mustUnit(t, s, "338", "Quỳnh Phụ", "district", "34")
	mustUnit(t, s, "A1", "Trường THCS An Bài", "school", "338", "lower_secondary")
	mustUnit(t, s, "A2", "Trường THCS An Ấp", "school", "338", "lower_secondary")
	v2 := exampleV2(t, s)
	c, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Thử", SetCode: "example", SetVersion: "1", RootUnitCode: "34"})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := s.CampaignAssessments(ctx, root, c.ID)
	ids := map[string]int64{}
	principal := map[string]*model.Actor{}
	for _, r := range rows {
		ids[r.UnitCode] = r.ID
		u, _ := s.UnitByCode(ctx, r.UnitCode)
		user, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: "ht." + strings.ToLower(r.UnitCode), Role: model.RoleSchool, UnitCode: r.UnitCode, Password: "password-ht-" + r.UnitCode})
		if err != nil {
			t.Fatal(err)
		}
		principal[r.UnitCode] = &model.Actor{UserID: user.ID, Username: user.Username, Role: model.RoleSchool, UnitID: u.ID, UnitCode: r.UnitCode, UnitPath: u.Path}
	}
	// A1: everything, approved and published; A2: a little.
	fillAll(t, s, principal["A1"], ids["A1"])
	if err := s.Submit(ctx, principal["A1"], ids["A1"]); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(ctx, root, ids["A1"], ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Publish(ctx, root, c.ID, ""); err != nil {
		t.Fatal(err)
	}
	pubBefore, err := s.PublishedResultOf(ctx, c.ID, "A1")
	if err != nil {
		t.Fatal(err)
	}
	for code, v := range map[string]string{"a.plan": "true", "a.lms": "true", "b.portal": "true"} {
		if _, err := s.SaveAnswer(ctx, principal["A2"], ids["A2"], code, []byte(v), 0); err != nil {
			t.Fatal(err)
		}
	}

	// Only the owners preview.
	if _, err := s.PreviewSetMove(ctx, principal["A1"], c.ID, "2"); !errors.Is(err, errkind.Forbidden) && !errors.Is(err, errkind.NotFound) {
		t.Fatalf("a principal previews: %v", err)
	}
	if _, err := s.PreviewSetMove(ctx, root, c.ID, "9"); err == nil {
		t.Fatal("a version that does not exist was previewed")
	}
	p, err := s.PreviewSetMove(ctx, root, c.ID, "2")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 2 || strings.Join(p.Added, ",") != "a.lms2" || strings.Join(p.Removed, ",") != "a.lms" {
		t.Fatalf("preview: %+v", p)
	}
	changes := 0
	for _, r := range p.Rows {
		// The new result is a recomputation under v2 of the answers kept.
		x, err := s.Assessment(ctx, root, r.AssessmentID)
		if err != nil {
			t.Fatal(err)
		}
		typed := map[string]indicators.Answer{}
		for code, av := range x.Answers {
			if code == "a.lms" || av == nil || len(av.Value) == 0 {
				continue
			}
			var a indicators.Answer
			if err := a.UnmarshalJSON(av.Value); err != nil {
				t.Fatal(err)
			}
			typed[code] = a
		}
		want, err := indicators.Score(v2, r.SchoolLevel, typed)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(want.Index-r.NewIndex) > 1e-9 || want.Level != r.NewLevel {
			t.Errorf("%s: preview %v/%d, recomputed %v/%d", r.UnitCode, r.NewIndex, r.NewLevel, want.Index, want.Level)
		}
		if strings.Join(r.Dropped, ",") != "a.lms" {
			t.Errorf("%s: dropped %v", r.UnitCode, r.Dropped)
		}
		if r.LevelChanged() {
			changes++
		}
		if r.UnitCode == "A1" && (r.Level != 3 || r.NewLevel >= 3) {
			t.Errorf("A1 under v2: level %d → %d, want 3 → lower", r.Level, r.NewLevel)
		}
	}
	if changes != p.Changes || changes == 0 {
		t.Fatalf("level changes %d, counted %d", changes, p.Changes)
	}
	// The preview changed nothing.
	if cc, _ := s.Campaign(ctx, root, c.ID); cc.SetVersion != "1" {
		t.Fatalf("the preview moved the campaign to %s", cc.SetVersion)
	}

	// Applying needs a reason.
	if _, err := s.ApplySetMove(ctx, root, c.ID, "2", " "); err == nil {
		t.Fatal("applied without a reason")
	}
	done, err := s.ApplySetMove(ctx, root, c.ID, "2", "Bộ chỉ số sửa đổi theo hướng dẫn mới")
	if err != nil || !done.Applied {
		t.Fatalf("apply: %+v %v", done, err)
	}
	if cc, _ := s.Campaign(ctx, root, c.ID); cc.SetVersion != "2" {
		t.Fatalf("campaign on version %s after applying", cc.SetVersion)
	}
	for _, r := range p.Rows {
		x, err := s.Assessment(ctx, root, r.AssessmentID)
		if err != nil {
			t.Fatal(err)
		}
		if x.SetVersion != "2" || x.Answers["a.lms"] != nil || x.Answers["a.lms2"] != nil {
			t.Errorf("%s after applying: version %s, answers %v", r.UnitCode, x.SetVersion, x.Answers)
		}
		var idx float64
		var lvl int
		if err := s.pool.QueryRow(ctx, `SELECT validated_index, validated_level FROM assessments WHERE id = $1`, r.AssessmentID).Scan(&idx, &lvl); err != nil {
			t.Fatal(err)
		}
		if math.Abs(idx-r.NewIndex) > 1e-9 || lvl != r.NewLevel {
			t.Errorf("%s stored %v/%d, previewed %v/%d", r.UnitCode, idx, lvl, r.NewIndex, r.NewLevel)
		}
	}
	// The audit entry, with the answers set aside.
	var reason, dropped string
	var n, lc int
	if err := s.pool.QueryRow(ctx, `SELECT reason, assessments, level_changes, dropped::text FROM campaign_set_moves WHERE campaign_id = $1`, c.ID).Scan(&reason, &n, &lc, &dropped); err != nil {
		t.Fatal(err)
	}
	if n != 2 || lc != p.Changes || !strings.Contains(dropped, `"answer:a.lms": true`) {
		t.Fatalf("audit entry: %q %d %d %s", reason, n, lc, dropped)
	}
	// The published revision never changes.
	pubAfter, err := s.PublishedResultOf(ctx, c.ID, "A1")
	if err != nil || pubAfter.Index != pubBefore.Index || pubAfter.Level != pubBefore.Level || pubAfter.Revision != pubBefore.Revision {
		t.Fatalf("published result moved: %+v → %+v (%v)", pubBefore, pubAfter, err)
	}
	// Version 2 is now locked; moving to it again is refused.
	if _, err := s.PreviewSetMove(ctx, root, c.ID, "2"); err == nil {
		t.Fatal("previewed a move to the version in use")
	}
}
