package web

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
)

// reportHeadsJS describes the printed report's tables as laid out: per
// header cell its text and the lines it takes, whether each table fits
// its scroll box (the summary: the list's width follows the schools'
// names, and it scrolls in its box), and whether the short labels, the full names and the
// legend show.
const reportHeadsJS = `(() => {
  const lines = el => {
    const r = document.createRange(); r.selectNodeContents(el);
    const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
    return tops.size;
  };
  const shown = sel => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length).length;
  const out = {heads: [], overflow: [], short: shown(".paper-table .short"), full: shown(".paper-table .full"), legend: shown("#short-legend")};
  for (const th of document.querySelectorAll(".paper-table th")) {
    out.heads.push({text: th.innerText.trim(), lines: lines(th)});
  }
  for (const t of document.querySelectorAll(".summary-table")) {
    const box = t.parentElement;
    if (t.getBoundingClientRect().width > box.clientWidth + 0.5) out.overflow.push(t.className + " " + Math.round(t.getBoundingClientRect().width) + " > " + box.clientWidth);
  }
  return out;
})()`

type reportHeads struct {
	Heads []struct {
		Text  string `json:"text"`
		Lines int    `json:"lines"`
	} `json:"heads"`
	Overflow            []string `json:"overflow"`
	Short, Full, Legend int
}

// TestBrowserReportOnPhone: the office's printed report (báo cáo kết quả
// đánh giá) on a phone (390 px): no header of its tables wraps, the
// summary fits the screen without scrolling, the levels go by short labels
// ("M3") with their legend under the summary; printed (A4), the same page
// gives the levels' full names and no legend.
func TestBrowserReportOnPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	w := newDashWorld(t)
	hs := httptest.NewServer(w.srv.Handler())
	defer hs.Close()
	b := browsertest.New(t)
	path := fmt.Sprintf("/dashboard/%d/units/338/report", w.campaign)
	read := func() reportHeads {
		t.Helper()
		r, err := chromedp.Run(b, chromedp.Evaluate[reportHeads](reportHeadsJS))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if err := chromedp.Do(b, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(hs.URL+path)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, `document.readyState === "complete"`)
	phone := read()
	if len(phone.Heads) < 10 {
		t.Fatalf("the report's tables have %d header cells", len(phone.Heads))
	}
	for _, h := range phone.Heads {
		if h.Lines > 1 {
			t.Errorf("on a phone the header %q takes %d lines", h.Text, h.Lines)
		}
	}
	for _, o := range phone.Overflow {
		t.Errorf("on a phone the summary is wider than the screen: %s", o)
	}
	if phone.Short == 0 || phone.Full != 0 || phone.Legend != 1 {
		t.Errorf("on a phone: %d short labels, %d full names, legend %d; want short labels and the legend only", phone.Short, phone.Full, phone.Legend)
	}
	browsertest.Screenshot(t, b, "phone-report")
	// On a desk screen the full names, each heading on one line.
	if err := chromedp.Do(b, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatal(err)
	}
	desk := read()
	for _, h := range desk.Heads {
		if h.Lines > 1 {
			t.Errorf("on a desk screen the header %q takes %d lines", h.Text, h.Lines)
		}
	}
	if desk.Short != 0 || desk.Full == 0 || desk.Legend != 0 {
		t.Errorf("on a desk screen: %d short labels, %d full names, legend %d; want the full names only", desk.Short, desk.Full, desk.Legend)
	}
	if err := chromedp.Do(b, chromedp.EmulateViewport(794, 1123)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	paper := read()
	if paper.Short != 0 || paper.Full == 0 || paper.Legend != 0 {
		t.Errorf("printed: %d short labels, %d full names, legend %d; want the full names only", paper.Short, paper.Full, paper.Legend)
	}
	names := map[string]bool{}
	for _, h := range paper.Heads {
		names[h.Text] = true
	}
	for _, want := range []string{"Tốt", "Chưa đạt mức nào", "Chỉ số trung bình"} {
		if !names[want] {
			t.Errorf("printed, the summary has no column %q: %v", want, paper.Heads)
		}
	}
}
