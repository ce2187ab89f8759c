package web

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestWebHoldsNoDatabase: the web layer is handed built services
// (Config.Services) and reaches the database only through them (issue
// 19), so no file of it imports the driver. (survey and dashboard, which
// it calls, do, behind its interfaces; the Makefile's lint target checks
// that nothing web depends on, directly or not, is pgx or river.)
func TestWebHoldsNoDatabase(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(fset, f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, "github.com/jackc/pgx") {
				t.Errorf("%s imports %s: call a survey or dashboard method instead", f, path)
			}
		}
		if strings.Contains(string(src), "cfg.Pool") {
			t.Errorf("%s uses a pool of its own", f)
		}
	}
}
