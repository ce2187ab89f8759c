package indicators

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// FuzzLoad feeds arbitrary bytes to the loader, as YAML and as JSON. It
// must never panic; it returns either problems or a set that is valid,
// scores at every level and survives its canonical JSON.
func FuzzLoad(f *testing.F) {
	entries, err := shippedFS.ReadDir("sets")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, _ := shippedFS.ReadFile("sets/" + e.Name())
		f.Add(data, false)
	}
	for _, s := range Shipped() {
		js, _ := json.Marshal(s)
		f.Add(js, true)
	}
	f.Add([]byte(baseYAML), false)
	f.Add([]byte("a: &a [*a]\ngroups: *a"), false)
	f.Add([]byte(`{"code":"x","groups":[{"max":1e400}]}`), true)
	f.Add([]byte("code: x\n---\ncode: y\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, asJSON bool) {
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("SLOW INPUT json=%v %q", asJSON, data)) })
		defer watchdog.Stop()
		name := "f.yaml"
		if asJSON {
			name = "f.json"
		}
		set, err := Parse(name, data)
		if err != nil {
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error is not a list of problems: %#v", err)
			}
			for _, p := range ps {
				if p.Message == "" || p.Line < 0 {
					t.Fatalf("malformed problem %+v", p)
				}
			}
			return
		}
		if err := set.Validate(); err != nil {
			t.Fatalf("a parsed set does not validate:\n%v", err)
		}
		for _, level := range levelsOf(set) {
			if _, err := Score(set, level, nil); err != nil {
				t.Fatalf("score at %q: %v", level, err)
			}
			if _, err := NextLevel(set, level, nil); err != nil {
				t.Fatalf("gap at %q: %v", level, err)
			}
		}
		js, err := json.Marshal(set)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if _, err := Parse("again.json", js); err != nil {
			t.Fatalf("canonical JSON does not load:\n%v\n%s", err, js)
		}
	})
}

// FuzzAnswers feeds arbitrary JSON to the answer parser and scores what it
// accepts against the example set: either an error naming indicators or a
// result within range, never a panic.
func FuzzAnswers(f *testing.F) {
	f.Add([]byte(`{"a.plan":true,"a.lms":true,"a.devices":"some","a.features":["assign","quiz"],"a.teachers":65,"a.lab":50,"b.modules":3,"b.portal":true,"b.services":2}`), uint8(1))
	f.Add([]byte(`{"1.1":true,"1.4":65,"2.4.2":"yes","x":["a","b"]}`), uint8(0))
	f.Add([]byte(`{"a.features":["quiz","quiz"],"a.teachers":101}`), uint8(2))
	f.Add([]byte(`{"b.staff":null,"a.lab":-1e-300}`), uint8(3))
	f.Add([]byte(`[]`), uint8(0))
	set := mustShipped(f, "example")
	levels := []string{"primary", "lower_secondary", "upper_secondary", "", "continuing"}
	f.Fuzz(func(t *testing.T, data []byte, lv uint8) {
		answers, err := ParseAnswers(data)
		if err != nil {
			return
		}
		level := levels[int(lv)%len(levels)]
		res, err := Score(set, level, answers)
		if err != nil {
			var ae AnswerErrors
			if !errors.As(err, &ae) && !errors.Is(err, ErrSchoolLevel) {
				t.Fatalf("unexpected error %T: %v", err, err)
			}
			for _, e := range ae {
				if !strings.Contains(err.Error(), "indicator "+displayCode(e.Indicator)+": ") {
					t.Fatalf("an error without its indicator: %v", err)
				}
			}
			return
		}
		for _, g := range res.Groups {
			if g.Score < 0 || g.Score > g.Max || math.IsNaN(g.Score) {
				t.Fatalf("group %+v out of range", g)
			}
		}
		if res.Index < 0 || res.Index > 100 || math.IsNaN(res.Index) {
			t.Fatalf("index %v out of range", res.Index)
		}
		if _, err := NextLevel(set, level, answers); err != nil {
			t.Fatalf("gap: %v", err)
		}
	})
}
