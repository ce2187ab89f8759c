package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/labstack/echo/v4"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func newTestServer(t *testing.T, logs io.Writer) *Server {
	t.Helper()
	if logs == nil {
		logs = io.Discard
	}
	s, err := New(Config{Logger: slog.New(slog.NewJSONHandler(logs, nil)), Services: servicesOn(pgtest.New(t)), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func do(s *Server, method, path string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

func TestHealthAndReady(t *testing.T) {
	s := newTestServer(t, nil)
	if rec := do(s, http.MethodGet, "/healthz"); rec.Code != 200 {
		t.Fatalf("/healthz = %d", rec.Code)
	}
	rec := do(s, http.MethodGet, "/readyz")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"ready"`) {
		t.Fatalf("/readyz on a migrated database = %d %s", rec.Code, rec.Body)
	}
}

func TestNotReadyWithPendingMigrations(t *testing.T) {
	pool, err := postgres.NewPool(context.Background(), pgtest.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	s, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)})
	if err != nil {
		t.Fatal(err)
	}
	rec := do(s, http.MethodGet, "/readyz")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "migrations pending") {
		t.Fatalf("/readyz on an unmigrated database = %d %s", rec.Code, rec.Body)
	}
	pool.Close()
	if rec := do(s, http.MethodGet, "/readyz"); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with the database closed = %d", rec.Code)
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := newTestServer(t, nil)
	for _, path := range []string{"/", "/no-such-page"} {
		rec := do(s, http.MethodGet, path)
		h := rec.Header()
		for _, name := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Request-Id"} {
			if h.Get(name) == "" {
				t.Errorf("%s: no %s header", path, name)
			}
		}
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: CSP without frame-ancestors: %q", path, h.Get("Content-Security-Policy"))
		}
	}
}

func TestHomePageVietnamese(t *testing.T) {
	s := newTestServer(t, nil)
	rec := do(s, http.MethodGet, "/")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "chuyển đổi số") {
		t.Fatalf("/ = %d, body without Vietnamese title", rec.Code)
	}
	if rec := do(s, http.MethodHead, "/"); rec.Code != 200 {
		t.Fatalf("HEAD / = %d", rec.Code)
	}
	css := do(s, http.MethodGet, "/static/app.css?v="+staticHashes()["app.css"])
	if css.Code != 200 || !strings.Contains(css.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("versioned static file: %d %q", css.Code, css.Header().Get("Cache-Control"))
	}
	if rec := do(s, http.MethodGet, "/static/../server.go"); rec.Code != 404 {
		t.Fatalf("path traversal in /static: %d", rec.Code)
	}
}

// TestPanicBecomes500: a panicking handler gives the client a 500 with the
// request id and no internals, and the log the panic with the same id.
func TestPanicBecomes500(t *testing.T) {
	var logs bytes.Buffer
	s := newTestServer(t, &logs)
	s.Echo().GET("/api/v1/test-panic", func(c echo.Context) error { panic("secret internal detail") })
	s.Echo().GET("/test-panic", func(c echo.Context) error { panic("secret internal detail") })

	rec := do(s, http.MethodGet, "/api/v1/test-panic")
	if rec.Code != 500 {
		t.Fatalf("panic: status %d", rec.Code)
	}
	var body apiError
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("panic: body is not JSON: %s", rec.Body)
	}
	rid := rec.Header().Get("X-Request-Id")
	if body.Error.RequestID == "" || body.Error.RequestID != rid {
		t.Fatalf("panic: request id %q in body, %q in header", body.Error.RequestID, rid)
	}
	if strings.Contains(rec.Body.String(), "secret") {
		t.Fatal("panic value leaked to the client")
	}
	if !strings.Contains(logs.String(), "secret internal detail") || !strings.Contains(logs.String(), rid) {
		t.Fatalf("panic not logged with its request id:\n%s", logs.String())
	}
	page := do(s, http.MethodGet, "/test-panic", "Accept", "text/html")
	if page.Code != 500 || !strings.Contains(page.Body.String(), page.Header().Get("X-Request-Id")) || !strings.Contains(page.Body.String(), "<html") {
		t.Fatalf("panic page: %d %s", page.Code, page.Body)
	}
}

// TestErrorTable: each kind of domain error reaches the client with its
// status, in JSON on the API and as a page elsewhere.
func TestErrorTable(t *testing.T) {
	s := newTestServer(t, nil)
	cases := []struct {
		err    error
		status int
		code   string
	}{
		{fmt.Errorf("survey: assessment 7: %w", errkind.NotFound), 404, "not_found"},
		{fmt.Errorf("survey: approve: %w", errkind.Conflict), 409, "conflict"},
		{errkind.FieldErrors{"name": {VI: "bắt buộc", EN: "required"}}, 422, "invalid"},
		{fmt.Errorf("x: %w", errkind.Unauthenticated), 401, "unauthenticated"},
		{fmt.Errorf("x: %w", errkind.Forbidden), 403, "forbidden"},
		{errors.New("database exploded"), 500, "internal"},
		{echo.NewHTTPError(http.StatusRequestEntityTooLarge, "too big"), 413, "request_entity_too_large"},
	}
	for i, c := range cases {
		path := fmt.Sprintf("/api/v1/test-error-%d", i)
		err := c.err
		s.Echo().GET(path, func(echo.Context) error { return err })
		rec := do(s, http.MethodGet, path)
		var body apiError
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != c.status || body.Error.Code != c.code {
			t.Errorf("%v: got %d %q, want %d %q", c.err, rec.Code, body.Error.Code, c.status, c.code)
		}
		if c.status == 500 && strings.Contains(rec.Body.String(), "exploded") {
			t.Errorf("internal error text leaked: %s", rec.Body)
		}
		if c.status == 422 && body.Error.Fields["name"] != "bắt buộc" {
			t.Errorf("field errors lost: %s", rec.Body)
		}
	}
}
