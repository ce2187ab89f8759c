package survey

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOneWriterOfUnitsUsersSessions: survey is the only writer of units,
// users and sessions (issue 19). Imports hand it rows, seed goes through
// BulkInsertUnits, the web layer calls Logout: no other package's code
// (tests and migrations aside) inserts units or users or deletes
// sessions.
func TestOneWriterOfUnitsUsersSessions(t *testing.T) {
	write := regexp.MustCompile(`INSERT INTO units\b|INSERT INTO users\b|DELETE FROM sessions\b`)
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "testdata" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		if strings.HasPrefix(rel, "survey"+string(filepath.Separator)) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if m := write.Find(b); m != nil {
			t.Errorf("%s: %q outside survey: call a survey method", rel, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
