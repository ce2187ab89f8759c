package survey

import (
	"strings"
	"testing"
)

// TestCleanFilenameInvisible (issue 18, item 13): the names of evidence
// files lose every bidirectional control and other invisible format or
// control character when stored, and when shown, so that a name always
// reads as what it is.
func TestCleanFilenameInvisible(t *testing.T) {
	invisible := []rune{'\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069',
		'\u061c', '\u200b', '\u200d', '\ufeff', '\u00ad', '\u2028', '\u2029', '\x00', '\x1b', '\u0085', '\x7f'}
	cases := []struct{ in, ext, want string }{
		{"fdp\u202egnp.exe", ".png", "fdpgnp.exe.png"},
		{"\u2067báo cáo\u2069.pdf", ".pdf", "báo cáo.pdf"},
		{"\u202e", ".pdf", "minh-chung.pdf"},
		{"kế hoạch 2024–2025.pdf", ".pdf", "kế hoạch 2024–2025.pdf"}, // Vietnamese and dashes stay
		{"C:\\Users\\a\\bi\u200bên bản.docx", ".docx", "biên bản.docx"},
	}
	for _, c := range cases {
		if got := cleanFilename(c.in, c.ext); got != c.want {
			t.Errorf("cleanFilename(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, r := range invisible {
		name := "a" + string(r) + "b.pdf"
		if got := cleanFilename(name, ".pdf"); strings.ContainsRune(got, r) || got != "ab.pdf" {
			t.Errorf("cleanFilename kept %U: %q", r, got)
		}
		if got := shownFilename(name); strings.ContainsRune(got, r) || got != "ab.pdf" {
			t.Errorf("shownFilename kept %U: %q", r, got)
		}
	}
}
