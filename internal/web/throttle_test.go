package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// These tests use only what the server had before issue 18, so they also
// run against that code (where they fail).

func apiLoginRequest(username, password, remote string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login",
		strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, username, password)))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = remote
	return req
}

// TestLoginThrottleRaceHTTP (issue 18, item 2): 40 parallel wrong
// passwords on one account get at most the free number of 401s (checked
// guesses); the rest are 429 with Retry-After.
func TestLoginThrottleRaceHTTP(t *testing.T) {
	w := newWorld(t)
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			rec := httptest.NewRecorder()
			w.srv.Handler().ServeHTTP(rec, apiLoginRequest("victim", "wrong-guess", "198.51.100.20:4000"))
			mu.Lock()
			defer mu.Unlock()
			codes[rec.Code]++
			if rec.Code == http.StatusTooManyRequests && rec.Header().Get("Retry-After") == "" {
				t.Errorf("429 without Retry-After")
			}
		}()
	}
	close(start)
	wg.Wait()
	if codes[http.StatusUnauthorized] > 5 || codes[http.StatusUnauthorized]+codes[http.StatusTooManyRequests] != 40 {
		t.Fatalf("answers %v: want at most 5 checked (401), the rest 429", codes)
	}
}

// TestForgedForwardedProtoIgnored (issue 18, also found): a client that
// is not a trusted proxy cannot make the server set Secure cookies or
// HSTS by sending X-Forwarded-Proto, nor choose the address it is counted
// by with X-Forwarded-For.
func TestForgedForwardedProtoIgnored(t *testing.T) {
	w := newWorld(t)
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader("username=admin&password=password-admin&_csrf=tok"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: preCSRFCookie, Value: "tok"})
	req.Header.Set("X-Forwarded-Proto", "https")
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie && c.Secure {
			t.Error("an untrusted client's X-Forwarded-Proto made the session cookie Secure")
		}
	}
	if rec.Header().Get("Strict-Transport-Security") != "" {
		t.Error("an untrusted client's X-Forwarded-Proto turned on HSTS")
	}
	// Failures sent with ever-new forged X-Forwarded-For are still
	// counted against the one real address.
	var throttled bool
	for i := 0; i < 8; i++ {
		req := apiLoginRequest("victim", "wrong-guess", "198.51.100.30:4000")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1))
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		throttled = throttled || rec.Code == http.StatusTooManyRequests
	}
	if !throttled {
		t.Error("forged X-Forwarded-For escaped the throttle")
	}
}

// TestCommonPasswordRefusedHTTP (issue 18, item 14): creating a user with
// a common password is refused with a field error in the caller's
// language; the password page states the rule.
func TestCommonPasswordRefusedHTTP(t *testing.T) {
	w := newWorld(t)
	rec := w.request(t, "admin", http.MethodPost, "/api/v1/users",
		`{"username":"ht.a2","display_name":"Hiệu trưởng","role":"school","unit_code":"A2","password":"Password123"}`)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "phổ biến") {
		t.Fatalf("a common password: %d %s", rec.Code, rec.Body)
	}
	rec = w.request(t, "admin", http.MethodPost, "/api/v1/users",
		`{"username":"ht.a2","display_name":"Hiệu trưởng","role":"school","unit_code":"A2","password":"bốn mùa hoa nở"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("an uncommon password: %d %s", rec.Code, rec.Body)
	}
	if rec := w.request(t, "ht.a1", http.MethodGet, "/account/password", ""); !strings.Contains(rec.Body.String(), "phổ biến") {
		t.Fatalf("the password page does not state the rule")
	}
}
