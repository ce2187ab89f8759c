package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
	"github.com/dxindex/dxindex/survey/model"
)

// layoutProblemsJS lists what makes a page unreadable: the page scrolls
// sideways, a word or number in a table cell is broken over two lines, a
// touch target is under 44 px (phone only). It returns strings.
const layoutProblemsJS = `(touch => {
  const out = [];
  const de = document.documentElement;
  if (de.scrollWidth > window.innerWidth) {
    const wide = [...document.querySelectorAll("body *")].filter(e => {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.right <= window.innerWidth + 0.5) return false;
      for (let p = e.parentElement; p; p = p.parentElement) {
        if (p.classList.contains("table-wrap")) return false;
      }
      return true;
    }).slice(0, 3).map(e => e.tagName + "." + e.className + " right=" + Math.round(e.getBoundingClientRect().right));
    out.push("page scrolls sideways: scrollWidth " + de.scrollWidth + " > " + window.innerWidth + " " + wide.join("; "));
  }
  for (const cell of document.querySelectorAll("td, th")) {
    if (!cell.getClientRects().length) continue;
    const w = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n; (n = w.nextNode());) {
      const re = /\S+/g;
      for (let m; (m = re.exec(n.data));) {
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (tops.size > 1) out.push("broken inside a word in a table cell: " + JSON.stringify(m[0]));
      }
    }
  }
  if (touch) {
    const small = [...document.querySelectorAll("main button, main select, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), .nav a, .nav button, .pager a")]
      .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden")
      .filter(e => e.getBoundingClientRect().height < 43.5)
      .slice(0, 5).map(e => e.tagName + " " + JSON.stringify((e.textContent || e.name || "").trim().slice(0, 30)) + " " + Math.round(e.getBoundingClientRect().height) + "px");
    if (small.length) out.push("touch targets under 44 px: " + small.join("; "));
  }
  return out;
})`

// TestBrowserEveryPageFits visits every page type as the role that uses
// it at 390 px (a phone) and 1366 px (an office screen) and fails when the
// page scrolls sideways, a table cell's word or number is broken inside
// itself, (on the phone) a touch target is under 44 px, or axe-core finds
// a WCAG 2.1 A or AA violation (contrast, names, keyboard access). Screenshots go
// to $DXINDEX_SCREENSHOTS (phone-*.png, desktop-*.png) when it is set.
func TestBrowserEveryPageFits(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	w := newDashWorld(t)
	hs := httptest.NewServer(w.srv.Handler())
	defer hs.Close()
	ctx := context.Background()
	id := w.campaign
	aidOf := func(campaign int64, code string) int64 {
		rows, err := w.svc.CampaignAssessments(ctx, &model.Actor{Role: model.RoleAdmin}, campaign)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.UnitCode == code {
				return r.ID
			}
		}
		t.Fatalf("no assessment of %s in campaign %d", code, campaign)
		return 0
	}
	approved, draft := aidOf(id, "A1"), aidOf(w.draft, "A1")
	pages := []struct{ who, name, path string }{
		{"", "home", "/"},
		{"", "login", "/login"},
		{"", "dash-index", "/dashboard"},
		{"", "dash-province", fmt.Sprintf("/dashboard/%d", id)},
		{"", "dash-unit", fmt.Sprintf("/dashboard/%d/units/338", id)},
		{"", "dash-school", fmt.Sprintf("/dashboard/%d/units/A1", id)},
		{"", "dash-trend", "/trend/34"},
		{"", "dash-method", fmt.Sprintf("/dashboard/%d/methodology", id)},
		{"", "dash-report", fmt.Sprintf("/dashboard/%d/units/338/report", id)},
		{"admin", "campaigns", "/campaigns"},
		{"admin", "campaign", fmt.Sprintf("/campaigns/%d", id)},
		{"admin", "admin-units", "/admin/units"},
		{"admin", "admin-unit", "/admin/units/338"},
		{"admin", "admin-users", "/admin/users"},
		{"admin", "import", "/admin/import"},
		{"so34", "review-progress", fmt.Sprintf("/review/%d/progress", id)},
		{"phong338", "campaign-district", fmt.Sprintf("/campaigns/%d", id)},
		{"sch.a1", "assessment-form", fmt.Sprintf("/assessments/%d", draft)},
		{"sch.a1", "assessment-result", fmt.Sprintf("/assessments/%d", approved)},
		{"sch.a1", "assessment-report", fmt.Sprintf("/assessments/%d/report", approved)},
		{"phong338", "assessment-review", fmt.Sprintf("/assessments/%d", approved)},
	}
	b := browsertest.New(t)
	signIn := func(who string) {
		t.Helper()
		if _, err := chromedp.Call(b, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		if who == "" {
			return
		}
		_, sess, err := w.svc.Login(ctx, who, "password-"+who, "127.0.0.1", model.SessionWeb)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(b, network.SetCookie, network.SetCookieParams{Name: sessionCookie, Value: sess.Token, URL: hs.URL}); err != nil {
			t.Fatal(err)
		}
	}
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
		who := "-"
		for _, p := range pages {
			if p.who != who {
				signIn(p.who)
				who = p.who
			}
			if err := chromedp.Do(b, chromedp.Navigate(hs.URL+p.path)); err != nil {
				t.Fatalf("%s: %v", p.path, err)
			}
			waitJS(t, b, `document.readyState === "complete" && [...document.querySelectorAll("[data-chart]")].every(e => e.getAttribute("data-drawn") === "1")`)
			if p.who != "" {
				if ok, _ := chromedp.Run(b, chromedp.Evaluate[bool](`!!document.querySelector("header .who")`)); !ok {
					t.Errorf("%s %s: not signed in as %s", vp.name, p.path, p.who)
				}
			}
			if st, _ := chromedp.Run(b, chromedp.Evaluate[bool](`!!document.querySelector("main.error, .error h1, body.error")`)); st {
				t.Errorf("%s %s: an error page", vp.name, p.path)
			}
			problems, err := chromedp.Run(b, chromedp.Evaluate[[]string](fmt.Sprintf("%s(%v)", layoutProblemsJS, vp.phone)))
			if err != nil {
				t.Fatalf("%s: %v", p.path, err)
			}
			for _, pr := range problems {
				t.Errorf("%s %s (%s): %s", vp.name, p.name, p.path, pr)
			}
			for _, v := range browsertest.Accessibility(t, b) {
				t.Errorf("%s %s (%s): accessibility: %s", vp.name, p.name, p.path, v)
			}
			browsertest.Screenshot(t, b, vp.name+"-"+p.name)
		}
	}
}

var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestBrowserPaperPrints prints the school's phiếu tự đánh giá and the
// office's báo cáo kết quả đánh giá to A4 PDF as Chromium does, checks the
// page count is sensible and that, laid out for print at A4 width (794
// px), nothing reaches past the right edge. The PDFs go to
// $DXINDEX_SCREENSHOTS when it is set.
func TestBrowserPaperPrints(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	w := newDashWorld(t)
	hs := httptest.NewServer(w.srv.Handler())
	defer hs.Close()
	ctx := context.Background()
	rows, err := w.svc.CampaignAssessments(ctx, &model.Actor{Role: model.RoleAdmin}, w.campaign)
	if err != nil {
		t.Fatal(err)
	}
	var aid int64
	for _, r := range rows {
		if r.UnitCode == "A1" {
			aid = r.ID
		}
	}
	b := browsertest.New(t)
	_, sess, err := w.svc.Login(ctx, "sch.a1", "password-sch.a1", "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b, network.SetCookie, network.SetCookieParams{Name: sessionCookie, Value: sess.Token, URL: hs.URL}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		name, path       string
		minPages, maxPgs int
		want             []string
	}{
		{"phieu-tu-danh-gia", fmt.Sprintf("/assessments/%d/report", aid), 1, 6,
			[]string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "PHIẾU TỰ ĐÁNH GIÁ", "Trường THCS An Bài", "HIỆU TRƯỞNG", "https://example.edu.vn/A1"}},
		{"bao-cao-ket-qua", fmt.Sprintf("/dashboard/%d/units/338/report", w.campaign), 1, 6,
			[]string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ", "Quỳnh Phụ", "Trường THCS An Bài", "THỦ TRƯỞNG ĐƠN VỊ"}},
	} {
		if err := chromedp.Do(b, chromedp.EmulateViewport(794, 1123), chromedp.Navigate(hs.URL+d.path)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, b, `document.readyState === "complete"`)
		text, err := chromedp.Run(b, chromedp.Evaluate[string](`document.body.innerText`))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range d.want {
			if !strings.Contains(text, s) {
				t.Errorf("%s lacks %q", d.name, s)
			}
		}
		if _, err := chromedp.Call(b, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		cut, err := chromedp.Run(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("body *")].filter(e => {
			const r = e.getBoundingClientRect(); return r.width > 0 && r.right > window.innerWidth + 0.5 }).slice(0, 5)
			.map(e => e.tagName + "." + e.className + " " + JSON.stringify(e.textContent.trim().slice(0, 40)) + " right=" + Math.round(e.getBoundingClientRect().right))`))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cut {
			t.Errorf("%s at A4 width: cut at the right edge: %s", d.name, c)
		}
		browsertest.Screenshot(t, b, d.name+"-print")
		yes := true
		res, err := chromedp.Call(b, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PreferCSSPageSize: &yes})
		if err != nil {
			t.Fatal(err)
		}
		pdf := res.Data
		if _, err := chromedp.Call(b, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
			t.Fatal(err)
		}
		n := len(pdfPage.FindAll(pdf, -1))
		if !bytes.HasPrefix(pdf, []byte("%PDF")) || n < d.minPages || n > d.maxPgs {
			t.Errorf("%s: %d pages in a %d-byte PDF, want %d to %d", d.name, n, len(pdf), d.minPages, d.maxPgs)
		}
		t.Logf("%s: %d A4 pages", d.name, n)
		if dir := os.Getenv("DXINDEX_SCREENSHOTS"); dir != "" {
			_ = os.MkdirAll(dir, 0o755)
			_ = os.WriteFile(filepath.Join(dir, d.name+".pdf"), pdf, 0o644)
		}
	}
}
