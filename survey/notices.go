package survey

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/jackc/pgx/v5"
)

// Notification is a recorded notice, as its reader and the admin's mail
// page see it.
type Notification struct {
	ID           int64             `json:"id"`
	UserID       int64             `json:"-"`
	Username     string            `json:"username,omitempty"`
	Kind         NoticeKind        `json:"kind"`
	AssessmentID int64             `json:"assessment_id,omitempty"`
	Link         string            `json:"link"`
	Params       map[string]string `json:"params"`
	CreatedAt    time.Time         `json:"created_at"`
	Read         bool              `json:"read"`
	InApp        bool              `json:"-"`
	Lang         string            `json:"-"` // the reader's language, for e-mail
	EmailTo      string            `json:"email_to,omitempty"`
	EmailStatus  string            `json:"email_status,omitempty"`
	EmailError   string            `json:"email_error,omitempty"`
	Attempts     int               `json:"email_attempts,omitempty"`
	EmailSentAt  *time.Time        `json:"email_sent_at,omitempty"`
	HookStatus   string            `json:"webhook_status,omitempty"`
	HookError    string            `json:"webhook_error,omitempty"`
}

func (n *Notification) p(k string) string { return n.Params[k] }

// Subject is the notice's one-line title, in both languages.
func (n *Notification) Subject() errkind.Msg {
	u := n.p("unit")
	switch n.Kind {
	case NoticeReturned:
		return errkind.Msg{VI: "Bản tự đánh giá của " + u + " bị trả lại", EN: "The self-assessment of " + u + " was returned"}
	case NoticeApproved:
		return errkind.Msg{VI: "Bản tự đánh giá của " + u + " đã được duyệt", EN: "The self-assessment of " + u + " was approved"}
	case NoticeChanged:
		return errkind.Msg{VI: "Đánh giá ngoài đã thay đổi chỉ số " + n.p("indicator") + " của " + u, EN: "An evaluator changed indicator " + n.p("indicator") + " of " + u}
	case NoticeReplyDue:
		return errkind.Msg{VI: "Mời " + u + " phản hồi các thay đổi của đánh giá ngoài", EN: u + " is asked to reply to the evaluator's changes"}
	case NoticePublished:
		return errkind.Msg{VI: "Kết quả của " + u + " đã được công bố", EN: "The results of " + u + " were published"}
	case NoticeDeadline:
		return errkind.Msg{VI: "Còn " + n.p("days") + " ngày đến hạn tự đánh giá của " + u, EN: n.p("days") + " day(s) left to the self-assessment deadline of " + u}
	case NoticeReviewsDue:
		return errkind.Msg{VI: "Còn " + n.p("open") + " bản chưa duyệt, 3 ngày trước hạn công bố", EN: n.p("open") + " assessment(s) still to review, 3 days before publication"}
	case NoticeExtended:
		return errkind.Msg{VI: "Hạn tự đánh giá của " + u + " được gia hạn đến " + n.p("due"), EN: "The self-assessment deadline of " + u + " is extended to " + n.p("due")}
	case NoticeReopened:
		return errkind.Msg{VI: "Bản tự đánh giá của " + u + " được mở lại, hạn " + n.p("due"), EN: "The self-assessment of " + u + " was reopened, due " + n.p("due")}
	case NoticeReminder:
		return errkind.Msg{VI: "Nhắc nhở: hoàn thành tự đánh giá của " + u, EN: "Reminder: complete the self-assessment of " + u}
	case NoticePasswordReset:
		return errkind.Msg{VI: "Đặt lại mật khẩu DX Index", EN: "Reset your DX Index password"}
	}
	return errkind.Msg{VI: "Thông báo", EN: "Notice"}
}

// Body is what the notice says beyond its title (may be empty).
func (n *Notification) Body() errkind.Msg {
	c := n.p("campaign")
	var m errkind.Msg
	switch n.Kind {
	case NoticeReturned:
		m = errkind.Msg{VI: "Nhận xét của người đánh giá: " + n.p("comment"), EN: "The evaluator's comment: " + n.p("comment")}
	case NoticeApproved:
		if n.p("comment") != "" {
			m = errkind.Msg{VI: "Nhận xét: " + n.p("comment"), EN: "Comment: " + n.p("comment")}
		}
	case NoticeChanged:
		m = errkind.Msg{VI: "Lý do: " + n.p("reason"), EN: "Reason: " + n.p("reason")}
	case NoticeReplyDue:
		m = errkind.Msg{VI: n.p("changes") + " thay đổi chờ nhà trường phản hồi, hạn " + n.p("due") + ".", EN: n.p("changes") + " change(s) await the school's reply, due " + n.p("due") + "."}
	case NoticeDeadline:
		m = errkind.Msg{VI: "Hạn nộp: " + n.p("due") + ". Bản tự đánh giá chưa được nộp.", EN: "Due: " + n.p("due") + ". The self-assessment has not been submitted."}
	case NoticeReviewsDue:
		m = errkind.Msg{VI: "Hạn công bố: " + n.p("due") + ".", EN: "Publication date: " + n.p("due") + "."}
	case NoticeExtended, NoticeReopened:
		m = errkind.Msg{VI: "Lý do: " + n.p("reason"), EN: "Reason: " + n.p("reason")}
	case NoticeReminder:
		m = errkind.Msg{VI: n.p("message"), EN: n.p("message")}
	case NoticePasswordReset:
		m = errkind.Msg{VI: "Liên kết dùng được một lần trong 1 giờ.", EN: "The link works once, within one hour."}
	}
	if c != "" {
		m.VI = sentence(m.VI) + "Đợt đánh giá: " + c + "."
		m.EN = sentence(m.EN) + "Campaign: " + c + "."
	}
	return m
}

// sentence ends s as a sentence followed by a space ("" stays "").
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !strings.ContainsAny(s[len(s)-1:], ".!?…") {
		s += "."
	}
	return s + " "
}

const notificationCols = `n.id, n.user_id, u.username, u.lang, n.kind, coalesce(n.assessment_id, 0), n.link, n.params, n.created_at, n.read_at IS NOT NULL, n.in_app,
	coalesce(n.email_to, ''), coalesce(n.email_status, ''), n.email_error, n.email_attempts, n.email_sent_at, coalesce(n.webhook_status, ''), n.webhook_error`

func scanNotification(r pgx.CollectableRow) (Notification, error) {
	var n Notification
	var kind string
	var params []byte
	err := r.Scan(&n.ID, &n.UserID, &n.Username, &n.Lang, &kind, &n.AssessmentID, &n.Link, &params, &n.CreatedAt, &n.Read, &n.InApp,
		&n.EmailTo, &n.EmailStatus, &n.EmailError, &n.Attempts, &n.EmailSentAt, &n.HookStatus, &n.HookError)
	n.Kind = NoticeKind(kind)
	if err == nil {
		err = json.Unmarshal(params, &n.Params)
	}
	return n, err
}

// Notifications lists the actor's in-app notices, newest first.
func (s *Service) Notifications(ctx context.Context, a *Actor, limit int) ([]Notification, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+notificationCols+` FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE n.user_id = $1 AND n.in_app ORDER BY n.id DESC LIMIT $2`, a.UserID, limit)
	if err != nil {
		return nil, wrap("notifications", err)
	}
	out, err := pgx.CollectRows(rows, scanNotification)
	return out, wrap("notifications", err)
}

// UnreadNotices counts the actor's unread in-app notices (the bell).
func (s *Service) UnreadNotices(ctx context.Context, a *Actor) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND in_app AND read_at IS NULL`, a.UserID).Scan(&n)
	return n, wrap("unread notices", err)
}

// OpenNotice marks one of the actor's notices read and returns the page
// it points to.
func (s *Service) OpenNotice(ctx context.Context, a *Actor, id int64) (string, error) {
	var link string
	err := s.pool.QueryRow(ctx, `UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE id = $1 AND user_id = $2 AND in_app RETURNING link`,
		id, a.UserID, s.Now()).Scan(&link)
	if err == pgx.ErrNoRows {
		return "", ErrNotFound
	}
	return link, wrap("open notice", err)
}

// MarkAllRead marks every notice of the actor read.
func (s *Service) MarkAllRead(ctx context.Context, a *Actor) error {
	_, err := s.pool.Exec(ctx, `UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL`, a.UserID, s.Now())
	return wrap("mark read", err)
}

// NoticePrefs returns, per kind, whether the actor gets it by e-mail, and
// the actor's address ("" when none).
func (s *Service) NoticePrefs(ctx context.Context, a *Actor) (map[NoticeKind]bool, string, error) {
	var email string
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(email, '') FROM users WHERE id = $1`, a.UserID).Scan(&email); err != nil {
		return nil, "", wrap("notice preferences", err)
	}
	out := map[NoticeKind]bool{}
	for _, k := range NoticeKinds {
		out[k] = true
	}
	rows, err := s.pool.Query(ctx, `SELECT kind, email FROM notice_prefs WHERE user_id = $1`, a.UserID)
	if err != nil {
		return nil, "", wrap("notice preferences", err)
	}
	var kind string
	var on bool
	_, err = pgx.ForEachRow(rows, []any{&kind, &on}, func() error {
		out[NoticeKind(kind)] = on
		return nil
	})
	return out, email, wrap("notice preferences", err)
}

// SetNoticePrefs sets the actor's e-mail switch of every kind: on for the
// kinds in on, off for the others.
func (s *Service) SetNoticePrefs(ctx context.Context, a *Actor, on map[NoticeKind]bool) error {
	return wrap("notice preferences", s.inTx(ctx, func(tx pgx.Tx) error {
		for _, k := range NoticeKinds {
			if _, err := tx.Exec(ctx, `INSERT INTO notice_prefs (user_id, kind, email) VALUES ($1, $2, $3)
				ON CONFLICT (user_id, kind) DO UPDATE SET email = $3`, a.UserID, string(k), on[k]); err != nil {
				return err
			}
		}
		return nil
	}))
}

// MailQueue lists the e-mails and webhook posts of notices, newest first,
// for an admin: queued, sent, failed with the server's error.
func (s *Service) MailQueue(ctx context.Context, a *Actor, limit int) ([]Notification, error) {
	if a.Role != RoleAdmin {
		return nil, ErrForbidden
	}
	rows, err := s.pool.Query(ctx, `SELECT `+notificationCols+` FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE n.email_status IS NOT NULL OR n.webhook_status IS NOT NULL ORDER BY n.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, wrap("mail queue", err)
	}
	out, err := pgx.CollectRows(rows, scanNotification)
	return out, wrap("mail queue", err)
}

// MailCounts counts e-mails by status, for the admin page.
func (s *Service) MailCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT email_status, count(*) FROM notifications WHERE email_status IS NOT NULL GROUP BY 1`)
	if err != nil {
		return nil, wrap("mail counts", err)
	}
	out := map[string]int{"queued": 0, "sent": 0, "failed": 0}
	var st string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&st, &n}, func() error { out[st] = n; return nil })
	return out, wrap("mail counts", err)
}

// NotificationForDelivery reads one notice for the delivery workers (no
// actor: the workers act for the system).
func (s *Service) NotificationForDelivery(ctx context.Context, id int64) (*Notification, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+notificationCols+` FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = $1`, id)
	if err != nil {
		return nil, wrap("notification", err)
	}
	n, err := pgx.CollectExactlyOneRow(rows, scanNotification)
	if err == pgx.ErrNoRows {
		return nil, ErrNotFound
	}
	return &n, wrap("notification", err)
}

// Delivery channels.
const (
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
)

// RecordDelivery records an attempt to deliver notice id on channel:
// sent when failure is nil, else the error kept and the status failed
// when final (no retry left) or still queued. A password-reset link is
// forgotten once sent: the outbox does not keep a live credential.
func (s *Service) RecordDelivery(ctx context.Context, id int64, channel string, failure error, final bool) error {
	status, msg := "sent", ""
	if failure != nil {
		status, msg = "queued", failure.Error()
		if final {
			status = "failed"
		}
	}
	var q string
	switch channel {
	case ChannelEmail:
		q = `UPDATE notifications SET email_status = $2::text, email_error = $3, email_attempts = email_attempts + 1,
			email_sent_at = CASE WHEN $2::text = 'sent' THEN $4::timestamptz END,
			link = CASE WHEN $2::text = 'sent' AND kind = 'password_reset' THEN '' ELSE link END WHERE id = $1`
	case ChannelWebhook:
		q = `UPDATE notifications SET webhook_status = $2, webhook_error = $3 WHERE id = $1 AND $4::timestamptz IS NOT NULL`
	default:
		return fmt.Errorf("survey: unknown channel %q", channel)
	}
	_, err := s.pool.Exec(ctx, q, id, status, msg, s.Now())
	return wrap("record delivery", err)
}
