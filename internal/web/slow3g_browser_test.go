package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
	"github.com/dxindex/dxindex/survey/model"
)

// Slow 3G as the issue states it: 400 kbit/s down and up, 400 ms round
// trip, through Chromium's own network emulation.
const (
	slowLatencyMs  = 400
	slowThroughput = 400 * 1000 / 8 // bytes per second
)

// The budget of the pages a principal needs on a slow link.
const (
	formBudgetBytes = 150 * 1024
	formBudgetMs    = 5000
)

// TestBrowserSlow3G loads pages cold (cache off) under slow-3G emulation
// and measures the bytes over the wire (compressed, every request of the
// page) and the time to the load event. The sign-in page and the
// assessment form are held to the budget (150 KB, 5 s); with
// DXINDEX_SLOW3G=1 every page type is measured and printed (the figures
// in docs/performance.md).
func TestBrowserSlow3G(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	w := newDashWorld(t)
	hs := httptest.NewServer(w.srv.Handler())
	defer hs.Close()
	ctx := context.Background()
	rows, err := w.svc.CampaignAssessments(ctx, &model.Actor{Role: model.RoleAdmin}, w.draft)
	if err != nil {
		t.Fatal(err)
	}
	var draft int64
	for _, r := range rows {
		if r.UnitCode == "A1" {
			draft = r.ID
		}
	}
	id := w.campaign
	pages := []struct {
		who, name, path string
		budget          bool
	}{
		{"", "login", "/login", true},
		{"sch.a1", "assessment-form", fmt.Sprintf("/assessments/%d", draft), true},
	}
	if os.Getenv("DXINDEX_SLOW3G") != "" {
		pages = append(pages, []struct {
			who, name, path string
			budget          bool
		}{
			{"", "home", "/", false},
			{"", "dash-index", "/dashboard", false},
			{"", "dash-province", fmt.Sprintf("/dashboard/%d", id), false},
			{"", "dash-unit", fmt.Sprintf("/dashboard/%d/units/338", id), false},
			{"", "dash-school", fmt.Sprintf("/dashboard/%d/units/A1", id), false},
			{"", "dash-trend", "/trend/34", false},
			{"", "dash-method", fmt.Sprintf("/dashboard/%d/methodology", id), false},
			{"", "dash-report", fmt.Sprintf("/dashboard/%d/units/338/report", id), false},
			{"sch.a1", "home-principal", "/", false},
			{"phong338", "campaign", fmt.Sprintf("/campaigns/%d", id), false},
		}...)
	}
	b := browsertest.New(t)
	var mu sync.Mutex
	var bytes float64
	if err := chromedp.Listen(b, func(ev any) {
		if e, ok := ev.(*network.EventLoadingFinished); ok {
			mu.Lock()
			bytes += e.EncodedDataLength
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	// Network.emulateNetworkConditions (deprecated in the protocol for
	// the by-rule form, which this Chromium refuses without a URL
	// pattern) throttles every request of the tab.
	if _, err := chromedp.Call(b, emulateNetworkConditions, emulateNetworkParams{
		Latency: slowLatencyMs, DownloadThroughput: slowThroughput, UploadThroughput: slowThroughput,
	}); err != nil {
		t.Fatal(err)
	}
	who := "-"
	for _, p := range pages {
		if p.who != who {
			if _, err := chromedp.Call(b, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
				t.Fatal(err)
			}
			if p.who != "" {
				_, sess, err := w.svc.Login(ctx, p.who, "password-"+p.who, "127.0.0.1", model.SessionWeb)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := chromedp.Call(b, network.SetCookie, network.SetCookieParams{Name: sessionCookie, Value: sess.Token, URL: hs.URL}); err != nil {
					t.Fatal(err)
				}
			}
			who = p.who
		}
		mu.Lock()
		bytes = 0
		mu.Unlock()
		if err := chromedp.Do(b, chromedp.Navigate(hs.URL+p.path)); err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		waitJS(t, b, `document.readyState === "complete"`)
		ms, err := chromedp.Run(b, chromedp.Evaluate[float64](`(() => { const n = performance.getEntriesByType("navigation")[0]; return n.loadEventEnd - n.startTime; })()`))
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		kb := bytes / 1024
		mu.Unlock()
		t.Logf("slow 3G: %-18s %7.1f KB over the wire, load %5.0f ms", p.name, kb, ms)
		if p.budget && (kb*1024 > formBudgetBytes || ms > formBudgetMs) {
			t.Errorf("%s over its slow-3G budget: %.1f KB (max %d), %.0f ms (max %d)", p.name, kb, formBudgetBytes/1024, ms, formBudgetMs)
		}
	}
}

type emulateNetworkParams struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}

var emulateNetworkConditions = cdp.Command[emulateNetworkParams, cdp.Empty]{Method: "Network.emulateNetworkConditions"}
