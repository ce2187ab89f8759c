package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestPagesCompressed: pages and static text go out gzip-compressed to a
// client that accepts it, and plain to one that does not.
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
}
