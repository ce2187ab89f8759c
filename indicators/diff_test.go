package indicators

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustParse(t *testing.T, doc string) *Set {
	t.Helper()
	s, err := Parse("t.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("%v", err)
	}
	return s
}

func TestDiffSame(t *testing.T) {
	a, b := mustParse(t, baseYAML), mustParse(t, strings.Replace(baseYAML, `name: {vi: "Có"}`, `name: {vi: "Có không"}`, 1))
	if d := Diff(a, b); !d.Empty() {
		t.Errorf("a renamed indicator is no change to scoring: %v", d.Lines())
	}
}

func TestDiffNew(t *testing.T) {
	d := Diff(nil, mustParse(t, baseYAML))
	if strings.Join(d.Added, " ") != "i.bool i.must i.choice i.multi i.pct i.num" || len(d.Removed) != 0 || len(d.Changes) != 0 {
		t.Errorf("first version: %+v", d)
	}
}

// Added, removed, re-pointed (moved to another criterion and group),
// re-weighted and re-scored indicators, each reported once.
func TestDiffChanges(t *testing.T) {
	old := mustParse(t, strings.Replace(strings.Replace(baseYAML, "\nlevels:", "\n"+secondGroup, 1), "every_group: {at_least: 5}", "every_group: {at_least: 1}", 1))
	doc := strings.Replace(baseYAML, "\nlevels:", "\n"+strings.Replace(secondGroup, "    max: 1\n", "    max: 3\n    weight: 2\n", 1), 1)
	// i.pct moves to group H (re-pointed); i.num is removed; i.new is
	// added (G keeps its 10 points); i.choice's option a becomes c; group
	// H gets max 3 and weight 2; the level's threshold changes.
	pct := "          - code: i.pct\n            name: {vi: \"Tỷ lệ\"}\n            type: percent\n            bands:\n              - {min: 80, points: 2}\n              - {min: 0, points: 0}\n"
	num := "          - code: i.num\n            name: {vi: \"Số\"}\n            type: number\n            proportional: {points: 2, full_at: 4}\n            applies_to: [lower_secondary]\n"
	doc = strings.Replace(doc, pct+num, "          - code: i.new\n            name: {vi: \"Mới\"}\n            type: boolean\n            points: 4\n", 1)
	doc = strings.Replace(doc, "            points: 1\nlevels:", "            points: 1\n"+pct+"levels:", 1)
	doc = strings.Replace(doc, "{code: a, name: {vi: \"A\"}, points: 0}", "{code: c, name: {vi: \"C\"}, points: 0}", 1)
	doc = strings.Replace(doc, "every_group: {at_least: 5}", "every_group: {above: 0.5}", 1)
	d := Diff(old, mustParse(t, doc))
	want := &SetDiff{
		Added:   []string{"i.new"},
		Removed: []string{"i.num"},
		Changes: []Change{
			{What: "group", Code: "H", Field: "max", Old: "1", New: "3"},
			{What: "group", Code: "H", Field: "weight", Old: "1", New: "2"},
			{What: "indicator", Code: "i.choice", Field: "scoring", Old: `{"options":["a=0","b=2"]}`, New: `{"options":["c=0","b=2"]}`},
			{What: "indicator", Code: "i.pct", Field: "place", Old: "G / C1", New: "H / C2"},
			{What: "set", Field: "levels",
				Old: `[{"level":2,"mandatory":"all","every_group":{"at_least":1}},{"level":1}]`,
				New: `[{"level":2,"mandatory":"all","every_group":{"above":0.5}},{"level":1}]`},
		},
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	if got := strings.Join(d.Lines(), "\n"); !strings.Contains(got, "+ indicator i.new\n- indicator i.num\n~ group H: max 1 → 3") ||
		!strings.Contains(got, "~ indicator i.pct: place G / C1 → H / C2") {
		t.Errorf("lines:\n%s", got)
	}
}

// The move of moet-agency to format v1.1, as the administrator sees it.
func TestDiffMoetAgency(t *testing.T) {
	old, err := LoadFile("testdata/moet-agency-2024.0.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d := Diff(old, mustShipped(t, "moet-agency"))
	if strings.Join(d.Added, " ") != "KQ.1.4" || len(d.Removed) != 0 {
		t.Errorf("added %v removed %v", d.Added, d.Removed)
	}
	got := map[string]string{}
	for _, c := range d.Changes {
		got[c.What+" "+c.Code+" "+c.Field] = c.Old + " → " + c.New
	}
	for k, v := range map[string]string{
		"group LD max":               "100 → 60",
		"group KQ max":               "100 → 40",
		"indicator LD.1.1 mandatory": "true → false",
		"indicator LD.1.1 max":       "0 → 6",
		"indicator LD.1.1 evidence":  "required → required, at most 365 days old",
		"indicator LD.2.1 max":       "20 → 12",
		"indicator KQ.1.2 rollup":    "none → share_at_level ≥ 2",
		"indicator KQ.1.1 rollup":    "none → participation",
		"indicator KQ.1.1 evidence":  "optional → none",
		"set  index":                 "weighted_mean → sum",
	} {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if !strings.Contains(got["set  levels"], `"index":{"above":75}`) {
		t.Errorf("levels: %s", got["set  levels"])
	}
}
