package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// TestBrowserOfficeAssessment (issue 13): the Sở's own staff fill their
// office's assessment in a browser — the roll-up indicators shown
// read-only with their provenance, never as inputs — attach the evidence
// and submit (the roll-ups show as frozen); the Ministry's reviewer
// approves it.
func TestBrowserOfficeAssessment(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	ctx := context.Background()
	pool := pgtest.New(t)
	svc := survey.NewService(pool)
	testfix.Units(t, svc,
		model.UnitInput{Code: "BGDDT", Name: "Bộ Giáo dục và Đào tạo", Kind: "ministry"},
		model.UnitInput{Code: "33", Name: "Tỉnh Hưng Yên", Kind: "province", ParentCode: "BGDDT"},
		model.UnitInput{Code: "A1", Name: "Trường THCS An Bài", Kind: "school", ParentCode: "33", SchoolLevels: []string{"lower_secondary"}})
	testfix.Users(t, svc,
		model.UserInput{Username: "cb.33", Role: model.RoleOffice, UnitCode: "33", Password: "office-password", DisplayName: "Cán bộ Sở GDĐT Hưng Yên"},
		model.UserInput{Username: "bo.gddt", Role: model.RoleMinistry, UnitCode: "BGDDT", Password: "ministry-password", DisplayName: "Chuyên viên Bộ GDĐT"})
	school, _ := testfix.OpenCampaign(t, svc, "moet-4725", "33")
	oc, err := svc.CreateCampaign(ctx, testfix.Root, model.CampaignInput{Name: "Sở GDĐT thử nghiệm", SetCode: "moet-agency", RootUnitCode: "BGDDT",
		OpensOn: school.OpensOn.Time, SelfDue: school.SelfDue.Time, SchoolCampaignID: school.ID})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := svc.CampaignAssessments(ctx, testfix.Root, oc.ID)
	if err != nil || len(rows) != 1 {
		t.Fatalf("office assessments %v: %v", rows, err)
	}
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	page := fmt.Sprintf("%s/assessments/%d", hs.URL, rows[0].ID)

	p := browsertest.New(t)
	signIn(t, p, hs.URL, "cb.33", "office-password")
	open(t, p, page)
	// The roll-ups: read-only, with the school campaign, revision and
	// schools counted; no input.
	txt := mainText(t, p)
	if !strings.Contains(txt, "Tính tự động từ kết quả đã công bố của các trường trực thuộc") ||
		!strings.Contains(txt, "Đợt Năm học thử nghiệm, lần công bố 0, 0 / 1 trường") {
		t.Fatalf("the roll-ups' provenance is not shown:\n%s", txt)
	}
	if n, _ := chromedp.Run(p, chromedp.Evaluate[int](`document.querySelectorAll('[data-rollup] input, [name^="v.KQ"]').length`)); n != 0 {
		t.Fatalf("%d inputs for roll-up indicators", n)
	}
	n, err := chromedp.Run(p, chromedp.Evaluate[int](fillEveryIndicatorJS))
	if err != nil || n < 5 {
		t.Fatalf("filled %d indicators: %v", n, err)
	}
	waitJS(t, p, fmt.Sprintf(`document.querySelectorAll("#assessment .save-state.saved").length === %d`, n))
	if err := chromedp.Do(p,
		chromedp.SetValue(chromedp.CSS(`#evidence-indicator`), "LD.1.1"),
		chromedp.SendKeys(chromedp.CSS(`#evidence-form input[name=url]`), "https://sohungyen.edu.vn/ke-hoach-chuyen-doi-so-2026.pdf"),
		// Checked today: LD.1.1 takes evidence at most 365 days old (fresh evidence).
		chromedp.SetValue(chromedp.CSS(`#evidence-form input[name=dated_on]`), time.Now().Format("2006-01-02")),
	); err != nil {
		t.Fatal(err)
	}
	click(t, p, `#evidence-form button[type=submit]`, `document.readyState === "complete" && !!document.querySelector(".flash")`)
	confirmSubmit(t, p)
	click(t, p, `#submit-assessment`, `document.readyState === "complete" && (!!document.querySelector(".flash") || !!document.querySelector(".error"))`)
	if txt := mainText(t, p); !strings.Contains(txt, "Đã nộp") || !strings.Contains(txt, "Đã chốt khi nộp") {
		t.Fatalf("after submitting:\n%s", txt)
	}
	browsertest.Screenshot(t, p, "office-1-submitted")

	// The Ministry approves.
	e := browsertest.New(t)
	signIn(t, e, hs.URL, "bo.gddt", "ministry-password")
	open(t, e, page)
	if ok, _ := chromedp.Run(e, chromedp.Evaluate[bool](`!!document.querySelector("#approve-assessment") && !document.querySelector("#ind-KQ\\.1\\.1 details.review-form")`)); !ok {
		t.Fatalf("the Ministry's page offers no approval, or a review of a roll-up:\n%s", mainText(t, e))
	}
	click(t, e, `#approve-assessment`, `document.readyState === "complete" && !!document.querySelector(".flash")`)
	if txt := mainText(t, e); !strings.Contains(txt, "Đã duyệt") {
		t.Fatalf("after approving:\n%s", txt)
	}
	x, err := svc.Assessment(ctx, testfix.Root, rows[0].ID)
	if err != nil || x.Status != "approved" {
		t.Fatalf("status %v: %v", x, err)
	}
}
