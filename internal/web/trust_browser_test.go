package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
	"github.com/dxindex/dxindex/survey/model"
)

// TestBrowserSchoolReplies: in a real browser at 390 px (a phone), the
// principal sees the evaluator's changes with their reasons and the due
// date, contests one with a comment and an evidence link through the
// page's form, and the page fits the screen before and after.
func TestBrowserSchoolReplies(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	srv, ids, _, do := govWorld(t)
	ctx := context.Background()
	svc := surveyOf(srv)
	if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.s1", Role: model.RoleSchool, UnitCode: "S1", Password: "password-ht.s1"}); err != nil {
		t.Fatal(err)
	}
	id := ids["S1"]
	bools := booleanIndicators(t, svc, id)
	a := fmt.Sprintf("/api/v1/assessments/%d", id)
	for _, ind := range bools {
		if rec := do("xa.90001", http.MethodPut, a+"/review/"+ind, `{"value":false,"reason":"Chưa có minh chứng vận hành"}`); rec.Code != http.StatusOK {
			t.Fatalf("review %s: %d %s", ind, rec.Code, rec.Body)
		}
	}
	if rec := do("xa.90001", http.MethodPost, a+"/send-for-reply", ""); rec.Code != http.StatusOK {
		t.Fatalf("send: %d %s", rec.Code, rec.Body)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	b := browsertest.New(t)
	if err := chromedp.Do(b, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(b,
		chromedp.Navigate(hs.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS(`main input[name=username]`), "ht.s1"),
		chromedp.SendKeys(chromedp.CSS(`main input[name=password]`), "password-ht.s1"),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	waitJS(t, b, `location.pathname !== "/login" && document.readyState === "complete" && !!document.querySelector("header .who")`)
	if err := chromedp.Do(b, chromedp.Navigate(hs.URL+fmt.Sprintf("/assessments/%d", id))); err != nil {
		t.Fatal(err)
	}
	i1 := bools[0]
	waitJS(t, b, fmt.Sprintf(`document.readyState === "complete" && !!document.querySelector("#replies") && !!document.getElementById("reply-%s") && /\d\d\/\d\d\/\d{4} \d\d:\d\d/.test(document.querySelector("#reply-due").textContent)`, i1))
	fits := `document.documentElement.scrollWidth <= window.innerWidth`
	waitJS(t, b, fits)
	browsertest.Screenshot(t, b, "school-replies")
	form := fmt.Sprintf(`[id="reply-%s"] `, i1)
	err = chromedp.Do(b,
		chromedp.ScrollIntoView(chromedp.CSS(form+`input[value=contest]`)),
		chromedp.Click(chromedp.CSS(form+`input[value=contest]`)),
		chromedp.SendKeys(chromedp.CSS(form+`textarea[name=comment]`), "Trường đã vận hành hệ thống, xem biên bản"),
		chromedp.SendKeys(chromedp.CSS(form+`input[name=evidence_url]`), "https://example.edu.vn/bien-ban"),
		chromedp.Click(chromedp.CSS(form+`button[type=submit]`)),
	)
	if err != nil {
		t.Fatalf("reply: %v", err)
	}
	waitJS(t, b, fmt.Sprintf(`document.readyState === "complete" && document.body.textContent.includes("Đã ghi phản hồi của nhà trường.") && !!document.querySelector('[id="change-%s"] details:not([open])') && %s`, i1, fits))
	browsertest.Screenshot(t, b, "school-replied")
	// The reviewer's page at 390 px: the box saying why it cannot approve
	// (a contest waits for a ruling), the changes, the trail; it fits.
	err = chromedp.Do(b,
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
	)
	if err != nil {
		t.Fatalf("sign out: %v", err)
	}
	waitJS(t, b, `document.readyState === "complete" && !document.querySelector("header .who")`)
	err = chromedp.Do(b,
		chromedp.Navigate(hs.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS(`main input[name=username]`), "xa.90001"),
		chromedp.SendKeys(chromedp.CSS(`main input[name=password]`), "password-xa.90001"),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	waitJS(t, b, `location.pathname !== "/login" && document.readyState === "complete" && !!document.querySelector("header .who")`)
	if err := chromedp.Do(b, chromedp.Navigate(hs.URL+fmt.Sprintf("/assessments/%d", id))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, `document.readyState === "complete" && !!document.querySelector("#cannot-approve") && document.querySelectorAll("#trail li.trail-change").length === 2 && !!document.querySelector("#trail li.trail-reply") && `+fits)
	browsertest.Screenshot(t, b, "reviewer-trust")
	rec := do("xa.90001", http.MethodGet, a+"/replies", "")
	var st model.ReplyState
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	for _, it := range st.Items {
		if it.Indicator == i1 && (it.Verdict != model.VerdictContest || it.EvidenceURL != "https://example.edu.vn/bien-ban") {
			t.Fatalf("the reply recorded: %+v", it)
		}
	}
}
