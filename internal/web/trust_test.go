package web

import (
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxindex/dxindex/survey"
	"github.com/labstack/echo/v4"
)

// TestTrustedProxies (issue 18, also found): behind a trusted proxy the
// client's address comes from X-Forwarded-For and HTTPS from
// X-Forwarded-Proto; from anyone else neither header counts.
func TestTrustedProxies(t *testing.T) {
	w := newWorld(t)
	trusted, err := ParseTrustedProxies("10.0.0.1, 2001:db8::/64")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(w.pool), TrustedProxies: trusted})
	if err != nil {
		t.Fatal(err)
	}
	srv.Echo().GET("/test/ip", func(c echo.Context) error { return c.String(200, clientIP(c)) })
	cases := []struct {
		remote, xff, proto string
		wantIP             string
		wantHTTPS          bool
	}{
		{"192.0.2.1:1000", "203.0.113.5", "https", "192.0.2.1", false},               // not a proxy: headers ignored
		{"10.0.0.2:1000", "203.0.113.5", "https", "10.0.0.2", false},                 // a neighbour of the proxy is not it
		{"10.0.0.1:1000", "203.0.113.5", "https", "203.0.113.5", true},               // the proxy
		{"10.0.0.1:1000", "198.51.100.1, 203.0.113.5", "https", "203.0.113.5", true}, // the nearest untrusted address wins over a forged one
		{"10.0.0.1:1000", "203.0.113.5", "", "203.0.113.5", false},                   // plain HTTP behind the proxy
		{"[2001:db8::7]:1000", "203.0.113.9", "https", "203.0.113.9", true},          // a trusted network, IPv6
	}
	for _, c := range cases {
		req := httptest.NewRequest(http.MethodGet, "/test/ip", nil)
		req.RemoteAddr = c.remote
		req.Header.Set("X-Forwarded-For", c.xff)
		if c.proto != "" {
			req.Header.Set("X-Forwarded-Proto", c.proto)
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		if got := rec.Body.String(); got != c.wantIP {
			t.Errorf("%+v: client address %q", c, got)
		}
		if got := rec.Header().Get("Strict-Transport-Security") != ""; got != c.wantHTTPS {
			t.Errorf("%+v: HSTS %v", c, got)
		}
		// The session cookie follows the same rule.
		login := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader("username=admin&password=password-admin&_csrf=tok"))
		login.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		login.AddCookie(&http.Cookie{Name: preCSRFCookie, Value: "tok"})
		login.RemoteAddr = c.remote
		login.Header.Set("X-Forwarded-For", c.xff)
		if c.proto != "" {
			login.Header.Set("X-Forwarded-Proto", c.proto)
		}
		rec = httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, login)
		var sess *http.Cookie
		for _, ck := range rec.Result().Cookies() {
			if ck.Name == sessionCookie {
				sess = ck
			}
		}
		if sess == nil || sess.Secure != c.wantHTTPS {
			t.Errorf("%+v: session cookie %+v (status %d)", c, sess, rec.Code)
		}
	}
	// TLS ended here is HTTPS whatever the headers.
	req := httptest.NewRequest(http.MethodGet, "/test/ip", nil)
	req.TLS = &tls.ConnectionState{}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Header().Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS over TLS")
	}
	for _, bad := range []string{"10.0.0.300", "proxy.local", "10.0.0.0/33"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q accepted as a trusted proxy", bad)
		}
	}
}

// TestSignInStormBounded (issue 18, item 6): when more sign-ins arrive
// than the password hasher can take, at most its slots hash at once and
// the rest beyond the queue get 503 with Retry-After, never a pile-up.
func TestSignInStormBounded(t *testing.T) {
	w := newWorld(t)
	restore := survey.LimitHashing(1, 0, 0) // one slot, no queue
	defer restore()
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 30; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			rec := httptest.NewRecorder()
			w.srv.Handler().ServeHTTP(rec, apiLoginRequest(fmt.Sprintf("ghost%02d", i), "wrong-guess", fmt.Sprintf("198.51.100.%d:4000", i+1)))
			mu.Lock()
			defer mu.Unlock()
			codes[rec.Code]++
			if rec.Code == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") == "" {
				t.Errorf("503 without Retry-After")
			}
		}(i)
	}
	close(start)
	wg.Wait()
	if codes[http.StatusServiceUnavailable] == 0 || codes[http.StatusUnauthorized]+codes[http.StatusServiceUnavailable] != 30 {
		t.Fatalf("answers %v: want 401s and some 503s", codes)
	}
	if p := survey.PeakHashing(); p != 1 {
		t.Fatalf("%d hashes at once through a gate of one", p)
	}
	// A moment later the server answers again.
	restore2 := survey.LimitHashing(1, 10, 5*time.Second)
	defer restore2()
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, apiLoginRequest("admin", "password-admin", "198.51.100.99:4000"))
	if rec.Code != http.StatusOK {
		t.Fatalf("sign-in after the storm: %d %s", rec.Code, rec.Body)
	}
}
