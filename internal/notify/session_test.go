package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/notify"
)

// TestReviewSessionOneMail: ten changes by the evaluator are one e-mail to
// the school listing the ten reasons, sent when the gathering job's delay
// is over (moved to now here); sending for reply then tells only the new
// request, and the approval e-mail reaches the school with its subject,
// comment and link.
func TestReviewSessionOneMail(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	box := startMailbox(t, "127.0.0.1:0")
	w.svc.ChangesDelay = time.Hour
	start(t, w, notify.Config{SMTPAddr: box.Addr})
	s := w.svc
	w.submit(t, w.a1)
	for i := range 10 {
		v := []string{`false`, `true`}[i%2]
		if _, err := s.Review(ctx, w.district, w.a1, "a.lms", json.RawMessage(v), fmt.Sprintf("Lý do thay đổi số %d", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	var jobs int
	if err := w.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'review_changes_notice' AND state = 'scheduled'`).Scan(&jobs); err != nil || jobs != 1 {
		t.Fatalf("gathering jobs waiting: %d %v", jobs, err)
	}
	time.Sleep(500 * time.Millisecond)
	if got := box.All(); len(got) != 0 {
		t.Fatalf("mail before the session ended: %+v", got)
	}
	// The delay is over.
	if _, err := w.pool.Exec(ctx, `UPDATE river_job SET scheduled_at = now() WHERE kind = 'review_changes_notice'`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the changes e-mail", 20*time.Second, func() bool { return mailStatus(t, w)["sent"] == 1 })
	aLink := fmt.Sprintf("%s/assessments/%d", baseURL, w.a1)
	m := box.All()[0]
	if m.To != "ht.a1@truong.edu.vn" || m.Subject != "[DX Index] Đánh giá ngoài đã thay đổi 10 chỉ số của Trường THCS An Bài" || !strings.Contains(m.Body, aLink) {
		t.Fatalf("changes e-mail: %s %q\n%s", m.To, m.Subject, m.Body)
	}
	for i := range 10 {
		reason := fmt.Sprintf("a.lms: Lý do thay đổi số %d", i+1)
		// Each reason twice in the plain text (Vietnamese, English) and
		// twice in the HTML.
		if c := strings.Count(m.Body, reason+"\r\n") + strings.Count(m.Body, reason+"</li>"); c != 4 {
			t.Errorf("%q appears %d times, want 4:\n%s", reason, c, m.Body)
		}
	}

	if err := s.SendForReply(ctx, w.district, w.a1); err != nil {
		t.Fatal(err)
	}
	later := s.Now().AddDate(0, 0, 6) // the reply window has closed
	s.Now = func() time.Time { return later }
	if err := s.Approve(ctx, w.so, w.a1, "Đạt yêu cầu"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the reply and approval e-mails", 20*time.Second, func() bool { return mailStatus(t, w)["sent"] == 3 })
	time.Sleep(300 * time.Millisecond) // nothing more arrives
	got := box.All()
	if len(got) != 3 {
		t.Fatalf("received %d messages, want 3", len(got))
	}
	var approved int
	for _, m := range got[1:] {
		if strings.Contains(m.Subject, "thay đổi") && !strings.Contains(m.Subject, "phản hồi") {
			t.Errorf("the changes told twice: %q", m.Subject)
		}
		if m.Subject == "[DX Index] Bản tự đánh giá của Trường THCS An Bài đã được duyệt" {
			approved++
			if m.To != "ht.a1@truong.edu.vn" || !strings.Contains(m.Body, aLink) || !strings.Contains(m.Body, "Nhận xét: Đạt yêu cầu") {
				t.Errorf("approval e-mail to %s:\n%s", m.To, m.Body)
			}
		}
	}
	if approved != 1 {
		t.Errorf("approval e-mails: %d", approved)
	}
}

// TestResetMailCarriesTheLink: the reset e-mail carries the working link
// although the notifications row keeps it redacted, and once sent the
// database holds the token nowhere but hashed.
func TestResetMailCarriesTheLink(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	box := startMailbox(t, "127.0.0.1:0")
	start(t, w, notify.Config{SMTPAddr: box.Addr})
	s := w.svc
	s.Now = time.Now // the link's hour is checked against the real clock below
	if err := s.RequestPasswordReset(ctx, "ht.a1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the reset e-mail", 20*time.Second, func() bool { return mailStatus(t, w)["sent"] == 1 })
	m := box.All()[0]
	tok := regexp.MustCompile(regexp.QuoteMeta(baseURL) + `/password/reset/([A-Za-z0-9_-]+)`).FindStringSubmatch(m.Body)
	if m.To != "ht.a1@truong.edu.vn" || tok == nil {
		t.Fatalf("reset e-mail to %s:\n%s", m.To, m.Body)
	}
	if _, err := s.CheckResetLink(ctx, tok[1]); err != nil {
		t.Fatalf("the e-mailed link does not work: %v", err)
	}
	var n int
	if err := w.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM notifications x WHERE strpos(x::text, $1) > 0)
		+ (SELECT count(*) FROM river_job j WHERE strpos(j.args::text, $1) > 0)`, tok[1]).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the token is readable in %d rows (%v)", n, err)
	}
}
