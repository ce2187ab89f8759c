package survey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/sampling"
	"github.com/dxindex/dxindex/survey/model"
)

// sampleWorld: province 34 with districts 338 and 339 and 14 schools
// (primary and lower secondary), two campaigns on the example set, every
// assessment of both submitted.
type sampleWorld struct {
	s         *Service
	campaigns []int64
	phong     *model.Actor // the district office of 338
	so        *model.Actor // the Sở
	school    map[string]*model.Actor
}

func newSampleWorld(t *testing.T) *sampleWorld {
	t.Helper()
	ctx := context.Background()
	s := newService(t)
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, model.Vietnam)
	s.Now = func() time.Time { return now }
	mustUnit(t, s, "34", "Thái Bình", "province", "")
	mustUnit(t, s, "338", "Quỳnh Phụ", "district", "34")
	mustUnit(t, s, "339", "Hưng Hà", "district", "34")
	w := &sampleWorld{s: s, school: map[string]*model.Actor{}}
	actor := func(name, code string, role model.Role) *model.Actor {
		u, _ := s.UnitByCode(ctx, code)
		user, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: name, Role: role, UnitCode: code, Password: "password-" + name})
		if err != nil {
			t.Fatal(err)
		}
		return &model.Actor{UserID: user.ID, Username: name, Role: role, UnitID: u.ID, UnitCode: code, UnitPath: u.Path}
	}
	for i := 1; i <= 14; i++ {
		code, district, level := fmt.Sprintf("S%02d", i), "338", "primary"
		if i > 9 {
			district = "339"
		}
		if i%3 == 0 {
			level = "lower_secondary"
		}
		mustUnit(t, s, code, "Trường thử "+code, "school", district, level)
		w.school[code] = actor("ht."+strings.ToLower(code), code, model.RoleSchool)
	}
	w.phong = actor("phong.338", "338", model.RoleDistrict)
	w.so = actor("so.34", "34", model.RoleProvince)
	for _, name := range []string{"Năm học 2024-2025", "Năm học 2025-2026"} {
		c, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: name, SetCode: "example", RootUnitCode: "34"})
		if err != nil {
			t.Fatal(err)
		}
		w.campaigns = append(w.campaigns, c.ID)
		for code, sa := range w.school {
			rows, err := s.CampaignAssessments(ctx, sa, c.ID)
			if err != nil || len(rows) != 1 {
				t.Fatalf("%s: %v %v", code, rows, err)
			}
			submitFull(t, s, sa, rows[0].ID)
		}
	}
	return w
}

// submitFull answers every indicator at its best, links the required
// evidence and submits.
func submitFull(t *testing.T, s *Service, a *model.Actor, id int64) {
	t.Helper()
	ctx := context.Background()
	x, err := s.Assessment(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range model.ApplicableIndicators(x.Set, x.SchoolLevel) {
		if _, err := s.SaveAnswer(ctx, a, id, ind.Code, fullAnswer(ind), 0); err != nil {
			t.Fatal(err)
		}
		if ind.Evidence == "required" {
			if _, err := s.AddEvidenceLink(ctx, a, id, ind.Code, "https://example.edu.vn/"+ind.Code); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Submit(ctx, a, id); err != nil {
		t.Fatal(err)
	}
}

// TestSampleSameSeedSameSchools: the Sở draws 5 schools with one seed in
// two campaigns: the same 5 schools; a Python script redoes the draw from
// the published seed and list; the draw is stored once per campaign and
// scope and never changed.
func TestSampleSameSeedSameSchools(t *testing.T) {
	ctx := context.Background()
	w := newSampleWorld(t)
	in := model.SampleInput{Seed: "hy-2025-0317", Size: 5, ByLevel: true, ByArea: true, Indicators: 2}
	a, err := w.s.DrawSample(ctx, w.so, w.campaigns[0], in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.s.DrawSample(ctx, w.so, w.campaigns[1], in)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Drawn()) != 5 || !slices.Equal(a.Drawn(), b.Drawn()) || a.Seed != "hy-2025-0317" || len(a.Units) != 14 {
		t.Fatalf("same seed, different schools: %v / %v (%d listed)", a.Drawn(), b.Drawn(), len(a.Units))
	}
	for _, u := range a.Units {
		if u.Drawn && len(u.Indicators) != 2 || !u.Drawn && len(u.Indicators) != 0 {
			t.Fatalf("indicators of %s: %v", u.UnitCode, u.Indicators)
		}
	}
	// Stratified by level and district: 6, 3, 4 and 1 schools share 5 by
	// the largest remainder (30, 15, 20, 5 fourteenths: 2, 1, 1, 0 and the
	// one left over to the remainder 6 of primary/339).
	strata := map[string]int{}
	for _, u := range a.Units {
		if u.Drawn {
			strata[u.Stratum]++
		}
	}
	if want := map[string]int{"primary/338": 2, "lower_secondary/338": 1, "primary/339": 2}; fmt.Sprint(strata) != fmt.Sprint(want) {
		t.Fatalf("strata drawn %v, want %v", strata, want)
	}
	if _, err := w.s.DrawSample(ctx, w.so, w.campaigns[0], in); !errors.Is(err, errkind.Conflict) {
		t.Fatalf("a second draw: %v", err)
	}
	// The Phòng has its own scope (338 only) and its own draw; a seed is
	// generated when none is given.
	p, err := w.s.DrawSample(ctx, w.phong, w.campaigns[0], model.SampleInput{ShareBP: 3000})
	if err != nil || len(p.Units) != 9 || len(p.Drawn()) != 3 || len(p.Seed) != 12 {
		t.Fatalf("phòng's draw: %+v %v", p, err)
	}
	if _, err := w.s.DrawSample(ctx, w.school["S01"], w.campaigns[0], in); !errors.Is(err, errkind.Forbidden) {
		t.Fatalf("a school draws: %v", err)
	}
	fieldErr(t, errOnly(w.s.DrawSample(ctx, w.phong, w.campaigns[1], model.SampleInput{Size: 3, ShareBP: 100})), "size")
	// Append-only.
	if _, err := w.s.pool.Exec(ctx, `UPDATE sample_units SET drawn = NOT drawn`); err == nil {
		t.Fatal("a draw was changed")
	}
	redrawInPython(t, a)
}

func errOnly(_ any, err error) error { return err }

// redrawInPython writes the published seed and list to a file and runs
// internal/sampling/testdata/redraw.py on it: it must print the same
// schools.
func redrawInPython(t *testing.T, m *model.Sample) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the recomputation of the draw (internal/sampling/testdata/redraw.py) cannot run here")
	}
	units := make([]sampling.Unit, len(m.Units))
	for i, u := range m.Units {
		units[i] = sampling.Unit{Code: u.UnitCode, Stratum: u.Stratum}
	}
	b, err := sampling.RedrawInput(m.Seed, sampling.Params{Size: m.Size, ShareBP: m.ShareBP}, units)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "sample.json")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "../internal/sampling/testdata/redraw.py", f).Output()
	if err != nil {
		t.Fatalf("redraw.py: %v", err)
	}
	if got := strings.Fields(string(out)); !slices.Equal(got, m.Drawn()) {
		t.Fatalf("python drew %v, dxindex %v", got, m.Drawn())
	}
}

// TestApproveUnsampledAndEnlarge: the Phòng draws 2 of its 9 schools with
// a rule of 2 more; it approves the others on their self-assessment (marked
// in the history and the publication); a sampled school whose level drops
// on verification draws 2 more of its stratum, in the draw's order.
func TestApproveUnsampledAndEnlarge(t *testing.T) {
	ctx := context.Background()
	w := newSampleWorld(t)
	s, c := w.s, w.campaigns[0]
	m, err := s.DrawSample(ctx, w.phong, c, model.SampleInput{Seed: "quynh-phu", Size: 2, EnlargeBy: 2})
	if err != nil {
		t.Fatal(err)
	}
	// The enlargement will take the next two in the order: computed now,
	// before anything is approved.
	var next []string
	for _, u := range m.Units {
		if !u.Drawn && len(next) < 2 {
			next = append(next, u.UnitCode)
		}
	}
	res, err := s.ApproveUnsampled(ctx, w.phong, c, "vi")
	if err != nil || len(res) != 7 {
		t.Fatalf("approve unsampled: %v %v", res, err)
	}
	for _, r := range res {
		if !r.OK {
			t.Fatalf("approve unsampled: %+v", r)
		}
	}
	m, _ = s.SampleOf(ctx, w.phong, c)
	var sampledID int64
	for _, u := range m.Units {
		if u.Drawn == (u.Status == model.StatusApproved) || u.Drawn == u.NotSampled {
			t.Fatalf("after approving the rest: %+v", u)
		}
		if u.Drawn && sampledID == 0 {
			sampledID = u.AssessmentID
		}
	}
	x, err := s.Assessment(ctx, w.phong, m.Units[len(m.Units)-1].AssessmentID)
	if err != nil || !slices.ContainsFunc(x.History, func(e model.Event) bool { return e.Action == "approve_unsampled" }) {
		t.Fatalf("history: %+v %v", x.History, err)
	}
	// Verification lowers the level of a sampled school: the mandatory
	// plan is not there.
	if _, err := s.Review(ctx, w.phong, sampledID, "a.plan", json.RawMessage(`false`), "Không có kế hoạch được phê duyệt"); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(ctx, w.phong, sampledID, ""); err != nil {
		t.Fatal(err)
	}
	m, _ = s.SampleOf(ctx, w.phong, c)
	if len(m.Enlargements) != 1 || !slices.Equal(m.Enlargements[0].Added, next) {
		t.Fatalf("enlargement %+v, want %v", m.Enlargements, next)
	}
	// The schools it adds had been approved on their self-assessment: they
	// go back to the office, to be verified.
	for _, u := range m.Units {
		if slices.Contains(next, u.UnitCode) && (!u.Drawn || !u.Enlarged || u.Status != model.StatusSubmitted || u.NotSampled) {
			t.Fatalf("enlarged unit %+v", u)
		}
	}
	// Approving it again (after a revoke) does not enlarge twice.
	if err := s.Revoke(ctx, w.phong, sampledID, "Xem lại"); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(ctx, w.phong, sampledID, ""); err != nil {
		t.Fatal(err)
	}
	if m, _ = s.SampleOf(ctx, w.phong, c); len(m.Enlargements) != 1 {
		t.Fatalf("enlarged twice: %+v", m.Enlargements)
	}
	// The publication says which results were approved unsampled.
	if _, err := s.Publish(ctx, w.phong, c, ""); err != nil {
		t.Fatal(err)
	}
	for _, u := range m.Units {
		if u.Status != model.StatusApproved {
			continue
		}
		r, err := s.PublishedResultOf(ctx, c, u.UnitCode)
		if err != nil || r.NotSampled != u.NotSampled {
			t.Fatalf("published %s: %+v %v (not sampled %v)", u.UnitCode, r, err, u.NotSampled)
		}
	}
}
