package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// TestBadTextRefused (issue 18, item 11): a NUL byte, or bytes that are
// not UTF-8, in a query parameter, the path, a form field or a JSON
// string is a 400 that names the field, in Vietnamese (English when
// asked), never PostgreSQL's 22021 as a 500, and nothing is stored.
func TestBadTextRefused(t *testing.T) {
	w := newWorld(t)
	aid := w.assessments["A1"]
	camp := w.campaigns["338"]
	gets := []struct{ who, path string }{
		{"admin", "/api/v1/units?q=%00"},
		{"admin", "/api/v1/units?parent=A%001"},
		{"admin", "/api/v1/units?kind=school%00"},
		{"admin", "/api/v1/units?q=%ff%fe"},
		{"phong338", fmt.Sprintf("/campaigns/%d?status=%%00", camp)},
		{"phong338", fmt.Sprintf("/campaigns/%d?district=33%%008", camp)},
		{"phong338", fmt.Sprintf("/campaigns/%d?level=%%00", camp)},
		{"", "/login?next=/%00"},
		{"", fmt.Sprintf("/dashboard/%d?school_level=%%00", camp)},
		{"", fmt.Sprintf("/dashboard/%d?unit=%%00", camp)},
		{"", fmt.Sprintf("/dashboard/%d/units/338/export.csv?table=%%00", camp)},
		{"", fmt.Sprintf("/api/v1/campaigns/%d/rankings?validated=%%00", camp)},
		{"", "/static/app.css?v=%00"},
		{"admin", "/admin/units/A%001"},
		{"admin", "/api/v1/units/A%ff"},
	}
	for _, g := range gets {
		rec := w.request(t, g.who, http.MethodGet, g.path, "")
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "ký tự không được phép") {
			t.Errorf("GET %s as %q: %d, want 400 with a message: %.300s", g.path, g.who, rec.Code, rec.Body)
		}
	}

	// The sign-in username, by the form and by the API.
	form := url.Values{"username": {"ad\x00min"}, "password": {"password-admin"}, "_csrf": {"tok"}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: preCSRFCookie, Value: "tok"})
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "username") {
		t.Errorf("sign-in form with NUL in the username: %d %.300s", rec.Code, rec.Body)
	}
	for _, body := range []string{`{"username":"ad\u0000min","password":"password-admin"}`, "{\"username\":\"ad\xffmin\",\"password\":\"x\"}"} {
		rec = w.request(t, "", http.MethodPost, "/api/v1/auth/login", body)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "không được phép") {
			t.Errorf("API sign-in %q: %d %s", body, rec.Code, rec.Body)
		}
	}

	// A comment, by the page's form and by the API; in English when asked.
	form = url.Values{"body": {"Thiếu\x00minh chứng"}, "indicator": {"1.1"}}
	req = httptest.NewRequest(http.MethodPost, fmt.Sprintf("/assessments/%d/comment", aid), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	tok, csrf := w.session(t, "phong338", model.SessionWeb)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
	req.Header.Set(csrfHeader, csrf)
	rec = httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("comment form with NUL: %d %.300s", rec.Code, rec.Body)
	}
	path := fmt.Sprintf("/api/v1/assessments/%d/comments", aid)
	apiTok, _ := w.session(t, "phong338", model.SessionAPI)
	for _, body := range []string{`{"indicator":"1.1","body":"Thiếu\u0000minh chứng"}`, `{"indicator":"1.1","body":"ok","x":["\u0000"]}`} {
		req = httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+apiTok)
		req.Header.Set("Accept-Language", "en")
		rec = httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "not allowed") {
			t.Errorf("API comment %s: %d %s", body, rec.Code, rec.Body)
		}
	}
	var n int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM comments`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d comments stored from refused requests (%v)", n, err)
	}
	// Text that is merely unusual still goes through.
	rec = w.request(t, "phong338", http.MethodPost, path, `{"indicator":"1.1","body":"Thiếu minh chứng \u00a0 \"trích\" \\ tab\t"}`)
	if rec.Code != http.StatusCreated {
		t.Errorf("an ordinary comment: %d %s", rec.Code, rec.Body)
	}
}

// TestJSONTrailingDataRefused (issue 18, item 12): a JSON body is exactly
// one value; data after it is a 400, and nothing is done.
func TestJSONTrailingDataRefused(t *testing.T) {
	w := newWorld(t)
	path := fmt.Sprintf("/api/v1/assessments/%d/comments", w.assessments["A1"])
	for _, body := range []string{
		`{"indicator":"1.1","body":"một"}{"body":"hai"}`,
		`{"indicator":"1.1","body":"một"} trailing`,
		`{"indicator":"1.1","body":"một"}]`,
		`{"indicator":"1.1","body":"một"} 1`,
	} {
		rec := w.request(t, "phong338", http.MethodPost, path, body)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400: %s", body, rec.Code, rec.Body)
		}
	}
	var n int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM comments`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d comments stored from refused bodies (%v)", n, err)
	}
	// White space after the value is no data.
	if rec := w.request(t, "phong338", http.MethodPost, path, "{\"indicator\":\"1.1\",\"body\":\"một\"}\n\t \n"); rec.Code != http.StatusCreated {
		t.Errorf("a body ending in white space: %d %s", rec.Code, rec.Body)
	}
	if rec := w.request(t, "", http.MethodPost, "/api/v1/auth/login", `{"username":"admin","password":"password-admin"}{}`); rec.Code != http.StatusBadRequest {
		t.Errorf("sign-in with trailing data: %d", rec.Code)
	}
}

// bidiControls are the characters that reorder how text is shown: a name
// holding them can display as something else ("fdp\u202egnp.exe" shows
// as "fdpexe.png").
var bidiControls = []rune{'\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u061c'}

func hasBidi(s string) bool {
	for _, r := range bidiControls {
		if strings.ContainsRune(s, r) {
			return true
		}
	}
	return false
}

// TestEvidenceNameBidi (issue 18, item 13): an evidence file's name loses
// its bidirectional and other invisible controls when stored, and one
// stored before that is shown without them: in the API, on the page and
// in the download's Content-Disposition.
func TestEvidenceNameBidi(t *testing.T) {
	w := newWorld(t)
	aid := w.assessments["A1"]
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "fdp\u202egnp.exe")
	fw.Write(png)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/api/v1/assessments/%d/evidence/1.1", aid), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	tok, _ := w.session(t, "ht.a1", model.SessionAPI)
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	var ev model.Evidence
	if err := json.Unmarshal(rec.Body.Bytes(), &ev); err != nil {
		t.Fatal(err)
	}
	if hasBidi(ev.Filename) || ev.Filename != "fdpgnp.exe.png" {
		t.Errorf("stored name %q, want %q", ev.Filename, "fdpgnp.exe.png")
	}
	var stored string
	if err := w.pool.QueryRow(context.Background(), `SELECT filename FROM evidence WHERE id = $1`, ev.ID).Scan(&stored); err != nil || hasBidi(stored) {
		t.Errorf("the database holds %q (%v)", stored, err)
	}

	// A name stored before the fix, by a restore or an older version.
	var old int64
	if err := w.pool.QueryRow(context.Background(), `INSERT INTO evidence (assessment_id, indicator, kind, filename, content_type, size, sha256, data)
		VALUES ($1, '1.1', 'file', $2, 'image/png', $3, 'x', $4) RETURNING id`, aid, "b\u2067c\u200fá\u202do\u2069 cáo\u202e.exe.png", len(png), png).Scan(&old); err != nil {
		t.Fatal(err)
	}
	rec = w.request(t, "ht.a1", http.MethodGet, fmt.Sprintf("/api/v1/assessments/%d", aid), "")
	if rec.Code != 200 || hasBidi(rec.Body.String()) || strings.Contains(rec.Body.String(), `\u202e`) || !strings.Contains(rec.Body.String(), "bcáo cáo.exe.png") {
		t.Errorf("the assessment's JSON shows a name with controls: %d", rec.Code)
	}
	rec = w.request(t, "ht.a1", http.MethodGet, fmt.Sprintf("/assessments/%d", aid), "")
	if rec.Code != 200 || hasBidi(rec.Body.String()) || !strings.Contains(rec.Body.String(), "bcáo cáo.exe.png") {
		t.Errorf("the assessment's page shows a name with controls: %d", rec.Code)
	}
	rec = w.request(t, "ht.a1", http.MethodGet, fmt.Sprintf("/api/v1/assessments/%d/evidence/%d", aid, old), "")
	if cd := rec.Header().Get("Content-Disposition"); rec.Code != 200 || hasBidi(cd) || strings.Contains(strings.ToLower(cd), "%e2%80%ae") || strings.Contains(strings.ToLower(cd), "%e2%81%a7") {
		t.Errorf("the download is named %q (%d)", cd, rec.Code)
	}
}
