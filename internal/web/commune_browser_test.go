package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
)

// TestBrowserCommuneReviewer: in a real browser, the reviewer of commune
// 90001 (UBND xã, since July 2025) signs in, reviews a school of its
// commune (returns it to the school with a comment, through the page's
// form) and is refused the school of commune 90002, page and form alike.
func TestBrowserCommuneReviewer(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	srv, ids, _, do := govWorld(t)
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	b := browsertest.New(t)
	err := chromedp.Do(b,
		chromedp.Navigate(hs.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS(`main input[name=username]`), "xa.90001"),
		chromedp.SendKeys(chromedp.CSS(`main input[name=password]`), "password-xa.90001"),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	waitJS(t, b, `location.pathname !== "/login" && document.readyState === "complete" && !!document.querySelector("header .who")`)

	// Its own commune's school (S1, lower secondary): the review forms.
	own := fmt.Sprintf("/assessments/%d", ids["S1"])
	if err := chromedp.Do(b, chromedp.Navigate(hs.URL+own)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, `document.readyState === "complete" && !!document.querySelector("#return-assessment") && !!document.querySelector("#approve-assessment")`)
	browsertest.Screenshot(t, b, "commune-review")
	err = chromedp.Do(b,
		chromedp.SendKeys(chromedp.CSS(`form[action$="/return"] textarea[name=comment]`), "Đề nghị bổ sung minh chứng kế hoạch chuyển đổi số."),
		chromedp.Click(chromedp.CSS(`#return-assessment`)),
	)
	if err != nil {
		t.Fatalf("return: %v", err)
	}
	waitJS(t, b, `document.readyState === "complete" && !document.querySelector("#return-assessment")`)
	if rec := do("so.33", http.MethodGet, fmt.Sprintf("/api/v1/assessments/%d", ids["S1"]), ""); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"returned"`) {
		t.Fatalf("S1 after the commune's review: %d %s", rec.Code, rec.Body)
	}

	csrf, err := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector('form[action="/logout"] input[name=_csrf]').value`))
	if err != nil || csrf == "" {
		t.Fatalf("the session's CSRF token: %q %v", csrf, err)
	}

	// Another commune's school (S2, commune 90002): refused.
	other := fmt.Sprintf("/assessments/%d", ids["S2"])
	if err := chromedp.Do(b, chromedp.Navigate(hs.URL+other)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, `document.readyState === "complete" && [403, 404].includes(performance.getEntriesByType("navigation")[0].responseStatus) && !document.querySelector("#return-assessment") && !document.querySelector("#approve-assessment")`)
	browsertest.Screenshot(t, b, "commune-refused")
	// Its form, posted from the reviewer's own session, is refused too.
	posted, err := chromedp.Run(b, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
		const x = new XMLHttpRequest();
		x.open("POST", %q, false);
		x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
		x.send("comment=x&_csrf=" + encodeURIComponent(%q));
		return x.status === 403 || x.status === 404;
	})()`, other+"/return", csrf)))
	if err != nil || !posted {
		t.Fatalf("posting a review of another commune's school: refused=%v %v", posted, err)
	}
	// The same post with the same token on its own school is not refused
	// (S1 is returned already: a conflict, not a refusal), so the refusal
	// above is the scope, not the token.
	control, err := chromedp.Run(b, chromedp.Evaluate[float64](fmt.Sprintf(`(() => {
		const x = new XMLHttpRequest();
		x.open("POST", %q, false);
		x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
		x.send("comment=x&_csrf=" + encodeURIComponent(%q));
		return x.status;
	})()`, own+"/approve", csrf)))
	if err != nil || control == 403 || control == 404 || control >= 500 {
		t.Fatalf("the control post on its own school: %v %v", control, err)
	}
	if rec := do("so.33", http.MethodGet, fmt.Sprintf("/api/v1/assessments/%d", ids["S2"]), ""); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"submitted"`) {
		t.Fatalf("S2 after the refusals: %d %s", rec.Code, rec.Body)
	}
}
