package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/seed"
)

// TestBrowserDemoSoRanking: on the demo, the national ranking of the Sở
// (the 2025-2026 office campaign's page of the Ministry), a Sở's own page
// and its own trend, and a province without schools in a school
// campaign, fit a phone (390 px) and a desktop: no sideways
// scroll, no broken word in a cell, charts drawn, the ranked Sở listed.
// Screenshots under $DXINDEX_SCREENSHOTS (demo-*.png).
func TestBrowserDemoSoRanking(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	ctx := context.Background()
	pool := pgtest.New(t)
	if _, err := seed.Demo(ctx, pool, seed.DemoOptions{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := pool.QueryRow(ctx, `SELECT id FROM campaigns WHERE name = 'Sở GDĐT – năm học 2025-2026'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	var school int64
	if err := pool.QueryRow(ctx, `SELECT id FROM campaigns WHERE name = 'Năm học 2025-2026'`).Scan(&school); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	pages := []struct{ name, path, want string }{
		{"national", fmt.Sprintf("/dashboard/%d/units/BGDDT", id), "Tỉnh Hưng Yên"},
		{"so", fmt.Sprintf("/dashboard/%d/units/33", id), "KQ.1"},
		{"so-trend", "/trend/33?office=1", "Sở GDĐT – năm học 2025-2026"},
		// A province without demo schools in a school campaign.
		{"empty-province", fmt.Sprintf("/dashboard/%d/units/01", school), "Hà Nội"},
	}
	b := browsertest.New(t)
	for _, vp := range []struct {
		name  string
		width int64
		phone bool
	}{{"phone", 390, true}, {"desktop", 1366, false}} {
		if vp.phone {
			if err := chromedp.Do(b, chromedp.EmulateViewport(vp.width, 844, chromedp.EmulateMobile)); err != nil {
				t.Fatal(err)
			}
		} else if err := chromedp.Do(b, chromedp.EmulateViewport(vp.width, 900)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if err := chromedp.Do(b, chromedp.Navigate(hs.URL+p.path)); err != nil {
				t.Fatalf("%s: %v", p.path, err)
			}
			waitJS(t, b, `document.readyState === "complete" && [...document.querySelectorAll("[data-chart]")].every(e => e.getAttribute("data-drawn") === "1")`)
			if txt := mainText(t, b); !strings.Contains(txt, p.want) {
				t.Errorf("%s %s lacks %q", vp.name, p.path, p.want)
			}
			problems, err := chromedp.Run(b, chromedp.Evaluate[[]string](fmt.Sprintf("%s(%v)", layoutProblemsJS, vp.phone)))
			if err != nil {
				t.Fatalf("%s: %v", p.path, err)
			}
			for _, pr := range problems {
				t.Errorf("%s %s (%s): %s", vp.name, p.name, p.path, pr)
			}
			browsertest.Screenshot(t, b, "demo-"+vp.name+"-"+p.name)
		}
	}
}
