package indicators

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOverlayAndParseSheet checks the sheet builders the bulk callers use
// against the map path: ParseSheet gives Sheet(ParseAnswerMap(raw)), and
// Overlay gives the sheet of the overlaid map, so that scoring either
// gives the same result.
func TestOverlayAndParseSheet(t *testing.T) {
	set := mustShipped(t, "moet-4725")
	rng := rand.New(rand.NewPCG(3, 4))
	opts := cmp.AllowUnexported(Result{}, plan{}, cind{}, cgroup{}, ccrit{}, clevel{}, ccond{})
	for n := 0; n < 200; n++ {
		level := SchoolLevels[rng.IntN(len(SchoolLevels))]
		answers := randomAnswers(rng, set, level)
		raw := map[string]json.RawMessage{}
		for code, a := range answers {
			b, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			raw[code] = b
		}
		parsed, err := set.ParseSheet(raw)
		if err != nil {
			t.Fatal(err)
		}
		want, err := set.Sheet(answers)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, parsed); d != "" {
			t.Fatalf("ParseSheet differs from Sheet (-want +got):\n%s", d)
		}
		// An evaluator's values over some answers, one clearing its answer.
		reviews := map[string]Answer{}
		for code, a := range answers {
			if rng.IntN(8) == 0 {
				if a.Kind == KindBool {
					a.Bool = !a.Bool
				}
				reviews[code] = a
			} else if rng.IntN(40) == 0 {
				reviews[code] = Answer{}
			}
		}
		overlaid := maps.Clone(answers)
		for code, v := range reviews {
			if v.Kind == KindNone {
				delete(overlaid, code)
			} else {
				overlaid[code] = v
			}
		}
		over, err := set.Overlay(parsed, reviews)
		if err != nil {
			t.Fatal(err)
		}
		fromMap, err := Score(set, level, overlaid)
		if err != nil {
			t.Fatal(err)
		}
		fromSheet, err := ScoreSheet(set, level, over)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(fromMap, fromSheet, opts); d != "" {
			t.Fatalf("overlaid sheet scores differently:\n%s", d)
		}
		if d := cmp.Diff(want, parsed); d != "" {
			t.Fatalf("Overlay changed the sheet it was given:\n%s", d)
		}
	}
}

func TestParseSheetErrors(t *testing.T) {
	set := mustShipped(t, "example")
	raw := map[string]json.RawMessage{"zz": json.RawMessage(`true`), "a.lms": json.RawMessage(`{}`), "a.lab": json.RawMessage(`[1]`), "aa": json.RawMessage(`1`)}
	_, err := set.ParseSheet(raw)
	_, mapErr := ParseAnswerMap(raw)
	want := mapErr.Error() + "; indicator aa: unknown indicator code; indicator zz: unknown indicator code"
	if err == nil || err.Error() != want {
		t.Errorf("ParseSheet errors\n got %v\nwant %s", err, want)
	}
	if _, err := set.Overlay(Sheet{}, nil); err == nil {
		t.Error("Overlay takes a sheet of the wrong length")
	}
	sheet, _ := set.Sheet(nil)
	if _, err := set.Overlay(sheet, map[string]Answer{"zz": BoolAnswer(true)}); err == nil || err.Error() != "indicator zz: unknown indicator code" {
		t.Errorf("Overlay with an unknown code: %v", err)
	}
}
