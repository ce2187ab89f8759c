package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/pgcluster"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// TestRestoreEndsSessions (issue 18, also found): a backup taken while
// people were signed in restores without their sessions: a token valid
// on the old server does not open the restored one.
func TestRestoreEndsSessions(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real clusters")
	}
	ctx := context.Background()
	src := reachableTempDir(t)
	cl, err := pgcluster.Start(ctx, pgcluster.Options{Dir: src})
	if err != nil {
		t.Fatal(err)
	}
	pool, err := postgres.NewPool(ctx, cl.DSN("dxindex"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	svc := survey.NewService(pool)
	if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "admin", Role: model.RoleAdmin, Password: "admin-password-1"}); err != nil {
		t.Fatal(err)
	}
	_, sess, err := svc.Login(ctx, "admin", "admin-password-1", "127.0.0.1", model.SessionAPI)
	if err != nil {
		t.Fatal(err)
	}
	pool.Close()
	if err := cl.Stop(ctx); err != nil {
		t.Fatal(err)
	}

	file := filepath.Join(t.TempDir(), "dxindex.backup")
	if code, out, errs := runCLI(t, nil, "backup", "--data-dir", src, file); code != 0 {
		t.Fatalf("backup: %d %s %s", code, out, errs)
	}
	dst := reachableTempDir(t)
	code, out, errs := runCLI(t, nil, "restore", "--data-dir", dst, file)
	if code != 0 {
		t.Fatalf("restore: %d %s %s", code, out, errs)
	}
	if !strings.Contains(out, "1 sessions from the backup ended") {
		t.Errorf("restore output %q does not say the sessions ended", out)
	}
	cl2, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dst})
	if err != nil {
		t.Fatal(err)
	}
	defer cl2.Stop(ctx)
	pool2, err := postgres.NewPool(ctx, cl2.DSN("dxindex"))
	if err != nil {
		t.Fatal(err)
	}
	defer pool2.Close()
	if _, _, err := survey.NewService(pool2).SessionByToken(ctx, sess.Token, model.SessionAPI); err == nil {
		t.Fatal("a session from before the backup opens the restored database")
	}
	var n int
	if err := pool2.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("users after restore: %d, %v", n, err)
	}
}

// TestCLICommonPasswordRefused (issue 18, item 14): `dxindex user add`
// and `user passwd` refuse a password on the common list, saying why.
func TestCLICommonPasswordRefused(t *testing.T) {
	db := []string{"--database-url", pgtest.URL(t)}
	code, _, errs := runWithStdin(t, "Password123\n", append([]string{"user", "add", "--username", "admin", "--role", "admin", "--password-stdin"}, db...)...)
	if code != 1 || !strings.Contains(errs, "common passwords") {
		t.Fatalf("user add with a common password: %d %q", code, errs)
	}
	if code, out, errs := runWithStdin(t, "first-admin-pass\n", append([]string{"user", "add", "--username", "admin", "--role", "admin", "--password-stdin"}, db...)...); code != 0 {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	code, _, errs = runWithStdin(t, "qwertyuiop\n", append([]string{"user", "passwd", "--username", "admin", "--password-stdin"}, db...)...)
	if code != 1 || !strings.Contains(errs, "common passwords") {
		t.Fatalf("user passwd with a common password: %d %q", code, errs)
	}
}
