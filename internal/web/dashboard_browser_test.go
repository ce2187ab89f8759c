package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
)

// TestBrowserDashboard renders every dashboard page type in headless
// Chromium: no console errors (a CSP violation is one), every chart drawn
// on a canvas, and a screenshot of each under $DXINDEX_SCREENSHOTS (else a
// directory under the system's temp dir, logged).
func TestBrowserDashboard(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	w := newDashWorld(t)
	hs := httptest.NewServer(w.srv.Handler())
	defer hs.Close()
	dir := os.Getenv("DXINDEX_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "dxindex-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)

	b := browsertest.New(t)
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(b, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, "console "+string(ev.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError && !strings.HasSuffix(ev.Entry.URL, "/favicon.ico") {
				problems = append(problems, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	// chromedp enables the log (CSP violations) and runtime domains.
	id := w.campaign
	visit := func(ctx context.Context, name, path string, charts int) {
		t.Helper()
		mu.Lock()
		problems = nil
		mu.Unlock()
		if err := chromedp.Do(ctx, chromedp.Navigate(hs.URL+path)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		waitJS(t, ctx, `document.readyState === "complete" && [...document.querySelectorAll("[data-chart]")].every(e => e.getAttribute("data-drawn") === "1")`)
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("[data-chart]")].filter(e => {
			const c = e.querySelector("canvas"); return c && c.width > 0 && c.height > 0 }).length`))
		if err != nil || n != charts {
			t.Errorf("%s: %d charts drawn on a canvas, want %d (%v)", path, n, charts, err)
		}
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Errorf("%s: screenshot: %v", path, err)
		} else if err := os.WriteFile(filepath.Join(dir, "dashboard-"+name+".png"), buf, 0o644); err != nil {
			t.Error(err)
		}
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("%s: %s", path, p)
		}
	}
	visit(b, "index", "/dashboard", 0)
	visit(b, "province", fmt.Sprintf("/dashboard/%d", id), 4) // and the histogram of the province's own school
	visit(b, "district", fmt.Sprintf("/dashboard/%d/units/338", id), 1)
	visit(b, "school", fmt.Sprintf("/dashboard/%d/units/A1", id), 2)
	visit(b, "trend", "/trend/34", 2)
	visit(b, "methodology", fmt.Sprintf("/dashboard/%d/methodology", id), 0)
	visit(b, "report", fmt.Sprintf("/dashboard/%d/units/338/report", id), 0)
	// The XSS attempt is shown as text.
	title, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.body.textContent.includes("</script><script>alert(1)</script>")`))
	if err != nil || !title {
		t.Errorf("the school named with a script is not shown as text: %v", err)
	}

	// An evaluator's views.
	if err := chromedp.Do(b,
		chromedp.Navigate(hs.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS(`main input[name=username]`), "so34"),
		chromedp.SendKeys(chromedp.CSS(`main input[name=password]`), "password-so34"),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
	); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, `location.pathname !== "/login" && document.readyState === "complete"`)
	visit(b, "review", fmt.Sprintf("/review/%d/progress", id), 2)

	// On a phone the page does not scroll sideways (tables scroll in
	// their own box) and the charts fit.
	if err := chromedp.Do(b, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	visit(b, "district-phone", fmt.Sprintf("/dashboard/%d/units/338", id), 1)
	wide, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
	if err != nil || !wide {
		t.Errorf("the district page scrolls sideways on a phone: %v", err)
	}
}
