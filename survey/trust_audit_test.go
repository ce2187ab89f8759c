package survey

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/pgcluster"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestAuditIsAppendOnly: after a full journey (changes, replies, a
// ruling, approval, publication) every audit table has rows, and the
// database refuses to UPDATE, DELETE or TRUNCATE any of them, connected as
// the role the application itself uses.
func TestAuditIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	j := newTrustJourney(t, true)
	s := j.s
	i1, i2 := j.booleanInd[0], j.booleanInd[1]
	for _, ind := range []string{i1, i2} {
		if _, err := s.Review(ctx, j.a, j.id, ind, json.RawMessage(`false`), "Thiếu minh chứng"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SendForReply(ctx, j.a, j.id); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplyToChange(ctx, j.school, j.id, i1, model.VerdictContest, "Có biên bản", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplyToChange(ctx, j.school, j.id, i2, VerdictAccept, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.RuleOnReply(ctx, j.b, j.id, i1, RulingReverse, "Biên bản hợp lệ"); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(ctx, j.b, j.id, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Publish(ctx, j.b, j.campaign, ""); err != nil {
		t.Fatal(err)
	}
	var role string
	var super bool
	if err := s.pool.QueryRow(ctx, `SELECT current_user, usesuper FROM pg_user WHERE usename = current_user`).Scan(&role, &super); err != nil {
		t.Fatal(err)
	}
	if role != pgcluster.SuperUser {
		t.Fatalf("connected as %q, not the application's role %q", role, pgcluster.SuperUser)
	}
	t.Logf("role %s (superuser %v)", role, super)
	for _, table := range []string{"assessment_events", "review_changes", "review_replies", "review_rulings", "publications", "published_results", "published_reviews", "unit_moves"} {
		var n int
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 && table != "unit_moves" {
			t.Errorf("%s: the journey left no rows to protect", table)
		}
		if table == "unit_moves" && n == 0 {
			if _, err := s.pool.Exec(ctx, `INSERT INTO unit_moves (unit_id, to_parent_id, reason, effective) SELECT id, parent_id, 'test', now() FROM units WHERE code = 'A1'`); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{
			`UPDATE ` + table + ` SET ` + map[string]string{
				"assessment_events": "comment = 'x'", "review_changes": "reason = 'x'", "review_replies": "comment = 'x'",
				"review_rulings": "reason = 'x'", "publications": "note = 'x'", "published_results": "unit_name = 'x'",
				"published_reviews": "changes = 0", "unit_moves": "reason = 'x'"}[table],
			`DELETE FROM ` + table,
			`TRUNCATE ` + table + ` CASCADE`,
		} {
			_, err := s.pool.Exec(ctx, q)
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != "42501" || !strings.Contains(pe.Message, "append-only") {
				t.Errorf("%s: %v", q, err)
			}
		}
	}
	// What the journey recorded is still there and still counts.
	res, err := s.PublishedResultOf(ctx, j.campaign, "A1")
	if err != nil {
		t.Fatal(err)
	}
	if want := (model.ReviewCounts{Changes: 2, Contested: 1, Upheld: 0, ChangedBy: "reviewer.a", ApprovedBy: "reviewer.b"}); res.Review != want {
		t.Fatalf("published review = %+v, want %+v", res.Review, want)
	}
}

// TestReplyAfterValueChangedAgain: once the changes were sent, changing a
// value again voids the school's reply to the old value (it answered
// something else) and gives the school the full window again; the other
// replies stand.
func TestReplyAfterValueChangedAgain(t *testing.T) {
	ctx := context.Background()
	j := newTrustJourney(t, true)
	s := j.s
	i1, i2 := j.booleanInd[0], j.booleanInd[1]
	for _, ind := range []string{i1, i2} {
		if _, err := s.Review(ctx, j.a, j.id, ind, json.RawMessage(`false`), "Thiếu minh chứng"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SendForReply(ctx, j.a, j.id); err != nil {
		t.Fatal(err)
	}
	for _, ind := range []string{i1, i2} {
		if err := s.ReplyToChange(ctx, j.school, j.id, ind, VerdictAccept, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := s.Replies(ctx, j.school, j.id)
	firstDue := *st.Due
	// Four days later A changes i1 again (back to true, with a new reason).
	*j.now = j.now.Add(4 * 24 * time.Hour)
	if _, err := s.Review(ctx, j.a, j.id, i1, json.RawMessage(`true`), "Đã xem lại minh chứng, nhưng ghi chú thêm"); err != nil {
		t.Fatal(err)
	}
	st, err := s.Replies(ctx, j.school, j.id)
	if err != nil {
		t.Fatal(err)
	}
	verdict := map[string]string{}
	for _, it := range st.Items {
		verdict[it.Indicator] = it.Verdict
	}
	if verdict[i1] != "" || verdict[i2] != VerdictAccept {
		t.Fatalf("replies after the new change: %+v", st.Items)
	}
	if want := j.now.Add(DefaultReplyDays * 24 * time.Hour); !st.Due.Equal(want) || !st.Due.After(firstDue) || !st.CanReply {
		t.Fatalf("due %v (was %v), want %v; can reply %v", st.Due, firstDue, want, st.CanReply)
	}
	// B cannot approve while the new value waits for the school's reply.
	if err := s.Approve(ctx, j.b, j.id, ""); !errors.Is(err, errkind.Conflict) || !strings.Contains(err.Error(), "1 change") {
		t.Fatalf("approve with the new value unanswered: %v", err)
	}
	if err := s.ReplyToChange(ctx, j.school, j.id, i1, model.VerdictContest, "Giá trị mới vẫn sai", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.RuleOnReply(ctx, j.b, j.id, i1, RulingUphold, "Giữ nguyên"); err != nil {
		t.Fatal(err)
	}
	// A ruled reply cannot be changed.
	if err := s.ReplyToChange(ctx, j.school, j.id, i1, VerdictAccept, "", ""); !errors.Is(err, errkind.Conflict) {
		t.Fatalf("reply changed after the ruling: %v", err)
	}
	if err := s.Approve(ctx, j.b, j.id, ""); err != nil {
		t.Fatal(err)
	}
}

// TestReturnClearsReplyWindow: returning the assessment to the school
// closes the reply window; replies of that round do not count once the
// changes are sent again.
func TestReturnClearsReplyWindow(t *testing.T) {
	ctx := context.Background()
	j := newTrustJourney(t, true)
	s := j.s
	i1 := j.booleanInd[0]
	if _, err := s.Review(ctx, j.a, j.id, i1, json.RawMessage(`false`), "Thiếu minh chứng"); err != nil {
		t.Fatal(err)
	}
	if err := s.SendForReply(ctx, j.a, j.id); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplyToChange(ctx, j.school, j.id, i1, VerdictAccept, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Return(ctx, j.a, j.id, "Bổ sung minh chứng"); err != nil {
		t.Fatal(err)
	}
	st, err := s.Replies(ctx, j.school, j.id)
	if err != nil || st.SentAt != nil || st.Due != nil || st.Open || st.CanReply {
		t.Fatalf("after return: %+v %v", st, err)
	}
	if err := s.ReplyToChange(ctx, j.school, j.id, i1, model.VerdictContest, "x", ""); !errors.Is(err, errkind.Conflict) {
		t.Fatalf("reply after return: %v", err)
	}
	if err := s.Submit(ctx, j.school, j.id); err != nil {
		t.Fatal(err)
	}
	if err := s.SendForReply(ctx, j.a, j.id); err != nil {
		t.Fatal(err)
	}
	st, err = s.Replies(ctx, j.school, j.id)
	if err != nil || !st.CanReply || len(st.Items) != 1 || st.Items[0].Verdict != "" {
		t.Fatalf("the new round: %+v %v", st, err)
	}
}
