package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
)

// world is a small tree with a user of every role:
//
//	34 (province) ── 338 (district) ── A1, A2 (schools)
//	              └─ 339 (district) ── B1 (school)
//	01 (another province)
//
// and a campaign on each district.
type world struct {
	srv         *Server
	pool        *pgxpool.Pool
	svc         *survey.Service
	campaigns   map[string]int64 // district code → campaign id
	assessments map[string]int64 // school code → assessment id
	tokens      map[string]string
	csrf        map[string]string
}

// actors: name → role, unit.
var actors = map[string][2]string{
	"admin":     {"admin", ""},
	"so34":      {"province", "34"},
	"phong338":  {"district", "338"},
	"ht.a1":     {"school", "A1"},
	"leader338": {"viewer", "338"},
	"admin34":   {"admin", "34"}, // an admin whose scope is province 34
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.New(t)
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)})
	if err != nil {
		t.Fatal(err)
	}
	svc := survey.NewService(pool)
	if _, err := svc.InstallShippedSets(ctx); err != nil {
		t.Fatal(err)
	}
	root := &model.Actor{Role: model.RoleAdmin}
	for _, u := range []model.UnitInput{
		{Code: "34", Name: "Thái Bình", Kind: "province"},
		{Code: "01", Name: "Hà Nội", Kind: "province"},
		{Code: "338", Name: "Quỳnh Phụ", Kind: "district", ParentCode: "34"},
		{Code: "339", Name: "Hưng Hà", Kind: "district", ParentCode: "34"},
		{Code: "A1", Name: "Trường THCS An Bài", Kind: "school", ParentCode: "338", SchoolLevels: []string{"lower_secondary"}},
		{Code: "A2", Name: "Trường THCS An Ấp", Kind: "school", ParentCode: "338", SchoolLevels: []string{"lower_secondary"}},
		{Code: "B1", Name: "Trường THCS Hưng Hà", Kind: "school", ParentCode: "339", SchoolLevels: []string{"lower_secondary"}},
	} {
		if _, err := svc.CreateUnit(ctx, root, u); err != nil {
			t.Fatal(err)
		}
	}
	w := &world{srv: srv, pool: pool, svc: svc, campaigns: map[string]int64{}, assessments: map[string]int64{}, tokens: map[string]string{}, csrf: map[string]string{}}
	for name, ru := range actors {
		if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: name, Role: model.Role(ru[0]), UnitCode: ru[1], Password: "password-" + name}); err != nil {
			t.Fatal(err)
		}
	}
	// A user to lock and unlock, who is none of the actors.
	if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "victim", Role: model.RoleSchool, UnitCode: "B1", Password: "password-victim"}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"338", "339"} {
		c, err := svc.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2024-2025 " + d, SetCode: "moet-4725", RootUnitCode: d})
		if err != nil {
			t.Fatal(err)
		}
		w.campaigns[d] = c.ID
		rows, err := svc.CampaignAssessments(ctx, root, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			w.assessments[r.UnitCode] = r.ID
		}
	}
	return w
}

// session opens a fresh session for name (web or api) without the
// password hash cost, by signing in through the service.
func (w *world) session(t *testing.T, name, kind string) (token, csrf string) {
	t.Helper()
	if tok, ok := w.tokens[name+"/"+kind]; ok {
		return tok, w.csrf[name+"/"+kind]
	}
	_, sess, err := w.svc.Login(context.Background(), name, "password-"+name, "127.0.0.1", kind)
	if err != nil {
		t.Fatalf("login %s: %v", name, err)
	}
	w.tokens[name+"/"+kind], w.csrf[name+"/"+kind] = sess.Token, sess.CSRFToken
	return sess.Token, sess.CSRFToken
}

// request sends method path as name ("" = anonymous): API routes with a
// bearer token, pages with the session cookie and CSRF token.
func (w *world) request(t *testing.T, name, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	var req *http.Request
	isAPI := strings.HasPrefix(path, "/api/")
	if isAPI {
		req = httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	} else {
		form := url.Values{}
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if name == "" && !isAPI {
		// An anonymous browser has the pre-session CSRF cookie of the page
		// it came from.
		req.AddCookie(&http.Cookie{Name: preCSRFCookie, Value: "anon-token"})
		req.Header.Set(csrfHeader, "anon-token")
	}
	if name != "" {
		if isAPI {
			tok, _ := w.session(t, name, model.SessionAPI)
			req.Header.Set("Authorization", "Bearer "+tok)
		} else {
			tok, csrf := w.session(t, name, model.SessionWeb)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
			req.Header.Set(csrfHeader, csrf)
		}
	}
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// scopeOf returns, for a route's parameters, values inside and outside
// name's scope.
func (w *world) params(name string, inside bool) map[string]string {
	unit := map[string][2]string{ // actor → {inside, outside}
		"admin":     {"A1", "A1"},
		"so34":      {"A1", "01"},
		"phong338":  {"A1", "B1"},
		"ht.a1":     {"A1", "A2"},
		"leader338": {"A1", "B1"},
		"admin34":   {"A1", "01"},
		"":          {"A1", "A1"},
	}[name]
	camp := map[string][2]string{
		"admin": {"338", "338"}, "so34": {"338", "338"}, "phong338": {"338", "339"}, "ht.a1": {"338", "339"}, "leader338": {"338", "339"}, "admin34": {"338", "338"}, "": {"338", "339"},
	}[name]
	school := map[string][2]string{
		"admin": {"A1", "A1"}, "so34": {"A1", "A1"}, "phong338": {"A1", "B1"}, "ht.a1": {"A1", "A2"}, "leader338": {"A1", "B1"}, "admin34": {"A1", "A1"}, "": {"A1", "A2"},
	}[name]
	// A user to lock: victim (school B1, province 34); outside a
	// province's admin's scope, the system-wide admin.
	user := [2]string{"victim", "victim"}
	if name == "admin34" {
		user[1] = "admin"
	}
	i := 1
	if inside {
		i = 0
	}
	return map[string]string{
		"aid":       fmt.Sprint(w.assessments[school[i]]),
		"indicator": "1.1",
		"eid":       "1",
		"code":      unit[i],
		"id":        fmt.Sprint(w.campaigns[camp[i]]),
		"username":  user[i],
		"version":   "2022.1",
		"*":         "app.css",
	}
}

func fill(path string, params map[string]string) string {
	for k, v := range params {
		if k == "*" {
			path = strings.Replace(path, "*", v, 1)
			continue
		}
		path = strings.ReplaceAll(path, ":"+k, v)
	}
	// :code in the indicator-set route is the set's code.
	return strings.Replace(path, "/indicator-sets/A1/", "/indicator-sets/moet-4725/", 1)
}

// TestAuthorizationOfEveryRoute enumerates every registered route and
// checks each role inside and outside its scope, and anonymous visitors,
// against the route's rule.
func TestAuthorizationOfEveryRoute(t *testing.T) {
	w := newWorld(t)
	routes := w.srv.Routes()
	if len(routes) < 30 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	denied := func(code int) bool { return code == 401 || code == 403 || code == 404 }
	for _, r := range routes {
		if r.Path == "/logout" || r.Path == "/api/v1/auth/logout" {
			continue // checked below: they end the session used to call them
		}
		for _, name := range []string{"", "admin", "so34", "phong338", "ht.a1", "leader338", "admin34"} {
			role := model.Role(actors[name][0])
			public, roles, known := policy(r.Method, r.Path)
			if !known {
				t.Fatalf("%s %s is not in the test's access policy: add it", r.Method, r.Path)
			}
			allowedRole := public || (name != "" && (len(roles) == 0 || contains(roles, role)))
			if name == "admin34" && systemAdminOnly(r.Method, r.Path) {
				allowedRole = false
			}
			for _, inside := range []bool{true, false} {
				path := fill(r.Path, w.params(name, inside))
				rec := w.request(t, name, r.Method, path, "")
				code := rec.Code
				if code == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/login") {
					code = 401
				}
				switch {
				case !allowedRole && !denied(code):
					t.Errorf("%s %s as %q: %d, want a denial (rule %s)", r.Method, path, name, code, r.Rule)
				case allowedRole && r.Rule.scope != nil && !inside && outsideDiffers(name, r) && !denied(code):
					t.Errorf("%s %s as %q outside scope: %d, want 403/404", r.Method, path, name, code)
				case name == "admin34" && !inside && strings.Contains(r.Path, ":username") && !denied(code):
					t.Errorf("%s %s as %q (a province's admin on the system-wide admin): %d, want 403/404", r.Method, path, name, code)
				case allowedRole && (inside || r.Rule.scope == nil) && (code == 401 || code == 403) &&
					!strings.HasSuffix(r.Path, "login"): // sign-in answers 401 to wrong credentials by design
					t.Errorf("%s %s as %q: %d, want access (rule %s): %s", r.Method, path, name, code, r.Rule, rec.Body.String())
				case code >= 500:
					t.Errorf("%s %s as %q: %d", r.Method, path, name, code)
				}
			}
		}
	}
	// A principal of A1 never reads another school's campaign data.
	rec := w.request(t, "ht.a1", http.MethodGet, fmt.Sprintf("/api/v1/campaigns/%d/assessments", w.campaigns["338"]), "")
	if rec.Code != 200 || strings.Contains(rec.Body.String(), `"A2"`) || !strings.Contains(rec.Body.String(), `"A1"`) {
		t.Fatalf("principal's assessment list: %d %s", rec.Code, rec.Body)
	}
	// Signing out ends the session.
	_, sess, err := w.svc.Login(context.Background(), "ht.a1", "password-ht.a1", "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	tok, csrf := sess.Token, sess.CSRFToken
	req := httptest.NewRequest(http.MethodPost, "/logout", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
	req.Header.Set(csrfHeader, csrf)
	rr := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rr, req)
	if rr.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d", rr.Code)
	}
	if _, _, err := w.svc.SessionByToken(context.Background(), tok, model.SessionWeb); err == nil {
		t.Fatal("the session survived sign-out")
	}
}

// extraPolicies extend policy from other test files (one per feature
// area: dashboard, imports, …), each added in an init function.
var extraPolicies []func(method, path string) (public bool, roles []model.Role, known bool)

// policy is who may reach each route, written independently of the route
// table, so a route registered with a too-weak rule fails the test. Every
// route must appear here.
func policy(method, path string) (public bool, roles []model.Role, known bool) {
	for _, p := range extraPolicies {
		if public, roles, known := p(method, path); known {
			return public, roles, true
		}
	}
	admin := []model.Role{model.RoleAdmin}
	switch {
	case path == "/" || path == "/healthz" || path == "/readyz" || path == "/static/*" || path == "/login" || path == "/lang" ||
		path == "/api/v1/auth/login" || path == "/api/v1/openapi.json" || strings.HasPrefix(path, "/api/v1/indicator-sets"):
		return true, nil, true
	case strings.HasPrefix(path, "/admin/") || strings.HasPrefix(path, "/api/v1/units") || strings.HasPrefix(path, "/api/v1/users"):
		return false, admin, true
	case method == http.MethodPost && (path == "/campaigns" || path == "/api/v1/campaigns"):
		return false, []model.Role{model.RoleAdmin, model.RoleProvince}, true
	case strings.HasPrefix(path, "/api/v1/campaigns/:id/results/"):
		return true, nil, true
	case strings.Contains(path, "/answers") || strings.Contains(path, "/evidence") || strings.HasSuffix(path, "/submit"):
		if method == http.MethodGet { // evidence download: whoever reads the assessment
			return false, []model.Role{model.RoleAdmin, model.RoleProvince, model.RoleDistrict, model.RoleSchool}, true
		}
		return false, []model.Role{model.RoleSchool}, true
	case strings.HasSuffix(path, "/return") || strings.HasSuffix(path, "/approve") || strings.HasSuffix(path, "/revoke") ||
		strings.Contains(path, "/review") || strings.HasSuffix(path, "/publish") || strings.HasSuffix(path, "/publish/coverage"):
		return false, []model.Role{model.RoleAdmin, model.RoleProvince, model.RoleDistrict}, true
	case strings.HasPrefix(path, "/api/v1/assessments/:aid") || strings.HasPrefix(path, "/assessments/:aid"):
		// Leaders read published results only, never an assessment.
		return false, []model.Role{model.RoleAdmin, model.RoleProvince, model.RoleDistrict, model.RoleSchool}, true
	case path == "/logout" || path == "/api/v1/auth/logout" || path == "/api/v1/me" || strings.HasPrefix(path, "/account/") ||
		strings.HasPrefix(path, "/campaigns") || strings.HasPrefix(path, "/api/v1/campaigns"):
		return false, nil, true
	}
	return false, nil, false
}

// systemAdminOnly are the routes only an admin of the whole system (no
// unit) may use: imports write anywhere in the tree.
func systemAdminOnly(method, path string) bool {
	return (method == http.MethodPost && strings.HasPrefix(path, "/admin/import/")) ||
		// The reorganisation changes the whole tree (API, page and form).
		(method == http.MethodPost && path == "/api/v1/admin/reorganize") || path == "/admin/reorganize" ||
		// Indicator sets are the whole system's (issue 13).
		(method == http.MethodPost && path == "/admin/sets")
}

// outsideDiffers reports whether params(name, false) names something
// outside name's scope for the route's scope check: the system-wide
// admin has no outside, and the fixture's campaigns all lie inside
// province 34.
func outsideDiffers(name string, r routeInfo) bool {
	switch name {
	case "admin", "so34":
		return false
	case "admin34":
		return strings.Contains(r.Rule.String(), "scope:unit")
	}
	return true
}

func contains(rs []model.Role, r model.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// TestRouteWithoutRuleRefused: a route registered around the rule table
// stops the server from being built.
func TestRouteWithoutRuleRefused(t *testing.T) {
	_, err := newServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, func(s *Server) {
		s.echo.GET("/sneaky", func(c echo.Context) error { return c.String(200, "open to all") })
	})
	if err == nil || !strings.Contains(err.Error(), "GET /sneaky") {
		t.Fatalf("a route without a rule was accepted: %v", err)
	}
	if _, err := newServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, func(s *Server) {
		s.route(http.MethodGet, "/empty-rule", Rule{}, func(c echo.Context) error { return nil })
	}); err == nil {
		t.Fatal("a route with an empty rule was accepted")
	}
}

// TestCSRF: a state-changing form without the session's token is refused,
// with it accepted; bearer-token API calls need none.
func TestCSRF(t *testing.T) {
	w := newWorld(t)
	tok, csrf := w.session(t, "admin", model.SessionWeb)
	post := func(token string) int {
		form := url.Values{"code": {"C9"}, "name": {"Trường C9"}, "kind": {"school"}, "parent_code": {"338"}, "_csrf": {token}}
		req := httptest.NewRequest(http.MethodPost, "/admin/units", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	if code := post(""); code != http.StatusForbidden {
		t.Fatalf("no CSRF token: %d, want 403", code)
	}
	if code := post("forged-token"); code != http.StatusForbidden {
		t.Fatalf("wrong CSRF token: %d, want 403", code)
	}
	if _, err := w.svc.UnitByCode(context.Background(), "C9"); err == nil {
		t.Fatal("a refused form created the unit")
	}
	if code := post(csrf); code != http.StatusSeeOther {
		t.Fatalf("right CSRF token: %d, want 303", code)
	}
	// The sign-in form: double-submit cookie.
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/login", nil))
	var pre *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == preCSRFCookie {
			pre = c
		}
	}
	if pre == nil || !strings.Contains(rec.Body.String(), pre.Value) {
		t.Fatal("the sign-in form carries no CSRF token")
	}
	login := func(token string) *httptest.ResponseRecorder {
		form := url.Values{"username": {"admin"}, "password": {"password-admin"}, "_csrf": {token}}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(pre)
		rr := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rr, req)
		return rr
	}
	if rr := login("nope"); rr.Code != http.StatusForbidden {
		t.Fatalf("sign-in with a forged token: %d", rr.Code)
	}
	if rr := login(pre.Value); rr.Code != http.StatusSeeOther || rr.Header().Get("Set-Cookie") == "" {
		t.Fatalf("sign-in: %d", rr.Code)
	}
}

// TestSessionsAcrossServers: a session opened on one server works on
// another server process sharing the database, and after a restart.
func TestSessionsAcrossServers(t *testing.T) {
	w := newWorld(t)
	other, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(w.pool)})
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"username": {"phong338"}, "password": {"password-phong338"}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	pre := &http.Cookie{Name: preCSRFCookie, Value: "t0ken"}
	req.AddCookie(pre)
	req.Form = nil
	req2 := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()+"&_csrf=t0ken"))
	req2.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req2.AddCookie(pre)
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, req2)
	var sess *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie {
			sess = c
		}
	}
	if sess == nil {
		t.Fatalf("no session cookie after sign-in: %d %s", rec.Code, rec.Body)
	}
	get := httptest.NewRequest(http.MethodGet, "/campaigns", nil)
	get.AddCookie(sess)
	rr := httptest.NewRecorder()
	other.Handler().ServeHTTP(rr, get)
	if rr.Code != 200 || !strings.Contains(rr.Body.String(), "Quỳnh Phụ") {
		t.Fatalf("the other server does not know the session: %d", rr.Code)
	}
	_ = time.Now
}

// TestAuthorizationScopedAdmin: the probes of issue 18 (items 1 and 5) as
// a province's admin, through the API and the admin forms: it creates,
// edits and moves users and units inside its province only, never a user
// without a unit (a system-wide admin), and runs no import.
func TestAuthorizationScopedAdmin(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	const pw = `"password":"Kq4-Harbour-Violet-73m"`
	form := func(method, path string, values url.Values) *httptest.ResponseRecorder {
		tok, csrf := w.session(t, "admin34", model.SessionWeb)
		req := httptest.NewRequest(method, path, strings.NewReader(values.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
		req.Header.Set(csrfHeader, csrf)
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	upload := func(path, name, data string) *httptest.ResponseRecorder {
		tok, csrf := w.session(t, "admin34", model.SessionWeb)
		var b strings.Builder
		b.WriteString("--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name + "\"\r\nContent-Type: text/csv\r\n\r\n" + data + "\r\n--X--\r\n")
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(b.String()))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=X")
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
		req.Header.Set(csrfHeader, csrf)
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	denied := func(code int) bool { return code == 403 || code == 404 || code == 422 }
	for _, p := range []struct {
		what string
		rec  *httptest.ResponseRecorder
		want func(int) bool
	}{
		// Users.
		{"API: an unscoped admin", w.request(t, "admin34", "POST", "/api/v1/users", `{"username":"root2","role":"admin","unit_code":"",`+pw+`}`), denied},
		{"API: a user of another province", w.request(t, "admin34", "POST", "/api/v1/users", `{"username":"so01","role":"province","unit_code":"01",`+pw+`}`), denied},
		{"form: an unscoped admin", form("POST", "/admin/users", url.Values{"username": {"root3"}, "role": {"admin"}, "password": {"Kq4-Harbour-Violet-73m"}}), denied},
		{"API: lock the system-wide admin", w.request(t, "admin34", "POST", "/api/v1/users/admin/lock", ""), denied},
		{"form: lock the system-wide admin", form("POST", "/admin/users/admin/lock", nil), denied},
		{"API: a user inside", w.request(t, "admin34", "POST", "/api/v1/users", `{"username":"phong339","role":"district","unit_code":"339",`+pw+`}`),
			func(c int) bool { return c == 201 }},
		// Units.
		{"API: a unit under another province", w.request(t, "admin34", "POST", "/api/v1/units", `{"code":"X1","name":"Huyện X1","kind":"district","parent_code":"01"}`), denied},
		{"API: a new province", w.request(t, "admin34", "POST", "/api/v1/units", `{"code":"X2","name":"Tỉnh X2","kind":"province"}`), denied},
		{"form: a unit under another province", form("POST", "/admin/units", url.Values{"code": {"X3"}, "name": {"Huyện X3"}, "kind": {"district"}, "parent_code": {"01"}}), denied},
		{"API: move a school to another province", w.request(t, "admin34", "POST", "/api/v1/units/A1/move", `{"parent_code":"01","reason":"thử"}`), denied},
		{"form: move a district to another province", form("POST", "/admin/units/338/move", url.Values{"parent_code": {"01"}, "reason": {"thử"}}), denied},
		{"API: move another province in", w.request(t, "admin34", "POST", "/api/v1/units/01/move", `{"parent_code":"34"}`), denied},
		{"API: a unit inside", w.request(t, "admin34", "POST", "/api/v1/units", `{"code":"A9","name":"Trường A9","kind":"school","parent_code":"338","school_levels":["primary"]}`),
			func(c int) bool { return c == 201 }},
		// Imports write anywhere: for the system-wide admin only.
		{"import users", upload("/admin/import/users", "u.csv", "username,role,unit_code\nroot4,admin,\n"), denied},
		{"import units", upload("/admin/import/units", "u.csv", "code,name,kind,parent_code\nX4,Huyện X4,district,01\n"), denied},
	} {
		if !p.want(p.rec.Code) {
			t.Errorf("%s: %d %s", p.what, p.rec.Code, p.rec.Body)
		}
	}
	// The forms say why, beside the field.
	for _, rec := range []*httptest.ResponseRecorder{
		form("POST", "/admin/units", url.Values{"code": {"X5"}, "name": {"Huyện X5"}, "kind": {"district"}, "parent_code": {"01"}}),
		form("POST", "/admin/units/A1/move", url.Values{"parent_code": {"01"}, "reason": {"thử"}}),
	} {
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "nằm ngoài phạm vi") {
			t.Errorf("form refusal: %d, the reason not shown: %s", rec.Code, rec.Body)
		}
	}
	if rec := form("POST", "/admin/users", url.Values{"username": {"root5"}, "role": {"admin"}, "password": {"Kq4-Harbour-Violet-73m"}}); !strings.Contains(rec.Body.String(), "trong phạm vi của mình") {
		t.Errorf("user form refusal: %d, the reason not shown", rec.Code)
	}
	var users, units int
	if err := w.pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE username IN ('root2', 'root3', 'root4', 'root5', 'so01')`).Scan(&users); err != nil {
		t.Fatal(err)
	}
	if err := w.pool.QueryRow(ctx, `SELECT count(*) FROM units WHERE code LIKE 'X%'`).Scan(&units); err != nil {
		t.Fatal(err)
	}
	if users != 0 || units != 0 {
		t.Fatalf("refused requests wrote %d users and %d units", users, units)
	}
	for code, parent := range map[string]string{"A1": "338", "338": "34", "01": ""} {
		if u, err := w.svc.UnitByCode(ctx, code); err != nil || u.ParentCode != parent {
			t.Errorf("unit %s: %+v %v, want under %q", code, u, err, parent)
		}
	}
	if u, err := w.svc.UserByUsername(ctx, &model.Actor{Role: model.RoleAdmin}, "admin"); err != nil || u.LockedAt != nil {
		t.Errorf("the system-wide admin: %+v %v", u, err)
	}
}
