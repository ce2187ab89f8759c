package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestPagesCompressed: pages and static text go out gzip-compressed to a
// client that accepts it, and plain to one that does not; an error page
// (written after the handler returned its error) is compressed whole and
// keeps its status; a response too small to gain goes out plain.
func TestPagesCompressed(t *testing.T) {
	s := newTestServer(t, nil)
	for _, path := range []string{"/login", "/static/app.css"} {
		rec := do(s, http.MethodGet, path, "Accept-Encoding", "gzip")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: %d, Content-Encoding %q, want gzip", path, rec.Code, rec.Header().Get("Content-Encoding"))
		}
		if rec := do(s, http.MethodGet, path); rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s: compressed for a client that did not ask", path)
		}
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	s.Handler().ServeHTTP(rec, req)
	if rec.Header().Get("Content-Encoding") != "" {
		t.Error("/healthz compressed")
	}

	rec = do(s, http.MethodGet, "/khong-co-trang-nay", "Accept-Encoding", "gzip", "Accept", "text/html")
	if rec.Code != http.StatusNotFound {
		t.Fatalf("unknown page: %d", rec.Code)
	}
	body := rec.Body.String()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		body = string(b)
	} else if len(body) >= 1400 {
		t.Errorf("a %d-byte error page went out plain", len(body))
	}
	if !strings.Contains(body, "</html>") {
		t.Errorf("unknown page: not a whole page: %.200q", body)
	}

	rec = do(s, http.MethodGet, "/api/v1/me", "Accept-Encoding", "gzip")
	if rec.Code != http.StatusUnauthorized || rec.Header().Get("Content-Encoding") != "" || !strings.Contains(rec.Body.String(), "{") {
		t.Errorf("small JSON error: %d, Content-Encoding %q, %q", rec.Code, rec.Header().Get("Content-Encoding"), rec.Body)
	}
}
