package web

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/dashboard"
	"github.com/dxindex/dxindex/internal/setstore"
)

// The concrete services cmd/dxindex hands to web satisfy web's interfaces.
var (
	_ Dashboard = (*dashboard.Store)(nil)
	_ Sets      = (*setstore.Store)(nil)
	_ Exports   = (*dashboard.Exporter)(nil)
)

// TestWebImportsNoStore: web names the services through its own
// interfaces and the pure type packages (dashview, …), never the packages
// that read PostgreSQL, so that `go list -deps ./internal/web` holds no
// pgx (issue 19).
func TestWebImportsNoStore(t *testing.T) {
	stores := []string{
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
			for _, s := range stores {
				if path == s {
					t.Errorf("%s imports %s: name the service through an interface of web and its types through the pure package", f, path)
				}
			}
		}
	}
}
