package main

import (
	"context"
	"flag"
	"log/slog"
	"time"

	"github.com/dxindex/dxindex/internal/notify"
	"github.com/dxindex/dxindex/internal/web"
	"github.com/dxindex/dxindex/survey"
	"github.com/jackc/pgx/v5/pgxpool"
)

// notifyFlags are serve's settings for delivering notices (issue 16).
type notifyFlags struct {
	smtpAddr, smtpFrom, baseURL, webhook *string
	sweep, changesDelay                  *time.Duration
	getenv                               func(string) string
}

func addNotifyFlags(fs *flag.FlagSet, getenv func(string) string) *notifyFlags {
	return &notifyFlags{
		smtpAddr: fs.String("smtp-addr", envOr(getenv, "DXINDEX_SMTP_ADDR", ""),
			"SMTP server HOST:PORT for e-mail notices; empty: e-mail stays queued (env DXINDEX_SMTP_ADDR; user and password in DXINDEX_SMTP_USER, DXINDEX_SMTP_PASSWORD)"),
		smtpFrom: fs.String("smtp-from", envOr(getenv, "DXINDEX_SMTP_FROM", ""), "From address of e-mail notices, e.g. \"DX Index <no-reply@so.gov.vn>\" (env DXINDEX_SMTP_FROM)"),
		baseURL:  fs.String("base-url", envOr(getenv, "DXINDEX_BASE_URL", ""), "public address of the application, for the links in e-mails, e.g. https://dxindex.hungyen.edu.vn (env DXINDEX_BASE_URL; default http://ADDR)"),
		webhook:  fs.String("webhook-url", envOr(getenv, "DXINDEX_WEBHOOK_URL", ""), "optional URL that receives each notice as signed JSON (env DXINDEX_WEBHOOK_URL; secret in DXINDEX_WEBHOOK_SECRET)"),
		sweep:    fs.Duration("reminder-interval", time.Hour, "how often the scheduled reminders (deadlines in 7/3/1 days, reviews due) are checked"),
		changesDelay: fs.Duration("review-notice-delay", survey.DefaultChangesDelay,
			"how long an evaluator's changes to an assessment wait, to be told to the school in one notice"),
		getenv: getenv,
	}
}

// config checks the settings; addr is the listen address, the default
// base of links.
func (f *notifyFlags) config(log *slog.Logger, addr string) (notify.Config, error) {
	base := *f.baseURL
	if base == "" {
		base = "http://" + addr
	}
	c := notify.Config{SMTPAddr: *f.smtpAddr, SMTPFrom: *f.smtpFrom, SMTPUser: f.getenv("DXINDEX_SMTP_USER"), SMTPPassword: f.getenv("DXINDEX_SMTP_PASSWORD"),
		BaseURL: base, WebhookURL: *f.webhook, WebhookSecret: f.getenv("DXINDEX_WEBHOOK_SECRET"), SweepEvery: *f.sweep, Logger: log}
	if *f.sweep <= 0 {
		return c, usageErrorf("--reminder-interval must be positive, got %v", *f.sweep)
	}
	if *f.changesDelay <= 0 {
		return c, usageErrorf("--review-notice-delay must be positive, got %v", *f.changesDelay)
	}
	if err := c.Check(); err != nil {
		return c, usageErrorf("%v", err)
	}
	return c, nil
}

// webInfo is what the admin's mail page says about delivery.
func notifyInfo(c notify.Config) web.NotifyInfo {
	return web.NotifyInfo{SMTP: c.MailConfigured(), SMTPAddr: c.SMTPAddr, Webhook: c.WebhookURL != ""}
}

// startNotify starts the delivery workers and the scheduler; the returned
// stop waits up to grace for deliveries in flight.
func startNotify(ctx context.Context, pool *pgxpool.Pool, c notify.Config, grace time.Duration) (stop func(), err error) {
	// Not ctx: its cancellation (the signal) would make river drop jobs in
	// flight; stop lets them finish instead.
	d, err := notify.Start(context.WithoutCancel(ctx), pool, survey.NewService(pool), c)
	if err != nil {
		return nil, err
	}
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		_ = d.Stop(sctx)
	}, nil
}
