package survey

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

const notificationCols = `n.id, n.user_id, u.username, u.lang, n.kind, coalesce(n.assessment_id, 0), n.link, n.params, n.created_at, n.read_at IS NOT NULL, n.in_app,
	coalesce(n.email_to, ''), coalesce(n.email_status, ''), n.email_error, n.email_attempts, n.email_sent_at, coalesce(n.webhook_status, ''), n.webhook_error,
	EXISTS (SELECT 1 FROM assessments ox JOIN units ou ON ou.id = ox.unit_id WHERE ox.id = n.assessment_id AND ou.kind <> 'school')`

// officeWorded are the kinds whose text names the unit that replies or
// waits: "nhà trường", or "đơn vị" when the params say "office" (an
// office's own assessment, Decision 3806).
var officeWorded = map[model.NoticeKind]bool{model.NoticeReplyDue: true, model.NoticeVerifying: true}

func scanNotification(r pgx.CollectableRow) (model.Notification, error) {
	var n model.Notification
	var kind string
	var params []byte
	var office bool
	err := r.Scan(&n.ID, &n.UserID, &n.Username, &n.Lang, &kind, &n.AssessmentID, &n.Link, &params, &n.CreatedAt, &n.Read, &n.InApp,
		&n.EmailTo, &n.EmailStatus, &n.EmailError, &n.Attempts, &n.EmailSentAt, &n.HookStatus, &n.HookError, &office)
	n.Kind = model.NoticeKind(kind)
	if err == nil {
		err = json.Unmarshal(params, &n.Params)
	}
	// A notice recorded before its params said "office" (an office's
	// reply request of before 0f8071c) reads in the unit's words too: the
	// wording is chosen here, when the notice is shown or mailed, from the
	// kind of the unit assessed.
	if err == nil && office && officeWorded[n.Kind] && n.Params["office"] == "" {
		if n.Params == nil {
			n.Params = map[string]string{}
		}
		n.Params["office"] = "1"
	}
	return n, err
}

// Notifications lists the actor's in-app notices, newest first.
func (s *Service) Notifications(ctx context.Context, a *model.Actor, limit int) ([]model.Notification, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+notificationCols+` FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE n.user_id = $1 AND n.in_app ORDER BY n.id DESC LIMIT $2`, a.UserID, limit)
	if err != nil {
		return nil, wrap("notifications", err)
	}
	out, err := pgx.CollectRows(rows, scanNotification)
	return out, wrap("notifications", err)
}

// UnreadNotices counts the actor's unread in-app notices (the bell).
func (s *Service) UnreadNotices(ctx context.Context, a *model.Actor) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND in_app AND read_at IS NULL`, a.UserID).Scan(&n)
	return n, wrap("unread notices", err)
}

// OpenNotice marks one of the actor's notices read and returns the page
// it points to.
func (s *Service) OpenNotice(ctx context.Context, a *model.Actor, id int64) (string, error) {
	var link string
	err := s.pool.QueryRow(ctx, `UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE id = $1 AND user_id = $2 AND in_app RETURNING link`,
		id, a.UserID, s.Now()).Scan(&link)
	if err == pgx.ErrNoRows {
		return "", model.ErrNotFound
	}
	return link, wrap("open notice", err)
}

// MarkAllRead marks every notice of the actor read.
func (s *Service) MarkAllRead(ctx context.Context, a *model.Actor) error {
	_, err := s.pool.Exec(ctx, `UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL`, a.UserID, s.Now())
	return wrap("mark read", err)
}

// NoticePrefs returns, per kind, whether the actor gets it by e-mail, and
// the actor's address ("" when none).
func (s *Service) NoticePrefs(ctx context.Context, a *model.Actor) (map[model.NoticeKind]bool, string, error) {
	var email string
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(email, '') FROM users WHERE id = $1`, a.UserID).Scan(&email); err != nil {
		return nil, "", wrap("notice preferences", err)
	}
	out := map[model.NoticeKind]bool{}
	for _, k := range model.NoticeKinds {
		out[k] = true
	}
	rows, err := s.pool.Query(ctx, `SELECT kind, email FROM notice_prefs WHERE user_id = $1`, a.UserID)
	if err != nil {
		return nil, "", wrap("notice preferences", err)
	}
	var kind string
	var on bool
	_, err = pgx.ForEachRow(rows, []any{&kind, &on}, func() error {
		out[model.NoticeKind(kind)] = on
		return nil
	})
	return out, email, wrap("notice preferences", err)
}

// SetNoticePrefs sets the actor's e-mail switch of every kind: on for the
// kinds in on, off for the others.
func (s *Service) SetNoticePrefs(ctx context.Context, a *model.Actor, on map[model.NoticeKind]bool) error {
	return wrap("notice preferences", s.inTx(ctx, func(tx pgx.Tx) error {
		for _, k := range model.NoticeKinds {
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
func (s *Service) MailQueue(ctx context.Context, a *model.Actor, limit int) ([]model.Notification, error) {
	if a.Role != model.RoleAdmin {
		return nil, model.ErrForbidden
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
func (s *Service) NotificationForDelivery(ctx context.Context, id int64) (*model.Notification, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+notificationCols+` FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = $1`, id)
	if err != nil {
		return nil, wrap("notification", err)
	}
	n, err := pgx.CollectExactlyOneRow(rows, scanNotification)
	if err == pgx.ErrNoRows {
		return nil, model.ErrNotFound
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
// when final (no retry left) or still queued. Once an e-mail is sent or
// has finally failed, its job forgets the secret link it carried (see
// MailJob): nothing keeps a live credential.
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
			email_sent_at = CASE WHEN $2::text = 'sent' THEN $4::timestamptz END WHERE id = $1`
	case ChannelWebhook:
		q = `UPDATE notifications SET webhook_status = $2, webhook_error = $3 WHERE id = $1 AND $4::timestamptz IS NOT NULL`
	default:
		return fmt.Errorf("survey: unknown channel %q", channel)
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, q, id, status, msg, s.Now()); err != nil {
			return err
		}
		if channel != ChannelEmail || status == "queued" {
			return nil
		}
		// river_job is river's table, written here in the notice's
		// transaction: river never rewrites a job's args once inserted.
		_, err := tx.Exec(ctx, `UPDATE river_job SET args = args - 'secret_link'
			WHERE kind = $2 AND args @> jsonb_build_object('notification_id', $1::bigint) AND args ? 'secret_link'`, id, MailJob{}.Kind())
		return err
	})
	return wrap("record delivery", err)
}
