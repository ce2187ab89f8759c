package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dxindex/dxindex/dashboard"
	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/seed"
)

// TestDashboardScale measures the dashboard at national scale: one
// campaign of DXINDEX_SCALE_SCHOOLS schools (45000 for the figures in
// docs/performance.md) built by seed.National. It reports the server time
// of each page warm (p50, p95 over 50 requests, in process) and a load run
// of DXINDEX_SCALE_CLIENTS concurrent clients (default 200) over HTTP for
// DXINDEX_SCALE_SECONDS (default 20). Skipped unless DXINDEX_SCALE_SCHOOLS
// is set:
//
//	DXINDEX_SCALE_SCHOOLS=45000 go test -run TestDashboardScale -v -timeout 30m ./internal/web/
func TestDashboardScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("DXINDEX_SCALE_SCHOOLS"))
	if n <= 0 {
		t.Skip("set DXINDEX_SCALE_SCHOOLS to run the national-scale measurements")
	}
	clients := envInt("DXINDEX_SCALE_CLIENTS", 200)
	seconds := envInt("DXINDEX_SCALE_SECONDS", 20)
	ctx := context.Background()
	pool := pgtest.New(t)
	start := time.Now()
	res, err := seed.National(ctx, pool, seed.NationalOptions{Schools: n, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("seed.National: %d schools, campaign %d, in %v", res.Schools, res.CampaignID, time.Since(start).Round(time.Millisecond))
	srv := newDashServer(t, pool)
	id := res.CampaignID

	get := func(path string) (int, time.Duration) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		rec := httptest.NewRecorder()
		t0 := time.Now()
		srv.Handler().ServeHTTP(rec, req)
		return rec.Code, time.Since(t0)
	}
	// The first request builds the read model of the published revision.
	code, d := get(fmt.Sprintf("/dashboard/%d", id))
	if code != 200 {
		t.Fatalf("national overview: %d", code)
	}
	t.Logf("first request (builds the read model): %v", d.Round(time.Millisecond))

	// The largest province and commune (the July 2025 tree: no districts).
	var prov, dist string
	var provN, distN int
	if err := pool.QueryRow(ctx, `SELECT u.code, a.schools FROM dash_aggregates a JOIN units u ON u.id = a.unit_id
		WHERE a.campaign_id = $1 AND u.kind = 'province' ORDER BY a.schools DESC LIMIT 1`, id).Scan(&prov, &provN); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT u.code, a.schools FROM dash_aggregates a JOIN units u ON u.id = a.unit_id
		WHERE a.campaign_id = $1 AND u.kind = 'commune' ORDER BY a.schools DESC LIMIT 1`, id).Scan(&dist, &distN); err != nil {
		t.Fatal(err)
	}
	var school string
	if err := pool.QueryRow(ctx, `SELECT unit_code FROM dash_results r JOIN units d ON d.id = r.parent_id WHERE r.campaign_id = $1 AND d.code = $2 LIMIT 1`, id, dist).Scan(&school); err != nil {
		t.Fatal(err)
	}
	t.Logf("largest province %s (%d schools), largest district %s (%d schools)", prov, provN, dist, distN)

	pages := []struct{ name, path string }{
		{"province overview", fmt.Sprintf("/dashboard/%d/units/%s", id, prov)},
		{"district page", fmt.Sprintf("/dashboard/%d/units/%s", id, dist)},
		{"school page", fmt.Sprintf("/dashboard/%d/units/%s", id, school)},
		{"rankings API, province", fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=%s", id, prov)},
		{"rankings API, district", fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=%s", id, dist)},
		{"national overview", fmt.Sprintf("/dashboard/%d", id)},
		{"district page, filtered", fmt.Sprintf("/dashboard/%d/units/%s?school_level=primary", id, dist)},
	}
	for _, p := range pages {
		if code, d := get(p.path); code != 200 {
			t.Fatalf("%s: %d", p.path, code)
		} else {
			t.Logf("%-24s cold %v", p.name, d.Round(100*time.Microsecond))
		}
		for range 5 {
			get(p.path)
		}
		var ds []time.Duration
		for range 50 {
			_, d := get(p.path)
			ds = append(ds, d)
		}
		slices.Sort(ds)
		t.Logf("%-24s warm p50 %6.1f ms  p95 %6.1f ms", p.name, ms(ds[len(ds)/2]), ms(ds[len(ds)*95/100]))
	}

	// Without the in-memory caches: a fresh store per request (read model
	// in PostgreSQL only; ranks, aggregates and robustness intervals
	// computed again).
	for _, u := range []struct{ name, code string }{{"province, uncached", prov}, {"district, uncached", dist}} {
		var ds []time.Duration
		for range 20 {
			st := dashboard.New(pool)
			t0 := time.Now()
			cp, err := st.Published(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			unit, err := st.Unit(ctx, cp, u.code)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.Ranking(ctx, cp, unit, dashview.Filter{}); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
		}
		slices.Sort(ds)
		t.Logf("%-24s ranking p50 %6.1f ms  p95 %6.1f ms", u.name, ms(ds[len(ds)/2]), ms(ds[len(ds)*95/100]))
	}

	// Load: clients concurrent over HTTP, each request a dashboard page or
	// the API, across provinces and districts.
	rows, err := pool.Query(ctx, `SELECT u.code, u.kind FROM dash_aggregates a JOIN units u ON u.id = a.unit_id
		WHERE a.campaign_id = $1 AND u.kind IN ('province', 'commune')`, id)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for rows.Next() {
		var code, kind string
		if err := rows.Scan(&code, &kind); err != nil {
			t.Fatal(err)
		}
		urls = append(urls, fmt.Sprintf("/dashboard/%d/units/%s", id, code))
		if kind == "province" {
			urls = append(urls, fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=%s", id, code))
		}
	}
	rows.Close()
	// And school pages: one in every 20 schools (not cached as a whole).
	rows, err = pool.Query(ctx, `SELECT unit_code FROM dash_results WHERE campaign_id = $1 AND assessment_id % 20 = 0`, id)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			t.Fatal(err)
		}
		urls = append(urls, fmt.Sprintf("/dashboard/%d/units/%s", id, code))
	}
	rows.Close()
	t.Logf("load mix: %d URLs (province, district and school pages, rankings API per province)", len(urls))
	// Warm every URL once (robustness intervals are computed on first use).
	for _, u := range urls {
		get(u)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var errs atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	if out := os.Getenv("DXINDEX_SCALE_PROFILE"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := c; time.Now().Before(deadline); i += clients {
				t0 := time.Now()
				resp, err := client.Get(hs.URL + urls[i%len(urls)])
				if err != nil {
					errs.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs.Add(1)
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	if len(lat) == 0 {
		t.Fatal("no request completed")
	}
	q := func(p int) float64 { return ms(lat[min(len(lat)-1, len(lat)*p/100)]) }
	t.Logf("load: %d clients, %ds, %d requests (%.0f/s), %d errors; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
		clients, seconds, len(lat), float64(len(lat))/float64(seconds), errs.Load(), q(50), q(95), q(99), ms(lat[len(lat)-1]))
	if errs.Load() > 0 {
		t.Errorf("%d errors under load", errs.Load())
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
