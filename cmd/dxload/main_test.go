package main

import "testing"

// savedVersion finds the version in a save's answer, and falls back to
// decoding when the fast path cannot be sure.
func TestSavedVersion(t *testing.T) {
	cases := map[string]int{
		`{"indicator":"a.lms","value":true,"version":12,"self":{"index":50}}`: 12,
		`{"version":3}`:                                     3,
		`{"value":"x","version": 7}`:                        7, // a space: decoded
		`{"self":{"groups":{}},"version":41,"revision":99}`: 41,
		`not json`: 0,
	}
	for body, want := range cases {
		if got := savedVersion([]byte(body)); got != want {
			t.Errorf("savedVersion(%s) = %d, want %d", body, got, want)
		}
	}
}
