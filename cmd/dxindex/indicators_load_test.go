package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/imports"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/jackc/pgx/v5/pgxpool"
)

const v11Dir = "../../indicators/testdata/v1.1"

// `dxindex indicators validate` accepts every valid v1.1 example and
// rejects each invalid one with its own message naming file, path and line.
func TestIndicatorsValidateV11(t *testing.T) {
	valid, _ := filepath.Glob(filepath.Join(v11Dir, "valid", "*.yaml"))
	code, out, _ := runSub(t, cmdIndicators, "", append([]string{"validate", filepath.Join(setsDir, "moet-agency.yaml")}, valid...)...)
	if code != 0 || strings.Count(out, ": ok (") != len(valid)+1 {
		t.Fatalf("valid v1.1 files: exit %d\n%s", code, out)
	}
	invalid, _ := filepath.Glob(filepath.Join(v11Dir, "invalid", "*.yaml"))
	for _, f := range invalid {
		data, _ := os.ReadFile(f)
		head, _, _ := strings.Cut(string(data), "\n")
		want := strings.TrimPrefix(head, "# want: ") // LINE PATH: MESSAGE
		line, rest, _ := strings.Cut(want, " ")
		code, out, _ := runSub(t, cmdIndicators, "", "validate", f)
		if code != 1 || !strings.Contains(out, f+":"+line+": "+rest) || !strings.Contains(out, "1 problem in 1 of 1 file") {
			t.Errorf("%s: exit %d, want %q in\n%s", filepath.Base(f), code, f+":"+line+": "+rest, out)
		}
	}
}

func TestIndicatorsLoad(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	dir := t.TempDir()
	load := func(files ...string) (int, string) {
		t.Helper()
		code, out, errs := runSub(t, cmdIndicators, "", append([]string{"load", "--database-url", url, "--log-level", "warn"}, files...)...)
		return code, out + errs
	}

	// A revision of the shipped moet-agency: LD.2.1 re-scored, KQ.1.4
	// removed (its points to KQ.1.2), a new indicator LD.3.5.
	shipped, _ := os.ReadFile(filepath.Join(setsDir, "moet-agency.yaml"))
	doc := string(shipped)
	edit := func(old, new string) {
		t.Helper()
		if strings.Count(doc, old) != 1 {
			t.Fatalf("%q occurs %d times", old, strings.Count(doc, old))
		}
		doc = strings.Replace(doc, old, new, 1)
	}
	edit(`version: "2024.1-provisional"`, `version: "2025.1-draft"`)
	edit("proportional: {points: 12, full_at: 100}", "proportional: {points: 9, full_at: 100}")
	edit("  - code: KQ\n", "          - code: LD.3.5\n            name: {vi: \"Có cổng thông tin điện tử công khai kết quả chuyển đổi số\"}\n            type: boolean\n            points: 3\n            unconfirmed: true\n  - code: KQ\n")
	i := strings.Index(doc, "          - code: KQ.1.4")
	j := strings.Index(doc, "levels:")
	doc = doc[:i] + doc[j:]
	edit("proportional: {points: 15, full_at: 100}\n            rollup: {measure: share_at_level, min_level: 2}", "proportional: {points: 25, full_at: 100}\n            rollup: {measure: share_at_level, min_level: 2}")
	rev := filepath.Join(dir, "moet-agency-2025.yaml")
	os.WriteFile(rev, []byte(doc), 0o644)

	// Another set, new to the database, from a workbook.
	example, _ := os.ReadFile(filepath.Join(setsDir, "example.yaml"))
	ex, err := indicators.Parse("example.yaml", []byte(strings.Replace(string(example), "code: example", "code: example-xlsx", 1)))
	if err != nil {
		t.Fatal(err)
	}
	book, err := imports.SetToXLSX(ex)
	if err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(dir, "example.xlsx")
	os.WriteFile(xlsx, book, 0o644)

	code, out := load(rev, xlsx, filepath.Join(v11Dir, "valid", "rollup.yaml"))
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"moet-agency 2025.1-draft: stored as a new version (2 groups, 13 indicators)\n",
		"  against 2024.1-provisional: 1 added, 1 removed, 2 changed\n",
		"  + indicator LD.3.5\n",
		"  - indicator KQ.1.4\n",
		"  ~ indicator LD.2.1: max 12 → 9\n",
		"  ~ indicator KQ.1.2: max 15 → 25\n",
		"example-xlsx 1: stored as a new version",
		"v11-rollup 1: stored as a new version (2 groups, 5 indicators)\n  the first version of this set\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	got, err := setstore.Get(ctx, pool, "moet-agency", "2025.1-draft")
	if err != nil || got.Set == nil || len(got.Set.Rollups()) != 3 || got.LockedAt != nil {
		t.Fatalf("stored: %+v, %v", got, err)
	}
	if latest, _ := setstore.Latest(ctx, pool, "moet-agency"); latest == nil || latest.Version != "2025.1-draft" {
		t.Errorf("latest %+v", latest)
	}

	// The same file again changes nothing.
	if code, out := load(rev); code != 0 || !strings.Contains(out, "moet-agency 2025.1-draft: already stored, unchanged") {
		t.Errorf("again: exit %d\n%s", code, out)
	}
	// Other content under a stored version is refused: versions never change.
	os.WriteFile(rev, []byte(strings.Replace(doc, "proportional: {points: 9, full_at: 100}", "proportional: {points: 6, full_at: 100}\n          - code: LD.2.9\n            name: {vi: \"Thêm\"}\n            type: boolean\n            points: 3", 1)), 0o644)
	if code, out := load(rev); code != 1 || !strings.Contains(out, "moet-agency 2025.1-draft is already stored with other content; a stored version never changes") ||
		!strings.Contains(out, "+ indicator LD.2.9") || !strings.Contains(out, "nothing loaded") {
		t.Errorf("changed version: exit %d\n%s", code, out)
	}
	if got, _ := setstore.Get(ctx, pool, "moet-agency", "2025.1-draft"); got.Set.Groups[0].Criteria[1].Indicators[0].MaxPoints() != 9 {
		t.Errorf("a stored version changed")
	}

	// Invalid files: every problem with file, line and path, and nothing
	// stored, not even the valid file beside them.
	bad := filepath.Join(v11Dir, "invalid", "rollup-in-school-set.yaml")
	fresh := filepath.Join(v11Dir, "valid", "fresh-evidence.yaml")
	code, out = load(fresh, bad)
	if code != 1 || !strings.Contains(out, bad+":18: groups[0].criteria[0].indicators[0].rollup: rollup is only for sets with assessed: agency") ||
		!strings.Contains(out, "nothing loaded") {
		t.Errorf("invalid: exit %d\n%s", code, out)
	}
	if _, err := setstore.Get(ctx, pool, "v11-fresh-evidence", "1"); err == nil {
		t.Errorf("a file was stored although another was invalid")
	}
	if code, out := load(); code != 2 || !strings.Contains(out, "no file to load") {
		t.Errorf("no file: exit %d\n%s", code, out)
	}
}
