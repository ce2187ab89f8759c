package survey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
)

// groupSchools is the fixture with n more lower-secondary schools (G00,
// G01, …) and a campaign on set over them all; it returns a principal and
// the assessment of each new school.
func groupSchools(t *testing.T, n int, set string) (*Service, []*model.Actor, []int64) {
	t.Helper()
	ctx := context.Background()
	s := newService(t)
	fixture(t, s)
	for i := range n {
		mustUnit(t, s, fmt.Sprintf("G%02d", i), fmt.Sprintf("Trường THCS số %d", i), "school", "339", "lower_secondary")
	}
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, model.Vietnam)
	s.Now = func() time.Time { return now }
	c, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2024-2025", SetCode: set, RootUnitCode: "34"})
	if err != nil {
		t.Fatal(err)
	}
	j := &journey{s: s, campaign: c.ID}
	actors, ids := make([]*model.Actor, n), make([]int64, n)
	for i := range n {
		actors[i], ids[i] = schoolSaver(t, j, fmt.Sprintf("G%02d", i))
	}
	return s, actors, ids
}

// storedVersions are an assessment's stored answer versions by indicator.
func storedVersions(t *testing.T, s *Service, id int64) map[string]int {
	t.Helper()
	rows, err := s.pool.Query(context.Background(), `SELECT indicator, version FROM answers WHERE assessment_id = $1`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var code string
		var v int
		if err := rows.Scan(&code, &v); err != nil {
			t.Fatal(err)
		}
		got[code] = v
	}
	return got
}

// TestGroupCommitConcurrentSaves: principals of many schools saving at
// once, each answering its indicators one after another and then
// changing its first answer again: with a single group in flight the
// saves are committed in groups of many assessments, and every save
// lands with its version, every assessment with one revision per save
// and the score of exactly its answers.
func TestGroupCommitConcurrentSaves(t *testing.T) {
	defer func(n int) { saveGroups = n }(saveGroups)
	saveGroups = 1 // the saves that arrive meanwhile wait: groups form
	ctx := context.Background()
	const n = 24
	s, actors, ids := groupSchools(t, n, "moet-4725")
	x, err := s.Assessment(ctx, actors[0], ids[0])
	if err != nil {
		t.Fatal(err)
	}
	inds := model.ApplicableIndicators(x.Set, x.SchoolLevel)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			// School i answers its first k indicators fully.
			k := 1 + i%len(inds)
			for v, ind := range inds[:k] {
				out, err := s.SaveAnswer(ctx, actors[i], ids[i], ind.Code, fullAnswer(ind), 0)
				if err != nil {
					errs <- fmt.Errorf("school %d, %s: %w", i, ind.Code, err)
					return
				}
				if out.Version != 1 || out.Revision != int64(v+1) || out.Answered != v+1 {
					errs <- fmt.Errorf("school %d, %s: version %d, revision %d, answered %d; want 1, %d, %d", i, ind.Code, out.Version, out.Revision, out.Answered, v+1, v+1)
					return
				}
			}
			out, err := s.SaveAnswer(ctx, actors[i], ids[i], inds[0].Code, fullAnswer(inds[0]), 1)
			if err != nil || out.Version != 2 || out.Revision != int64(k+1) {
				errs <- fmt.Errorf("school %d, %s again: %+v %v", i, inds[0].Code, out, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s.saves.mu.Lock()
	largest := s.saves.largest
	s.saves.mu.Unlock()
	t.Logf("largest group: %d saves", largest)
	if largest < 2 {
		t.Errorf("the largest group had %d saves: the saves were not grouped", largest)
	}
	for i := range n {
		k := 1 + i%len(inds)
		answers := map[string]indicators.Answer{}
		wantVersions := map[string]int{}
		for _, ind := range inds[:k] {
			var a indicators.Answer
			if err := a.UnmarshalJSON(fullAnswer(ind)); err != nil {
				t.Fatal(err)
			}
			answers[ind.Code], wantVersions[ind.Code] = a, 1
		}
		wantVersions[inds[0].Code] = 2
		want, err := indicators.Score(x.Set, x.SchoolLevel, answers)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Assessment(ctx, actors[i], ids[i])
		if err != nil {
			t.Fatal(err)
		}
		var validated float64
		if err := s.pool.QueryRow(ctx, `SELECT validated_index FROM assessments WHERE id = $1`, ids[i]).Scan(&validated); err != nil {
			t.Fatal(err)
		}
		if got.Answered != k || got.Revision != int64(k+1) || got.Self.Index != want.Index || got.Self.Level != want.Level || validated != want.Index {
			t.Errorf("school %d: answered %d, revision %d, index %v (validated %v), level %d; want %d, %d, %v, %d",
				i, got.Answered, got.Revision, got.Self.Index, validated, got.Self.Level, k, k+1, want.Index, want.Level)
		}
		if versions := storedVersions(t, s, ids[i]); fmt.Sprint(versions) != fmt.Sprint(wantVersions) {
			t.Errorf("school %d: stored versions %v, want %v", i, versions, wantVersions)
		}
	}
}

// TestGroupRefusedSavesFailAlone: in one group, a stale version gets its
// conflict and writes nothing while the other saves (an answer, a
// cleared answer) commit in the same transaction, even though the caller
// whose context the group starts from has gone; and when the database
// refuses one save of a group, the group is retried save by save, so
// that save fails alone and the others commit.
func TestGroupRefusedSavesFailAlone(t *testing.T) {
	ctx := context.Background()
	s, actors, ids := groupSchools(t, 6, "example")
	for i := range 3 {
		if _, err := s.SaveAnswer(ctx, actors[i], ids[i], "a.lms", json.RawMessage(`true`), 0); err != nil {
			t.Fatal(err)
		}
	}
	job := func(ctx context.Context, i int, value string, version int) *saveJob {
		t.Helper()
		j, err := s.newSave(ctx, actors[i], ids[i], "a.lms", json.RawMessage(value), version)
		if err != nil {
			t.Fatal(err)
		}
		return j
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	// School 0 (the lowest id: the group's context comes from its caller,
	// who has gone) changes its answer, school 1 sends a stale version,
	// school 2 clears its answer, school 3 answers for the first time.
	group := []*saveJob{job(ctx, 3, `true`, 0), job(ctx, 1, `false`, 0), job(gone, 0, `false`, 1), job(ctx, 2, `null`, 1)}
	s.commitGroup(group)
	for _, j := range group {
		<-j.done
	}
	byID := map[int64]*saveJob{}
	for _, j := range group {
		byID[j.x.ID] = j
	}
	var conflict *model.AnswerConflict
	if j := byID[ids[1]]; !errors.As(j.err, &conflict) || conflict.Version != 1 || string(conflict.Value) != "true" || j.out != nil {
		t.Errorf("stale version: %+v %v", j.out, j.err)
	}
	for i, want := range map[int]struct {
		version  int
		revision int64
		answered int
	}{0: {2, 2, 1}, 2: {0, 2, 0}, 3: {1, 1, 1}} {
		j := byID[ids[i]]
		if j.err != nil || j.out.Version != want.version || j.out.Revision != want.revision || j.out.Answered != want.answered {
			t.Errorf("school %d: %+v %v, want version %d revision %d answered %d", i, j.out, j.err, want.version, want.revision, want.answered)
		}
	}
	for i, want := range []string{"map[a.lms:2]", "map[a.lms:1]", "map[]", "map[a.lms:1]"} {
		if got := fmt.Sprint(storedVersions(t, s, ids[i])); got != want {
			t.Errorf("school %d stored %s, want %s", i, got, want)
		}
	}

	// The database refuses school 4's answers.
	if _, err := s.pool.Exec(ctx, `
		CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.assessment_id = `+strconv.FormatInt(ids[4], 10)+` THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$;
		CREATE TRIGGER test_refuse BEFORE INSERT OR UPDATE ON answers FOR EACH ROW EXECUTE FUNCTION test_refuse()`); err != nil {
		t.Fatal(err)
	}
	group = []*saveJob{job(ctx, 4, `true`, 0), job(ctx, 5, `true`, 0), job(ctx, 3, `false`, 1)}
	s.commitGroup(group)
	for _, j := range group {
		<-j.done
	}
	if j := group[0]; j.x.ID != ids[3] || j.err != nil || j.out.Version != 2 {
		t.Errorf("school 3 again: %+v %v", j.out, j.err)
	}
	if j := group[1]; j.x.ID != ids[4] || j.err == nil || j.out != nil || errors.Is(j.err, errkind.Conflict) {
		t.Errorf("refused save: %+v %v", j.out, j.err)
	}
	if j := group[2]; j.x.ID != ids[5] || j.err != nil || j.out.Version != 1 || j.out.Revision != 1 {
		t.Errorf("school 5: %+v %v", j.out, j.err)
	}
	if got := fmt.Sprint(storedVersions(t, s, ids[4])); got != "map[]" {
		t.Errorf("the refused save stored %s", got)
	}
}

// TestSaveJudgedAgainWhenChangedMeanwhile: a save reads its assessment
// without a lock, so another writer may change the assessment before the
// save's write. Its write then applies nothing, and the save is judged
// again on a fresh read: after another answer lands, it is applied on
// top of it (both answers, one revision each, the score of both); after
// a submission, it is refused as the assessment is no longer editable.
func TestSaveJudgedAgainWhenChangedMeanwhile(t *testing.T) {
	ctx := context.Background()
	s, actors, ids := groupSchools(t, 2, "example")
	x, err := s.Assessment(ctx, actors[0], ids[0])
	if err != nil {
		t.Fatal(err)
	}
	inds := model.ApplicableIndicators(x.Set, x.SchoolLevel)
	if len(inds) < 2 {
		t.Fatalf("the example set has %d indicators", len(inds))
	}
	race := func(change func()) *saveJob {
		t.Helper()
		j, err := s.newSave(ctx, actors[0], ids[0], inds[0].Code, fullAnswer(inds[0]), 0)
		if err != nil {
			t.Fatal(err)
		}
		// The hook runs once: the change's own save passes it too.
		afterSaveRead = func([]*saveJob) { afterSaveRead = nil; change() }
		s.commitGroup([]*saveJob{j})
		<-j.done
		return j
	}

	// Another answer of the same assessment lands between the read and
	// the write (its own save reads after this one's, so it runs first).
	j := race(func() {
		if _, err := s.SaveAnswer(ctx, actors[0], ids[0], inds[1].Code, fullAnswer(inds[1]), 0); err != nil {
			t.Error(err)
		}
	})
	if j.err != nil || j.reads != 1 || j.out.Version != 1 || j.out.Revision != 2 || j.out.Answered != 2 {
		t.Fatalf("save after a concurrent answer: %+v %v, read again %d times", j.out, j.err, j.reads)
	}
	answers := map[string]indicators.Answer{}
	for _, ind := range inds[:2] {
		var a indicators.Answer
		if err := a.UnmarshalJSON(fullAnswer(ind)); err != nil {
			t.Fatal(err)
		}
		answers[ind.Code] = a
	}
	want, err := indicators.Score(x.Set, x.SchoolLevel, answers)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Assessment(ctx, actors[0], ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if got.Revision != 2 || got.Answered != 2 || got.Self.Index != want.Index || got.Self.Level != want.Level {
		t.Errorf("stored: revision %d, answered %d, index %v, level %d; want 2, 2, %v, %d", got.Revision, got.Answered, got.Self.Index, got.Self.Level, want.Index, want.Level)
	}
	if v, want := fmt.Sprint(storedVersions(t, s, ids[0])), fmt.Sprint(map[string]int{inds[0].Code: 1, inds[1].Code: 1}); v != want {
		t.Errorf("stored versions %s, want %s", v, want)
	}

	// The school submits between the read and the write of a change.
	for _, ind := range inds[2:] {
		if _, err := s.SaveAnswer(ctx, actors[0], ids[0], ind.Code, fullAnswer(ind), 0); err != nil {
			t.Fatal(err)
		}
	}
	for _, ind := range inds {
		if ind.Evidence == "required" {
			if _, err := s.AddEvidenceLink(ctx, actors[0], ids[0], ind.Code, "https://example.edu.vn/"+ind.Code); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := storedVersions(t, s, ids[0])
	j, err = s.newSave(ctx, actors[0], ids[0], inds[0].Code, json.RawMessage(`null`), 1)
	if err != nil {
		t.Fatal(err)
	}
	afterSaveRead = func([]*saveJob) {
		afterSaveRead = nil
		if err := s.Submit(ctx, actors[0], ids[0]); err != nil {
			t.Error(err)
		}
	}
	s.commitGroup([]*saveJob{j})
	<-j.done
	if j.err == nil || !errors.Is(j.err, errkind.Forbidden) && !errors.Is(j.err, errkind.Conflict) || j.out != nil || j.reads != 1 {
		t.Errorf("save after a submission: %+v %v, read again %d times", j.out, j.err, j.reads)
	}
	if after := storedVersions(t, s, ids[0]); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the refused save changed the answers: %v, was %v", after, before)
	}
}

// TestSaveGivesUpWhenAlwaysChanged: an assessment that changes between
// every read and write of a save (another writer at the same moment, each
// time) makes the save give up after maxSaveReads reads with Unavailable,
// which the form retries, and write nothing.
func TestSaveGivesUpWhenAlwaysChanged(t *testing.T) {
	ctx := context.Background()
	s, actors, ids := groupSchools(t, 1, "example")
	j, err := s.newSave(ctx, actors[0], ids[0], "a.lms", json.RawMessage(`true`), 0)
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	afterSaveRead = func([]*saveJob) {
		reads++
		if _, err := s.pool.Exec(ctx, `UPDATE assessments SET updated_at = now() WHERE id = $1`, ids[0]); err != nil {
			t.Error(err)
		}
	}
	defer func() { afterSaveRead = nil }()
	s.commitGroup([]*saveJob{j})
	<-j.done
	if !errors.Is(j.err, errkind.Unavailable) || j.out != nil || reads != maxSaveReads {
		t.Errorf("after %d reads: %+v %v", reads, j.out, j.err)
	}
	if got := fmt.Sprint(storedVersions(t, s, ids[0])); got != "map[]" {
		t.Errorf("the save that gave up stored %s", got)
	}
}
