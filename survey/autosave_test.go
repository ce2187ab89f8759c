package survey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
)

// schoolSaver signs up a principal of school code and finds its
// assessment in the journey's campaign.
func schoolSaver(t *testing.T, j *journey, code string) (*model.Actor, int64) {
	t.Helper()
	ctx := context.Background()
	u, err := j.s.UnitByCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	name := "ht." + strings.ToLower(code)
	user, err := j.s.CreateUserBootstrap(ctx, model.UserInput{Username: name, Role: model.RoleSchool, UnitCode: code, Password: "password-" + name})
	if err != nil {
		t.Fatal(err)
	}
	a := &model.Actor{UserID: user.ID, Username: name, Role: model.RoleSchool, UnitID: u.ID, UnitCode: code, UnitPath: u.Path}
	rows, err := j.s.CampaignAssessments(ctx, a, j.campaign)
	if err != nil || len(rows) != 1 {
		t.Fatalf("%s's assessments: %v %v", code, rows, err)
	}
	return a, rows[0].ID
}

// TestSavesAreIsolated: saves made at once are each checked on their
// own. A stale version gets its conflict and writes nothing, a save the
// database refuses fails alone, and the other save is committed with its
// version and score.
func TestSavesAreIsolated(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	s := j.s
	var actors []*model.Actor
	var ids []int64
	for _, code := range []string{"A1", "B1", "H1"} {
		a, id := schoolSaver(t, j, code)
		actors, ids = append(actors, a), append(ids, id)
	}
	// B1 already answered a.lms once: a save naming version 0 is stale.
	if _, err := s.SaveAnswer(ctx, actors[1], ids[1], "a.lms", json.RawMessage(`true`), 0); err != nil {
		t.Fatal(err)
	}
	// The database refuses H1's answers.
	if _, err := s.pool.Exec(ctx, `
		CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.assessment_id = `+strconv.FormatInt(ids[2], 10)+` THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$;
		CREATE TRIGGER test_refuse BEFORE INSERT OR UPDATE ON answers FOR EACH ROW EXECUTE FUNCTION test_refuse()`); err != nil {
		t.Fatal(err)
	}
	outs, errs := make([]*model.SavedAnswer, len(actors)), make([]error, len(actors))
	var wg sync.WaitGroup
	for i, a := range actors {
		wg.Go(func() { outs[i], errs[i] = s.SaveAnswer(ctx, a, ids[i], "a.lms", json.RawMessage(`true`), 0) })
	}
	wg.Wait()
	if out := outs[0]; errs[0] != nil || out.Version != 1 || out.Answered != 1 || out.Revision != 1 {
		t.Errorf("the good save: %+v %v", out, errs[0])
	}
	var conflict *model.AnswerConflict
	if err := errs[1]; !errors.As(err, &conflict) || conflict.Version != 1 {
		t.Errorf("stale version: %v", err)
	}
	if err := errs[2]; err == nil || !strings.Contains(err.Error(), "refused by test") {
		t.Errorf("refused save: %v", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT x.id, x.answered, x.revision, count(a.indicator), coalesce(max(a.version), 0)
		FROM assessments x LEFT JOIN answers a ON a.assessment_id = x.id WHERE x.id = ANY($1) GROUP BY x.id`, ids)
	if err != nil {
		t.Fatal(err)
	}
	type stored struct{ answered, revision, answers, version int }
	got := map[int64]stored{}
	for rows.Next() {
		var id int64
		var st stored
		if err := rows.Scan(&id, &st.answered, &st.revision, &st.answers, &st.version); err != nil {
			t.Fatal(err)
		}
		got[id] = st
	}
	want := map[int64]stored{
		ids[0]: {1, 1, 1, 1}, // saved
		ids[1]: {1, 1, 1, 1}, // its earlier save only
		ids[2]: {0, 0, 0, 0}, // nothing
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("assessment %d stored %+v, want %+v", id, got[id], w)
		}
	}
}

// TestSaveAnswerChecksBeforeLocking: who may write and what may be
// written are judged before a save takes its transaction.
func TestSaveAnswerChecksBeforeLocking(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	cases := []struct {
		a     *model.Actor
		ind   string
		value string
		kind  error
	}{
		{j.otherSchool, "a.lms", `true`, errkind.NotFound}, // another school's assessment: not even its existence
		{j.district, "a.lms", `true`, errkind.Forbidden},   // evaluators review, they do not fill
		{j.school, "no.such", `true`, errkind.NotFound},
		{j.school, "a.lms", `"maybe"`, errkind.Invalid},
	}
	for _, c := range cases {
		if _, err := j.s.newSave(ctx, c.a, j.id, c.ind, json.RawMessage(c.value), 0); !errors.Is(err, c.kind) {
			t.Errorf("%s saving %s=%s: %v, want %v", c.a.Username, c.ind, c.value, err, c.kind)
		}
	}
}

// A stored result reads back as the Result that was stored (random
// answers), and results stored before the criteria were added to the
// shape still read, with their indicators' points.
func TestStoredResultReadsBack(t *testing.T) {
	set, err := indicators.ShippedSet("moet-4725")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		answers := map[string]indicators.Answer{}
		for _, ind := range set.Indicators() {
			if rng.IntN(3) == 0 {
				continue // unanswered
			}
			var a indicators.Answer
			if err := a.UnmarshalJSON(fullAnswer(ind)); err != nil {
				t.Fatal(err)
			}
			switch a.Kind {
			case indicators.KindNumber:
				a = indicators.NumberAnswer(rng.Float64() * 100) // fractional points
			case indicators.KindBool:
				a = indicators.BoolAnswer(rng.IntN(2) == 0)
			}
			answers[ind.Code] = a
		}
		r, err := indicators.Score(set, "primary", answers)
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := json.Marshal(r)
		back, err := decodeResult(stored)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(r, back, cmpopts.IgnoreUnexported(indicators.Result{})); d != "" {
			t.Fatalf("stored result read back (-want +got):\n%s", d)
		}
	}
	old := `{"groups":[{"code":"A","score":72.5,"max":100,"points":72.5,"applicable_max":100}],"index":69.5,"level":2,"mandatory_failed":null,"unanswered":["a.x"],"not_applicable":null,"indicators":{"a.lms":20,"a.x":0}}`
	back, err := decodeResult([]byte(old))
	if err != nil || back.Index != 69.5 || back.Level != 2 || back.IndicatorPoints.Map()["a.lms"] != 20 || len(back.Groups) != 1 || back.Groups[0].Score != 72.5 ||
		len(back.Unanswered) != 1 || back.Criteria != nil {
		t.Errorf("an older stored result reads as %+v, %v", back, err)
	}
	if r, err := decodeResult(nil); r != nil || err != nil {
		t.Errorf("no stored result reads as %v, %v", r, err)
	}
}

// TestConcurrentSavesOnManyAssessments: schools saving all at once, every
// indicator from its own goroutine: no save fails (each locks one
// assessment, so none deadlocks), and each assessment ends with every
// answer, its score and one revision per save.
func TestConcurrentSavesOnManyAssessments(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "moet-4725")
	type school struct {
		a  *model.Actor
		id int64
	}
	var schools []school
	for _, code := range []string{"A1", "B1", "H1"} {
		a, id := schoolSaver(t, j, code)
		schools = append(schools, school{a, id})
	}
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	want := map[int64]int{}
	for _, sc := range schools {
		x, err := j.s.Assessment(ctx, sc.a, sc.id)
		if err != nil {
			t.Fatal(err)
		}
		inds := model.ApplicableIndicators(x.Set, x.SchoolLevel)
		want[sc.id] = len(inds)
		for _, ind := range inds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := j.s.SaveAnswer(ctx, sc.a, sc.id, ind.Code, fullAnswer(ind), 0); err != nil {
					errs <- fmt.Errorf("%s %s: %w", sc.a.UnitCode, ind.Code, err)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, sc := range schools {
		x, err := j.s.Assessment(ctx, sc.a, sc.id)
		if err != nil {
			t.Fatal(err)
		}
		if x.Answered != want[sc.id] || x.Revision != int64(want[sc.id]) || x.Self.Index != 100 {
			t.Errorf("%s: answered %d, revision %d, index %v; want %d, %d, 100", sc.a.UnitCode, x.Answered, x.Revision, x.Self.Index, want[sc.id], want[sc.id])
		}
	}
}

// TestSaveKeepsEvaluatorValues: a save to an assessment with evaluator's
// values (returned after an external evaluation) stores a validated score
// from those values beside the self score, not a copy of it.
func TestSaveKeepsEvaluatorValues(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	if _, err := j.s.SaveAnswer(ctx, j.school, j.id, "a.teachers", json.RawMessage(`100`), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := j.s.pool.Exec(ctx, `INSERT INTO reviews (assessment_id, indicator, value, reason, reviewed_by) VALUES ($1, 'a.teachers', '60', 'Biên bản kiểm tra', $2)`,
		j.id, j.district.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := j.s.SaveAnswer(ctx, j.school, j.id, "a.lms", json.RawMessage(`true`), 0); err != nil {
		t.Fatal(err)
	}
	x, err := j.s.Assessment(ctx, j.district, j.id)
	if err != nil {
		t.Fatal(err)
	}
	if x.Self.IndicatorPoints.Map()["a.teachers"] != 25 || x.Validated.IndicatorPoints.Map()["a.teachers"] != 15 || x.Validated.IndicatorPoints.Map()["a.lms"] != x.Self.IndicatorPoints.Map()["a.lms"] {
		t.Fatalf("self %v, validated %v", x.Self.IndicatorPoints, x.Validated.IndicatorPoints)
	}
	var selfIdx, validIdx float64
	_ = j.s.pool.QueryRow(ctx, `SELECT self_index, validated_index FROM assessments WHERE id = $1`, j.id).Scan(&selfIdx, &validIdx)
	if selfIdx != x.Self.Index || validIdx != x.Validated.Index || validIdx >= selfIdx {
		t.Fatalf("stored indexes self %v validated %v; results %v %v", selfIdx, validIdx, x.Self.Index, x.Validated.Index)
	}
}

// TestSessionHousekeepingUsesServiceClock: signing in clears expired
// sessions by the service's clock, the one that set their expiry; by the
// database's clock a session made under another clock (tests, a server
// whose clock is behind) would be deleted as it is created.
func TestSessionHousekeepingUsesServiceClock(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example") // its clock stands in March 2025
	u := j.school
	if _, _, err := j.s.Login(ctx, u.Username, "password-"+u.Username, "10.0.0.1", model.SessionAPI); err != nil {
		t.Fatalf("sign-in under the service's clock: %v", err)
	}
}
