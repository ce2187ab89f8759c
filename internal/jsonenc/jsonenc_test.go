package jsonenc

import (
	"encoding/json"
	"math"
	"testing"
)

// Every writer matches encoding/json byte for byte, on the edges of its
// number formatting and on strings that need escaping.
func TestAsEncodingJSON(t *testing.T) {
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1.0 / 3, 66.66666666666667, 100, 1e-6, 9.99e-7, 1e-7, 1.5e-9, 1e20, 1e21, 1.23e25, -4.5e-10, math.MaxFloat64, math.SmallestNonzeroFloat64}
	for _, f := range floats {
		got, err := Float(nil, f)
		want, _ := json.Marshal(f)
		if err != nil || string(got) != string(want) {
			t.Errorf("Float(%v) = %s, %v; want %s", f, got, err, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := Float(nil, f); err == nil {
			t.Errorf("Float(%v) gave no error", f)
		}
	}
	strs := []string{"", "a.lms", "G1", `quote"d`, `back\slash`, "<script>&", "tab\there", "ctrl\x01", "Trường", "line\u2028sep", "bad\xffutf8", "del\x7f"}
	for _, s := range strs {
		want, _ := json.Marshal(s)
		if got := String(nil, s); string(got) != string(want) {
			t.Errorf("String(%q) = %s; want %s", s, got, want)
		}
	}
	for _, ss := range [][]string{nil, {}, {"a"}, {"a", "<b>"}} {
		want, _ := json.Marshal(ss)
		if got := Strings(nil, ss); string(got) != string(want) {
			t.Errorf("Strings(%q) = %s; want %s", ss, got, want)
		}
	}
	for _, m := range []map[string]float64{nil, {}, {"b": 1, "a": 0.5, "a.10": 2, "a.9": 3, "Z": 1e-9}} {
		want, _ := json.Marshal(m)
		if got, err := FloatMap(nil, m); err != nil || string(got) != string(want) {
			t.Errorf("FloatMap(%v) = %s, %v; want %s", m, got, err, want)
		}
	}
}
