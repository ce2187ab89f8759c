package web

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestWebHoldsNoDatabase: the web layer is handed built services
// (Config.Services) and reaches the database only through them (issue
// 19), so no file of it imports the driver. (survey and dashboard, which
// it calls, do, behind its interfaces; the Makefile's lint target checks
// that nothing web depends on, directly or not, is pgx or river.)
//
// Nor does it import the packages that read PostgreSQL: it names the
// services through its own interfaces (services.go, services_survey.go)
// and their types through the pure packages (survey/model, dashview,
// setview).
func TestWebHoldsNoDatabase(t *testing.T) {
	stores := []string{
		"github.com/dxindex/dxindex/survey",
		"github.com/dxindex/dxindex/dashboard",
		"github.com/dxindex/dxindex/internal/setstore",
		"github.com/dxindex/dxindex/internal/postgres",
		"github.com/dxindex/dxindex/seed",
	}
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
			if strings.HasPrefix(path, "github.com/jackc/") || strings.HasPrefix(path, "github.com/riverqueue/") {
				t.Errorf("%s imports %s: call a survey or dashboard method instead", f, path)
			}
			if slices.Contains(stores, path) {
				t.Errorf("%s imports %s: name the service through an interface of web and its types through the pure package", f, path)
			}
		}
		if strings.Contains(string(src), "cfg.Pool") {
			t.Errorf("%s uses a pool of its own", f)
		}
	}
}
