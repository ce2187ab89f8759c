package survey

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/dxindex/dxindex/survey/model"
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
	if len(list) != 1 || list[0].Kind != model.NoticeChanged || list[0].EmailStatus != "queued" {
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
	if len(list) != 3 || list[0].Kind != model.NoticeReturned || list[1].Kind != model.NoticeChanged || list[1].Params["reason"] != "Kiểm tra lại: không có LMS" ||
		list[1].Subject().VI != "Đánh giá ngoài đã thay đổi chỉ số a.lms của "+list[1].Params["unit"] {
		t.Fatalf("after return: %+v", list)
	}
	if n, err := s.TellReviewChanges(ctx, j.id); err != nil || n != 0 {
		t.Fatalf("gathering after the return: %d %v", n, err)
	}
}

// TestReviewChangesRaceGathering: changes made while gatherings run are
// each told exactly once, whichever commits first; when a change finds no
// gathering waiting it queues one.
func TestReviewChangesRaceGathering(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	s := j.s
	fillAll(t, s, j.school, j.id)
	if err := s.Submit(ctx, j.school, j.id); err != nil {
		t.Fatal(err)
	}
	const changes = 20
	done := make(chan error, 1)
	go func() {
		for i := range changes {
			v := []string{`false`, `true`}[i%2]
			if _, err := s.Review(ctx, j.district, j.id, "a.lms", json.RawMessage(v), fmt.Sprintf("Lần %d", i+1)); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	told := 0
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = false
		default:
		}
		n, err := s.TellReviewChanges(ctx, j.id)
		if err != nil {
			t.Fatal(err)
		}
		told += n
	}
	n, err := s.TellReviewChanges(ctx, j.id)
	if err != nil {
		t.Fatal(err)
	}
	told += n
	list, err := s.Notifications(ctx, j.school, 100)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, nt := range list {
		items := nt.Items()
		if items == nil { // a notice of one change
			items = []string{nt.Params["indicator"] + ": " + nt.Params["reason"]}
		}
		for _, it := range items {
			seen[it]++
		}
	}
	if told != changes || len(seen) != changes {
		t.Fatalf("told %d, distinct %d, want %d: %v", told, len(seen), changes, seen)
	}
	for it, c := range seen {
		if c != 1 {
			t.Errorf("%q told %d times", it, c)
		}
	}
	// Every change that found no gathering waiting queued one: at least one
	// job, and the flag is down once all is told.
	var queued bool
	if err := s.pool.QueryRow(ctx, `SELECT flush_queued FROM review_change_notices WHERE assessment_id = $1`, j.id).Scan(&queued); err != nil || queued {
		t.Fatalf("flush_queued %v %v", queued, err)
	}
	if c := jobCount(t, s, "review_changes_notice"); c < 1 || c > changes {
		t.Fatalf("gathering jobs: %d", c)
	}
}
