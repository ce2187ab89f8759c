package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
	"github.com/dxindex/dxindex/survey/model"
)

// TestBrowserNotifications: the evaluator returns the school's
// assessment; in a real browser the principal sees the bell count, opens
// the "returned" notice with the comment and lands on the assessment.
// Once the deadline has passed, the evaluator sends a reminder from the
// overdue list of the progress page, after a preview; the principal's
// bell counts it and the assessment's history says who was reminded.
func TestBrowserNotifications(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	hs, svc, cid, aid := journeyWorld(t)
	pool := journeyPool(t, hs)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `UPDATE assessments SET status = 'submitted', submitted_at = now() WHERE id = $1`, aid); err != nil {
		t.Fatal(err)
	}
	_, sess, err := svc.Login(ctx, "phong.qp", "district-password", "127.0.0.1", "web")
	if err != nil {
		t.Fatal(err)
	}
	district, _, err := svc.SessionByToken(ctx, sess.Token, "web")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Return(ctx, district, aid, "Bổ sung minh chứng cho chỉ số học liệu số"); err != nil {
		t.Fatal(err)
	}

	b := browsertest.New(t)
	signIn(t, b, hs.URL, "ht.anbai", "school-password")
	open(t, b, hs.URL+"/")
	count, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(`#bell .count`)))
	if err != nil || strings.TrimSpace(count) != "1" {
		t.Fatalf("bell: %q %v", count, err)
	}
	click(t, b, `#bell`, `location.pathname === "/notifications"`)
	if txt := mainText(t, b); !strings.Contains(txt, "bị trả lại") || !strings.Contains(txt, "Bổ sung minh chứng cho chỉ số học liệu số") {
		t.Fatalf("list:\n%s", txt)
	}
	shot(t, b, "notifications.png")
	click(t, b, `li.notice-item[data-kind="returned"] a`, fmt.Sprintf(`location.pathname === "/assessments/%d"`, aid))
	if n, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("#bell .count").length`)); err != nil || n != 0 {
		t.Fatalf("bell after reading: %d %v", n, err)
	}

	// The deadline passes with the assessment still returned.
	if _, err := pool.Exec(ctx, `UPDATE campaigns SET opens_on = current_date - 30, self_due = current_date - 2 WHERE id = $1`, cid); err != nil {
		t.Fatal(err)
	}
	e := browsertest.New(t)
	signIn(t, e, hs.URL, "phong.qp", "district-password")
	open(t, e, fmt.Sprintf("%s/review/%d/progress", hs.URL, cid))
	click(t, e, `tr.overdue a.remind`, `location.pathname.endsWith("/remind") && !!document.querySelector("#preview")`)
	if txt := mainText(t, e); !strings.Contains(txt, "Nhắc nhở: hoàn thành tự đánh giá của Trường THCS An Bài") {
		t.Fatalf("preview:\n%s", txt)
	}
	shot(t, e, "remind-preview.png")
	if err := chromedp.Do(e, chromedp.SetValue(chromedp.CSS(`textarea[name=message]`), "Đề nghị nhà trường nộp bản tự đánh giá trong tuần này.")); err != nil {
		t.Fatal(err)
	}
	click(t, e, `#send-reminder`, fmt.Sprintf(`location.pathname === "/campaigns/%d"`, cid))
	if txt := mainText(t, e); !strings.Contains(txt, "Đã gửi lời nhắc tới 1 trường.") {
		t.Fatalf("after sending:\n%s", txt)
	}
	_, ps, err := svc.Login(ctx, "ht.anbai", "school-password", "127.0.0.1", "web")
	if err != nil {
		t.Fatal(err)
	}
	principal, _, _ := svc.SessionByToken(ctx, ps.Token, "web")
	list, err := svc.Notifications(ctx, principal, 10)
	if err != nil || len(list) != 2 || list[0].Kind != model.NoticeReminder || list[0].Params["message"] != "Đề nghị nhà trường nộp bản tự đánh giá trong tuần này." {
		t.Fatalf("principal's notices: %+v %v", list, err)
	}
	open(t, b, fmt.Sprintf("%s/assessments/%d", hs.URL, aid))
	if txt := mainText(t, b); !strings.Contains(txt, "Nhắc nhở ht.anbai") {
		t.Fatalf("history lacks the reminder:\n%s", txt)
	}
}

// shot saves a screenshot under $DXINDEX_SCREENSHOTS when it is set.
func shot(t *testing.T, b context.Context, name string) {
	t.Helper()
	dir := os.Getenv("DXINDEX_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(b, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
