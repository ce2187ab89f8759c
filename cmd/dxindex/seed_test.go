package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/imports"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/postgres"
)

// runCmd runs one of this feature's subcommands directly (the lead lists
// them in commands()).
func runCmd(t *testing.T, fn func(context.Context, *env, []string) error, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
		g: globals{logLevel: "warn", logFormat: "text"}}
	err := fn(context.Background(), e, args)
	return out.String(), errb.String(), err
}

func TestSeedCommand(t *testing.T) {
	url := pgtest.URL(t)
	out, errs, err := runCmd(t, runSeed, "--database-url", url, "--seed", "3")
	if err != nil {
		t.Fatalf("%v\n%s", err, errs)
	}
	for _, want := range []string{"demo loaded", "phong.338", "demo-phong.338", "ht.338", "admin", "demo-admin", "so.34", "bo.gddt", "demo-cb.33", "cb.338"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "seed: units:") {
		t.Errorf("no plain progress lines on a non-terminal: %q", errs)
	}
	out2, _, err := runCmd(t, runSeed, "--database-url", url, "--quiet")
	if err != nil || !strings.Contains(out2, "already loaded (seed 3): nothing changed") || !strings.Contains(out2, "demo-phong.338") {
		t.Fatalf("second run: %v\n%s", err, out2)
	}
	// serve --production refuses the demo accounts until they are locked.
	ctx := context.Background()
	db, err := postgres.Open(ctx, postgres.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := refuseDemoAccounts(ctx, db.Pool); err == nil || !strings.Contains(err.Error(), "demo accounts") {
		t.Fatalf("production check with demo accounts: %v", err)
	}
	// And the real command: `serve --production` exits 1 before listening.
	if code, _, errs := runCLI(t, nil, "serve", "--production", "--database-url", url, "--addr", "127.0.0.1:0"); code != 1 || !strings.Contains(errs, "demo accounts") {
		t.Fatalf("serve --production with the demo: exit %d, %q", code, errs)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE users SET locked_at = now()`); err != nil {
		t.Fatal(err)
	}
	if err := refuseDemoAccounts(ctx, db.Pool); err != nil {
		t.Fatalf("production check with the demo accounts locked: %v", err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE users SET locked_at = NULL`); err != nil {
		t.Fatal(err)
	}
	// Export the published 2023-2024 campaign of Thái Bình.
	dir := t.TempDir()
	xl := filepath.Join(dir, "tb.xlsx")
	out, errs, err = runCmd(t, runExport, "--database-url", url, "--campaign", "2", "--unit", "34", "--out", xl)
	if err != nil || !strings.Contains(out, "Năm học 2023-2024") {
		t.Fatalf("export: %v %s %s", err, out, errs)
	}
	f, _ := os.Open(xl)
	tab, err := imports.ReadTable("tb.xlsx", f)
	f.Close()
	if err != nil || len(tab.Rows) < 300 || tab.Get(tab.Rows[0], "province_code") != "34" || tab.Get(tab.Rows[0], "status") != "approved" || tab.Get(tab.Rows[0], "published_revision") == "" {
		t.Fatalf("export content: %d rows %v", len(tab.Rows), tab.Rows[0].Cells)
	}
	csvPath := filepath.Join(dir, "answers.csv")
	if _, errs, err := runCmd(t, runExport, "--database-url", url, "--campaign", "2", "--unit", "338", "--answers", "--out", csvPath); err != nil {
		t.Fatalf("export answers: %v %s", err, errs)
	}
	b, _ := os.ReadFile(csvPath)
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbfunit_code,unit_name,indicator,value")) || !strings.Contains(string(b), "\n338002,") {
		t.Fatalf("answers csv: %.300s", b)
	}
}

func TestImportCommand(t *testing.T) {
	url := pgtest.URL(t)
	dir := t.TempDir()
	rows := [][]string{imports.UnitColumns, {"34", "Tỉnh Thái Bình", "province", "", "", "", "", ""}, {"338", "Huyện Quỳnh Phụ", "district", "34", "", "", "", ""}}
	for i := 1; len(rows) < 501; i++ {
		rows = append(rows, []string{fmt.Sprintf("338%03d", i), fmt.Sprintf("Trường THCS Quỳnh Hội %d", i), "school", "338", "lower_secondary", "450", "22", "26"})
	}
	write := func(name string, rows [][]string) string {
		b, err := imports.Write(strings.TrimPrefix(filepath.Ext(name), "."), "units", rows)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		return p
	}
	good := write("units.xlsx", rows)
	badRows := make([][]string, len(rows))
	for i := range rows {
		badRows[i] = append([]string(nil), rows[i]...)
	}
	badRows[9][0] = "mã có dấu"   // row 10
	badRows[99][2] = "trường mầm" // row 100
	badRows[499][3] = "339"       // row 500
	bad := write("units-bad.xlsx", badRows)
	out, errs, err := runCmd(t, runImport, "units", "--database-url", url, bad)
	if err == nil || !strings.Contains(errs, "nothing imported: 3 bad row(s)") {
		t.Fatalf("bad file: %v %s %s", err, out, errs)
	}
	for _, want := range []string{"row 10, code:", "row 100, kind:", "row 500, parent_code:"} {
		if !strings.Contains(errs, want) {
			t.Errorf("errors lack %q:\n%s", want, errs)
		}
	}
	if strings.Count(errs, "\n  row ") != 3 {
		t.Errorf("want exactly 3 rows reported:\n%s", errs)
	}
	out, errs, err = runCmd(t, runImport, "units", "--database-url", url, good)
	if err != nil || !strings.Contains(out, "imported 500 rows: 500 units created, 0 updated") {
		t.Fatalf("good file: %v %s %s", err, out, errs)
	}
	out, _, err = runCmd(t, runImport, "units", "--database-url", url, good)
	if err != nil || !strings.Contains(out, "0 units created, 500 updated") {
		t.Fatalf("re-import: %v %s", err, out)
	}
	users := write("users.csv", [][]string{imports.UserColumns, {"phong.338", "Phòng GDĐT Quỳnh Phụ", "district", "338"}})
	out, errs, err = runCmd(t, runImport, "users", "--database-url", url, users)
	if err != nil || !strings.Contains(out, "1 users created") || !strings.Contains(out, "phong.338") {
		t.Fatalf("users: %v %s %s", err, out, errs)
	}
	// The indicator-set workbook: template → set file.
	tpl := filepath.Join(dir, "set.xlsx")
	if _, errs, err := runCmd(t, runImport, "template", "--out", tpl, "indicators"); err != nil {
		t.Fatalf("template: %v %s", err, errs)
	}
	out, errs, err = runCmd(t, runImport, "indicators", tpl)
	if err != nil || !strings.Contains(out, "moet-4725 2022.1") || !strings.Contains(out, "valid") {
		t.Fatalf("indicators: %v %s %s", err, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "set.yaml")); err != nil {
		t.Fatal(err)
	}
}
