package web

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func TestFormatNumber(t *testing.T) {
	cases := []struct {
		lang string
		x    float64
		dec  int
		want string
	}{
		{"vi", 74.5, 2, "74,5"},
		{"vi", 1234567.891, 2, "1.234.567,89"},
		{"en", 1234567.891, 2, "1,234,567.89"},
		{"vi", 47000, 0, "47.000"},
		{"vi", -0.001, 2, "0"},
		// Half away from zero, the set's rounding everywhere (numfmt); the
		// old expectation "-12,2" was strconv's round-half-to-even.
		{"vi", -12.25, 1, "-12,3"},
		{"vi", 100, 2, "100"},
	}
	for _, c := range cases {
		if got := formatNumber(c.lang, c.x, c.dec); got != c.want {
			t.Errorf("formatNumber(%s, %v, %d) = %q, want %q", c.lang, c.x, c.dec, got, c.want)
		}
	}
}

func TestDates(t *testing.T) {
	d, ok := parseDate("31/05/2025")
	if !ok || formatDate(d) != "31/05/2025" {
		t.Fatalf("31/05/2025 → %v %v → %q", d, ok, formatDate(d))
	}
	if _, ok := parseDate("2025-05-31"); !ok {
		t.Fatal("ISO date from a date input refused")
	}
	for _, bad := range []string{"31/13/2025", "yesterday", "", "30/02/2025"} {
		if _, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) accepted", bad)
		}
	}
	// 23:30 UTC is already the next day in Vietnam.
	if got := formatDate(time.Date(2025, 5, 30, 23, 30, 0, 0, time.UTC)); got != "31/05/2025" {
		t.Errorf("Vietnamese day of 30/05 23:30 UTC = %s", got)
	}
}

// TestCatalogComplete: every key has both languages, Vietnamese NFC.
func TestCatalogComplete(t *testing.T) {
	for k, v := range catalog {
		if strings.TrimSpace(v[0]) == "" || strings.TrimSpace(v[1]) == "" {
			t.Errorf("catalog %q lacks a language: %q", k, v)
		}
		if !norm.NFC.IsNormalString(v[0]) {
			t.Errorf("catalog %q: Vietnamese text is not NFC", k)
		}
	}
}

// TestOpenAPIComplete: every API route is in the document, with a summary.
func TestOpenAPIComplete(t *testing.T) {
	s := newTestServer(t, nil)
	doc := s.openAPIDocument()
	paths := doc["paths"].(map[string]map[string]any)
	n := 0
	// Paths that differ only in their parameters' names share one
	// template in the document (OpenAPI forbids equivalent templates).
	templates := templateNames(s.Routes())
	for _, r := range s.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		n++
		p := templates[r.Path]
		op, ok := paths[p][strings.ToLower(r.Method)].(map[string]any)
		if !ok {
			t.Errorf("%s %s missing from openapi.json", r.Method, p)
			continue
		}
		if op["summary"] == "" {
			t.Errorf("%s %s has no summary", r.Method, p)
		}
	}
	if n < 15 {
		t.Fatalf("only %d API routes", n)
	}
}
