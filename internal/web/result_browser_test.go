package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
)

// confirmSubmit ticks the confirmation a submission needs.
func confirmSubmit(t *testing.T, b context.Context) {
	t.Helper()
	if _, err := chromedp.Run(b, chromedp.Evaluate[bool](`(function(){var c=document.getElementById("confirm-submit"); if(c){c.checked=true}; return true})()`)); err != nil {
		t.Fatal(err)
	}
}

// shotOf saves a PNG of one element under $DXINDEX_SCREENSHOTS (for a
// person to read; nothing compares pixels).
func shotOf(t *testing.T, b context.Context, sel, name string) {
	t.Helper()
	dir := os.Getenv("DXINDEX_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(b, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	_ = os.MkdirAll(dir, 0o755)
	_ = os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
}

func panelText(t *testing.T, b context.Context) string {
	t.Helper()
	s, err := chromedp.Run(b, chromedp.Evaluate[string](`document.getElementById("score-panel").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// setAnswer answers one indicator as a person does (click or type, then
// leave the field) and waits until the save is acknowledged.
func setAnswer(t *testing.T, b context.Context, code, js string) {
	t.Helper()
	expr := fmt.Sprintf(`(function(){var b=document.getElementById("ind-%s"); var ins=b.querySelectorAll('[name="v.%s"]'); %s; return true})()`, code, code, js)
	if _, err := chromedp.Run(b, chromedp.Evaluate[bool](expr)); err != nil {
		t.Fatal(err)
	}
}

func waitSaved(t *testing.T, b context.Context, code string) {
	t.Helper()
	waitJS(t, b, fmt.Sprintf(`document.querySelector("#ind-%s .save-state").classList.contains("saved")`, strings.ReplaceAll(code, ".", `\\.`)))
}

// TestBrowserLivePanelAndResult: on a fresh draft the panel shows the
// index and level from the first answer; after every answer it reads
// exactly what a reload shows (same engine, same rounding, same names);
// the level never sits beside a failed mandatory condition it needs; the
// gap names what is missing; numbers reload with a decimal comma; a
// refused value is said in Vietnamese. After approval and publication the
// principal reads the validated result and the evaluator's reason.
func TestBrowserLivePanelAndResult(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	hs, _, campaignID, aid := journeyWorld(t)
	page := fmt.Sprintf("%s/assessments/%d", hs.URL, aid)
	p := browsertest.New(t)
	signIn(t, p, hs.URL, "ht.anbai", "school-password")
	open(t, p, page)
	if txt := panelText(t, p); !strings.Contains(txt, "Điểm và mức hiện ngay khi có câu trả lời đầu tiên") {
		t.Fatalf("fresh draft panel:\n%s", txt)
	}

	// The first answer: index, level and the group's counter at once.
	setAnswer(t, p, "a.lms", `ins[0].click()`)
	waitSaved(t, p, "a.lms")
	waitJS(t, p, `!!document.querySelector("#score-panel [data-index]") && document.querySelector("#score-panel [data-index]").textContent !== "–"`)
	live := panelText(t, p)
	for _, want := range []string{"(1/", "Chưa đạt", "Điều kiện bắt buộc chưa đạt", "Có kế hoạch dạy học trực tuyến"} {
		if !strings.Contains(live, want) {
			t.Errorf("after the first answer the panel lacks %q:\n%s", want, live)
		}
	}
	open(t, p, page)
	if reloaded := panelText(t, p); reloaded != live {
		t.Errorf("the live panel differs from the reloaded one:\nlive:\n%s\nreloaded:\n%s", live, reloaded)
	}

	// A few modest answers: a gap to the next level, named.
	setAnswer(t, p, "a.plan", `ins[0].click()`)
	waitSaved(t, p, "a.plan")
	setAnswer(t, p, "a.devices", `ins[1].click()`)
	waitSaved(t, p, "a.devices")
	setAnswer(t, p, "a.teachers", `ins[0].value="45,5"; ins[0].dispatchEvent(new Event("change",{bubbles:true}))`)
	waitSaved(t, p, "a.teachers")
	live = panelText(t, p)
	if strings.Contains(live, "Điều kiện bắt buộc chưa đạt") {
		t.Errorf("the mandatory condition was answered Có but the panel still lists it:\n%s", live)
	}
	if !strings.Contains(live, "Để đạt") || !strings.Contains(live, "cần:") || !strings.Contains(live, "điểm)") {
		t.Errorf("the gap does not name what is needed:\n%s", live)
	}
	shotOf(t, p, "#score-panel", "live-panel-gap-desktop")
	browsertest.Screenshot(t, p, "live-panel-desktop")
	open(t, p, page)
	if reloaded := panelText(t, p); reloaded != live {
		t.Errorf("the live panel differs from the reloaded one:\nlive:\n%s\nreloaded:\n%s", live, reloaded)
	}
	if v, _ := chromedp.Run(p, chromedp.Evaluate[string](`document.querySelector('[name="v.a.teachers"]').value`)); v != "45,5" {
		t.Errorf("the percent reloads as %q, want 45,5", v)
	}

	// A refused value is said in Vietnamese, beside its indicator.
	setAnswer(t, p, "a.teachers", `ins[0].value="150"; ins[0].dispatchEvent(new Event("change",{bubbles:true}))`)
	waitJS(t, p, `document.querySelector("#ind-a\\.teachers .save-state").classList.contains("error")`)
	if msg, _ := chromedp.Run(p, chromedp.Text(chromedp.CSS(`#ind-a\.teachers .save-state`))); !strings.Contains(msg, "Tỷ lệ phần trăm phải từ 0 đến 100 (đã nhập 150)") {
		t.Errorf("refused percent message: %q", msg)
	}

	// On a phone.
	if err := chromedp.Do(p, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	open(t, p, page)
	shotOf(t, p, "#score-panel", "live-panel-gap-390")
	if err := chromedp.Do(p, chromedp.EmulateViewport(1200, 900)); err != nil {
		t.Fatal(err)
	}

	// Everything answered: the level agrees with the mandatory conditions.
	school := login(t, hs.URL, "ht.anbai", "school-password")
	district := login(t, hs.URL, "phong.qp", "district-password")
	api := fmt.Sprintf("/api/v1/assessments/%d", aid)
	open(t, p, page)
	fill := `(function(){
	  document.querySelectorAll("#assessment .indicator").forEach(function(b){
	    var code = b.dataset.indicator, type = b.dataset.type;
	    var ins = b.querySelectorAll('[name="v.' + code + '"]');
	    var el = ins[0];
	    if (type === "boolean") { el.checked = true; }
	    else if (type === "choice") { el = ins[ins.length-1]; el.checked = true; }
	    else if (type === "multi") { el.checked = true; }
	    else { el.value = type === "percent" ? "80" : "4"; }
	    // A change event even where the value stood already: every
	    // indicator saves once, so each shows "saved".
	    el.dispatchEvent(new Event("change", {bubbles: true}));
	  });
	  return true;
	})()`
	if _, err := chromedp.Run(p, chromedp.Evaluate[bool](fill)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, p, `document.querySelectorAll("#assessment .save-state.saved").length === document.querySelectorAll("#assessment .indicator").length`)
	live = panelText(t, p)
	open(t, p, page)
	if reloaded := panelText(t, p); reloaded != live {
		t.Errorf("filled: the live panel differs from the reloaded one:\nlive:\n%s\nreloaded:\n%s", live, reloaded)
	}
	if strings.Contains(live, "Điều kiện bắt buộc chưa đạt") {
		t.Errorf("every mandatory condition is Có, yet:\n%s", live)
	}

	school.upload(api+"/evidence/a.plan", "ke-hoach.pdf", []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"), 201)
	school.do("POST", api+"/evidence/a.lms", map[string]string{"url": "https://lms.example.edu.vn"}, 201)
	open(t, p, page)
	confirmSubmit(t, p)
	click(t, p, `#submit-assessment`, `document.readyState === "complete" && !!document.querySelector(".flash")`)
	const reason = "Biên bản kiểm tra: 62,5% giáo viên dạy trực tuyến"
	district.do("PUT", api+"/review/a.teachers", map[string]any{"value": 62.5, "reason": reason}, 200)
	district.do("POST", api+"/approve", map[string]string{"comment": "Đạt"}, 200)
	district.do("POST", fmt.Sprintf("/api/v1/campaigns/%d/publish", campaignID), map[string]string{"note": ""}, 201)
	x := school.do("GET", api, nil, 200)
	validated := x["validated"].(map[string]any)["index"].(float64)

	open(t, p, page)
	txt := mainText(t, p)
	for _, want := range []string{"Kết quả đánh giá", formatNumber(langVI, validated, 2), reason, "80 %", "62,5 %", "Trần Văn Nam", "lần 1"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the principal's result view lacks %q", want)
		}
	}
	shotOf(t, p, "#result", "result-view-desktop")
	browsertest.Screenshot(t, p, "result-page-desktop")
	if err := chromedp.Do(p, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	open(t, p, page)
	if wide, _ := chromedp.Run(p, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`)); wide {
		t.Error("the result page is wider than a 390 px phone")
	}
	shotOf(t, p, "#result", "result-view-390")
	open(t, p, page+"/report")
	browsertest.Screenshot(t, p, "result-report-390")
	if err := chromedp.Do(p, chromedp.EmulateViewport(1200, 900)); err != nil {
		t.Fatal(err)
	}
	open(t, p, page+"/report")
	browsertest.Screenshot(t, p, "result-report-desktop")
}
