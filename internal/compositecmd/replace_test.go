package compositecmd

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReplaceFile: the complete file takes the place of the old one (which
// is gone, not left under the temporary name), of a missing one, and of a
// symbolic link (the link is replaced, its target left alone), as a rename
// over it would.
func TestReplaceFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	entries := func() int {
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}

	out := write("results.csv", "old\n")
	if err := replaceFile(write(".results.csv.1.tmp", "new\n"), out); err != nil {
		t.Fatal(err)
	}
	if got := read(out); got != "new\n" || entries() != 1 {
		t.Fatalf("after replacing: %q, %d files (want the new results alone)", got, entries())
	}

	fresh := filepath.Join(dir, "fresh.csv")
	if err := replaceFile(write(".fresh.csv.1.tmp", "first\n"), fresh); err != nil {
		t.Fatal(err)
	}
	if got := read(fresh); got != "first\n" || entries() != 2 {
		t.Fatalf("a new path: %q, %d files", got, entries())
	}

	target := write("target.csv", "kept\n")
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlink: %v", err)
	}
	if err := replaceFile(write(".link.csv.1.tmp", "through link\n"), link); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || !fi.Mode().IsRegular() || read(link) != "through link\n" || read(target) != "kept\n" || entries() != 4 {
		t.Fatalf("over a link: %v %v, link %q, target %q, %d files", fi.Mode(), err, read(link), read(target), entries())
	}
}
