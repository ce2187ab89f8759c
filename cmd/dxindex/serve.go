package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/dxindex/dxindex/dashboard"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/dxindex/dxindex/internal/web"
	"github.com/dxindex/dxindex/survey"
	"github.com/jackc/pgx/v5/pgxpool"
)

var cmdServe = &command{
	name:    "serve",
	summary: "run the web application",
	run:     runServe,
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("serve", "[--addr HOST:PORT]")
	addr := fs.String("addr", envOr(e.getenv, "DXINDEX_ADDR", "127.0.0.1:8080"), "address to listen on (env DXINDEX_ADDR)")
	grace := fs.Duration("shutdown-grace", 20*time.Second, "how long requests in flight may take to finish at shutdown")
	production := fs.Bool("production", false, "refuse to start while the demo accounts can sign in")
	proxies := fs.String("trusted-proxies", envOr(e.getenv, "DXINDEX_TRUSTED_PROXIES", ""),
		"reverse proxies whose X-Forwarded-For/-Proto are believed: addresses or CIDRs, comma-separated, e.g. 127.0.0.1,::1 (env DXINDEX_TRUSTED_PROXIES)")
	nf := addNotifyFlags(fs, e.getenv)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	if err := checkAddr(*addr); err != nil {
		return usageErrorf("%v", err)
	}
	if *grace <= 0 {
		return usageErrorf("--shutdown-grace must be positive, got %v", *grace)
	}
	trusted, err := web.ParseTrustedProxies(*proxies)
	if err != nil {
		return usageErrorf("invalid --trusted-proxies: %v", err)
	}
	ncfg, err := nf.config(e.log, *addr)
	if err != nil {
		return err
	}
	if err := e.checkDBConfig(); err != nil {
		return err
	}

	// The server's live heap is small (tens of MB) and its garbage is
	// short-lived request data: collecting at 4× the live heap instead of
	// Go's default 1× spends less CPU on the collector under load
	// (docs/performance.md). GOGC in the environment still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	db, err := e.openMigrated(ctx)
	if err != nil {
		return err
	}
	// Closed last: the HTTP server has drained by then, then the private
	// cluster (if ours) stops.
	defer db.Close()
	if *production {
		if err := refuseDemoAccounts(ctx, db.Pool); err != nil {
			return err
		}
	}

	// Read models of campaigns published by an older version (or without
	// the publication hook) are built now, before the first request: a
	// GET never builds one.
	if n, err := dashboard.BuildStale(ctx, db.Pool); err != nil {
		return err
	} else if n > 0 {
		e.log.Info("dashboard read models built", "campaigns", n)
	}
	if len(trusted) > 0 {
		e.log.Info("client addresses and HTTPS taken from the trusted proxies' headers", "trusted_proxies", *proxies)
	}
	notices := notifyInfo(ncfg)
	srv, err := web.New(web.Config{Logger: e.log, Services: webServices(db.Pool, notices.Webhook, *nf.changesDelay), Version: buildVersion(), TrustedProxies: trusted, Notify: notices})
	if err != nil {
		return err
	}
	stopNotify, err := startNotify(ctx, db.Pool, ncfg, *grace)
	if err != nil {
		return err
	}
	defer stopNotify()
	return srv.Serve(ctx, *addr, *grace, func(a net.Addr) {
		e.log.Info("dxindex is ready", "url", "http://"+a.String()+"/")
		fmt.Fprintf(e.stdout, "dxindex is ready at http://%s/\n", a.String())
	})
}

// checkAddr validates a listen address before anything starts.
func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid --addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", addr)
	}
	if host != "" && net.ParseIP(host) == nil && host != "localhost" {
		if _, err := net.LookupHost(host); err != nil {
			return fmt.Errorf("invalid --addr %q: unknown host %q", addr, host)
		}
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("invalid --addr %q: port must be a number from 0 to 65535", addr)
	}
	return nil
}

// The survey service is what the web layer's Survey interface describes.
var _ web.Survey = (*survey.Service)(nil)

// webServices builds the services the web server hands requests to, all
// over the one pool: the web layer holds no database of its own. webhook
// says a webhook receives every notice (the survey service then records a
// webhook job with each); changesDelay is how long a review session's
// changes wait to be told together.
func webServices(pool *pgxpool.Pool, webhook bool, changesDelay time.Duration) web.Services {
	svc := survey.NewService(pool)
	svc.Webhook = webhook
	svc.ChangesDelay = changesDelay
	// Publishing builds the dashboard's read model, in the publishing
	// transaction: a GET only ever reads.
	svc.OnPublish = dashboard.BuildReadModel
	return web.Services{
		Survey:    svc,
		Dashboard: dashboard.New(pool),
		Sets:      setstore.NewStore(pool),
		Exports:   dashboard.NewExporter(pool),
		Health:    postgres.NewHealth(pool),
	}
}
