package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxindex/dxindex/dashboard"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// tableWrites are the rows each table of the database has had inserted,
// updated or deleted, as PostgreSQL's cumulative statistics count them.
type tableWrites map[string]int64

// writesSnapshot reads pg_stat_user_tables once every other backend of
// the database has gone: a backend reports its counts when it goes idle
// (at most once a second) and, at the latest, when it exits, before it
// leaves pg_stat_activity. Closing every pool but conn and waiting for
// their backends to leave is what makes the figures complete (PG 15+).
func writesSnapshot(t *testing.T, conn *pgx.Conn) tableWrites {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var others int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&others); err != nil {
			t.Fatal(err)
		}
		if others == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d other backends still connected", others)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Our own pending counts (none are writes) and the cached snapshot.
	if _, err := conn.Exec(ctx, `SELECT pg_stat_force_next_flush()`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_stat_clear_snapshot()`); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, `SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables`)
	if err != nil {
		t.Fatal(err)
	}
	out := tableWrites{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		out[name] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// since lists the tables written between two snapshots.
func (after tableWrites) since(before tableWrites) []string {
	var out []string
	for name, n := range after {
		if d := n - before[name]; d != 0 {
			out = append(out, fmt.Sprintf("%s +%d", name, d))
		}
	}
	sort.Strings(out)
	return out
}

// readBurst sends every public dashboard GET several times, a few at
// once, to a server on its own pool, closed at the end. Anonymous: a
// signed-in request records the session's last use, which is a write.
func readBurst(t *testing.T, url string, campaign int64) {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	srv := newDashServer(t, pool)
	paths := []string{
		"/", "/dashboard", "/dashboard/%d", "/dashboard/%d/methodology",
		"/dashboard/%d/units/34", "/dashboard/%d/units/338", "/dashboard/%d/units/339", "/dashboard/%d/units/A1",
		"/dashboard/%d/units/338?school_level=lower_secondary",
		"/dashboard/%d/units/338/export.csv", "/dashboard/%d/units/338/export.xlsx",
		"/dashboard/%d/units/338/report", "/dashboard/%d/units/A1/report", "/dashboard/%d/units/338/summary.xlsx",
		"/trend/338", "/trend/A1", "/trend/338/export.csv", "/trend/A1/export.xlsx",
		"/api/v1/campaigns", "/api/v1/campaigns/%d/rankings?unit=34", "/api/v1/campaigns/%d/rankings?unit=338",
		"/api/v1/campaigns/%d/rankings.csv?unit=34", "/api/v1/campaigns/%d/results/A1", "/api/v1/units/A1/trend",
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(paths))
	for round := 0; round < 4; round++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, p := range paths {
				if strings.Contains(p, "%d") {
					p = fmt.Sprintf(p, campaign)
				}
				rec := httptest.NewRecorder()
				srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
				if rec.Code != http.StatusOK {
					errs <- fmt.Sprintf("GET %s: %d", p, rec.Code)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestDashboardGETsWriteNothing (issue 19): a publication builds the
// dashboard's read model in its own transaction, so a burst of dashboard
// GETs right after it writes no row at all; nor do GETs that find the
// read model stale (a publication made without the hook): they serve the
// model as it is, and the start-up catch-up builds it.
func TestDashboardGETsWriteNothing(t *testing.T) {
	w := newDashWorld(t) // published, read model built by the publication
	ctx := context.Background()
	url := w.pool.Config().ConnString()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	w.pool.Close()

	before := writesSnapshot(t, conn)
	if before["dash_results"] == 0 {
		t.Fatal("the publication built no read model")
	}
	readBurst(t, url, w.campaign)
	if written := writesSnapshot(t, conn).since(before); len(written) > 0 {
		t.Errorf("dashboard GETs after a publication wrote rows: %v", written)
	}

	// A publication without the hook (B2, approved after the first): the
	// measurement sees its writes, and the GETs still write nothing.
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	svc := survey.NewService(pool)
	// The hook runs inside the publishing transaction: when it fails,
	// nothing is published.
	svc.OnPublish = func(context.Context, pgx.Tx, int64) error { return errors.New("read model failed") }
	if _, err := svc.Publish(ctx, &model.Actor{Role: model.RoleAdmin}, w.campaign, ""); err == nil {
		t.Fatal("a publication whose read model failed went through")
	}
	var rev int
	if err := pool.QueryRow(ctx, `SELECT published_revision FROM campaigns WHERE id = $1`, w.campaign).Scan(&rev); err != nil || rev != 1 {
		t.Fatalf("published revision %d (%v) after a failed hook, want 1", rev, err)
	}
	svc.OnPublish = nil
	if _, err := svc.Publish(ctx, &model.Actor{Role: model.RoleAdmin}, w.campaign, "không có hook"); err != nil {
		t.Fatal(err)
	}
	pool.Close()
	before = writesSnapshot(t, conn)
	readBurst(t, url, w.campaign)
	if written := writesSnapshot(t, conn).since(before); len(written) > 0 {
		t.Errorf("dashboard GETs on a stale read model wrote rows: %v", written)
	}
	if err := conn.QueryRow(ctx, `SELECT revision FROM dash_state WHERE campaign_id = $1`, w.campaign).Scan(&rev); err != nil || rev != 1 {
		t.Fatalf("read model revision %d (%v), want the stale 1", rev, err)
	}

	// The start-up catch-up builds it; the measurement sees that too.
	pool, err = pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	n, err := dashboard.BuildStale(ctx, pool)
	pool.Close()
	if err != nil || n != 1 {
		t.Fatalf("BuildStale: %d, %v", n, err)
	}
	written := writesSnapshot(t, conn).since(before)
	if !strings.Contains(strings.Join(written, " "), "dash_results +") {
		t.Errorf("the rebuild wrote %v, want dash_results rows", written)
	}
}
