// Package notify delivers the notices package survey records in its
// outbox: by e-mail over SMTP and to an optional webhook, as river jobs
// with retries and backoff, and runs the scheduled reminders as a river
// periodic job. Several instances may run it on one database: river hands
// each job to one worker, the scheduler runs on the elected leader only,
// and the reminders are keyed by date in survey, so nothing is sent twice.
//
// Without SMTP settings the mail jobs wait (snoozed, not failed): the
// admin's mail page shows them queued, and they go once SMTP is set.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// Config is how notices leave the application.
type Config struct {
	SMTPAddr     string // host:port of the SMTP server; empty: mail stays queued
	SMTPFrom     string // the From address
	SMTPUser     string // optional, with SMTPPassword: AUTH PLAIN (over TLS, or to localhost)
	SMTPPassword string
	// BaseURL is the application's public address: links in messages are
	// absolute (https://dxindex.example.gov.vn/assessments/12).
	BaseURL string
	// WebhookURL, optional, receives each notice as JSON signed with
	// WebhookSecret (header X-DXIndex-Signature: sha256=<hex HMAC-SHA256>).
	WebhookURL    string
	WebhookSecret string
	// SweepEvery is how often the scheduled reminders run (default 1 h;
	// negative: this instance runs no scheduler).
	SweepEvery time.Duration
	// Retry decides when a failed delivery is tried again (default:
	// river's exponential backoff). Tests shorten it.
	Retry river.ClientRetryPolicy
	// Poll is how often idle workers look for jobs (default 1 s).
	Poll time.Duration
	// Timeout bounds one SMTP or webhook exchange (default 30 s).
	Timeout time.Duration
	Logger  *slog.Logger
}

// MailConfigured reports whether e-mail can be sent.
func (c Config) MailConfigured() bool { return c.SMTPAddr != "" && c.SMTPFrom != "" }

// Check validates the settings, for a clear message at start-up.
func (c Config) Check() error {
	if c.SMTPAddr != "" && c.SMTPFrom == "" {
		return errors.New("notify: --smtp-from is required with --smtp-addr")
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("notify: --base-url %q is not an absolute http(s) URL", c.BaseURL)
		}
	}
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("notify: webhook URL %q is not an absolute http(s) URL", c.WebhookURL)
		}
		if c.WebhookSecret == "" {
			return errors.New("notify: a webhook needs a shared secret (DXINDEX_WEBHOOK_SECRET)")
		}
	}
	return nil
}

func (c Config) link(path string) string {
	return strings.TrimRight(c.BaseURL, "/") + path
}

// Delivery is the running river client with the delivery workers.
type Delivery struct {
	client *river.Client[pgx.Tx]
	cfg    Config
}

// Start starts the delivery workers and the reminder scheduler on pool.
// svc must be the service the application records notices with; its
// Webhook switch is set from cfg here.
func Start(ctx context.Context, pool *pgxpool.Pool, svc *survey.Service, cfg Config) (*Delivery, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SweepEvery == 0 {
		cfg.SweepEvery = time.Hour
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	svc.Webhook = cfg.WebhookURL != ""
	workers := river.NewWorkers()
	river.AddWorker(workers, &mailWorker{svc: svc, cfg: cfg})
	river.AddWorker(workers, &webhookWorker{svc: svc, cfg: cfg})
	river.AddWorker(workers, &sweepWorker{svc: svc, log: cfg.Logger})
	river.AddWorker(workers, &changesWorker{svc: svc})
	rc := &river.Config{
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 1},
			"mail":             {MaxWorkers: 4},
		},
		Workers:     workers,
		RetryPolicy: cfg.Retry,
		// River reports every fetch at INFO: warnings and errors only.
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).With("component", "river"),
		PeriodicJobs: []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(cfg.SweepEvery),
			func() (river.JobArgs, *river.InsertOpts) { return survey.ReminderSweepJob{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true, ID: "reminder_sweep"})},
		JobTimeout: 2 * cfg.Timeout,
	}
	if cfg.SweepEvery < 0 {
		rc.PeriodicJobs = nil
	}
	if cfg.Poll > 0 {
		rc.FetchPollInterval = cfg.Poll
		rc.FetchCooldown = min(cfg.Poll, 100*time.Millisecond)
	}
	client, err := river.NewClient(riverpgxv5.New(pool), rc)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return nil, fmt.Errorf("notify: start: %w", err)
	}
	if !cfg.MailConfigured() {
		cfg.Logger.Warn("notify: no SMTP settings (--smtp-addr, --smtp-from): e-mail stays queued")
	}
	return &Delivery{client: client, cfg: cfg}, nil
}

// Stop stops the workers, letting jobs in flight finish until ctx ends.
func (d *Delivery) Stop(ctx context.Context) error {
	return d.client.Stop(ctx)
}

// mailWorker e-mails one notice.
type mailWorker struct {
	river.WorkerDefaults[survey.MailJob]
	svc *survey.Service
	cfg Config
}

// notConfiguredWait is how long a mail job waits when SMTP is not set.
const notConfiguredWait = time.Minute

func (w *mailWorker) Work(ctx context.Context, job *river.Job[survey.MailJob]) error {
	n, err := w.svc.NotificationForDelivery(ctx, job.Args.NotificationID)
	if errors.Is(err, model.ErrNotFound) {
		return river.JobCancel(err) // the person was deleted
	}
	if err != nil {
		return err
	}
	if n.EmailStatus == "sent" {
		return nil // sent before a crash lost the job's completion
	}
	if !w.cfg.MailConfigured() {
		return river.JobSnooze(notConfiguredWait)
	}
	if job.Args.SecretLink != "" {
		n.Link = job.Args.SecretLink // the row keeps it redacted (survey.MailJob)
	}
	msg, err := Compose(w.cfg, n)
	if err == nil {
		err = sendMail(ctx, w.cfg, n.EmailTo, msg)
	}
	final := job.Attempt >= job.MaxAttempts
	if rerr := w.svc.RecordDelivery(ctx, n.ID, survey.ChannelEmail, err, final); rerr != nil {
		if err == nil {
			// Sent but not recorded: returning the error would send it
			// again; the job completes and the row says queued.
			w.cfg.Logger.Error("notify: mail sent, status not recorded", "notification", n.ID, "err", rerr)
			return nil
		}
		return rerr
	}
	return err
}

// sweepWorker runs the scheduled reminders.
type sweepWorker struct {
	river.WorkerDefaults[survey.ReminderSweepJob]
	svc *survey.Service
	log *slog.Logger
}

func (w *sweepWorker) Work(ctx context.Context, job *river.Job[survey.ReminderSweepJob]) error {
	n, err := w.svc.SendScheduledReminders(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.log.Info("notify: scheduled reminders", "notices", n)
	}
	return nil
}

// changesWorker tells a school the evaluator's changes of a review
// session in one notice (survey/changenotice.go).
type changesWorker struct {
	river.WorkerDefaults[survey.ChangesNoticeJob]
	svc *survey.Service
}

func (w *changesWorker) Work(ctx context.Context, job *river.Job[survey.ChangesNoticeJob]) error {
	_, err := w.svc.TellReviewChanges(ctx, job.Args.AssessmentID)
	return err
}
