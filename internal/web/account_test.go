package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey/model"
)

// The routes of accounts (issue 16): one's own account for anyone signed
// in, the forgotten-password pages and calls for anyone, a user's page
// and reset for admins.
func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		switch {
		case path == "/account" || path == "/account/contacts" || path == "/api/v1/me/contacts" || path == "/api/v1/me/password":
			return false, nil, true
		case path == "/password/forgot" || path == "/password/reset/:token" || path == "/api/v1/auth/forgot" || path == "/api/v1/auth/reset":
			return true, nil, true
		case path == "/api/v1/users/:username/contacts" || path == "/api/v1/users/:username/reset-password" ||
			(method == http.MethodGet && path == "/admin/users/:username"):
			return false, []model.Role{model.RoleAdmin}, true
		}
		return false, nil, false
	})
}

// TestOneTimePasswordFirst: an account with a one-time password reaches
// nothing but the password change (pages redirect there, the API says
// why), and everything once it is changed.
func TestOneTimePasswordFirst(t *testing.T) {
	s := newTestServer(t, nil)
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	ctx := context.Background()
	testfix.Users(t, surveyOf(s), model.UserInput{Username: "admin2", Role: model.RoleAdmin, Password: "Kq4-Harbour-Violet-73m"},
		model.UserInput{Username: "leader", Role: model.RoleAdmin, Password: "Kq4-Harbour-Violet-74m"})
	adminAPI := login(t, hs.URL, "admin2", "Kq4-Harbour-Violet-73m")
	r := adminAPI.do("POST", "/api/v1/users/leader/reset-password", nil, 200)
	pw, _ := r["password"].(string)
	if len(pw) != 14 {
		t.Fatalf("one-time password %q", pw)
	}
	leader := login(t, hs.URL, "leader", pw)
	if me := leader.do("GET", "/api/v1/me", nil, 200); me["must_change_password"] != true {
		t.Fatalf("/me: %v", me)
	}
	e := leader.do("GET", "/api/v1/users", nil, 403)["error"].(map[string]any)
	if !strings.Contains(e["message"].(string), "mật khẩu tạm thời") {
		t.Fatalf("refusal: %v", e)
	}
	// A page: redirected to the change, with the reason.
	_, sess, err := s.survey.Login(ctx, "leader", pw, "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	rec := do(s, http.MethodGet, "/admin/users", "Cookie", sessionCookie+"="+sess.Token)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account/password" {
		t.Fatalf("a page with a one-time password: %d → %q", rec.Code, rec.Header().Get("Location"))
	}
	leader.do("POST", "/api/v1/me/password", map[string]string{"current_password": pw, "new_password": "Một câu dài dễ nhớ 2026"}, 204)
	if me := leader.do("GET", "/api/v1/me", nil, 200); me["must_change_password"] != false {
		t.Fatalf("/me after the change: %v", me)
	}
	leader.do("GET", "/api/v1/users", nil, 200)
}

// TestForgotPasswordSameAnswer: the form answers the same page for an
// account with an address, one without, and no account; a bad link says
// so and offers a new one.
func TestForgotPasswordSameAnswer(t *testing.T) {
	s := newTestServer(t, nil)
	testfix.Users(t, surveyOf(s), model.UserInput{Username: "admin2", Role: model.RoleAdmin, Password: "Kq4-Harbour-Violet-73m", Email: "admin2@so.edu.vn"},
		model.UserInput{Username: "admin3", Role: model.RoleAdmin, Password: "Kq4-Harbour-Violet-74m"})
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	var bodies []string
	for _, login := range []string{"admin2", "admin2@so.edu.vn", "admin3", "không-có-ai"} {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		token := csrfFrom(t, c, hs.URL+"/password/forgot")
		resp, err := c.PostForm(hs.URL+"/password/forgot", url.Values{"login": {login}, "_csrf": {token}})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("forgot %q: %d", login, resp.StatusCode)
		}
		body := regexp.MustCompile(`value="[^"]*"`).ReplaceAllString(string(raw), "")
		if !strings.Contains(body, "liên kết đặt lại mật khẩu đã được gửi") {
			t.Fatalf("forgot %q: no confirmation", login)
		}
		bodies = append(bodies, body)
	}
	for i := range bodies {
		if bodies[i] != bodies[0] {
			t.Fatalf("the answer for login %d differs from the first", i)
		}
	}
	resp, err := http.Get(hs.URL + "/password/reset/không-hợp-lệ")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || !strings.Contains(string(raw), "Yêu cầu liên kết mới") {
		t.Fatalf("a bad link: %d", resp.StatusCode)
	}
}

// csrfFrom reads a page and returns its form's CSRF token.
func csrfFrom(t *testing.T, c *http.Client, page string) string {
	t.Helper()
	resp, err := c.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(raw)
	if m == nil {
		t.Fatalf("%s: no CSRF token", page)
	}
	return string(m[1])
}
