package survey

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
)

// fullAnswer is a valid answer giving the indicator its maximum.
func fullAnswer(ind *indicators.Indicator) json.RawMessage {
	switch ind.Type {
	case indicators.TypeBoolean:
		return json.RawMessage(`true`)
	case indicators.TypeChoice:
		best := ind.Options[0]
		for _, o := range ind.Options {
			if o.Points > best.Points {
				best = o
			}
		}
		return json.RawMessage(fmt.Sprintf("%q", best.Code))
	case indicators.TypeMulti:
		codes := make([]string, len(ind.Options))
		for i, o := range ind.Options {
			codes[i] = o.Code
		}
		b, _ := json.Marshal(codes)
		return b
	case indicators.TypePercent:
		return json.RawMessage(`100`)
	default:
		if ind.Proportional != nil {
			return json.RawMessage(fmt.Sprint(ind.Proportional.FullAt))
		}
		return json.RawMessage(fmt.Sprint(ind.Bands[0].Min))
	}
}

type journey struct {
	s                *Service
	campaign         int64
	id               int64 // A1's assessment
	school, district *model.Actor
	otherSchool      *model.Actor
}

func newJourney(t testing.TB, setCode string) *journey {
	t.Helper()
	ctx := context.Background()
	s := newService(t)
	fixture(t, s)
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, model.Vietnam)
	s.Now = func() time.Time { return now }
	c, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2024-2025", SetCode: setCode, RootUnitCode: "34"})
	if err != nil {
		t.Fatal(err)
	}
	actor := func(code string, role model.Role) *model.Actor {
		u, _ := s.UnitByCode(ctx, code)
		name := strings.ToLower(string(role)) + "." + strings.ToLower(code)
		user, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: name, Role: role, UnitCode: code, Password: "password-" + name})
		if err != nil {
			t.Fatal(err)
		}
		return &model.Actor{UserID: user.ID, Username: name, Role: role, UnitID: u.ID, UnitCode: code, UnitPath: u.Path}
	}
	j := &journey{s: s, campaign: c.ID, school: actor("A1", model.RoleSchool), district: actor("338", model.RoleDistrict), otherSchool: actor("A2", model.RoleSchool)}
	rows, err := s.CampaignAssessments(ctx, j.school, c.ID)
	if err != nil || len(rows) != 1 {
		t.Fatalf("school's assessments: %v %v", rows, err)
	}
	j.id = rows[0].ID
	return j
}

func TestAnswerVersionsAndConflicts(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	s := j.s
	saved, err := s.SaveAnswer(ctx, j.school, j.id, "a.lms", json.RawMessage(`true`), 0)
	if err != nil || saved.Version != 1 || saved.Self.Groups[0].Code != "A" || saved.Self.Groups[0].Score <= 0 {
		t.Fatalf("first save: %+v %v", saved, err)
	}
	// A stale write (version 0 again) gets the current answer back.
	_, err = s.SaveAnswer(ctx, j.school, j.id, "a.lms", json.RawMessage(`false`), 0)
	var conflict *model.AnswerConflict
	if !errors.As(err, &conflict) || conflict.Version != 1 || string(conflict.Value) != "true" || !errors.Is(err, errkind.Conflict) {
		t.Fatalf("stale write: %v", err)
	}
	if saved, err = s.SaveAnswer(ctx, j.school, j.id, "a.lms", json.RawMessage(`false`), 1); err != nil || saved.Version != 2 {
		t.Fatalf("second save: %+v %v", saved, err)
	}
	// Bad values are clear errors naming the indicator.
	for _, c := range []struct{ ind, val string }{
		{"a.teachers", `120`}, {"a.teachers", `"many"`}, {"b.modules", `-1`}, {"a.devices", `"gold"`},
		{"a.features", `["quiz","quiz"]`}, {"nope", `true`}, {"b.staff", `true`}, // b.staff applies to upper secondary only
	} {
		_, err := s.SaveAnswer(ctx, j.school, j.id, c.ind, json.RawMessage(c.val), 0)
		if err == nil || !(errors.Is(err, errkind.Invalid) || errors.Is(err, errkind.NotFound)) || !strings.Contains(err.Error(), c.ind) {
			t.Errorf("%s = %s: %v", c.ind, c.val, err)
		}
	}
	// Another school cannot write here; a viewer cannot even read.
	if _, err := s.SaveAnswer(ctx, j.otherSchool, j.id, "a.lms", json.RawMessage(`true`), 2); !errors.Is(err, errkind.NotFound) {
		t.Fatalf("another school wrote: %v", err)
	}
	if _, err := s.Assessment(ctx, j.otherSchool, j.id); !errors.Is(err, errkind.NotFound) {
		t.Fatalf("another school read: %v", err)
	}
	// Clearing an answer.
	if saved, err = s.SaveAnswer(ctx, j.school, j.id, "a.lms", json.RawMessage(`null`), 2); err != nil || saved.Version != 0 {
		t.Fatalf("clear: %+v %v", saved, err)
	}
}

// TestConcurrentSavesLoseNothing: many writers on one assessment, each on
// its own indicator, all acknowledged writes are there, and the stored
// score matches the stored answers.
func TestConcurrentSavesLoseNothing(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "moet-4725")
	x, err := j.s.Assessment(ctx, j.school, j.id)
	if err != nil {
		t.Fatal(err)
	}
	inds := model.ApplicableIndicators(x.Set, x.SchoolLevel)
	start := x.Revision
	var wg sync.WaitGroup
	errs := make(chan error, len(inds))
	outs := make(chan *model.SavedAnswer, len(inds))
	for _, ind := range inds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := j.s.SaveAnswer(ctx, j.school, j.id, ind.Code, fullAnswer(ind), 0)
			if err != nil {
				errs <- fmt.Errorf("%s: %w", ind.Code, err)
				return
			}
			outs <- out
		}()
	}
	wg.Wait()
	close(errs)
	close(outs)
	for err := range errs {
		t.Error(err)
	}
	x, _ = j.s.Assessment(ctx, j.school, j.id)
	if x.Answered != len(inds) || x.Applicable != len(inds) {
		t.Fatalf("answered %d of %d, want all %d", x.Answered, x.Applicable, len(inds))
	}
	// Each save numbers the score it stored; the page shows the highest,
	// which must be the final state whatever order the answers arrive in.
	seen := map[int64]bool{}
	var newest *model.SavedAnswer
	for out := range outs {
		if seen[out.Revision] || out.Revision <= start || out.Revision > start+int64(len(inds)) {
			t.Errorf("save of %s returned revision %d (start %d, %d saves, seen twice: %v)", out.Indicator, out.Revision, start, len(inds), seen[out.Revision])
		}
		seen[out.Revision] = true
		if newest == nil || out.Revision > newest.Revision {
			newest = out
		}
	}
	if x.Revision != start+int64(len(inds)) || newest.Revision != x.Revision || newest.Answered != len(inds) {
		t.Fatalf("stored revision %d, newest save %d with %d answered; want %d with %d", x.Revision, newest.Revision, newest.Answered, start+int64(len(inds)), len(inds))
	}
	if x.Self.Level != 3 || x.Self.Index != 100 {
		t.Fatalf("full marks scored index %v level %d", x.Self.Index, x.Self.Level)
	}
}

func TestWholeJourney(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	s := j.s
	// Submitting an empty assessment lists what is missing.
	err := s.Submit(ctx, j.school, j.id)
	var missing errkind.FieldErrors
	if !errors.As(err, &missing) || len(missing) < 5 {
		t.Fatalf("empty submit: %v", err)
	}
	x, _ := s.Assessment(ctx, j.school, j.id)
	for _, ind := range model.ApplicableIndicators(x.Set, x.SchoolLevel) {
		if _, err := s.SaveAnswer(ctx, j.school, j.id, ind.Code, fullAnswer(ind), 0); err != nil {
			t.Fatal(err)
		}
	}
	err = s.Submit(ctx, j.school, j.id)
	if !errors.As(err, &missing) || missing["a.plan"].EN != "evidence is required" || len(missing) != 1 {
		t.Fatalf("submit without required evidence: %v", err)
	}
	// Evidence: type by content, not by name.
	if _, err := s.AddEvidenceFile(ctx, j.school, j.id, "a.plan", "ke-hoach.pdf", []byte("MZ\x90\x00 this is an executable")); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("an executable named .pdf was accepted: %v", err)
	}
	if _, err := s.AddEvidenceFile(ctx, j.school, j.id, "a.plan", "big.pdf", append([]byte("%PDF-1.4\n"), make([]byte, model.MaxEvidenceFile)...)); !errors.Is(err, model.ErrEvidenceTooLarge) {
		t.Fatalf("an 10 MB+ file was accepted: %v", err)
	}
	if _, err := s.AddEvidenceFile(ctx, j.school, j.id, "a.features", "x.pdf", []byte("%PDF-1.4\n%%EOF")); err == nil {
		t.Fatal("evidence accepted on an indicator that takes none")
	}
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	ev, err := s.AddEvidenceFile(ctx, j.school, j.id, "a.plan", "../../Kế hoạch\x00.txt", pdf)
	if err != nil || ev.ContentType != "application/pdf" || strings.ContainsAny(ev.Filename, "/\x00") || !strings.HasSuffix(ev.Filename, ".pdf") {
		t.Fatalf("pdf evidence: %+v %v", ev, err)
	}
	if _, err := s.AddEvidenceLink(ctx, j.school, j.id, "a.lms", "javascript:alert(1)"); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("a javascript: link was accepted: %v", err)
	}
	if _, err := s.AddEvidenceLink(ctx, j.school, j.id, "a.lms", "https://lms.example.edu.vn/khoa-hoc"); err != nil {
		t.Fatal(err)
	}
	if _, data, err := s.EvidenceFile(ctx, j.district, j.id, ev.ID); err != nil || !bytes.Equal(data, pdf) {
		t.Fatalf("the evaluator cannot read the evidence: %v", err)
	}
	if _, _, err := s.EvidenceFile(ctx, j.otherSchool, j.id, ev.ID); !errors.Is(err, errkind.NotFound) {
		t.Fatalf("another school read the evidence: %v", err)
	}
	if err := s.Submit(ctx, j.school, j.id); err != nil {
		t.Fatal(err)
	}
	// Read-only after submitting.
	if _, err := s.SaveAnswer(ctx, j.school, j.id, "a.lms", json.RawMessage(`false`), 1); !errors.Is(err, errkind.Conflict) {
		t.Fatalf("edit after submit: %v", err)
	}
	// The school cannot approve itself; transitions are checked.
	if err := s.Approve(ctx, j.school, j.id, ""); !errors.Is(err, errkind.Forbidden) {
		t.Fatalf("school approved: %v", err)
	}
	if err := s.Revoke(ctx, j.district, j.id, "x"); !errors.Is(err, errkind.Conflict) {
		t.Fatalf("revoke of a submitted assessment: %v", err)
	}
	if err := s.Return(ctx, j.district, j.id, "  "); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("return without a comment: %v", err)
	}
	if err := s.Return(ctx, j.district, j.id, "Bổ sung minh chứng cho tiêu chí A2."); err != nil {
		t.Fatal(err)
	}
	// Returned: editable again, even after the deadline.
	s.Now = func() time.Time { return time.Date(2025, 6, 5, 9, 0, 0, 0, model.Vietnam) }
	if _, err := s.SaveAnswer(ctx, j.school, j.id, "a.devices", json.RawMessage(`"some"`), 1); err != nil {
		t.Fatalf("edit of a returned assessment: %v", err)
	}
	if err := s.Submit(ctx, j.school, j.id); err != nil {
		t.Fatal(err)
	}
	// External evaluation: a value changed with a reason.
	if _, err := s.Review(ctx, j.district, j.id, "a.teachers", json.RawMessage(`60`), ""); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("review without a reason: %v", err)
	}
	v, err := s.Review(ctx, j.district, j.id, "a.teachers", json.RawMessage(`60`), "Biên bản kiểm tra: 60% giáo viên")
	if err != nil {
		t.Fatal(err)
	}
	x, _ = s.Assessment(ctx, j.district, j.id)
	if v.IndicatorPoints.Map()["a.teachers"] != 15 || x.Self.IndicatorPoints.Map()["a.teachers"] != 25 || x.Validated.Index >= x.Self.Index {
		t.Fatalf("validated %v vs self %v", v.IndicatorPoints, x.Self.IndicatorPoints)
	}
	trail, _ := s.ReviewTrail(ctx, j.district, j.id)
	if len(trail) != 1 || trail[0].By != j.district.Username || string(trail[0].New) != "60" {
		t.Fatalf("review trail: %+v", trail)
	}
	if err := s.Approve(ctx, j.district, j.id, "Đạt"); err != nil {
		t.Fatal(err)
	}
	// Publication: approved only; the rest listed.
	pub, err := s.Publish(ctx, root, j.campaign, "")
	if err != nil || pub.Revision != 1 || pub.Published != 1 || pub.ScopeCode != "34" {
		t.Fatalf("publish: %+v %v", pub, err)
	}
	var left []string
	for _, r := range pub.NotPublished {
		left = append(left, r.UnitCode)
	}
	if strings.Join(left, ",") != "B1,H1" { // by district name: Hưng Hà, then the province's own school
		t.Fatalf("not published: %v", left)
	}
	res, err := s.PublishedResultOf(ctx, j.campaign, "A1")
	if err != nil || res.Index != x.Validated.Index || res.Revision != 1 {
		t.Fatalf("public result: %+v %v", res, err)
	}
	// A correction: revoke, change, approve, publish revision 2. The
	// first revision stays as it was.
	if err := s.Revoke(ctx, j.district, j.id, "Sai số liệu"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Review(ctx, j.district, j.id, "a.teachers", json.RawMessage(`90`), "Số liệu đã xác minh lại"); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(ctx, j.district, j.id, ""); err != nil {
		t.Fatal(err)
	}
	pub2, err := s.Publish(ctx, j.district, j.campaign, "Đính chính")
	if err != nil || pub2.Revision != 2 {
		t.Fatalf("second publication: %+v %v", pub2, err)
	}
	res2, _ := s.PublishedResultOf(ctx, j.campaign, "A1")
	if res2.Revision != 2 || res2.Index <= res.Index {
		t.Fatalf("latest public result: %+v (first %+v)", res2, res)
	}
	var first float64
	_ = s.pool.QueryRow(ctx, `SELECT r.index FROM published_results r JOIN publications p ON p.id = r.publication_id WHERE p.revision = 1`).Scan(&first)
	if first != res.Index {
		t.Fatalf("revision 1 changed: %v, was %v", first, res.Index)
	}
	// The history lists every step.
	x, _ = s.Assessment(ctx, j.school, j.id)
	var steps []string
	for _, e := range x.History {
		steps = append(steps, e.Action)
	}
	if got := strings.Join(steps, ","); got != "submit,return,submit,approve,revoke,approve" {
		t.Fatalf("history: %s", got)
	}
	if x.Gap == nil {
		t.Fatal("no gap computed")
	}
}

// TestColdCacheSmallPool: concurrent saves on a service whose set cache is
// cold and whose pool is small finish: nothing inside a transaction waits
// for a second connection (which exhausted the pool and deadlocked).
func TestColdCacheSmallPool(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	cfg := j.s.pool.Config().Copy()
	cfg.MaxConns = 2
	small, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	cold := NewService(small)
	cold.Now = j.s.Now
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for _, code := range []string{"a.lms", "a.devices", "a.teachers", "a.lab", "b.modules", "b.portal", "b.services", "a.plan"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			val := map[string]string{"a.devices": `"all"`, "a.teachers": `50`, "a.lab": `50`, "b.modules": `2`, "b.services": `1`}[code]
			if val == "" {
				val = "true"
			}
			if _, err := cold.SaveAnswer(ctx, j.school, j.id, code, json.RawMessage(val), 0); err != nil {
				errs <- fmt.Errorf("%s: %w", code, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestSaveAnswerFailureRollsBack: a save whose write fails leaves nothing
// (no answer, no score change), and the connection serves the next save
// (the hot path sends BEGIN and COMMIT inside its batches).
func TestSaveAnswerFailureRollsBack(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	if _, err := j.s.SaveAnswer(ctx, j.school, j.id, "a.lms", json.RawMessage(`true`), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := j.s.pool.Exec(ctx, `
		CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.indicator = 'a.devices' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$;
		CREATE TRIGGER test_refuse BEFORE INSERT OR UPDATE ON answers FOR EACH ROW EXECUTE FUNCTION test_refuse()`); err != nil {
		t.Fatal(err)
	}
	var before []byte
	_ = j.s.pool.QueryRow(ctx, `SELECT self_result FROM assessments WHERE id = $1`, j.id).Scan(&before)
	for i := 0; i < 20; i++ { // more failures than the pool has connections
		if _, err := j.s.SaveAnswer(ctx, j.school, j.id, "a.devices", json.RawMessage(`"all"`), 0); err == nil {
			t.Fatal("a refused write was acknowledged")
		}
	}
	var after []byte
	var n int
	_ = j.s.pool.QueryRow(ctx, `SELECT self_result, (SELECT count(*) FROM answers WHERE assessment_id = $1) FROM assessments WHERE id = $1`, j.id).Scan(&after, &n)
	if string(before) != string(after) || n != 1 {
		t.Fatalf("a failed save changed the assessment: %d answers", n)
	}
	if _, err := j.s.SaveAnswer(ctx, j.school, j.id, "a.lms", json.RawMessage(`false`), 1); err != nil {
		t.Fatalf("the next save after failures: %v", err)
	}
	var idle int
	_ = j.s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`).Scan(&idle)
	if idle != 0 {
		t.Fatalf("%d connections left idle in a transaction", idle)
	}
}
