package web

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// englishWords are words of English sentences that are not Vietnamese
// words too ("to", "an", "a" are: "to lớn", "An Bài"), so that one of them
// in the Vietnamese interface means an English message leaked.
var englishWords = map[string]bool{}

func init() {
	// Not listed: words that are also names shown on purpose, such as
	// "Office" (documents) or the import workbook's sheet names
	// ("indicators", "levels").
	for _, w := range strings.Fields(`the is are was were be been of and or not no yes found error errors invalid
		indicator percent must got please request from with for your you this that these those save saved
		submit submitted answer answers value values level score required missing unknown option
		number conflict changed someone contact should cannot can't could would has have had will
		sign signed page method allowed forbidden unauthorized bad server internal try again later here there
		which what when who why how only also into than then out over under more most less least`) {
		englishWords[w] = true
	}
}

var (
	reDrop    = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)>`)
	reEnglish = regexp.MustCompile(`(?is)<(\w+)[^>]*\blang="en"[^>]*>.*?</(\w+)>`) // the language switch names English in English
	reAttr    = regexp.MustCompile(`(?i)\b(?:placeholder|title|aria-label|alt)="([^"]*)"`)
	reTag     = regexp.MustCompile(`(?s)<[^>]*>`)
	reWord    = regexp.MustCompile(`[\p{L}'’]+`)
)

// visibleText is what a person reads on a page: text and the attributes
// shown as text, without scripts, styles and the head.
func visibleText(page string) string {
	page = reDrop.ReplaceAllString(page, " ")
	page = reEnglish.ReplaceAllString(page, " ")
	var attrs []string
	for _, m := range reAttr.FindAllStringSubmatch(page, -1) {
		attrs = append(attrs, m[1])
	}
	return html.UnescapeString(reTag.ReplaceAllString(page, " ") + " " + strings.Join(attrs, " "))
}

// englishIn returns the English words of text. Codes (a.plan, 1.6.2,
// moet-4725, file names) are not words: tokens holding a digit, a dot, an
// underscore or a hyphen are skipped, and so are a few proper names.
func englishIn(text string) []string {
	var out []string
	for _, tok := range strings.Fields(text) {
		if strings.ContainsAny(tok, "0123456789._-/@:=") {
			continue
		}
		for _, w := range reWord.FindAllString(tok, -1) {
			if englishWords[strings.ToLower(w)] {
				out = append(out, w)
			}
		}
	}
	return out
}

func TestEnglishDetector(t *testing.T) {
	for _, s := range []string{"indicator 1.6.2: a percent is from 0 to 100, got 150", "404 · Not Found", "Please sign in to continue."} {
		if len(englishIn(s)) == 0 {
			t.Errorf("%q passes as Vietnamese", s)
		}
	}
	for _, s := range []string{"Trường THCS An Bài · a.plan Có kế hoạch dạy học trực tuyến", "Tỷ lệ phần trăm phải từ 0 đến 100 (đã nhập 150).", "PDF, ảnh, văn bản Office; tối đa 10 MB mỗi tệp"} {
		if w := englishIn(s); len(w) > 0 {
			t.Errorf("%q flagged: %v", s, w)
		}
	}
}

// TestNoEnglishInVietnamese walks every page a person can open, as each
// role and anonymously, and the error paths of the forms and the API, in
// Vietnamese, and fails on an English word in what is shown.
func TestNoEnglishInVietnamese(t *testing.T) {
	w := newWorld(t)
	check := func(who, what, body string) {
		t.Helper()
		if words := englishIn(visibleText(body)); len(words) > 0 {
			t.Errorf("%s as %q: English in the Vietnamese interface: %v", what, who, words)
		}
	}
	pages := 0
	for _, r := range w.srv.Routes() {
		if r.Method != http.MethodGet || strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/static/") ||
			r.Path == "/healthz" || r.Path == "/readyz" || strings.Contains(r.Path, "export") || strings.HasSuffix(r.Path, "/template") ||
			strings.Contains(r.Path, ".csv") || strings.Contains(r.Path, ".xlsx") {
			continue
		}
		for _, name := range []string{"", "admin", "so34", "phong338", "ht.a1", "leader338"} {
			path := fill(r.Path, w.params(name, true))
			rec := w.request(t, name, http.MethodGet, path, "")
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				continue
			}
			pages++
			check(name, fmt.Sprintf("GET %s (%d)", path, rec.Code), rec.Body.String())
		}
	}
	if pages < 20 {
		t.Fatalf("only %d pages walked", pages)
	}

	// Error pages: an unknown page, a wrong method, a record out of scope.
	for _, path := range []string{"/khong-co-trang-nay", "/assessments/999999", fmt.Sprintf("/assessments/%d", w.assessments["B1"])} {
		rec := w.request(t, "ht.a1", http.MethodGet, path, "")
		check("ht.a1", "GET "+path, rec.Body.String())
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "Không tìm thấy") {
			t.Errorf("GET %s: %d, want the Vietnamese 404 page", path, rec.Code)
		}
	}

	// The form's error paths, as the principal.
	aid := w.assessments["A1"]
	tok, csrf := w.session(t, "ht.a1", model.SessionWeb)
	post := func(path string, form url.Values) *httptest.ResponseRecorder {
		form.Set("_csrf", csrf)
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	set, err := w.svc.Set(t.Context(), "moet-4725", "2022.1")
	if err != nil {
		t.Fatal(err)
	}
	var percent string
	for _, g := range set.Groups {
		for _, cr := range g.Criteria {
			for _, ind := range cr.Indicators {
				if ind.Type == "percent" && percent == "" && ind.AppliesToLevel("lower_secondary") {
					percent = ind.Code
				}
			}
		}
	}
	a := fmt.Sprintf("/assessments/%d", aid)
	cases := []struct {
		what string
		path string
		form url.Values
		want string
	}{
		{"a percent above 100", a + "/answers", url.Values{"ver." + percent: {"0"}, "v." + percent: {"150"}}, "Tỷ lệ phần trăm phải từ 0 đến 100 (đã nhập 150)"},
		{"not a number", a + "/answers", url.Values{"ver." + percent: {"0"}, "v." + percent: {"nhiều"}}, "Hãy nhập một số"},
		{"a stale version", a + "/answers", url.Values{"ver." + percent: {"7"}, "v." + percent: {"50"}}, ""},
		{"a bad link", a + "/evidence", url.Values{"indicator": {percent}, "url": {"ftp://x"}}, ""},
		{"no file", a + "/evidence", url.Values{"indicator": {percent}}, ""},
		{"submit unconfirmed", a + "/submit", url.Values{}, "Hãy đánh dấu ô xác nhận"},
		{"submit incomplete", a + "/submit", url.Values{"confirm": {"yes"}}, "Chưa nộp được; còn thiếu"},
		{"an empty comment", a + "/comment", url.Values{"body": {""}}, ""},
	}
	for _, c := range cases {
		rec := post(c.path, c.form)
		body := rec.Body.String()
		check("ht.a1", c.what, body)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", c.what, rec.Code)
		}
		if c.want != "" && !strings.Contains(body, c.want) {
			t.Errorf("%s: the page lacks %q", c.what, c.want)
		}
		if c.path != a+"/submit" && strings.Contains(body, "Chưa nộp được; còn thiếu") {
			t.Errorf("%s: shown under \"not submitted\", which it has nothing to do with", c.what)
		}
	}

	// The API in Vietnamese: the messages the form's script shows.
	for _, c := range []struct{ path, body string }{
		{fmt.Sprintf("/api/v1/assessments/%d/answers/%s", aid, percent), `{"value": 150, "version": 0}`},
		{fmt.Sprintf("/api/v1/assessments/%d/answers/%s", aid, percent), `{"value": -2.5, "version": 0}`},
		{fmt.Sprintf("/api/v1/assessments/%d/answers/%s", aid, percent), `{"value": "nhiều", "version": 0}`},
		{fmt.Sprintf("/api/v1/assessments/%d/answers/%s", aid, percent), `{"value": [1], "version": 0}`},
	} {
		rec := w.request(t, "ht.a1", http.MethodPut, c.path, c.body)
		var e apiError
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		text := e.Error.Message
		for _, v := range e.Error.Fields {
			text += " " + v
		}
		if rec.Code != http.StatusUnprocessableEntity || text == "" {
			t.Errorf("PUT %s %s: %d %s", c.path, c.body, rec.Code, rec.Body)
		}
		if words := englishIn(text); len(words) > 0 {
			t.Errorf("PUT %s %s: English in %q: %v", c.path, c.body, text, words)
		}
	}
}
