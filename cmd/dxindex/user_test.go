package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/pgtest"
)

func runWithStdin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// TestFirstAdminThenAPI: `dxindex user add` creates the first admin, who
// signs in over the API, creates a district evaluator and a principal,
// and opens a campaign on moet-4725 for a district that holds one
// assessment per applicable school.
func TestFirstAdminThenAPI(t *testing.T) {
	url := pgtest.URL(t)
	db := []string{"--database-url", url}

	code, _, errs := runWithStdin(t, "", append([]string{"user", "add", "--username", "admin", "--role", "admin"}, db...)...)
	if code != 2 || !strings.Contains(errs, "--password-stdin is required") {
		t.Fatalf("without --password-stdin: %d %q", code, errs)
	}
	code, _, errs = runWithStdin(t, "short\n", append([]string{"user", "add", "--username", "admin", "--role", "admin", "--password-stdin"}, db...)...)
	if code != 1 || !strings.Contains(errs, "at least 10 characters") {
		t.Fatalf("weak password: %d %q", code, errs)
	}
	code, out, errs := runWithStdin(t, "first-admin-pass\n", append([]string{"user", "add", "--username", "admin", "--role", "admin", "--name", "Quản trị", "--password-stdin"}, db...)...)
	if code != 0 || !strings.Contains(out, "created user admin") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	code, _, errs = runWithStdin(t, "first-admin-pass\n", append([]string{"user", "add", "--username", "admin", "--role", "admin", "--password-stdin"}, db...)...)
	if code != 1 || !strings.Contains(errs, "taken") {
		t.Fatalf("duplicate user: %d %q", code, errs)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lw := newLineWriter()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, db...), func(string) string { return "" }, strings.NewReader(""), lw, io.Discard)
	}()
	base := strings.TrimSuffix(lw.waitURL(t, 30*time.Second), "/")

	call := func(token, method, path string, body any, want int) map[string]any {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, base+path, rd)
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, raw, want)
		}
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		return m
	}
	login := call("", "POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": "first-admin-pass"}, 200)
	tok, _ := login["token"].(string)
	if tok == "" {
		t.Fatalf("login: %v", login)
	}
	call(tok, "POST", "/api/v1/units", map[string]any{"code": "34", "name": "Thái Bình", "kind": "province"}, 201)
	call(tok, "POST", "/api/v1/units", map[string]any{"code": "338", "name": "Quỳnh Phụ", "kind": "district", "parent_code": "34"}, 201)
	call(tok, "POST", "/api/v1/units", map[string]any{"code": "S1", "name": "Trường THCS Quỳnh Hải", "kind": "school", "parent_code": "338", "school_levels": []string{"lower_secondary"}}, 201)
	call(tok, "POST", "/api/v1/units", map[string]any{"code": "S2", "name": "Trường TH và THCS Quỳnh Hồng", "kind": "school", "parent_code": "338", "school_levels": []string{"primary", "lower_secondary"}}, 201)
	call(tok, "POST", "/api/v1/units", map[string]any{"code": "S3", "name": "Trường Mầm non Quỳnh Hội", "kind": "school", "parent_code": "338", "school_levels": []string{"preschool"}}, 201)
	call(tok, "POST", "/api/v1/users", map[string]any{"username": "phong.qp", "role": "district", "unit_code": "338", "password": "district-pass-1"}, 201)
	call(tok, "POST", "/api/v1/users", map[string]any{"username": "ht.quynhhai", "role": "school", "unit_code": "S1", "password": "school-pass-12"}, 201)
	c := call(tok, "POST", "/api/v1/campaigns", map[string]any{"name": "Năm học 2024-2025", "set_code": "moet-4725", "root_unit_code": "338", "opens_on": "2024-09-05"}, 201)
	for _, k := range []string{"id", "name", "set_code", "set_version", "status", "self_due", "review_due", "published_revision"} {
		if _, ok := c[k]; !ok {
			t.Errorf("campaign lacks %q: %v", k, c)
		}
	}
	if c["self_due"] != "2025-05-31" || c["review_due"] != "2025-06-20" || c["set_version"] != "2022.1" {
		t.Errorf("campaign: %v", c)
	}
	if n := c["assessments"].(map[string]any)["draft"]; n != float64(2) {
		t.Fatalf("campaign holds %v assessments, want 2 (the preschool is not assessed)", n)
	}
	// The district evaluator signs in and reads the same campaign.
	d := call("", "POST", "/api/v1/auth/login", map[string]string{"username": "phong.qp", "password": "district-pass-1"}, 200)
	dt := d["token"].(string)
	call(dt, "GET", "/api/v1/campaigns/1", nil, 200)
	call(dt, "POST", "/api/v1/campaigns", map[string]any{"name": "x", "set_code": "moet-4725", "root_unit_code": "338"}, 403)
	// Malformed input is a 4xx with a clear message, never a 500.
	req, _ := http.NewRequest("POST", base+"/api/v1/units", strings.NewReader(`{"code": 5`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("malformed JSON: %d", resp.StatusCode)
	}
	doc := call("", "GET", "/api/v1/openapi.json", nil, 200)
	paths := doc["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/auth/login", "/api/v1/campaigns", "/api/v1/campaigns/{id}", "/api/v1/indicator-sets/{code}/{version}", "/api/v1/users/{username}/lock"} {
		if _, ok := paths[p]; !ok {
			t.Errorf("openapi.json lacks %s", p)
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d", code)
	}
}
