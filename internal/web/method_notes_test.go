package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// TestMethodologyNotesForAdminsOnly: the set's provenance notes are on
// the methodology page for administrators, kept out of shared caches,
// and absent for everyone else.
func TestMethodologyNotesForAdminsOnly(t *testing.T) {
	w := newDashWorld(t)
	ctx := context.Background()
	get := func(user string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/dashboard/%d/methodology", w.campaign), nil)
		if user != "" {
			_, sess, err := w.svc.Login(ctx, user, "password-"+user, "127.0.0.1", model.SessionWeb)
			if err != nil {
				t.Fatal(err)
			}
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.Token})
		}
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	rec := get("admin")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="set-notes"`) {
		t.Fatalf("admin: %d, no notes section", rec.Code)
	}
	if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("admin's page may be shared by a cache: %q", cc)
	}
	for _, user := range []string{"", "phong338", "so34", "ht.a1"} {
		if rec := get(user); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `id="set-notes"`) {
			t.Errorf("%q: %d, sees the administrators' notes", user, rec.Code)
		}
	}
}
