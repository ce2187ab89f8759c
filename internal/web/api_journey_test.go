package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

type apiClient struct {
	t     *testing.T
	base  string
	token string
}

func (c *apiClient) do(method, path string, body any, want int) map[string]any {
	c.t.Helper()
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case *multipart.Writer:
		c.t.Fatal("use upload")
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Content-Type", ctype)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return c.send(req, want)
}

func (c *apiClient) send(req *http.Request, want int) map[string]any {
	c.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: %d %s, want %d", req.Method, req.URL.Path, resp.StatusCode, raw, want)
	}
	var m map[string]any
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &m); err != nil {
			c.t.Fatalf("%s %s: body is not JSON: %s", req.Method, req.URL.Path, raw)
		}
	}
	return m
}

func (c *apiClient) upload(path, name string, data []byte, want int) map[string]any {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.token)
	return c.send(req, want)
}

func login(t *testing.T, base, user, pass string) *apiClient {
	t.Helper()
	anon := &apiClient{t: t, base: base}
	m := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": user, "password": pass}, 200)
	return &apiClient{t: t, base: base, token: m["token"].(string)}
}

// TestAPIJourney: the whole workflow through the API, and every kind of
// bad input answered with a clear 4xx, never a 500.
func TestAPIJourney(t *testing.T) {
	hs, _, campaignID, aid := journeyWorld(t)
	school := login(t, hs.URL, "ht.anbai", "school-password")
	district := login(t, hs.URL, "phong.qp", "district-password")
	a := fmt.Sprintf("/api/v1/assessments/%d", aid)

	list := district.do("GET", fmt.Sprintf("/api/v1/campaigns/%d/assessments", campaignID), nil, 200)
	_ = list
	x := school.do("GET", a, nil, 200)
	for _, k := range []string{"answers", "self", "validated", "gap", "history", "status"} {
		if _, ok := x[k]; !ok {
			t.Errorf("assessment lacks %q", k)
		}
	}
	answers := map[string]any{"a.plan": true, "a.lms": true, "a.devices": "all", "a.features": []string{"assign", "quiz"},
		"a.teachers": 85, "a.lab": 70, "b.modules": 5, "b.portal": true, "b.services": 3}
	for code, v := range answers {
		r := school.do("PUT", a+"/answers/"+code, map[string]any{"value": v, "version": 0}, 200)
		if r["version"] != float64(1) {
			t.Fatalf("%s: version %v", code, r["version"])
		}
	}
	// Stale version: 409 with the current answer.
	r := school.do("PUT", a+"/answers/a.lms", map[string]any{"value": false, "version": 0}, 409)
	if cur := r["current"].(map[string]any); cur["version"] != float64(1) || cur["value"] != true {
		t.Fatalf("conflict body: %v", r)
	}
	// Bad input: each a clear 4xx.
	bad := []struct {
		path string
		body any
		want int
	}{
		{a + "/answers/a.teachers", map[string]any{"value": 120, "version": 1}, 422},
		{a + "/answers/a.teachers", map[string]any{"value": "nhiều", "version": 1}, 422},
		{a + "/answers/b.modules", map[string]any{"value": -3, "version": 1}, 422},
		{a + "/answers/a.devices", map[string]any{"value": "gold", "version": 1}, 422},
		{a + "/answers/không-có", map[string]any{"value": true, "version": 0}, 404},
		{a + "/answers/a.lms", `{"value": tru`, 400},
		{a + "/answers/a.lms", `{"value": true}`, 422}, // no version
		{a + "/answers/a.lms", `{"value": true, "version": "one"}`, 400},
	}
	for _, c := range bad {
		r := school.do("PUT", c.path, c.body, c.want)
		if e, _ := r["error"].(map[string]any); e == nil || e["message"] == "" {
			t.Errorf("PUT %s %v: no error message: %v", c.path, c.body, r)
		}
	}
	school.upload(a+"/evidence/a.plan", "virus.pdf", []byte("MZ\x90\x00\x03 not a pdf at all"), 422)
	school.upload(a+"/evidence/a.plan", "huge.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 11<<20)...), 422)
	school.do("POST", a+"/evidence/a.plan", map[string]string{"url": "ftp://example.org/x"}, 422)
	// Submit refused with the list of what is missing.
	r = school.do("POST", a+"/submit", nil, 422)
	if f := r["error"].(map[string]any)["fields"].(map[string]any); f["a.plan"] == nil {
		t.Fatalf("missing list: %v", r)
	}
	school.upload(a+"/evidence/a.plan", "kế hoạch.pdf", []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"), 201)
	school.do("POST", a+"/evidence/a.lms", map[string]string{"url": "https://lms.example.edu.vn"}, 201)
	school.do("POST", a+"/submit", nil, 200)
	school.do("PUT", a+"/answers/a.lms", map[string]any{"value": false, "version": 1}, 409) // read-only now
	// The evaluator returns it; the school corrects and resubmits.
	district.do("POST", a+"/return", map[string]string{"comment": ""}, 422)
	district.do("POST", a+"/return", map[string]string{"comment": "Bổ sung minh chứng tiêu chí A2"}, 200)
	school.do("PUT", a+"/answers/a.devices", map[string]any{"value": "some", "version": 1}, 200)
	school.do("POST", a+"/submit", nil, 200)
	// External evaluation with a reason, then approval and publication.
	district.do("PUT", a+"/review/a.teachers", map[string]any{"value": 55}, 422)
	v := district.do("PUT", a+"/review/a.teachers", map[string]any{"value": 55, "reason": "Kiểm tra thực tế"}, 200)
	if v["indicators"].(map[string]any)["a.teachers"] != float64(15) {
		t.Fatalf("validated points: %v", v)
	}
	school.do("POST", a+"/approve", nil, 403)
	district.do("POST", a+"/approve", map[string]string{"comment": "Đạt"}, 200)
	district.do("POST", a+"/approve", nil, 409) // already approved
	pub := district.do("POST", fmt.Sprintf("/api/v1/campaigns/%d/publish", campaignID), map[string]string{"note": ""}, 201)
	if pub["revision"] != float64(1) || pub["published"] != float64(1) {
		t.Fatalf("publication: %v", pub)
	}
	anon := &apiClient{t: t, base: hs.URL}
	res := anon.do("GET", fmt.Sprintf("/api/v1/campaigns/%d/results/A1", campaignID), nil, 200)
	if res["level"] == nil || res["revision"] != float64(1) {
		t.Fatalf("public result: %v", res)
	}
	anon.do("GET", a, nil, 401)
	x = school.do("GET", a, nil, 200)
	var steps []string
	for _, e := range x["history"].([]any) {
		steps = append(steps, e.(map[string]any)["action"].(string))
	}
	if strings.Join(steps, ",") != "submit,return,submit,approve" {
		t.Fatalf("history: %v", steps)
	}
	trail := district.do("GET", a+"/review-trail", nil, 200)
	_ = trail
}
