package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// TestOpenAPIMatchesResponses loads /api/v1/openapi.json with
// kin-openapi, validates the document, then calls the /api/v1 routes
// (read and write, as each role, errors included) and validates every
// JSON response against the document's schema for its route and status.
func TestOpenAPIMatchesResponses(t *testing.T) {
	w := newDashWorld(t)
	ctx := context.Background()
	call := openAPICaller(t, w)
	admin := &model.Actor{Role: model.RoleAdmin}
	aidOf := func(campaign int64, code string) int64 {
		rows, err := w.svc.CampaignAssessments(ctx, admin, campaign)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.UnitCode == code {
				return r.ID
			}
		}
		t.Fatalf("no %s in %d", code, campaign)
		return 0
	}
	id, draft := w.campaign, w.draft
	approved, open := aidOf(id, "A1"), aidOf(draft, "A1")

	// Open data: anyone lists the published campaigns; a signed-in caller
	// also sees the unpublished ones of their scope, marked.
	code, body := call("", "GET", "/api/v1/campaigns", nil)
	var list []struct {
		ID        int64 `json:"id"`
		Published bool  `json:"published"`
		InScope   bool  `json:"in_scope"`
	}
	if err := json.Unmarshal(body, &list); code != 200 || err != nil || len(list) != 1 || list[0].ID != id || !list[0].Published {
		t.Errorf("anonymous GET /api/v1/campaigns: %d %s %v", code, body, err)
	}
	code, body = call("phong338", "GET", "/api/v1/campaigns", nil)
	list = nil
	if err := json.Unmarshal(body, &list); code != 200 || err != nil || len(list) != 2 {
		t.Errorf("the district's GET /api/v1/campaigns: %d %s %v", code, body, err)
	}
	for _, c := range list {
		if c.ID == draft && (c.Published || !c.InScope) || c.ID == id && !c.Published {
			t.Errorf("campaign %d marked wrong: %+v", c.ID, c)
		}
	}
	call("sch.a1", "GET", "/api/v1/campaigns", nil)

	for _, c := range []struct{ who, method, path string }{
		{"", "GET", "/api/v1/indicator-sets"},
		{"phong338", "GET", "/api/v1/me"},
		{"phong338", "GET", fmt.Sprintf("/api/v1/campaigns/%d", id)},
		{"phong338", "GET", fmt.Sprintf("/api/v1/campaigns/%d/assessments", id)},
		{"phong338", "GET", fmt.Sprintf("/api/v1/campaigns/%d/reviewers", id)},
		{"phong338", "GET", fmt.Sprintf("/api/v1/assessments/%d", approved)},
		{"sch.a1", "GET", fmt.Sprintf("/api/v1/assessments/%d", approved)},
		{"sch.a1", "GET", fmt.Sprintf("/api/v1/assessments/%d", open)},
		{"admin", "GET", fmt.Sprintf("/api/v1/assessments/%d/review-trail", approved)},
		{"admin", "GET", "/api/v1/units?parent=338"},
		{"admin", "GET", "/api/v1/units/338"},
		{"admin", "GET", "/api/v1/units/338/history"},
		{"admin", "GET", "/api/v1/users"},
		{"", "GET", "/api/v1/units/338/trend"},
		{"", "GET", fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=338", id)},
		{"", "GET", fmt.Sprintf("/api/v1/campaigns/%d/results/A1", id)},
		{"", "GET", "/api/v1/assessments/999999"},
		{"sch.a1", "GET", "/api/v1/assessments/999999"},
		{"", "GET", "/api/v1/me"},
	} {
		if code, body := call(c.who, c.method, c.path, nil); code >= 500 {
			t.Errorf("%s %s: %d %s", c.method, c.path, code, body)
		}
	}
	_, body = call("", "GET", "/api/v1/indicator-sets", nil)
	var sets []struct{ Code, Version string }
	_ = json.Unmarshal(body, &sets)
	for _, s := range sets {
		if s.Code == "example" {
			call("", "GET", "/api/v1/indicator-sets/example/"+s.Version, nil)
		}
	}
	// Writes: an answer of each kind saved (and one refused), evidence,
	// a comment, a sign-in.
	versions, saves := map[string]int{}, 0
	for _, a := range []struct {
		ind   string
		value any
	}{{"a.plan", true}, {"a.devices", "projector"}, {"a.features", []string{"lms"}}, {"a.teachers", 45.5}, {"a.teachers", 150}} {
		code, body := call("sch.a1", "PUT", fmt.Sprintf("/api/v1/assessments/%d/answers/%s", open, a.ind), map[string]any{"value": a.value, "version": versions[a.ind]})
		var saved struct {
			Version int `json:"version"`
		}
		if code == 200 && json.Unmarshal(body, &saved) == nil && saved.Version > 0 {
			versions[a.ind] = saved.Version
			saves++
		}
	}
	if saves < 2 {
		t.Errorf("only %d answers saved: the save responses were not exercised", saves)
	}
	call("sch.a1", "POST", fmt.Sprintf("/api/v1/assessments/%d/evidence/a.plan", open), map[string]any{"url": "https://example.edu.vn/ke-hoach"})
	call("sch.a1", "POST", fmt.Sprintf("/api/v1/assessments/%d/comments", open), map[string]any{"comment": "Đã cập nhật"})
	call("sch.a1", "GET", fmt.Sprintf("/api/v1/assessments/%d", open), nil)
	call("", "POST", "/api/v1/auth/login", map[string]any{"username": "phong338", "password": "password-phong338"})
	call("", "POST", "/api/v1/auth/login", map[string]any{"username": "phong338", "password": "wrong-password"})
	if raw := w.get(t, "", "/api/v1/openapi.json").Body.String(); strings.Contains(raw, `"value":{"items":{"type":"integer"}`) {
		t.Error("an answer's value is still typed as an integer array")
	}
}

// openAPICaller loads and validates the server's OpenAPI document, and
// returns a call that makes an API request as who (signed in with a
// bearer token on first use) and checks the response against the
// document's schema for its route and status.
func openAPICaller(t *testing.T, w *dashWorld) func(who, method, path string, body any) (int, []byte) {
	t.Helper()
	ctx := context.Background()
	raw := w.get(t, "", "/api/v1/openapi.json").Body.Bytes()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("the document is not valid OpenAPI: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://example.com"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	return func(who, method, path string, body any) (int, []byte) {
		t.Helper()
		var rd io.Reader
		var b []byte
		if body != nil {
			b, _ = json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req := httptest.NewRequest(method, "http://example.com"+path, rd)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if who != "" {
			if tokens[who] == "" {
				_, sess, err := w.svc.Login(ctx, who, "password-"+who, "127.0.0.1", model.SessionAPI)
				if err != nil {
					t.Fatal(err)
				}
				tokens[who] = sess.Token
			}
			req.Header.Set("Authorization", "Bearer "+tokens[who])
		}
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		// Validate what came back against the document.
		vreq := httptest.NewRequest(method, "http://example.com"+path, bytes.NewReader(b))
		route, params, err := router.FindRoute(vreq)
		if err != nil {
			t.Errorf("%s %s: not in the document: %v", method, path, err)
			return rec.Code, rec.Body.Bytes()
		}
		opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: opts},
			Status:                 rec.Code, Header: rec.Header(), Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: opts,
		}
		if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
			t.Errorf("%s %s as %q → %d: the response does not match the document:\n%v\nbody: %.400s", method, path, who, rec.Code, err, rec.Body.String())
		}
		return rec.Code, rec.Body.Bytes()
	}
}
