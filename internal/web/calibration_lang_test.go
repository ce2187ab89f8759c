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

// TestCalibrationInReadersLanguage: the calibration by indicator, on the
// progress page and in its export, names each indicator in the reader's
// language (it was always Vietnamese).
func TestCalibrationInReadersLanguage(t *testing.T) {
	w := newDashWorld(t)
	_, sess, err := w.svc.Login(context.Background(), "so34", "password-so34", "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, lang string) string {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.Token})
		req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("%s (%s): %d", path, lang, rec.Code)
		}
		return rec.Body.String()
	}
	const vi, en = "Tỷ lệ giáo viên dùng học liệu số", "Share of teachers using digital materials"
	p := fmt.Sprintf("/review/%d/progress", w.campaign)
	for _, c := range []struct{ path, lang, want, not string }{
		{p, langVI, vi, en},
		{p, langEN, en, vi},
		{p + "/export.csv?table=indicators", langVI, vi, en},
		{p + "/export.csv?table=indicators", langEN, en, vi},
	} {
		body := get(c.path, c.lang)
		if !strings.Contains(body, c.want) || strings.Contains(body, c.not) {
			t.Errorf("%s in %s: want %q, not %q", c.path, c.lang, c.want, c.not)
		}
	}
}

// TestSetNamesInReadersLanguage: the set's name on the new-campaign form
// and on the methodology page is in the reader's language (it was always
// Vietnamese).
func TestSetNamesInReadersLanguage(t *testing.T) {
	w := newDashWorld(t)
	_, sess, err := w.svc.Login(context.Background(), "admin", "password-admin", "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/campaigns", fmt.Sprintf("/dashboard/%d/methodology", w.campaign)} {
		for _, c := range []struct{ lang, want, not string }{{langVI, "Bộ chỉ số mẫu", "Example set"}, {langEN, "Example set", "Bộ chỉ số mẫu"}} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.Token})
			req.AddCookie(&http.Cookie{Name: langCookie, Value: c.lang})
			rec := httptest.NewRecorder()
			w.srv.Handler().ServeHTTP(rec, req)
			if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, c.want) || strings.Contains(body, c.not) {
				t.Errorf("%s in %s: %d, want %q, not %q", path, c.lang, rec.Code, c.want, c.not)
			}
		}
	}
}
