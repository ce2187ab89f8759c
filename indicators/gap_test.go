package indicators

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNextLevelExample(t *testing.T) {
	set := mustShipped(t, "example")
	some, two := ChoiceAnswer("some"), NumberAnswer(2)
	got, err := NextLevel(set, "lower_secondary", fullExample())
	if err != nil {
		t.Fatal(err)
	}
	// Level 3 needs A >= 80 (72.5 now) and B > 35 (32 now). In A the
	// biggest gains are a.devices and a.teachers (10 each; the set's order
	// breaks the tie) and one suffices. In B b.services gains most; 3
	// services (15 points, B = 37) is the least that exceeds 35.
	want := &Gap{
		Level: 2, Next: 3, Reachable: true,
		Groups: []GroupGap{
			{Group: "A", Score: 72.5, Op: "at_least", Threshold: 80, Missing: 7.5, NewScore: 82.5},
			{Group: "B", Score: 32, Op: "above", Threshold: 35, Missing: 3, NewScore: 37},
		},
		Improvements: []Improvement{
			{Indicator: "a.devices", Group: "A", Current: &some, Needed: ChoiceAnswer("all"), Points: 10, GroupScore: 82.5},
			{Indicator: "b.services", Group: "B", Current: &two, Needed: NumberAnswer(3), Points: 5, GroupScore: 37},
		},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("NextLevel (-want +got):\n%s", d)
	}
}

func TestNextLevelFromLevel1(t *testing.T) {
	set := mustShipped(t, "example")
	no := BoolAnswer(false)
	got, err := NextLevel(set, "lower_secondary", map[string]Answer{"a.plan": no})
	if err != nil {
		t.Fatal(err)
	}
	// Level 2 needs the mandatory condition and every group >= 25. A: a.teachers
	// alone gains 25, at its lowest band that gives 25 (80%). B: two
	// indicators are needed; of the pairs, b.modules + b.services can gain
	// the most (40), then b.services is lowered to 1 service (B = 25).
	want := &Gap{
		Level: 1, Next: 2, Reachable: true,
		Groups: []GroupGap{
			{Group: "A", Score: 0, Op: "at_least", Threshold: 25, Missing: 25, NewScore: 25},
			{Group: "B", Score: 0, Op: "at_least", Threshold: 25, Missing: 25, NewScore: 25},
		},
		MandatoryFailed: []string{"a.plan"},
		Improvements: []Improvement{
			{Indicator: "a.plan", Group: "A", Mandatory: true, Current: &no, Needed: BoolAnswer(true)},
			{Indicator: "a.teachers", Group: "A", Needed: NumberAnswer(80), Points: 25, GroupScore: 25},
			{Indicator: "b.modules", Group: "B", Needed: NumberAnswer(5), Points: 20, GroupScore: 20},
			{Indicator: "b.services", Group: "B", Needed: NumberAnswer(1), Points: 5, GroupScore: 25},
		},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("NextLevel (-want +got):\n%s", d)
	}
}

func TestNextLevelFewestOptions(t *testing.T) {
	set := mustShipped(t, "example")
	a := map[string]Answer{
		"a.plan": BoolAnswer(true), "a.lms": BoolAnswer(true), "a.devices": ChoiceAnswer("all"),
		"a.features": MultiAnswer("assign"), "a.teachers": NumberAnswer(50), "a.lab": NumberAnswer(100), // A = 78
		"b.modules": NumberAnswer(5), "b.portal": BoolAnswer(true), "b.services": NumberAnswer(4), // B = 50
	}
	got, err := NextLevel(set, "lower_secondary", a)
	if err != nil {
		t.Fatal(err)
	}
	// a.features can gain 12 (more than a.teachers' 10); adding forum (6)
	// is the smallest addition that reaches 80.
	want := []Improvement{{Indicator: "a.features", Group: "A", Current: ptr(MultiAnswer("assign")), Needed: MultiAnswer("assign", "forum"), Points: 6, GroupScore: 84}}
	if d := cmp.Diff(want, got.Improvements); d != "" {
		t.Fatalf("improvements (-want +got):\n%s", d)
	}
}

func TestNextLevelAtTop(t *testing.T) {
	set := mustShipped(t, "moet-4725")
	got, err := NextLevel(set, "primary", maxAnswers(t, set, "primary"))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&Gap{Level: 3, Reachable: true}, got); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
}

func TestNextLevelInvalidAnswer(t *testing.T) {
	if _, err := NextLevel(mustShipped(t, "example"), "primary", map[string]Answer{"nope": BoolAnswer(true)}); err == nil {
		t.Fatal("no error for an unknown indicator")
	}
}

// TestPropertyGap checks on random sets and answers that the plan reaches
// the next level, and against every smaller plan (by brute force) that it
// is the smallest and, of plans as small, gains the most.
func TestPropertyGap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	sets := propertySets(t)
	checked := 0
	for _, set := range sets {
		p := set.plan
		for _, level := range levelsOf(set) {
			answers := randomAnswers(rng, set, level)
			gap, err := NextLevel(set, level, answers)
			if err != nil {
				t.Fatalf("%s/%s: %v", set.Code, level, err)
			}
			if gap.Next == 0 {
				continue
			}
			if !gap.Reachable {
				t.Fatalf("%s/%s: next level %d unreachable", set.Code, level, gap.Next)
			}
			improved := map[string]Answer{}
			for k, v := range answers {
				improved[k] = v
			}
			for _, im := range gap.Improvements {
				improved[im.Indicator] = im.Needed
			}
			res, err := Score(set, level, improved)
			if err != nil {
				t.Fatalf("%s/%s: the plan's answers are invalid: %v", set.Code, level, err)
			}
			if rankOfLevel(set, res.Level) > rankOfLevel(set, gap.Next) {
				t.Fatalf("%s/%s: the plan reaches level %d, not %d\n%+v", set.Code, level, res.Level, gap.Next, gap)
			}
			col, bit, _ := p.column(level)
			cur, _ := Score(set, level, answers)
			for _, gg := range gap.Groups {
				gi := slices.IndexFunc(p.groups, func(g cgroup) bool { return g.code == gg.Group })
				planned := 0
				plannedGain := 0.0
				for _, im := range gap.Improvements {
					// The group's own plan (an index condition's
					// improvements come after it, see indexGap).
					if im.Group == gg.Group && !im.Mandatory && !im.ForIndex {
						planned++
						plannedGain += p.inds[p.byCode[im.Indicator]].max - pointsOf(cur, im.Indicator)
					}
				}
				checked += bruteForceGroup(t, set, p, gi, col, bit, cur, gap, planned, plannedGain)
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d groups checked by brute force: the generator is too easy", checked)
	}
}

// bruteForceGroup tries every subset of a group's improvable indicators
// (at full marks) and returns 1 when it could check the group.
func bruteForceGroup(t *testing.T, set *Set, p *plan, gi, col int, bit uint64, cur *Result, gap *Gap, planned int, plannedGain float64) int {
	t.Helper()
	g := p.groups[gi]
	var next clevel
	for _, l := range p.levels {
		if l.level == gap.Next {
			next = l
		}
	}
	var cands []int
	for i := g.from; i < g.to; i++ {
		if ind := &p.inds[i]; !ind.mandatory && ind.mask&bit != 0 && pointsOf(cur, ind.code) < ind.max {
			cands = append(cands, i)
		}
	}
	if len(cands) > 14 {
		return 0
	}
	meets := func(m uint) (bool, float64) {
		sum, gain := 0.0, 0.0
		for i := g.from; i < g.to; i++ {
			v := pointsOf(cur, p.inds[i].code)
			if k := slices.Index(cands, i); k >= 0 && m&(1<<k) != 0 {
				gain += p.inds[i].max - v
				v = p.inds[i].max
			}
			sum += v
		}
		s := groupScore(sum, g.appMax[col], g.max)
		for _, c := range next.conds {
			if c.group == gi && !c.met(s) {
				return false, gain
			}
		}
		return true, gain
	}
	for m := uint(0); m < 1<<len(cands); m++ {
		ok, gain := meets(m)
		n := bits.OnesCount(m)
		if ok && n < planned {
			t.Fatalf("%s: group %s reaches level %d with %d indicators, the plan uses %d", set.Code, g.code, gap.Next, n, planned)
		}
		if ok && n == planned && gain > plannedGain+1e-9 {
			t.Fatalf("%s: group %s: a plan of %d indicators gains %v, the chosen one %v", set.Code, g.code, n, gain, plannedGain)
		}
	}
	return 1
}

func pointsOf(r *Result, code string) float64 {
	for _, is := range r.Indicators() {
		if is.Code == code {
			return is.Points
		}
	}
	return 0
}

// rankOfLevel is a level's position in the set (0 = highest).
func rankOfLevel(set *Set, level int) int {
	return slices.IndexFunc(set.Levels, func(l Level) bool { return l.Level == level })
}

func ExampleNextLevel() {
	set, _ := ShippedSet("example")
	gap, _ := NextLevel(set, "lower_secondary", map[string]Answer{
		"a.plan": BoolAnswer(true), "a.lms": BoolAnswer(true), "a.devices": ChoiceAnswer("some"),
		"a.teachers": NumberAnswer(65), "b.modules": NumberAnswer(3), "b.portal": BoolAnswer(true),
		"b.services": NumberAnswer(2),
	})
	fmt.Printf("level %d → %d\n", gap.Level, gap.Next)
	for _, g := range gap.Groups {
		fmt.Printf("group %s: %g, needs %s %g\n", g.Group, g.Score, g.Op, g.Threshold)
	}
	for _, im := range gap.Improvements {
		fmt.Printf("%s: %v → %v (+%g, group %s %g)\n", im.Indicator, im.Current, im.Needed, im.Points, im.Group, im.GroupScore)
	}
	// Output:
	// level 2 → 3
	// group A: 45, needs at_least 80
	// group B: 32, needs above 35
	// a.features: <nil> → ["assign","quiz","forum"] (+20, group A 65)
	// a.lab: <nil> → 100 (+15, group A 80)
	// b.services: 2 → 3 (+5, group B 37)
}
