package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// TestFileSizesRead: sizes in bytes, KB and MB with the reader's decimal
// mark, not "193 B".
func TestFileSizesRead(t *testing.T) {
	vi := funcs(langVI)["filesize"].(func(int64) string)
	en := funcs(langEN)["filesize"].(func(int64) string)
	for _, c := range []struct {
		n      int64
		vi, en string
	}{{193, "193 byte", "193 byte"}, {12800, "12,5 KB", "12.5 KB"}, {5 << 20, "5 MB", "5 MB"}, {1572864, "1,5 MB", "1.5 MB"}} {
		if got := vi(c.n); got != c.vi {
			t.Errorf("vi %d: %q, want %q", c.n, got, c.vi)
		}
		if got := en(c.n); got != c.en {
			t.Errorf("en %d: %q, want %q", c.n, got, c.en)
		}
	}
}

// TestNewCampaignDefaultsToTheOfficialSet: the form offers Decision 4725's
// set first, not the example set that sorts first.
func TestNewCampaignDefaultsToTheOfficialSet(t *testing.T) {
	w := newDashWorld(t)
	_, sess, err := w.svc.Login(context.Background(), "admin", "password-admin", "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/campaigns", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.Token})
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("campaigns page: %d", rec.Code)
	}
	if !regexp.MustCompile(`value="moet-4725@[^"]+" selected`).MatchString(rec.Body.String()) {
		t.Error("the new-campaign form does not default to moet-4725")
	}
}
