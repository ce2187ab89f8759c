package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTemplateKeysInCatalog: every text a template asks for by a literal
// key ({{t "…"}}) is in the catalog in both languages; a missing one
// would show the bare key ("paper.csv_vi") on the page.
func TestTemplateKeysInCatalog(t *testing.T) {
	re := regexp.MustCompile(`\bt "([a-z0-9_.]+)"`)
	n := 0
	err := fs.WalkDir(templateFiles, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFiles, path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			n++
			key := string(m[1])
			v, ok := catalog[key]
			if !ok || v[0] == "" || v[1] == "" {
				t.Errorf("%s: {{t %q}} is not in the catalog in both languages", path, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("only %d keys found: the pattern no longer matches the templates", n)
	}
}

// TestCodeKeysInCatalog: the same for the keys the Go code asks for by a
// literal (tr(lang, "…")).
func TestCodeKeysInCatalog(t *testing.T) {
	re := regexp.MustCompile(`\btr\([A-Za-z.()]+, "([a-z0-9_.]+)"\)`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			n++
			if v, ok := catalog[string(m[1])]; !ok || v[0] == "" || v[1] == "" {
				t.Errorf("%s: tr(…, %q) is not in the catalog in both languages", f, m[1])
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d keys found: the pattern no longer matches the code", n)
	}
}
