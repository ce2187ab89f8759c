package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/pgcluster"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// fingerprint summarises the tables a restore must bring back whole.
func fingerprint(t *testing.T, dir string) map[string]string {
	t.Helper()
	ctx := context.Background()
	cl, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Stop(ctx)
	pool, err := postgres.NewPool(ctx, cl.DSN("dxindex"))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	out := map[string]string{}
	for _, table := range []string{"units", "users", "campaigns", "assessments", "answers", "evidence", "reviews", "review_changes",
		"assessment_events", "comments", "publications", "published_results", "indicator_sets", "schema_migrations"} {
		var n int
		var digest string
		// Every column of every row, in a fixed order.
		q := `SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM ` + table + ` t`
		if err := pool.QueryRow(ctx, q).Scan(&n, &digest); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = digest
		out[table+".rows"] = fmt.Sprint(n)
		if n == 0 && table != "comments" {
			t.Errorf("table %s is empty in the fixture", table)
		}
	}
	return out
}

// TestBackupRestore: a backup of a database that went through the whole
// workflow, restored into an empty data dir, holds every assessment,
// answer, evidence file and audit row, byte for byte.
func TestBackupRestore(t *testing.T) {
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
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	testfix.Units(t, svc, testfix.QuynhPhu...)
	principal, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: "school-password"})
	must(err)
	evaluator, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "phong", Role: model.RoleDistrict, UnitCode: "338", Password: "district-password"})
	must(err)
	c, rows := testfix.OpenCampaign(t, svc, "example", "338")
	a1, _ := svc.UnitByCode(ctx, "A1")
	d, _ := svc.UnitByCode(ctx, "338")
	school := &model.Actor{UserID: principal.ID, Username: "ht.a1", Role: model.RoleSchool, UnitID: a1.ID, UnitPath: a1.Path}
	district := &model.Actor{UserID: evaluator.ID, Username: "phong", Role: model.RoleDistrict, UnitID: d.ID, UnitPath: d.Path}
	id := rows[0].ID
	for code, v := range map[string]string{"a.plan": `true`, "a.lms": `true`, "a.devices": `"all"`, "a.features": `["quiz"]`, "a.teachers": `70`,
		"a.lab": `50`, "b.modules": `3`, "b.portal": `true`, "b.services": `2`} {
		_, err := svc.SaveAnswer(ctx, school, id, code, json.RawMessage(v), 0)
		must(err)
	}
	_, err = svc.AddEvidenceFile(ctx, school, id, "a.plan", "kế hoạch.pdf", []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"))
	must(err)
	must(svc.Submit(ctx, school, id))
	_, err = svc.Review(ctx, district, id, "a.teachers", json.RawMessage(`60`), "Kiểm tra thực tế")
	must(err)
	_, err = svc.AddComment(ctx, district, id, "a.teachers", "Cần biên bản")
	must(err)
	must(svc.Approve(ctx, district, id, "Đạt"))
	_, err = svc.Publish(ctx, district, c.ID, "")
	must(err)
	pool.Close()
	must(cl.Stop(ctx))
	want := fingerprint(t, src)

	file := filepath.Join(t.TempDir(), "dxindex.backup")
	if code, out, errs := runCLI(t, nil, "backup", "--data-dir", src, file); code != 0 {
		t.Fatalf("backup: %d %s %s", code, out, errs)
	}
	dst := reachableTempDir(t)
	if code, out, errs := runCLI(t, nil, "restore", "--data-dir", dst, file); code != 0 {
		t.Fatalf("restore: %d %s %s", code, out, errs)
	}
	got := fingerprint(t, dst)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s differs after restore", k)
		}
	}
	// Restoring over data is refused.
	if code, _, errs := runCLI(t, nil, "restore", "--data-dir", dst, file); code == 0 || !strings.Contains(errs, "not empty") {
		t.Fatalf("restore over data: %d %s", code, errs)
	}
}
