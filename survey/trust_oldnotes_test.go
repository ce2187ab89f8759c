package survey

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// TestOfficeReplyWordsOfOldRecords (Decision 3806): the history note of
// sending an office's changes for reply names the unit; a reply request
// recorded before its params said "office", and a note recorded before it
// took the unit's words ("Gửi nhà trường …"), read in the unit's words
// when shown — in the notices, the history and the trail — without
// rewriting the database.
func TestOfficeReplyWordsOfOldRecords(t *testing.T) {
	ctx := context.Background()
	w := newOfficeWorld(t)
	s := w.s
	id, ind := w.submittedOffice(t)
	if _, err := s.Review(ctx, w.ministry, id, ind.Code, json.RawMessage(`false`), "Chưa có văn bản ban hành"); err != nil {
		t.Fatal(err)
	}
	if err := s.SendForReply(ctx, w.ministry, id); err != nil {
		t.Fatal(err)
	}
	note := func() string {
		t.Helper()
		x, err := s.Assessment(ctx, w.ministry, id)
		if err != nil {
			t.Fatal(err)
		}
		last := ""
		for _, e := range x.History {
			if e.Action == "send_reply" {
				last = e.Comment
			}
		}
		if last == "" {
			t.Fatal("no send_reply in the history")
		}
		return last
	}
	if n := note(); !strings.HasPrefix(n, "Gửi đơn vị 1 thay đổi để phản hồi, hạn ") {
		t.Fatalf("the note of sending: %q", n)
	}
	// The records of before: no "office" in the notice's params, the
	// school's words in the note.
	if _, err := s.pool.Exec(ctx, `UPDATE notifications SET params = params - 'office' WHERE assessment_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	// (the history is append-only: the old note is added, as it was written)
	if _, err := s.pool.Exec(ctx, `INSERT INTO assessment_events (assessment_id, action, comment, actor_id, at)
		SELECT assessment_id, action, 'Gửi nhà trường 1 thay đổi để phản hồi, hạn 10:00 01/01/2026.', actor_id, at + interval '1 second'
		FROM assessment_events WHERE assessment_id = $1 AND action = 'send_reply'`, id); err != nil {
		t.Fatal(err)
	}
	list, err := s.Notifications(ctx, w.staff34, 20)
	if err != nil || len(list) == 0 || list[0].Kind != model.NoticeReplyDue {
		t.Fatalf("the Sở's staff's notices: %+v %v", list, err)
	}
	if b := list[0].Body(); !strings.Contains(b.VI, "1 thay đổi chờ đơn vị phản hồi") || !strings.Contains(b.EN, "await the unit's reply") {
		t.Fatalf("an old reply request to an office: %q / %q", b.VI, b.EN)
	}
	// The e-mail of it reads the notice the same way.
	mail, err := s.NotificationForDelivery(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if b := mail.Body(); !strings.Contains(b.VI, "chờ đơn vị phản hồi") {
		t.Fatalf("the e-mail of an old reply request to an office: %q", b.VI)
	}
	if n := note(); n != "Gửi đơn vị 1 thay đổi để phản hồi, hạn 10:00 01/01/2026." {
		t.Fatalf("an old note of sending, in the history: %q", n)
	}
	trail, err := s.Trail(ctx, w.ministry, id)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range trail {
		if e.Kind == model.TrailEvent && e.Action == "send_reply" {
			found = true
			if !strings.HasPrefix(e.Text, "Gửi đơn vị 1 thay đổi để phản hồi") {
				t.Fatalf("an old note of sending, in the trail: %q", e.Text)
			}
		}
	}
	if !found {
		t.Fatal("no send_reply in the trail")
	}
	var stored string
	if err := s.pool.QueryRow(ctx, `SELECT comment FROM assessment_events WHERE assessment_id = $1 AND action = 'send_reply' ORDER BY id DESC LIMIT 1`, id).Scan(&stored); err != nil || !strings.HasPrefix(stored, "Gửi nhà trường") {
		t.Fatalf("the stored note: %q %v", stored, err)
	}
}
