package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/notify"
	"github.com/dxindex/dxindex/internal/notify/smtptest"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/rivertype"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// startMailbox serves SMTP on addr ("127.0.0.1:0" for any port).
func startMailbox(t *testing.T, addr string) *smtptest.Mailbox { return smtptest.Start(t, addr) }

// fixedRetry retries quickly, for tests.
type fixedRetry time.Duration

func (f fixedRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(time.Duration(f)) }

const baseURL = "https://dx.example.gov.vn"

type world struct {
	pool                 *pgxpool.Pool
	svc                  *survey.Service
	campaign             int64
	a1, b1               int64 // assessments
	school, district, so *model.Actor
	schoolB              *model.Actor
}

var admin = &model.Actor{Role: model.RoleAdmin, Username: "root"}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.New(t)
	s := survey.NewService(pool)
	if _, err := s.InstallShippedSets(ctx); err != nil {
		t.Fatal(err)
	}
	unit := func(code, name, kind, parent string, levels ...string) *model.Unit {
		n := 300
		u, err := s.CreateUnit(ctx, admin, model.UnitInput{Code: code, Name: name, Kind: kind, ParentCode: parent, SchoolLevels: levels, Students: &n})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	unit("34", "Thái Bình", "province", "")
	unit("338", "Quỳnh Phụ", "district", "34")
	unit("A1", "Trường THCS An Bài", "school", "338", "lower_secondary")
	unit("B1", "Trường THCS An Ấp", "school", "338", "lower_secondary")
	actor := func(username string, role model.Role, code, email string) *model.Actor {
		u, _ := s.UnitByCode(ctx, code)
		user, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: username, Role: role, UnitCode: code, Password: "password-" + username})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `UPDATE users SET email = $2 WHERE id = $1`, user.ID, email); err != nil {
			t.Fatal(err)
		}
		return &model.Actor{UserID: user.ID, Username: username, Role: role, UnitID: u.ID, UnitCode: code, UnitPath: u.Path, Lang: "vi"}
	}
	w := &world{pool: pool, svc: s}
	w.school = actor("ht.a1", model.RoleSchool, "A1", "ht.a1@truong.edu.vn")
	w.schoolB = actor("ht.b1", model.RoleSchool, "B1", "ht.b1@truong.edu.vn")
	w.district = actor("phong.338", model.RoleDistrict, "338", "phong.338@gd.gov.vn")
	w.so = actor("so.34", model.RoleProvince, "34", "so.34@gd.gov.vn")
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	s.Now = func() time.Time { return now }
	c, err := s.CreateCampaign(ctx, admin, model.CampaignInput{Name: "Năm học 2025-2026", SetCode: "example", RootUnitCode: "34",
		OpensOn: now, SelfDue: now.AddDate(0, 0, 3), ReviewDue: now.AddDate(0, 0, 3), FourEyes: true})
	if err != nil {
		t.Fatal(err)
	}
	w.campaign = c.ID
	rows, err := s.CampaignAssessments(ctx, admin, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		switch r.UnitCode {
		case "A1":
			w.a1 = r.ID
		case "B1":
			w.b1 = r.ID
		}
	}
	return w
}

// submit marks an assessment submitted (the survey tests cover the
// school's own submission and its checks).
func (w *world) submit(t *testing.T, id int64) {
	t.Helper()
	if _, err := w.pool.Exec(context.Background(), `UPDATE assessments SET status = 'submitted', submitted_at = now() WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
}

func start(t *testing.T, w *world, cfg notify.Config) *notify.Delivery {
	t.Helper()
	cfg.BaseURL = baseURL
	if cfg.Retry == nil {
		cfg.Retry = fixedRetry(200 * time.Millisecond)
	}
	if cfg.Poll == 0 {
		cfg.Poll = 50 * time.Millisecond
	}
	if cfg.SweepEvery == 0 {
		cfg.SweepEvery = -1 // no scheduler unless the test asks: it would send the 3-day reminders
	}
	if cfg.SMTPFrom == "" {
		cfg.SMTPFrom = "DX Index <no-reply@dx.example.gov.vn>"
	}
	d, err := notify.Start(context.Background(), w.pool, w.svc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = d.Stop(ctx)
	})
	return d
}

func waitFor(t *testing.T, what string, d time.Duration, ok func() bool) {
	t.Helper()
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func mailStatus(t *testing.T, w *world) map[string]int {
	t.Helper()
	out, err := w.svc.MailCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEveryKindDeliveredOnce drives the workflow through every event that
// notifies and checks each e-mail reaches the right person once, with the
// kind's subject and an absolute link to the page concerned.
func TestEveryKindDeliveredOnce(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	box := startMailbox(t, "127.0.0.1:0")
	start(t, w, notify.Config{SMTPAddr: box.Addr})
	s := w.svc
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	aLink := fmt.Sprintf("%s/assessments/%d", baseURL, w.a1)
	type want struct{ to, subject, link string }
	var wants []want

	_, err := s.Remind(ctx, w.district, w.campaign, "A1", "Đề nghị hoàn thành trước hạn.")
	must(err)
	wants = append(wants, want{"ht.a1@truong.edu.vn", "Nhắc nhở: hoàn thành tự đánh giá của Trường THCS An Bài", aLink})

	_, err = s.ExtendDeadline(ctx, w.district, w.campaign, "A1", s.Now().AddDate(0, 0, 3), "Mất điện")
	must(err)
	wants = append(wants, want{"ht.a1@truong.edu.vn", "Hạn tự đánh giá của Trường THCS An Bài được gia hạn đến 05/03/2026", aLink})

	// 3 days before the deadline and the review date: B1 has not
	// submitted; A1 has, and awaits the district's review.
	w.submit(t, w.a1)
	n, err := s.SendScheduledReminders(ctx)
	must(err)
	if n != 3 { // B1's deadline; reviews due for phong.338 and so.34
		t.Fatalf("scheduled: %d", n)
	}
	wants = append(wants,
		want{"ht.b1@truong.edu.vn", "Còn 3 ngày đến hạn tự đánh giá của Trường THCS An Ấp", fmt.Sprintf("%s/assessments/%d", baseURL, w.b1)},
		want{"phong.338@gd.gov.vn", "Còn 1 bản chưa duyệt, 3 ngày trước hạn công bố", fmt.Sprintf("%s/campaigns/%d?status=submitted", baseURL, w.campaign)},
		want{"so.34@gd.gov.vn", "Còn 1 bản chưa duyệt, 3 ngày trước hạn công bố", fmt.Sprintf("%s/campaigns/%d?status=submitted", baseURL, w.campaign)})

	must(s.Return(ctx, w.district, w.a1, "Bổ sung minh chứng về học liệu số"))
	wants = append(wants, want{"ht.a1@truong.edu.vn", "Bản tự đánh giá của Trường THCS An Bài bị trả lại", aLink})

	w.submit(t, w.a1)
	must(s.Reopen(ctx, w.district, w.a1, s.Now().AddDate(0, 0, 2), "Cập nhật số liệu học sinh"))
	wants = append(wants, want{"ht.a1@truong.edu.vn", "Bản tự đánh giá của Trường THCS An Bài được mở lại, hạn 04/03/2026", aLink})

	w.submit(t, w.a1)
	_, err = s.Review(ctx, w.district, w.a1, "a.lms", []byte(`false`), "Không có hệ thống LMS khi kiểm tra")
	must(err)
	wants = append(wants, want{"ht.a1@truong.edu.vn", "Đánh giá ngoài đã thay đổi chỉ số a.lms của Trường THCS An Bài", aLink})

	must(s.SendForReply(ctx, w.district, w.a1))
	wants = append(wants, want{"ht.a1@truong.edu.vn", "Mời Trường THCS An Bài phản hồi các thay đổi của đánh giá ngoài", aLink})

	later := s.Now().AddDate(0, 0, 6) // the reply window has closed
	s.Now = func() time.Time { return later }
	must(s.Approve(ctx, w.so, w.a1, "Đạt"))
	wants = append(wants, want{"ht.a1@truong.edu.vn", "Bản tự đánh giá của Trường THCS An Bài đã được duyệt", aLink})

	_, err = s.Publish(ctx, w.so, w.campaign, "")
	must(err)
	wants = append(wants, want{"ht.a1@truong.edu.vn", "Kết quả của Trường THCS An Bài đã được công bố", aLink})

	waitFor(t, "every e-mail sent", 20*time.Second, func() bool { return mailStatus(t, w)["sent"] == len(wants) })
	time.Sleep(300 * time.Millisecond) // nothing more arrives
	got := box.All()
	if len(got) != len(wants) {
		t.Fatalf("received %d messages, want %d", len(got), len(wants))
	}
	for _, wt := range wants {
		count := 0
		for _, m := range got {
			if m.To == wt.to && m.Subject == "[DX Index] "+wt.subject {
				count++
				if !strings.Contains(m.Body, wt.link) {
					t.Errorf("%q lacks the link %s:\n%s", wt.subject, wt.link, m.Body)
				}
				if m.From != "no-reply@dx.example.gov.vn" {
					t.Errorf("from %q", m.From)
				}
			}
		}
		if count != 1 {
			t.Errorf("%s to %s: received %d times", wt.subject, wt.to, count)
			for _, m := range got {
				t.Logf("got %s: %s", m.To, m.Subject)
			}
		}
	}
	if c := mailStatus(t, w); c["queued"] != 0 || c["failed"] != 0 {
		t.Fatalf("statuses: %v", c)
	}
}

// TestMailWaitsForTheServer: with the SMTP server down, the message stays
// queued with the error for the admin to read, and goes once — when the
// server is back.
func TestMailWaitsForTheServer(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there yet
	start(t, w, notify.Config{SMTPAddr: addr})
	if _, err := w.svc.Remind(ctx, w.district, w.campaign, "A1", ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two failed attempts", 10*time.Second, func() bool {
		q, _ := w.svc.MailQueue(ctx, admin, 10)
		return len(q) == 1 && q[0].Attempts >= 2 && q[0].EmailStatus == "queued" && strings.Contains(q[0].EmailError, "refused")
	})
	box := startMailbox(t, addr)
	waitFor(t, "the e-mail sent", 10*time.Second, func() bool { return mailStatus(t, w)["sent"] == 1 })
	time.Sleep(500 * time.Millisecond)
	if got := box.All(); len(got) != 1 || got[0].To != "ht.a1@truong.edu.vn" {
		for _, m := range got {
			t.Logf("received for %s: %s", m.To, m.Subject)
		}
		t.Fatalf("received %d messages", len(got))
	}
	q, _ := w.svc.MailQueue(ctx, admin, 10)
	if q[0].EmailError != "" || q[0].EmailSentAt == nil {
		t.Fatalf("after delivery: %+v", q[0])
	}
}

// TestWithoutSMTPMailStaysQueued: no SMTP settings, nothing fails: the
// message waits, queued.
func TestWithoutSMTPMailStaysQueued(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	start(t, w, notify.Config{})
	if _, err := w.svc.Remind(ctx, w.district, w.campaign, "A1", ""); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if c := mailStatus(t, w); c["queued"] != 1 || c["sent"] != 0 || c["failed"] != 0 {
		t.Fatalf("statuses: %v", c)
	}
	var state string
	if err := w.pool.QueryRow(ctx, `SELECT state FROM river_job WHERE kind = 'notice_mail'`).Scan(&state); err != nil {
		t.Fatal(err)
	}
	if state != string(rivertype.JobStateScheduled) && state != string(rivertype.JobStateAvailable) && state != string(rivertype.JobStateRunning) {
		t.Fatalf("job state %s", state)
	}
}

// TestTwoInstancesRemindOnce: two app instances (two river clients on one
// database) run the scheduler; each reminder is e-mailed exactly once.
func TestTwoInstancesRemindOnce(t *testing.T) {
	w := newWorld(t)
	box := startMailbox(t, "127.0.0.1:0")
	w.submit(t, w.a1)
	// A second service over its own pool: another process, in effect.
	pool2, err := pgxpool.New(context.Background(), w.pool.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool2.Close)
	svc2 := survey.NewService(pool2)
	svc2.Now = w.svc.Now
	cfg := notify.Config{SMTPAddr: box.Addr, SweepEvery: 300 * time.Millisecond}
	start(t, w, cfg)
	w2 := &world{pool: pool2, svc: svc2}
	start(t, w2, cfg)
	// The scheduler (on the elected leader) sends them.
	waitFor(t, "three reminders", 15*time.Second, func() bool { return len(box.All()) >= 3 })
	// Sweeps on both services at once, as if both instances' schedulers
	// fired together: nothing more is sent.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() { defer wg.Done(); _, _ = w.svc.SendScheduledReminders(context.Background()) }()
		go func() { defer wg.Done(); _, _ = svc2.SendScheduledReminders(context.Background()) }()
	}
	wg.Wait()
	time.Sleep(1500 * time.Millisecond)
	got := box.All()
	seen := map[string]int{}
	for _, m := range got {
		seen[m.To]++
	}
	if len(got) != 3 || seen["ht.b1@truong.edu.vn"] != 1 || seen["phong.338@gd.gov.vn"] != 1 || seen["so.34@gd.gov.vn"] != 1 {
		t.Fatalf("received %v", seen)
	}
	var sweeps int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'reminder_sweep' AND state = 'completed'`).Scan(&sweeps); err != nil {
		t.Fatal(err)
	}
	if sweeps < 1 {
		t.Fatalf("the scheduler ran %d sweeps", sweeps)
	}
}

// TestWebhookSigned: each notice is posted once as JSON with the HMAC of
// the body; a failing receiver is retried.
func TestWebhookSigned(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	const secret = "s3cret-chia-se"
	var mu sync.Mutex
	var bodies [][]byte
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			http.Error(rw, "busy", http.StatusServiceUnavailable) // first try fails
			return
		}
		if r.Header.Get(notify.SignatureHeader) != notify.Sign(secret, b) {
			http.Error(rw, "bad signature", http.StatusUnauthorized)
			return
		}
		bodies = append(bodies, b)
	}))
	t.Cleanup(srv.Close)
	start(t, w, notify.Config{WebhookURL: srv.URL, WebhookSecret: secret})
	if err := w.svc.Return(ctx, w.district, w.a1, "x"); err == nil {
		t.Fatal("returned a draft")
	}
	w.submit(t, w.a1)
	if err := w.svc.Return(ctx, w.district, w.a1, "Thiếu minh chứng"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the webhook", 10*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(bodies) == 1 })
	time.Sleep(500 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	var p notify.WebhookPayload
	if err := json.Unmarshal(bodies[0], &p); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 1 || p.Kind != "returned" || p.Username != "ht.a1" || p.Link != fmt.Sprintf("%s/assessments/%d", baseURL, w.a1) || !strings.Contains(p.Body.VI, "Thiếu minh chứng") {
		t.Fatalf("webhook: %d %+v", len(bodies), p)
	}
}
