package indicators

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// TestPointsJSONIsTheMapsJSON: a scored result's indicator points encode
// byte for byte as encoding/json encodes the same points as a map, for
// random answers to every shipped set at every school level (and none).
func TestPointsJSONIsTheMapsJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 19))
	for _, set := range Shipped() {
		for _, level := range append([]string{""}, set.EffectiveSchoolLevels()...) {
			for range 200 {
				r, err := Score(set, level, randomAnswers(rng, set, level))
				if errors.Is(err, ErrSchoolLevel) && level == "" {
					break // the set needs one
				}
				if err != nil {
					t.Fatal(set.Code, level, err)
				}
				got, err := r.IndicatorPoints.MarshalJSON()
				if err != nil {
					t.Fatal(err)
				}
				want, err := json.Marshal(r.IndicatorPoints.Map())
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != string(want) {
					t.Fatalf("%s %q:\n got %s\nwant %s", set.Code, level, got, want)
				}
			}
		}
	}
	if b, err := (IndicatorPoints{}).MarshalJSON(); err != nil || string(b) != "{}" {
		t.Errorf("no points: %s %v", b, err)
	}
}

// TestAppendJSONFloat: numbers as encoding/json writes a float64,
// exponent forms and their edges included.
func TestAppendJSONFloat(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 2.5, 1.0 / 3, 33.333333333333336, 100,
		1e-6, 9.99e-7, 1e-7, -1e-7, 1.5e-10, 5e-324, 1e20, 1e21, -1e21, 1.7976931348623157e308, 123456789.125} {
		want, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONFloat(nil, f); string(got) != string(want) {
			t.Errorf("%v: %s, want %s", f, got, want)
		}
	}
	for _, s := range []string{"1.2.3", "a.lms", "LD.1.1"} {
		if !plainKey(s) {
			t.Errorf("%q is written as is", s)
		}
	}
	for _, s := range []string{"a<b", "a&b", `a"b`, `a\b`, "ả", "a\tb"} {
		if plainKey(s) {
			t.Errorf("%q is escaped", s)
		}
	}
}
