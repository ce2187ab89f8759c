package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/pgcluster"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// TestDatabaseAwayAndBack: PostgreSQL stops while dxindex serves. The
// server stays up, says so with 503s (and readiness fails) instead of 500s,
// and recovers by itself when the database is back, with nothing that was
// acknowledged lost.
func TestDatabaseAwayAndBack(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	ctx := context.Background()
	dir := reachableTempDir(t)
	cl, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Stop(context.Background()) })
	dsn := cl.DSN("dxindex")

	pool, err := postgres.NewPool(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	svc := survey.NewService(pool)
	testfix.Units(t, svc, testfix.QuynhPhu...)
	testfix.Users(t, svc, model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: "school-password"})
	_, rows := testfix.OpenCampaign(t, svc, "example", "338")
	pool.Close()

	p := startServe(t, "--database-url", dsn)
	defer p.term(t)
	client := &http.Client{Timeout: 15 * time.Second}
	call := func(method, path, token, body string) (int, string) {
		req, _ := http.NewRequest(method, p.url+strings.TrimPrefix(path, "/"), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := call("POST", "/api/v1/auth/login", "", `{"username":"ht.a1","password":"school-password"}`)
	var lr struct{ Token string }
	_ = json.Unmarshal([]byte(body), &lr)
	if code != 200 {
		t.Fatalf("login: %d %s", code, body)
	}
	answer := fmt.Sprintf("/api/v1/assessments/%d/answers/a.lms", rows[0].ID)
	if code, body := call("PUT", answer, lr.Token, `{"value":true,"version":0}`); code != 200 {
		t.Fatalf("save: %d %s", code, body)
	}

	// The database goes away.
	if err := cl.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	away := time.Now()
	if code, _ := call("GET", "/healthz", "", ""); code != 200 {
		t.Fatalf("/healthz with the database away: %d (the process must stay up)", code)
	}
	if code, _ := call("GET", "/readyz", "", ""); code != 503 {
		t.Fatalf("/readyz with the database away: %d, want 503", code)
	}
	code, body = call("PUT", answer, lr.Token, `{"value":false,"version":1}`)
	if code != 503 || !strings.Contains(body, "database_unavailable") {
		t.Fatalf("a save with the database away: %d %s, want 503 database_unavailable", code, body)
	}
	time.Sleep(3 * time.Second)

	// It comes back; dxindex recovers without a restart.
	cl, err = pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if code, _ := call("GET", "/readyz", "", ""); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not ready 30 s after the database came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("database away for %v; ready again", time.Since(away).Round(time.Millisecond))
	code, body = call("PUT", answer, lr.Token, `{"value":false,"version":1}`)
	if code != 200 || !bytes.Contains([]byte(body), []byte(`"version":2`)) {
		t.Fatalf("save after the database came back: %d %s", code, body)
	}
}
