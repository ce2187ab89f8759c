package survey

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestReviewChangesToldOnce: a review session of ten changes is one
// notice (one e-mail job) listing the ten reasons, gathered by one job
// queued at the first change; a later change queues a new gathering, and
// returning the assessment tells it at once, before the return.
func TestReviewChangesToldOnce(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	s := j.s
	if _, err := s.pool.Exec(ctx, `UPDATE users SET email = 'ht.a1@truong.edu.vn' WHERE id = $1`, j.school.UserID); err != nil {
		t.Fatal(err)
	}
	fillAll(t, s, j.school, j.id)
	if err := s.Submit(ctx, j.school, j.id); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		v := []string{`false`, `true`}[i%2]
		if _, err := s.Review(ctx, j.district, j.id, "a.lms", json.RawMessage(v), fmt.Sprintf("Lý do số %d", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if c := jobCount(t, s, "review_changes_notice"); c != 1 {
		t.Fatalf("gathering jobs after 10 changes: %d, want 1", c)
	}
	if list, _ := s.Notifications(ctx, j.school, 10); len(list) != 0 {
		t.Fatalf("told before the gathering: %+v", list)
	}
	n, err := s.TellReviewChanges(ctx, j.id)
	if err != nil || n != 10 {
		t.Fatalf("tell: %d %v", n, err)
	}
	list, _ := s.Notifications(ctx, j.school, 10)
	if len(list) != 1 || list[0].Kind != NoticeChanged || list[0].EmailStatus != "queued" {
		t.Fatalf("notices: %+v", list)
	}
	items := list[0].Items()
	if len(items) != 10 || !strings.Contains(list[0].Subject().VI, "thay đổi 10 chỉ số") {
		t.Fatalf("subject %q, items %q", list[0].Subject().VI, items)
	}
	for i, it := range items {
		if it != fmt.Sprintf("a.lms: Lý do số %d", i+1) {
			t.Errorf("item %d: %q", i, it)
		}
	}
	if c := jobCount(t, s, "notice_mail"); c != 1 {
		t.Fatalf("mail jobs: %d, want 1", c)
	}
	// The job that runs later finds nothing more to tell.
	if n, err := s.TellReviewChanges(ctx, j.id); err != nil || n != 0 {
		t.Fatalf("second gathering: %d %v", n, err)
	}
	// A later change queues a new gathering; the return tells it at once.
	if _, err := s.Review(ctx, j.district, j.id, "a.lms", json.RawMessage(`false`), "Kiểm tra lại: không có LMS"); err != nil {
		t.Fatal(err)
	}
	if c := jobCount(t, s, "review_changes_notice"); c != 2 {
		t.Fatalf("gathering jobs: %d, want 2", c)
	}
	if err := s.Return(ctx, j.district, j.id, "Bổ sung minh chứng"); err != nil {
		t.Fatal(err)
	}
	list, _ = s.Notifications(ctx, j.school, 10)
	if len(list) != 3 || list[0].Kind != NoticeReturned || list[1].Kind != NoticeChanged || list[1].Params["reason"] != "Kiểm tra lại: không có LMS" ||
		list[1].Subject().VI != "Đánh giá ngoài đã thay đổi chỉ số a.lms của "+list[1].Params["unit"] {
		t.Fatalf("after return: %+v", list)
	}
	if n, err := s.TellReviewChanges(ctx, j.id); err != nil || n != 0 {
		t.Fatalf("gathering after the return: %d %v", n, err)
	}
}
