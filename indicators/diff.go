package indicators

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// SetDiff is what changed from one version of a set to another: what an
// administrator reads before a new version replaces the old one.
type SetDiff struct {
	// Added and Removed are indicator codes, in the order of the set that
	// has them.
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
	// Changes are the differences of what both versions have: groups,
	// indicators (re-pointed to another group or criterion, points, type,
	// scoring rule, …), the levels and the index, in the new set's order.
	Changes []Change `json:"changes"`
}

// Change is one difference between two versions.
type Change struct {
	// What is "set", "group" or "indicator"; Code names the group or
	// indicator ("" for the set).
	What  string `json:"what"`
	Code  string `json:"code,omitempty"`
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// String words the change for a listing: `indicator 1.3.1: max 6 → 8`.
func (c Change) String() string {
	subject := c.What
	if c.Code != "" {
		subject += " " + c.Code
	}
	return fmt.Sprintf("%s: %s %s → %s", subject, c.Field, c.Old, c.New)
}

// Empty reports whether the two versions score alike and have the same
// indicators (names and notes are not compared).
func (d *SetDiff) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changes) == 0
}

// Lines words the whole diff, one line per item: + added, - removed,
// ~ changed.
func (d *SetDiff) Lines() []string {
	var out []string
	for _, c := range d.Added {
		out = append(out, "+ indicator "+c)
	}
	for _, c := range d.Removed {
		out = append(out, "- indicator "+c)
	}
	for _, c := range d.Changes {
		out = append(out, "~ "+c.String())
	}
	return out
}

// Diff compares two versions of a set (old may be nil: everything is
// added). It is about scoring, not wording: indicators added and removed
// by code; for those in both, a move to another group or criterion, the
// type, maximum, scoring rule (points, options, bands, proportional),
// mandatory, applies_to, evidence and roll-up; for groups, their max and
// weight; the levels; the index method. Names, help and notes are left
// out.
func Diff(old, new *Set) *SetDiff {
	d := &SetDiff{Added: []string{}, Removed: []string{}, Changes: []Change{}}
	if new == nil {
		return d
	}
	if old == nil {
		old = &Set{}
	}
	type place struct {
		ind       *Indicator
		group     string
		criterion string
	}
	places := func(s *Set) (map[string]place, []string) {
		m := map[string]place{}
		var order []string
		for gi := range s.Groups {
			g := &s.Groups[gi]
			for ci := range g.Criteria {
				c := &g.Criteria[ci]
				for ii := range c.Indicators {
					ind := &c.Indicators[ii]
					m[ind.Code] = place{ind, g.Code, c.Code}
					order = append(order, ind.Code)
				}
			}
		}
		return m, order
	}
	oldAt, oldOrder := places(old)
	newAt, newOrder := places(new)

	if o, n := old.EffectiveAssessed(), new.EffectiveAssessed(); len(old.Groups) > 0 && o != n {
		d.Changes = append(d.Changes, Change{What: "set", Field: "assessed", Old: o, New: n})
	}
	oldGroups := map[string]*Group{}
	for gi := range old.Groups {
		oldGroups[old.Groups[gi].Code] = &old.Groups[gi]
	}
	newGroups := map[string]bool{}
	for gi := range new.Groups {
		g := &new.Groups[gi]
		newGroups[g.Code] = true
		og, ok := oldGroups[g.Code]
		if !ok {
			if len(old.Groups) > 0 {
				d.Changes = append(d.Changes, Change{What: "group", Code: g.Code, Field: "group", Old: "(none)", New: "added, max " + num(g.Max)})
			}
			continue
		}
		if og.Max != g.Max {
			d.Changes = append(d.Changes, Change{What: "group", Code: g.Code, Field: "max", Old: num(og.Max), New: num(g.Max)})
		}
		if og.EffectiveWeight() != g.EffectiveWeight() {
			d.Changes = append(d.Changes, Change{What: "group", Code: g.Code, Field: "weight", Old: num(og.EffectiveWeight()), New: num(g.EffectiveWeight())})
		}
	}
	for _, og := range old.Groups {
		if !newGroups[og.Code] {
			d.Changes = append(d.Changes, Change{What: "group", Code: og.Code, Field: "group", Old: "max " + num(og.Max), New: "removed"})
		}
	}

	for _, code := range newOrder {
		n := newAt[code]
		o, ok := oldAt[code]
		if !ok {
			d.Added = append(d.Added, code)
			continue
		}
		add := func(field, ov, nv string) {
			if ov != nv {
				d.Changes = append(d.Changes, Change{What: "indicator", Code: code, Field: field, Old: ov, New: nv})
			}
		}
		add("place", o.group+" / "+o.criterion, n.group+" / "+n.criterion)
		add("type", o.ind.Type, n.ind.Type)
		add("max", num(o.ind.MaxPoints()), num(n.ind.MaxPoints()))
		add("mandatory", fmt.Sprint(o.ind.Mandatory), fmt.Sprint(n.ind.Mandatory))
		add("scoring", scoringRule(o.ind), scoringRule(n.ind))
		add("applies_to", listOr(o.ind.AppliesTo, "all"), listOr(n.ind.AppliesTo, "all"))
		add("evidence", evidenceRule(o.ind), evidenceRule(n.ind))
		add("rollup", rollupRule(o.ind), rollupRule(n.ind))
	}
	for _, code := range oldOrder {
		if _, ok := newAt[code]; !ok {
			d.Removed = append(d.Removed, code)
		}
	}

	if len(old.Groups) > 0 {
		if o, n := levelsRule(old), levelsRule(new); o != n {
			d.Changes = append(d.Changes, Change{What: "set", Field: "levels", Old: o, New: n})
		}
		if o, n := old.Index.EffectiveMethod(), new.Index.EffectiveMethod(); o != n {
			d.Changes = append(d.Changes, Change{What: "set", Field: "index", Old: o, New: n})
		}
	}
	return d
}

// scoringRule is the part of an indicator's scoring that its maximum does
// not already say, as compact JSON: nothing for a boolean (its points are
// its maximum), full_at for a proportional rule, the options or bands
// otherwise.
func scoringRule(ind *Indicator) string {
	r := struct {
		Options []string `json:"options,omitempty"`
		Max     float64  `json:"max,omitempty"`
		Bands   []Band   `json:"bands,omitempty"`
		FullAt  float64  `json:"full_at,omitempty"`
	}{Max: ind.Max, Bands: ind.Bands}
	if ind.Proportional != nil {
		r.FullAt = ind.Proportional.FullAt
	}
	for _, o := range ind.Options {
		r.Options = append(r.Options, o.Code+"="+num(o.Points))
	}
	b, _ := json.Marshal(r)
	return string(b)
}

func evidenceRule(ind *Indicator) string {
	e := ind.Evidence
	if e == "" {
		e = "optional"
	}
	if ind.EvidenceMaxAgeDays > 0 {
		e += fmt.Sprintf(", at most %d days old", ind.EvidenceMaxAgeDays)
	}
	return e
}

func rollupRule(ind *Indicator) string {
	if ind.Rollup == nil {
		return "none"
	}
	if ind.Rollup.Measure == MeasureShareAtLevel {
		return fmt.Sprintf("%s ≥ %d", ind.Rollup.Measure, ind.Rollup.MinLevel)
	}
	return ind.Rollup.Measure
}

func listOr(l []string, def string) string {
	if len(l) == 0 {
		return def
	}
	return strings.Join(slices.Sorted(slices.Values(l)), ", ")
}

// levelsRule is the level rule without the names, as compact JSON.
func levelsRule(s *Set) string {
	type rule struct {
		Level      int                  `json:"level"`
		Mandatory  string               `json:"mandatory,omitempty"`
		EveryGroup *Threshold           `json:"every_group,omitempty"`
		Groups     map[string]Threshold `json:"groups,omitempty"`
		Index      *Threshold           `json:"index,omitempty"`
	}
	rules := make([]rule, len(s.Levels))
	for i, l := range s.Levels {
		rules[i] = rule{l.Level, l.Mandatory, l.EveryGroup, l.Groups, l.Index}
	}
	b, _ := json.Marshal(rules)
	return string(b)
}
