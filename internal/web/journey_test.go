package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
)

// journeyWorld: Thái Bình › Quỳnh Phụ › one lower-secondary school, its
// principal, the district evaluator, and a campaign on the example set
// whose self-assessment is due in the future.
func journeyWorld(t *testing.T) (*httptest.Server, *survey.Service, int64, int64) {
	t.Helper()
	pool := pgtest.New(t)
	svc := survey.NewService(pool)
	testfix.Units(t, svc, testfix.QuynhPhu...)
	testfix.Users(t, svc,
		model.UserInput{Username: "ht.anbai", Role: model.RoleSchool, UnitCode: "A1", Password: "school-password", DisplayName: "Nguyễn Thị Hoa"},
		model.UserInput{Username: "phong.qp", Role: model.RoleDistrict, UnitCode: "338", Password: "district-password", DisplayName: "Trần Văn Nam"})
	c, rows := testfix.OpenCampaign(t, svc, "example", "338")
	if len(rows) != 1 {
		t.Fatalf("assessments: %v", rows)
	}
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	journeyPools.Store(hs.URL, pool)
	return hs, svc, c.ID, rows[0].ID
}

// journeyPools remembers each journey server's database, for tests that
// reach into it.
var journeyPools sync.Map

func journeyPool(t *testing.T, hs *httptest.Server) *pgxpool.Pool {
	t.Helper()
	p, ok := journeyPools.Load(hs.URL)
	if !ok {
		t.Fatal("no pool for this server")
	}
	return p.(*pgxpool.Pool)
}

func signIn(t *testing.T, b context.Context, base, user, pass string) {
	t.Helper()
	err := chromedp.Do(b,
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS(`main input[name=username]`), user),
		chromedp.SendKeys(chromedp.CSS(`main input[name=password]`), pass),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", user, err)
	}
	waitJS(t, b, `location.pathname !== "/login" && document.readyState === "complete" && !!document.querySelector("header .who")`)
}

func open(t *testing.T, b context.Context, url string) {
	t.Helper()
	var err error
	for try := 0; try < 3; try++ {
		// Right after a form's redirect Chromium may still settle the
		// previous navigation and abort this one (net::ERR_ABORTED):
		// opening a page twice is harmless, so try again.
		if err = chromedp.Do(b, chromedp.Navigate(url)); err == nil || !strings.Contains(err.Error(), "ERR_ABORTED") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	waitJS(t, b, `document.readyState === "complete"`)
}

// click clicks sel and waits for the page the click navigates to.
// A marker set on the old page tells the new one apart: waiting for an
// element alone can match the page the click is leaving.
func click(t *testing.T, b context.Context, sel, until string) {
	t.Helper()
	if _, err := chromedp.Run(b, chromedp.Evaluate[bool](`window.__dxOld = true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b, chromedp.Click(chromedp.CSS(sel))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	waitJS(t, b, `!window.__dxOld && (`+until+`)`)
}

func mainText(t *testing.T, b context.Context) string {
	t.Helper()
	s, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBrowserJourney: the whole workflow in real browsers. The principal
// fills the form (autosaved answer by answer), attaches evidence and
// submits; the district evaluator returns it with a comment; the principal
// corrects and resubmits; the evaluator overrides one indicator with a
// reason, approves and publishes; an anonymous visitor sees the published
// level; the history lists every step.
func TestBrowserJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	hs, _, campaignID, aid := journeyWorld(t)
	page := fmt.Sprintf("%s/assessments/%d", hs.URL, aid)

	p := browsertest.New(t)
	signIn(t, p, hs.URL, "ht.anbai", "school-password")
	// On a phone (400 px) nothing of the form is wider than the screen.
	if err := chromedp.Do(p, chromedp.EmulateViewport(400, 800)); err != nil {
		t.Fatal(err)
	}
	open(t, p, page)
	if wide, _ := chromedp.Run(p, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`)); wide {
		w, _ := chromedp.Run(p, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		t.Errorf("the assessment page is %d px wide on a 400 px phone", w)
	}
	browsertest.Screenshot(t, p, "journey-0-principal-phone")
	if err := chromedp.Do(p, chromedp.EmulateReset()); err != nil {
		t.Fatal(err)
	}
	open(t, p, page)
	// Answer every indicator the way a principal clicks: yes, the best
	// option, the first function, 90 in numbers. Each change saves itself.
	n, err := chromedp.Run(p, chromedp.Evaluate[int](fillEveryIndicatorJS))
	if err != nil || n < 8 {
		t.Fatalf("filled %d indicators: %v", n, err)
	}
	waitJS(t, p, fmt.Sprintf(`document.querySelectorAll("#assessment .save-state.saved").length === %d`, n))
	answered, _ := chromedp.Run(p, chromedp.Text(chromedp.CSS(`[data-answered]`)))
	if answered != fmt.Sprint(n) {
		t.Fatalf("the live progress shows %s answered, want %d", answered, n)
	}
	browsertest.Screenshot(t, p, "journey-1-principal-filled")

	// Submitting without the required evidence lists what is missing.
	confirmSubmit(t, p)
	click(t, p, `#submit-assessment`, `document.readyState === "complete" && !!document.querySelector(".error")`)
	if txt := mainText(t, p); !strings.Contains(txt, "a.plan") || !strings.Contains(txt, "Cần minh chứng") {
		t.Fatalf("refused submission does not name the missing evidence:\n%s", txt)
	}
	pdf := filepath.Join(t.TempDir(), "ke-hoach-day-hoc-truc-tuyen.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	open(t, p, page)
	if err := chromedp.Do(p,
		chromedp.SetValue(chromedp.CSS(`#evidence-indicator`), "a.plan"),
		chromedp.SetUploadFiles(chromedp.CSS(`#evidence-form input[type=file]`), []string{pdf}),
	); err != nil {
		t.Fatal(err)
	}
	click(t, p, `#evidence-form button[type=submit]`, `document.readyState === "complete" && !!document.querySelector(".flash")`)
	if txt := mainText(t, p); !strings.Contains(txt, "ke-hoach-day-hoc-truc-tuyen.pdf") {
		t.Fatalf("uploaded evidence not listed:\n%s", txt)
	}
	confirmSubmit(t, p)
	click(t, p, `#submit-assessment`, `document.readyState === "complete" && !!document.querySelector(".flash")`)
	if txt := mainText(t, p); !strings.Contains(txt, "Đã nộp") {
		t.Fatalf("after submitting:\n%s", txt)
	}
	if ok, _ := chromedp.Run(p, chromedp.Evaluate[bool](`!document.getElementById("assessment")`)); !ok {
		t.Fatal("the form is still editable after submitting")
	}

	// The district evaluator returns it with a comment.
	e := browsertest.New(t)
	signIn(t, e, hs.URL, "phong.qp", "district-password")
	open(t, e, fmt.Sprintf("%s/campaigns/%d", hs.URL, campaignID))
	click(t, e, `table.queue a`, `document.readyState === "complete" && !!document.querySelector("#return-assessment")`)
	if err := chromedp.Do(e, chromedp.SendKeys(chromedp.CSS(`textarea[name=comment]`), "Bổ sung kế hoạch có chữ ký của hiệu trưởng.")); err != nil {
		t.Fatal(err)
	}
	click(t, e, `#return-assessment`, `document.readyState === "complete" && !!document.querySelector(".flash")`)

	// The principal sees the comment, corrects an answer and resubmits.
	open(t, p, page)
	if txt := mainText(t, p); !strings.Contains(txt, "Bổ sung kế hoạch có chữ ký") {
		t.Fatalf("the principal does not see the evaluator's comment:\n%s", txt)
	}
	if err := chromedp.Do(p, chromedp.Click(chromedp.CSS(`#ind-a\.devices input[value=some]`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, p, `document.querySelector("#ind-a\\.devices .save-state").classList.contains("saved")`)
	confirmSubmit(t, p)
	click(t, p, `#submit-assessment`, `document.readyState === "complete" && !!document.querySelector(".flash")`)

	// The evaluator overrides one indicator with a reason and approves.
	open(t, e, page)
	if err := chromedp.Do(e,
		chromedp.Click(chromedp.CSS(`#ind-a\.teachers details summary`)),
		chromedp.SetValue(chromedp.CSS(`#ind-a\.teachers details input[name="v.a.teachers"]`), "60"),
		chromedp.SendKeys(chromedp.CSS(`#ind-a\.teachers details input[name=reason]`), "Biên bản kiểm tra: 60% giáo viên"),
	); err != nil {
		t.Fatal(err)
	}
	click(t, e, `#ind-a\.teachers details button[type=submit]`, `document.readyState === "complete" && !!document.querySelector(".flash")`)
	if txt := mainText(t, e); !strings.Contains(txt, "Biên bản kiểm tra: 60% giáo viên") {
		t.Fatalf("the override and its reason are not shown:\n%s", txt)
	}
	browsertest.Screenshot(t, e, "journey-2-evaluator-review")
	click(t, e, `#approve-assessment`, `document.readyState === "complete" && !!document.querySelector(".flash")`)
	open(t, e, fmt.Sprintf("%s/campaigns/%d", hs.URL, campaignID))
	// Publishing first shows the coverage and asks (server-enforced); the
	// confirmation publishes.
	click(t, e, `#publish`, `document.readyState === "complete" && !!document.querySelector("#publish-confirm")`)
	if txt := mainText(t, e); !strings.Contains(txt, "đơn vị") || !strings.Contains(txt, "Độ phủ") {
		t.Fatalf("the confirmation does not show the coverage:\n%s", txt)
	}
	browsertest.Screenshot(t, e, "journey-3-publish-confirmation")
	click(t, e, `#publish-confirm`, `document.readyState === "complete" && !!document.querySelector(".flash")`)
	if flash, _ := chromedp.Run(e, chromedp.Text(chromedp.CSS(`.flash`))); !strings.Contains(flash, "lần 1") {
		t.Fatalf("publication message: %q", flash)
	}
	browsertest.Screenshot(t, e, "journey-3-published")

	// An anonymous visitor sees the published level.
	resp, err := http.Get(fmt.Sprintf("%s/api/v1/campaigns/%d/results/A1", hs.URL, campaignID))
	if err != nil {
		t.Fatal(err)
	}
	var res model.PublishedResult
	_ = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if resp.StatusCode != 200 || res.Level < 1 || res.Revision != 1 {
		t.Fatalf("public result: %d %+v", resp.StatusCode, res)
	}

	// The history lists every step.
	open(t, p, page)
	hist, _ := chromedp.Run(p, chromedp.Text(chromedp.CSS(`ol.history`)))
	for _, step := range []string{"nộp", "trả lại", "duyệt"} {
		if !strings.Contains(hist, step) {
			t.Errorf("history lacks %q:\n%s", step, hist)
		}
	}
	if strings.Count(hist, "nộp") < 2 {
		t.Errorf("history should show two submissions:\n%s", hist)
	}
	// After approval and publication the principal reads the validated
	// index (the published one) and the evaluator's reason on its page.
	txt := mainText(t, p)
	for _, want := range []string{"Kết quả đánh giá", formatNumber(langVI, res.Index, 2), "Biên bản kiểm tra: 60% giáo viên", "Trần Văn Nam", "lần 1"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the principal's page after publication lacks %q", want)
		}
	}
	browsertest.Screenshot(t, p, "journey-4-principal-history")
}

// fillEveryIndicatorJS answers every indicator of the assessment form that
// has an input (booleans yes, choices their last option, multis their
// first, numbers 90 % or 4) as a person would, and returns how many.
const fillEveryIndicatorJS = `(function(){
  var n = 0;
  document.querySelectorAll("#assessment .indicator").forEach(function(b){
    var code = b.dataset.indicator, type = b.dataset.type;
    var ins = b.querySelectorAll('[name="v.' + code + '"]');
    if (!ins.length) { return; }
    if (type === "boolean") { ins[0].click(); }
    else if (type === "choice") { ins[ins.length-1].click(); }
    else if (type === "multi") { ins[0].click(); }
    else { ins[0].value = type === "percent" ? "90" : "4"; ins[0].dispatchEvent(new Event("change", {bubbles: true})); }
    n++;
  });
  return n;
})()`
