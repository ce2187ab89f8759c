package web

import (
	"context"
	cryptotls "crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// hostile is a name an attacker would give a unit or a user.
const hostile = `Trường <script>alert("x")</script> ' " & <img src=x onerror=alert(1)>`

// TestHostileNamesEscaped: a unit whose name is markup shows as text on
// every page that names it; the raw markup never reaches a page.
func TestHostileNamesEscaped(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	root := &model.Actor{Role: model.RoleAdmin}
	if _, err := w.svc.UpdateUnit(ctx, root, "A1", model.UnitInput{Name: hostile, SchoolLevels: []string{"lower_secondary"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.CreateUserBootstrap(ctx, model.UserInput{Username: "evil", DisplayName: hostile, Role: model.RoleSchool, UnitCode: "A1", Password: "password-evil"}); err != nil {
		t.Fatal(err)
	}
	pages := []struct{ who, path string }{
		{"admin", "/admin/units"},
		{"admin", "/admin/units/A1"},
		{"admin", "/admin/units/338"},
		{"admin", "/admin/users"},
		{"admin", fmt.Sprintf("/campaigns/%d", w.campaigns["338"])},
		{"ht.a1", fmt.Sprintf("/assessments/%d", w.assessments["A1"])},
		{"phong338", fmt.Sprintf("/assessments/%d", w.assessments["A1"])},
		{"ht.a1", "/"},
	}
	for _, p := range pages {
		rec := w.request(t, p.who, http.MethodGet, p.path, "")
		body := rec.Body.String()
		if rec.Code != 200 {
			t.Errorf("%s as %s: %d", p.path, p.who, rec.Code)
			continue
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s as %s: the hostile name reached the page unescaped", p.path, p.who)
		}
		if strings.Contains(p.path, "A1") || strings.Contains(p.path, "assessments") || p.path == "/admin/units" {
			if !strings.Contains(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
				t.Errorf("%s as %s: the name is not shown escaped", p.path, p.who)
			}
		}
	}
	// The API returns it as JSON data, with the JSON content type.
	rec := w.request(t, "admin", http.MethodGet, "/api/v1/units/A1", "")
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("API content type %q", ct)
	}
}

// TestSessionCookieAttributes: the session cookie is HttpOnly and
// SameSite=Lax always, and Secure when the request came over TLS.
func TestSessionCookieAttributes(t *testing.T) {
	w := newWorld(t)
	for _, tls := range []bool{false, true} {
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader("username=admin&password=password-admin&_csrf=tok"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: preCSRFCookie, Value: "tok"})
		if tls {
			// Over TLS itself: X-Forwarded-Proto counts only from a
			// trusted proxy (TestTrustedProxies, TestForgedForwardedProtoIgnored).
			req.TLS = &cryptotls.ConnectionState{}
		}
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		var sess *http.Cookie
		for _, c := range rec.Result().Cookies() {
			if c.Name == sessionCookie {
				sess = c
			}
		}
		if sess == nil {
			t.Fatalf("no session cookie (%d)", rec.Code)
		}
		if !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Secure != tls {
			t.Errorf("tls=%v: HttpOnly=%v SameSite=%v Secure=%v", tls, sess.HttpOnly, sess.SameSite, sess.Secure)
		}
	}
}

// TestEvidenceNotFetchableOutsideScope: one school's evidence file cannot
// be fetched by another school's user, by a leader, or anonymously.
func TestEvidenceNotFetchableOutsideScope(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a1, _ := w.svc.UnitByCode(ctx, "A1")
	user, _, err := w.svc.Login(ctx, "ht.a1", "password-ht.a1", "127.0.0.1", model.SessionAPI)
	if err != nil {
		t.Fatal(err)
	}
	_ = a1
	ev, err := w.svc.AddEvidenceFile(ctx, user, w.assessments["A1"], "1.1", "ke-hoach.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/assessments/%d/evidence/%d", w.assessments["A1"], ev.ID)
	if rec := w.request(t, "ht.a1", http.MethodGet, path, ""); rec.Code != 200 || rec.Header().Get("Content-Disposition") == "" {
		t.Fatalf("the school cannot fetch its own evidence: %d", rec.Code)
	}
	if rec := w.request(t, "phong338", http.MethodGet, path, ""); rec.Code != 200 {
		t.Fatalf("the district evaluator cannot fetch the evidence: %d", rec.Code)
	}
	// ht.a1's neighbour A2 has no user in the world; use the victim (B1)
	// and the leader.
	if _, err := w.svc.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.a2", Role: model.RoleSchool, UnitCode: "A2", Password: "password-ht.a2"}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"ht.a2", "victim", "leader338", ""} {
		rec := w.request(t, who, http.MethodGet, path, "")
		if rec.Code == 200 || strings.Contains(rec.Body.String(), "%PDF") {
			t.Errorf("%q fetched another school's evidence: %d", who, rec.Code)
		}
	}
}
