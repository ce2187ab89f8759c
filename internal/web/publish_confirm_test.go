package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// TestPublishAsksWithCoverage: publishing from the page first shows the
// coverage (n / N units, per unit) and publishes nothing; only the
// confirmation, carrying the count shown, publishes, and a count that no
// longer holds is refused (server-enforced, not a script's confirm()).
func TestPublishAsksWithCoverage(t *testing.T) {
	w := newDashWorld(t)
	ctx := context.Background()
	_, sess, err := w.svc.Login(ctx, "admin", "password-admin", "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	post := func(form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/campaigns/%d/publish", w.campaign), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.Token})
		req.Header.Set(csrfHeader, sess.CSRFToken)
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	revision := func() int {
		var r int
		if err := w.pool.QueryRow(ctx, `SELECT published_revision FROM campaigns WHERE id = $1`, w.campaign).Scan(&r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	before := revision()
	// All 7 schools are approved (B2 after the first publication).
	rec := post(url.Values{"note": {"đợt 2"}})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "7 / 7 đơn vị") || !strings.Contains(rec.Body.String(), `name="confirm" value="7"`) {
		t.Fatalf("no confirmation: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), "Hưng Hà") || !strings.Contains(rec.Body.String(), "2 / 2 đơn vị") {
		t.Errorf("no coverage per unit: %s", rec.Body)
	}
	if revision() != before {
		t.Fatal("published without a confirmation")
	}
	if rec := post(url.Values{"confirm": {"6"}}); rec.Code != http.StatusSeeOther || revision() != before {
		t.Fatalf("a stale confirmation published: %d, revision %d", rec.Code, revision())
	}
	if rec := post(url.Values{"confirm": {"7"}, "note": {"đợt 2"}}); rec.Code != http.StatusSeeOther || revision() != before+1 {
		t.Fatalf("confirmed: %d, revision %d", rec.Code, revision())
	}
}

// TestAPIPublishCoverageAndConfirm: an API client reads the coverage and
// may publish with the n it read; a stale n publishes nothing.
func TestAPIPublishCoverageAndConfirm(t *testing.T) {
	w := newDashWorld(t)
	ctx := context.Background()
	_, sess, err := w.svc.Login(ctx, "admin", "password-admin", "127.0.0.1", model.SessionAPI)
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+sess.Token)
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	revision := func() int {
		var r int
		if err := w.pool.QueryRow(ctx, `SELECT published_revision FROM campaigns WHERE id = $1`, w.campaign).Scan(&r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	before := revision()
	rec := do("GET", fmt.Sprintf("/api/v1/campaigns/%d/publish/coverage", w.campaign), "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"approved":7`) || !strings.Contains(rec.Body.String(), `"total":7`) {
		t.Fatalf("coverage: %d %s", rec.Code, rec.Body)
	}
	if rec := do("POST", fmt.Sprintf("/api/v1/campaigns/%d/publish", w.campaign), `{"approved":6}`); rec.Code != http.StatusConflict || revision() != before {
		t.Fatalf("a stale n published: %d %s, revision %d", rec.Code, rec.Body, revision())
	}
	if rec := do("POST", fmt.Sprintf("/api/v1/campaigns/%d/publish", w.campaign), `{"approved":7}`); rec.Code != http.StatusCreated || revision() != before+1 {
		t.Fatalf("confirmed: %d %s, revision %d", rec.Code, rec.Body, revision())
	}
}
