package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// webSession signs user in as a browser would and returns the session
// cookie's value and the CSRF token.
func webSession(t *testing.T, svc *survey.Service, user, pass string) (string, string) {
	t.Helper()
	_, sess, err := svc.Login(context.Background(), user, pass, "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return sess.Token, sess.CSRFToken
}

// getPage reads a page with a session ("" = anonymous), in lang.
func getPage(t *testing.T, hs *httptest.Server, token, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, hs.URL+path, nil)
	if token != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// postForm posts a page form with the session and its CSRF token.
func postForm(t *testing.T, hs *httptest.Server, token, csrf, path string, form url.Values) (int, string) {
	t.Helper()
	form.Set("_csrf", csrf)
	req, _ := http.NewRequest(http.MethodPost, hs.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// fillExample answers every indicator of the example set through the API
// and attaches the required evidence: a school ready to submit.
func fillExample(t *testing.T, school *apiClient, a string) {
	t.Helper()
	answers := map[string]any{"a.plan": true, "a.lms": true, "a.devices": "all", "a.features": []string{"assign", "quiz"},
		"a.teachers": 80, "a.lab": 70, "b.modules": 5, "b.portal": true, "b.services": 3}
	for code, v := range answers {
		school.do("PUT", a+"/answers/"+code, map[string]any{"value": v, "version": 0}, 200)
	}
	school.upload(a+"/evidence/a.plan", "ke-hoach.pdf", []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"), 201)
	school.do("POST", a+"/evidence/a.lms", map[string]string{"url": "https://lms.example.edu.vn"}, 201)
}

// TestSchoolResultView: the principal reads the validated result, every
// value the evaluator changed with its reason, who and when, and the
// revision it was published in — on the page, in the printable report and
// in the API — from approval on, and nothing of it while under review.
func TestSchoolResultView(t *testing.T) {
	hs, svc, campaignID, aid := journeyWorld(t)
	school := login(t, hs.URL, "ht.anbai", "school-password")
	district := login(t, hs.URL, "phong.qp", "district-password")
	a := fmt.Sprintf("/api/v1/assessments/%d", aid)
	page := fmt.Sprintf("/assessments/%d", aid)
	fillExample(t, school, a)
	school.do("POST", a+"/submit", nil, 200)
	const reason = "Biên bản kiểm tra ngày 12/03: 62,5% giáo viên dạy trực tuyến"
	district.do("PUT", a+"/review/a.teachers", map[string]any{"value": 62.5, "reason": reason}, 200)
	stok, _ := webSession(t, svc, "ht.anbai", "school-password")

	// Under review: the school sees neither the evaluator's value nor its reason.
	x := school.do("GET", a, nil, 200)
	if x["validated"] != nil || len(x["changes"].([]any)) != 0 {
		t.Fatalf("the school reads the review before approval: validated %v changes %v", x["validated"], x["changes"])
	}
	if rv := x["answers"].(map[string]any)["a.teachers"].(map[string]any)["review"]; rv != nil {
		t.Fatalf("the school reads the evaluator's value before approval: %v", rv)
	}
	if _, body := getPage(t, hs, stok, page); strings.Contains(body, reason) || !strings.Contains(body, "Kết quả thẩm định sẽ hiện ở đây") {
		t.Fatal("the page shows the review before approval, or does not say when it will")
	}

	district.do("POST", a+"/approve", map[string]string{"comment": "Đạt"}, 200)
	x = school.do("GET", a, nil, 200)
	self, validated := x["self"].(map[string]any)["index"].(float64), x["validated"].(map[string]any)["index"].(float64)
	if validated >= self {
		t.Fatalf("validated %v should be below self %v after lowering a.teachers", validated, self)
	}
	changes := x["changes"].([]any)
	if len(changes) != 1 {
		t.Fatalf("changes: %v", changes)
	}
	ch := changes[0].(map[string]any)
	if ch["indicator"] != "a.teachers" || ch["reason"] != reason || ch["new_value"] != 62.5 || ch["by_name"] != "Trần Văn Nam" || ch["revision"] != float64(0) {
		t.Fatalf("change before publication: %v", ch)
	}
	_, body := getPage(t, hs, stok, page)
	for _, want := range []string{"Kết quả đánh giá", reason, "Trần Văn Nam", "80 %", "62,5 %", formatNumber(langVI, validated, 2), formatNumber(langVI, self, 2), "chưa công bố"} {
		if !strings.Contains(body, want) {
			t.Errorf("approved result page lacks %q", want)
		}
	}

	district.do("POST", fmt.Sprintf("/api/v1/campaigns/%d/publish", campaignID), map[string]string{"note": ""}, 201)
	x = school.do("GET", a, nil, 200)
	ch = x["changes"].([]any)[0].(map[string]any)
	pubs := x["publications"].([]any)
	if ch["revision"] != float64(1) || len(pubs) != 1 || pubs[0].(map[string]any)["index"] != validated {
		t.Fatalf("after publication: change %v publications %v", ch, pubs)
	}
	for _, p := range []string{page, page + "/report"} {
		code, body := getPage(t, hs, stok, p)
		if code != 200 {
			t.Fatalf("%s: %d", p, code)
		}
		for _, want := range []string{reason, "lần 1", formatNumber(langVI, validated, 2), "Công bố lần 1"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", p, want)
			}
		}
	}
	// The printed report says whether each mandatory condition is met.
	if _, body := getPage(t, hs, stok, page+"/report"); !strings.Contains(body, "Điều kiện bắt buộc: đạt") {
		t.Error("the report does not say the mandatory condition a.plan is met")
	}
}

// TestSubmitNeedsConfirmation: the page's submit is refused without the
// explicit confirmation, with the message beside the box, and accepted
// with it.
func TestSubmitNeedsConfirmation(t *testing.T) {
	hs, svc, _, aid := journeyWorld(t)
	school := login(t, hs.URL, "ht.anbai", "school-password")
	fillExample(t, school, fmt.Sprintf("/api/v1/assessments/%d", aid))
	tok, csrf := webSession(t, svc, "ht.anbai", "school-password")
	code, body := postForm(t, hs, tok, csrf, fmt.Sprintf("/assessments/%d/submit", aid), url.Values{})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Hãy đánh dấu ô xác nhận") || strings.Contains(body, "Chưa nộp được; còn thiếu") {
		t.Fatalf("submit without confirmation: %d", code)
	}
	if code, _ := postForm(t, hs, tok, csrf, fmt.Sprintf("/assessments/%d/submit", aid), url.Values{"confirm": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("confirmed submit: %d", code)
	}
}
