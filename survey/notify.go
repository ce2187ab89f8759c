package survey

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// Notice is one message to one person. It is recorded in the transaction
// of the event that causes it (an outbox), so a notice exists exactly when
// its event does; delivery (in-app, e-mail, webhook) happens afterwards.
type Notice struct {
	UserID       int64
	Kind         model.NoticeKind
	AssessmentID int64             // 0 when the notice is about no assessment
	Link         string            // the page concerned, a path such as "/assessments/12"
	Params       map[string]string // what the kind's template says: comment, reasons, due date…
	// DedupeKey, when set, makes the notice once-only per person: a second
	// notice with the same key is dropped (scheduled reminders).
	DedupeKey string
	// SecretLink, when set, is the link the e-mail carries when the link
	// itself is a credential (a password reset): Link is then its redacted
	// form, the one the notifications row keeps. See MailJob.
	SecretLink string
}

// ResetLinkRedacted is what the notifications row keeps of a reset link.
const ResetLinkRedacted = "/password/reset/…"

// MailJob is the river job that e-mails notification NotificationID.
//
// A password-reset link is a credential, so it never sits in the
// notifications table, which many read (the admin's mail page, backups,
// support staff): the row keeps ResetLinkRedacted, and the real link
// travels in SecretLink, in the job's args, only until the mail is sent or
// has finally failed — RecordDelivery then removes it from the job. We
// chose this over encrypting the link with a key from the environment
// because it needs no key to configure, rotate and share between
// instances, and because the window where a reader of the database could
// see the link (queued, normally seconds) is one the link's own one-hour
// lifetime bounds anyway; the token is stored nowhere else but hashed
// (password_resets.token_hash).
type MailJob struct {
	NotificationID int64  `json:"notification_id"`
	SecretLink     string `json:"secret_link,omitempty"`
}

// Kind names the job for river.
func (MailJob) Kind() string { return "notice_mail" }

// InsertOpts: unique per notification, so a notice is queued once.
func (MailJob) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: "mail", MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// WebhookJob is the river job that posts notification NotificationID to
// the webhook.
type WebhookJob struct {
	NotificationID int64 `json:"notification_id"`
}

// Kind names the job for river.
func (WebhookJob) Kind() string { return "notice_webhook" }

// InsertOpts: unique per notification.
func (WebhookJob) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: "mail", MaxAttempts: 12, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ReminderSweepJob is the periodic job that sends the scheduled reminders
// (deadlines in 7, 3 and 1 days; reviews due in 3 days).
type ReminderSweepJob struct{}

// Kind names the job for river.
func (ReminderSweepJob) Kind() string { return "reminder_sweep" }

// InsertOpts: one sweep per 10 minutes however many schedulers run.
func (ReminderSweepJob) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 10 * time.Minute}}
}

// jobs is the insert-only river client the outbox writes with (InsertTx):
// the working client with its workers lives in cmd/dxindex serve.
func newJobs(s *Service) *river.Client[pgx.Tx] {
	c, err := river.NewClient(riverpgxv5.New(s.pool), &river.Config{})
	if err != nil {
		panic(fmt.Sprintf("survey: river client: %v", err)) // only on a bad static config
	}
	return c
}

// notify records n inside tx, the transaction of the event that causes it:
// the in-app notice, and the delivery jobs for e-mail (when the person has
// an address and has not switched the kind off) and for the webhook (when
// one is configured).
func (s *Service) notify(ctx context.Context, tx pgx.Tx, n Notice) error {
	_, err := s.record(ctx, tx, n)
	return err
}

// record is notify, saying whether the notice was recorded (false: the
// person is gone or locked, or the dedupe key was taken).
func (s *Service) record(ctx context.Context, tx pgx.Tx, n Notice) (bool, error) {
	var email *string
	var on, locked bool
	err := tx.QueryRow(ctx, `SELECT nullif(btrim(u.email), ''), u.locked_at IS NOT NULL,
		coalesce((SELECT p.email FROM notice_prefs p WHERE p.user_id = u.id AND p.kind = $2), true)
		FROM users u WHERE u.id = $1`, n.UserID, string(n.Kind)).Scan(&email, &locked, &on)
	if err == pgx.ErrNoRows {
		return false, nil // the person is gone: nobody to tell
	}
	if err != nil {
		return false, err
	}
	reset := n.Kind == model.NoticePasswordReset
	if locked && !reset {
		return false, nil
	}
	mail := email != nil && (on || reset)
	var status *string
	if mail {
		q := "queued"
		status = &q
	} else {
		email = nil
	}
	var hook *string
	if s.Webhook && !reset {
		q := "queued"
		hook = &q
	}
	params := n.Params
	if params == nil {
		params = map[string]string{}
	}
	pj, err := json.Marshal(params)
	if err != nil {
		return false, err
	}
	var aid *int64
	if n.AssessmentID != 0 {
		aid = &n.AssessmentID
	}
	var key *string
	if n.DedupeKey != "" {
		key = &n.DedupeKey
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO notifications (user_id, kind, assessment_id, link, params, in_app, dedupe_key, email_to, email_status, webhook_status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING id`,
		n.UserID, string(n.Kind), aid, n.Link, pj, !reset, key, email, status, hook, s.Now()).Scan(&id)
	if err == pgx.ErrNoRows {
		return false, nil // already sent under this key
	}
	if err != nil {
		return false, err
	}
	if mail {
		if _, err := s.jobs.InsertTx(ctx, tx, MailJob{NotificationID: id, SecretLink: n.SecretLink}, nil); err != nil {
			return false, err
		}
	}
	if hook != nil {
		if _, err := s.jobs.InsertTx(ctx, tx, WebhookJob{NotificationID: id}, nil); err != nil {
			return false, err
		}
	}
	return true, nil
}

// notifySchool tells the people of an assessment's unit (its principals,
// or an office's own staff) about kind, with a link to the assessment.
func (s *Service) notifySchool(ctx context.Context, tx pgx.Tx, id int64, kind model.NoticeKind, params map[string]string, dedupe func(userID int64) string) error {
	_, err := s.notifySchoolN(ctx, tx, id, kind, params, dedupe)
	return err
}

// notifySchoolN is notifySchool, saying how many notices it recorded.
func (s *Service) notifySchoolN(ctx context.Context, tx pgx.Tx, id int64, kind model.NoticeKind, params map[string]string, dedupe func(userID int64) string) (int, error) {
	var unit, campaign string
	var unitID int64
	if err := tx.QueryRow(ctx, `SELECT u.id, u.name, c.name FROM assessments x JOIN units u ON u.id = x.unit_id JOIN campaigns c ON c.id = x.campaign_id WHERE x.id = $1`,
		id).Scan(&unitID, &unit, &campaign); err != nil {
		return 0, err
	}
	p := map[string]string{"unit": unit, "campaign": campaign}
	for k, v := range params {
		p[k] = v
	}
	users, err := schoolPeople(ctx, tx, unitID)
	if err != nil {
		return 0, err
	}
	count := 0
	for _, u := range users {
		n := Notice{UserID: u, Kind: kind, AssessmentID: id, Link: fmt.Sprintf("/assessments/%d", id), Params: p}
		if dedupe != nil {
			n.DedupeKey = dedupe(u)
		}
		ok, err := s.record(ctx, tx, n)
		if err != nil {
			return 0, err
		}
		if ok {
			count++
		}
	}
	return count, nil
}

// schoolPeople are the accounts that fill a unit's assessment.
func schoolPeople(ctx context.Context, tx pgx.Tx, unitID int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM users WHERE unit_id = $1 AND role IN ('school', 'office') AND locked_at IS NULL ORDER BY id`, unitID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// notifyOpen tells the schools of a campaign that have not submitted
// (draft or returned) about kind.
func (s *Service) notifyOpen(ctx context.Context, tx pgx.Tx, campaignID int64, kind model.NoticeKind, params map[string]string) error {
	// Only the assessments whose unit has an account: a national campaign
	// has tens of thousands of schools, most without one.
	return s.notifyEach(ctx, tx, kind, params, `SELECT DISTINCT x.id FROM assessments x
		JOIN users u ON u.unit_id = x.unit_id AND u.role IN ('school', 'office') AND u.locked_at IS NULL
		WHERE x.campaign_id = $1 AND x.status IN ('draft', 'returned') ORDER BY x.id`, campaignID)
}

// notifyEach tells the school of each assessment id query returns about kind.
func (s *Service) notifyEach(ctx context.Context, tx pgx.Tx, kind model.NoticeKind, params map[string]string, query string, args ...any) error {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.notifySchool(ctx, tx, id, kind, params, nil); err != nil {
			return err
		}
	}
	return nil
}

// notifyPublished tells the schools whose results publication pubID
// holds.
func (s *Service) notifyPublished(ctx context.Context, tx pgx.Tx, pubID int64, revision int) error {
	return s.notifyEach(ctx, tx, model.NoticePublished, map[string]string{"revision": fmt.Sprint(revision)}, `SELECT DISTINCT pr.assessment_id FROM published_results pr
		JOIN users u ON u.unit_id = pr.unit_id AND u.role IN ('school', 'office') AND u.locked_at IS NULL
		WHERE pr.publication_id = $1 ORDER BY pr.assessment_id`, pubID)
}
