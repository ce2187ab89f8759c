package survey

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey/model"
)

func jobCount(t *testing.T, s *Service, kind string) int {
	t.Helper()
	var n int
	if err := s.pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = $1`, kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReturnNotifiesTheSchool: returning an assessment records, in the
// same transaction, an in-app notice with the comment and link for the
// school's account and a mail job when it has an address; the switch per
// kind turns the e-mail off but not the in-app notice.
func TestReturnNotifiesTheSchool(t *testing.T) {
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
	if err := s.Return(ctx, j.district, j.id, "Bổ sung minh chứng chỉ số a.lms"); err != nil {
		t.Fatal(err)
	}
	list, err := s.Notifications(ctx, j.school, 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("notices: %+v %v", list, err)
	}
	n := list[0]
	if n.Kind != model.NoticeReturned || n.Link != "/assessments/"+strconv.Itoa(int(j.id)) || n.EmailStatus != "queued" || n.EmailTo != "ht.a1@truong.edu.vn" {
		t.Fatalf("notice: %+v", n)
	}
	if !strings.Contains(n.Body().VI, "Bổ sung minh chứng") || !strings.Contains(n.Subject().VI, "bị trả lại") {
		t.Fatalf("text: %q / %q", n.Subject().VI, n.Body().VI)
	}
	if c := jobCount(t, s, "notice_mail"); c != 1 {
		t.Fatalf("mail jobs: %d", c)
	}
	if u, _ := s.UnreadNotices(ctx, j.school); u != 1 {
		t.Fatalf("unread %d", u)
	}
	if others, _ := s.Notifications(ctx, j.otherSchool, 10); len(others) != 0 {
		t.Fatalf("another school told: %+v", others)
	}
	link, err := s.OpenNotice(ctx, j.school, n.ID)
	if err != nil || link != n.Link {
		t.Fatalf("open: %q %v", link, err)
	}
	if _, err := s.OpenNotice(ctx, j.otherSchool, n.ID); err == nil {
		t.Fatal("another school opened the notice")
	}
	if u, _ := s.UnreadNotices(ctx, j.school); u != 0 {
		t.Fatalf("unread after open %d", u)
	}
	// E-mail off for "reopened": the notice is in-app only.
	on := map[model.NoticeKind]bool{}
	for _, k := range model.NoticeKinds {
		on[k] = k != model.NoticeReopened
	}
	if err := s.SetNoticePrefs(ctx, j.school, on); err != nil {
		t.Fatal(err)
	}
	fillAll(t, s, j.school, j.id)
	if err := s.Submit(ctx, j.school, j.id); err != nil {
		t.Fatal(err)
	}
	if err := s.Reopen(ctx, j.district, j.id, s.Now().AddDate(0, 0, 10), "Cập nhật số liệu"); err != nil {
		t.Fatal(err)
	}
	list, _ = s.Notifications(ctx, j.school, 10)
	if len(list) != 2 || list[0].Kind != model.NoticeReopened || list[0].EmailStatus != "" || !strings.Contains(list[0].Body().VI, "Cập nhật số liệu") {
		t.Fatalf("reopened: %+v", list)
	}
	if c := jobCount(t, s, "notice_mail"); c != 1 {
		t.Fatalf("mail jobs after a switched-off kind: %d", c)
	}
}

// TestScheduledRemindersOnce: the 3-day reminder goes once to each school
// that has not submitted, however often the sweep runs that day.
func TestScheduledRemindersOnce(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	s := j.s
	var due time.Time
	if err := s.pool.QueryRow(ctx, `SELECT self_due FROM campaigns WHERE id = $1`, j.campaign).Scan(&due); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return time.Date(due.Year(), due.Month(), due.Day()-3, 8, 0, 0, 0, model.Vietnam) }
	n, err := s.SendScheduledReminders(ctx)
	if err != nil || n != 1 { // of the campaign's schools (A1, H1, B1) only A1 has an account
		t.Fatalf("first sweep: %d %v", n, err)
	}
	if n, err := s.SendScheduledReminders(ctx); err != nil || n != 0 {
		t.Fatalf("second sweep: %d %v", n, err)
	}
	list, _ := s.Notifications(ctx, j.school, 10)
	if len(list) != 1 || list[0].Kind != model.NoticeDeadline || list[0].Params["days"] != "3" {
		t.Fatalf("deadline notice: %+v", list)
	}
	// Not a reminder day: nothing.
	s.Now = func() time.Time { return time.Date(due.Year(), due.Month(), due.Day()-2, 8, 0, 0, 0, model.Vietnam) }
	if n, err := s.SendScheduledReminders(ctx); err != nil || n != 0 {
		t.Fatalf("day -2: %d %v", n, err)
	}
}

// TestRemindOnDemand: a reviewer reminds one school; the history says who
// was reminded; a school that submitted needs no reminder.
func TestRemindOnDemand(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	s := j.s
	n, err := s.Remind(ctx, j.district, j.campaign, "A1", "Hạn nộp sắp hết, đề nghị hoàn thành.")
	if err != nil || n != 1 {
		t.Fatalf("remind: %d %v", n, err)
	}
	list, _ := s.Notifications(ctx, j.school, 10)
	if len(list) != 1 || list[0].Kind != model.NoticeReminder || list[0].Params["message"] != "Hạn nộp sắp hết, đề nghị hoàn thành." {
		t.Fatalf("reminder: %+v", list)
	}
	x, err := s.Assessment(ctx, j.district, j.id)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range x.History {
		if e.Action == "remind" && strings.Contains(e.Comment, j.school.Username) {
			found = true
		}
	}
	if !found {
		t.Fatalf("history: %+v", x.History)
	}
	if _, err := s.Remind(ctx, j.school, j.campaign, "A1", ""); err == nil {
		t.Fatal("a school sent a reminder")
	}
}

// TestPasswordResetNotice: a reset link goes by e-mail even with every
// switch off, never to the bell; the notifications row never holds the
// link (only its redacted form), and the mail job carries it only until
// the mail is sent.
func TestPasswordResetNotice(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	s := j.s
	if _, err := s.pool.Exec(ctx, `UPDATE users SET email = 'ht.a1@truong.edu.vn' WHERE id = $1`, j.school.UserID); err != nil {
		t.Fatal(err)
	}
	if err := s.SetNoticePrefs(ctx, j.school, map[model.NoticeKind]bool{}); err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPasswordReset(ctx, j.school.Username); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Notifications(ctx, j.school, 10); len(list) != 0 {
		t.Fatalf("a reset link in the bell: %+v", list)
	}
	q, err := s.MailQueue(ctx, root, 10)
	if err != nil || len(q) != 1 || q[0].EmailStatus != "queued" || q[0].Link != ResetLinkRedacted || jobCount(t, s, "notice_mail") != 1 {
		t.Fatalf("queue: %+v %v", q, err)
	}
	var link string
	if err := s.pool.QueryRow(ctx, `SELECT args->>'secret_link' FROM river_job WHERE kind = 'notice_mail'`).Scan(&link); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimPrefix(link, "/password/reset/")
	if token == link || token == "" {
		t.Fatalf("the job carries %q", link)
	}
	if _, err := s.CheckResetLink(ctx, token); err != nil {
		t.Fatalf("the job's link does not work: %v", err)
	}
	var rows int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM notifications n WHERE strpos(n::text, $1) > 0`, token).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("the token is in %d notification rows (%v)", rows, err)
	}
	// A failed attempt with retries left keeps it for the retry.
	if err := s.RecordDelivery(ctx, q[0].ID, ChannelEmail, errors.New("421 try later"), false); err != nil {
		t.Fatal(err)
	}
	var kept bool
	if err := s.pool.QueryRow(ctx, `SELECT args ? 'secret_link' FROM river_job WHERE kind = 'notice_mail'`).Scan(&kept); err != nil || !kept {
		t.Fatalf("the retry lost the link: %v %v", kept, err)
	}
	if err := s.RecordDelivery(ctx, q[0].ID, ChannelEmail, nil, false); err != nil {
		t.Fatal(err)
	}
	n, err := s.NotificationForDelivery(ctx, q[0].ID)
	if err != nil || n.EmailStatus != "sent" || n.Link != ResetLinkRedacted {
		t.Fatalf("after sending: %+v %v", n, err)
	}
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE strpos(args::text, $1) > 0`, token).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("the token stays in %d jobs after sending (%v)", rows, err)
	}
}

// TestMigration0021MovesResetLinks: on a database migrated before 0021, a
// reset e-mail still queued gets its link into its job's args, and no
// notifications row keeps a live link (the part of 0021 after its table,
// run again on rows written the old way).
func TestMigration0021MovesResetLinks(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	s := j.s
	var queued, failed int64
	for _, st := range []string{"queued", "failed"} {
		var id int64
		if err := s.pool.QueryRow(ctx, `INSERT INTO notifications (user_id, kind, link, in_app, email_to, email_status)
			VALUES ($1, 'password_reset', '/password/reset/old-`+st+`', false, 'a@b.vn', $2) RETURNING id`, j.school.UserID, st).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if st == "queued" {
			queued = id
			if _, err := s.jobs.Insert(ctx, MailJob{NotificationID: id}, nil); err != nil {
				t.Fatal(err)
			}
		} else {
			failed = id
		}
	}
	ms, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var part string
	for _, m := range ms {
		if strings.HasPrefix(m.Name, "0021_") {
			_, part, _ = strings.Cut(m.SQL, "-- A password-reset link")
		}
	}
	if part == "" {
		t.Fatal("0021 has no reset-link part")
	}
	if _, err := s.pool.Exec(ctx, "-- "+part); err != nil {
		t.Fatal(err)
	}
	var args string
	if err := s.pool.QueryRow(ctx, `SELECT args->>'secret_link' FROM river_job WHERE kind = 'notice_mail'`).Scan(&args); err != nil || args != "/password/reset/old-queued" {
		t.Fatalf("job args: %q %v", args, err)
	}
	for _, id := range []int64{queued, failed} {
		n, err := s.NotificationForDelivery(ctx, id)
		if err != nil || n.Link != ResetLinkRedacted {
			t.Fatalf("row %d: %+v %v", id, n, err)
		}
	}
}
