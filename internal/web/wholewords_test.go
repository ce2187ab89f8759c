package web

import "testing"

// A hyphenated word of a unit's name stays on one line; the rest is
// escaped as any text would be.
func TestWholeWords(t *testing.T) {
	for in, want := range map[string]string{
		"Trường THCS Quỳnh Hội":         "Trường THCS Quỳnh Hội",
		"Trung tâm GDNN-GDTX Quỳnh Phụ": `Trung tâm <span class="nowrap">GDNN-GDTX</span> Quỳnh Phụ`,
		"A&B-<C>":                       `<span class="nowrap">A&amp;B-&lt;C&gt;</span>`,
	} {
		if got := string(wholeWords(in)); got != want {
			t.Errorf("wholeWords(%q) = %q, want %q", in, got, want)
		}
	}
}
