package indicators

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/go-playground/validator/v10"
)

// Problem is one thing wrong with a set file.
type Problem struct {
	File    string // the file's name as given to Parse
	Path    string // where in the file, in the file's names: groups[1].criteria[0].code
	Line    int    // 1-based; 0 when unknown (a set built in code)
	Message string
}

// String formats the problem as file:line: path: message, leaving out
// what is unknown.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteString(":")
	}
	if p.Line > 0 {
		b.WriteString(strconv.Itoa(p.Line))
		b.WriteString(":")
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is every problem found in a set; it is the error Parse and
// Validate return.
type Problems []Problem

// Error lists the problems one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Is makes Problems match ErrInvalidSet and errkind.Invalid.
func (ps Problems) Is(target error) bool { return target == ErrInvalidSet || target == errkind.Invalid }

// ErrInvalidSet matches (errors.Is) the Problems of an invalid set; it
// matches errkind.Invalid.
var ErrInvalidSet error = &kindError{"indicators: invalid indicator set", errkind.Invalid}

// sorted returns the problems in file order (stable), or nil when there
// are none, so that the result can be returned as an error directly.
func (ps Problems) sorted() error {
	if len(ps) == 0 {
		return nil
	}
	slices.SortStableFunc(ps, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	return ps
}

// Validate checks every rule of the format and, when the set is valid,
// compiles it for scoring. Sets from Parse are already validated; call it
// on a set built or changed in code. The error is Problems (without
// lines).
func (s *Set) Validate() error {
	c := &checker{}
	c.check(s)
	if len(c.probs) > 0 {
		return c.probs.sorted()
	}
	s.plan = compile(s)
	return nil
}

// checker applies the rules to a decoded set. lines (path → line) comes
// from the decoder; it also tells which keys the file spelled out, which
// matters where an explicit 0 differs from a missing key.
type checker struct {
	file  string
	lines map[string]int
	probs Problems
}

func (c *checker) addf(path, format string, args ...any) {
	c.probs = append(c.probs, Problem{File: c.file, Path: path, Line: c.lineOf(path), Message: fmt.Sprintf(format, args...)})
}

// lineOf is the line of path, or of its nearest ancestor in the file
// (a missing key is reported on the line of the mapping that lacks it).
func (c *checker) lineOf(path string) int {
	for c.lines != nil {
		if l, ok := c.lines[path]; ok {
			return l
		}
		if path == "" {
			return 0
		}
		path = parentPath(path)
	}
	return 0
}

func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// hasProblemUnder reports whether a problem was found inside path.
func (c *checker) hasProblemUnder(path string) bool {
	return slices.ContainsFunc(c.probs, func(p Problem) bool {
		return p.Path == path || strings.HasPrefix(p.Path, path+".") || strings.HasPrefix(p.Path, path+"[")
	})
}

// present reports whether the file spelled out path (false for sets built
// in code, whose zero values are taken as left out).
func (c *checker) present(path string) bool {
	_, ok := c.lines[path]
	return ok
}

var (
	setCodeRE = regexp.MustCompile(`^[a-z0-9-]+$`)
	codeRE    = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
)

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

// fieldValidator checks the field-level rules declared in the struct tags
// of set.go; it names fields by their yaml names so that paths read like
// the file.
func fieldValidator() *validator.Validate {
	validateOnce.Do(func() {
		v := validator.New()
		v.RegisterTagNameFunc(tagName)
		must := func(err error) {
			if err != nil {
				panic(err) // a programming error in the tags above, caught by every test
			}
		}
		must(v.RegisterValidation("setcode", func(fl validator.FieldLevel) bool { return setCodeRE.MatchString(fl.Field().String()) }))
		must(v.RegisterValidation("code", func(fl validator.FieldLevel) bool { return codeRE.MatchString(fl.Field().String()) }))
		validate = v
	})
	return validate
}

// check runs every rule and records what fails.
func (c *checker) check(s *Set) {
	err := fieldValidator().Struct(s)
	var verrs validator.ValidationErrors
	if errors.As(err, &verrs) {
		for _, fe := range verrs {
			ns := fe.Namespace()
			if _, rest, ok := strings.Cut(ns, "."); ok {
				ns = rest // drop the struct's own name, "Set."
			}
			c.addf(ns, "%s", fieldMessage(fe, ns))
		}
	} else if err != nil {
		c.addf("", "%v", err)
	}
	c.checkRules(s)
}

// fieldMessage words a validator failure for the people who edit sets.
func fieldMessage(fe validator.FieldError, path string) string {
	field := lastName(path)
	if i := strings.IndexByte(field, '['); i >= 0 {
		field = field[:i]
	}
	plural := map[string]string{"groups": "group", "criteria": "criterion", "indicators": "indicator", "levels": "level"}
	switch fe.Tag() {
	case "required", "min":
		if one, ok := plural[field]; ok {
			return fmt.Sprintf("at least one %s is required", one)
		}
		if field == "vi" {
			return fmt.Sprintf("a Vietnamese text (vi) is required for %s", lastName(parentPath(path)))
		}
		if field == "level" && fe.Tag() == "min" {
			return fmt.Sprintf("level must be a whole number of at least 1, got %v", fe.Value())
		}
		if fe.Kind() == reflect.Float64 {
			return fmt.Sprintf("%s is required and must be greater than 0", field)
		}
		return fmt.Sprintf("%s is required", field)
	case "gt":
		return fmt.Sprintf("%s must be greater than 0, got %v", field, fe.Value())
	case "gte":
		if field == "points" {
			return fmt.Sprintf("negative points (%v): points must be 0 or more", fe.Value())
		}
		return fmt.Sprintf("%s must not be negative, got %v", field, fe.Value())
	case "oneof":
		choices := strings.Join(strings.Fields(fe.Param()), ", ")
		switch field {
		case "type":
			return fmt.Sprintf("unknown type %q: use one of %s", fe.Value(), choices)
		case "school_levels":
			return fmt.Sprintf("unknown school level %q: use one of %s", fe.Value(), choices)
		}
		return fmt.Sprintf("%s must be one of %s, got %q", field, choices, fe.Value())
	case "setcode":
		return fmt.Sprintf("code %q may contain only lowercase letters, digits and '-' (like moet-4725)", fe.Value())
	case "code":
		return fmt.Sprintf("code %q may contain only letters, digits, '.', '_' and '-'", fe.Value())
	}
	return fmt.Sprintf("%s fails the %q rule", field, fe.Tag())
}

// num formats a number as a person would write it.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// sameTotal compares sums of points with a tolerance for binary fractions
// (0.1 + 0.2 is not 0.3 in floating point).
func sameTotal(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a), math.Abs(b))
}

// checkRules applies the rules that involve more than one field.
func (c *checker) checkRules(s *Set) {
	levels := s.EffectiveSchoolLevels()
	firstAt := map[string]int{}
	for i, l := range s.SchoolLevels {
		if j, dup := firstAt[l]; dup {
			c.addf(fmt.Sprintf("school_levels[%d]", i), "school level %q is listed twice (also school_levels[%d])", l, j)
		}
		firstAt[l] = i
	}

	groupAt := map[string]string{}
	criterionAt := map[string]string{}
	indicatorAt := map[string]string{}
	dup := func(seen map[string]string, what, code, path string) {
		if code == "" {
			return
		}
		if first, ok := seen[code]; ok {
			where := first
			if l := c.lineOf(first); l > 0 {
				where = fmt.Sprintf("%s, line %d", first, l)
			}
			c.addf(path+".code", "duplicate %s code %q (also at %s)", what, code, where)
			return
		}
		seen[code] = path
	}

	for gi := range s.Groups {
		g := &s.Groups[gi]
		gp := fmt.Sprintf("groups[%d]", gi)
		dup(groupAt, "group", g.Code, gp)
		if g.Weight == 0 && c.present(gp+".weight") {
			c.addf(gp+".weight", "weight must be greater than 0 (leave it out for the default, 1)")
		}
		before := len(c.probs)
		total := 0.0
		for ci := range g.Criteria {
			cr := &g.Criteria[ci]
			cp := fmt.Sprintf("%s.criteria[%d]", gp, ci)
			dup(criterionAt, "criterion", cr.Code, cp)
			for ii := range cr.Indicators {
				ind := &cr.Indicators[ii]
				ip := fmt.Sprintf("%s.indicators[%d]", cp, ii)
				dup(indicatorAt, "indicator", ind.Code, ip)
				c.checkIndicator(ind, ip, levels)
				c.checkV11Indicator(s, ind, ip)
				total += ind.MaxPoints()
			}
		}
		// The totals only mean something when every indicator is well
		// formed; otherwise they would repeat the problems above.
		if len(c.probs) > before || g.Max <= 0 || c.hasProblemUnder(gp+".criteria") {
			continue
		}
		if !sameTotal(total, g.Max) {
			c.addf(gp+".max", "the maxima of the group's indicators add up to %s, not to the group's max %s", num(total), num(g.Max))
			continue
		}
		for _, l := range levels {
			applicable := 0.0
			for ci := range g.Criteria {
				for ii := range g.Criteria[ci].Indicators {
					if ind := &g.Criteria[ci].Indicators[ii]; ind.AppliesToLevel(l) {
						applicable += ind.MaxPoints()
					}
				}
			}
			if applicable <= 0 {
				c.addf(gp, "no indicator with points applies to %s units: the group could not be scored for them", l)
			}
		}
	}
	c.checkLevels(s)
}

func (c *checker) checkIndicator(ind *Indicator, p string, levels []string) {
	if ind.AppliesTo != nil && len(ind.AppliesTo) == 0 {
		c.addf(p+".applies_to", "applies_to is empty: list school levels, or leave it out to apply to every level")
	}
	seen := map[string]int{}
	for i, l := range ind.AppliesTo {
		ap := fmt.Sprintf("%s.applies_to[%d]", p, i)
		if j, d := seen[l]; d {
			c.addf(ap, "school level %q is listed twice (also applies_to[%d])", l, j)
			continue
		}
		seen[l] = i
		if !slices.Contains(levels, l) {
			if len(levels) == 0 {
				c.addf(ap, "applies_to %q is outside school_levels: the set declares no school levels", l)
			} else {
				c.addf(ap, "applies_to %q is outside school_levels (%s)", l, strings.Join(levels, ", "))
			}
		}
	}

	if ind.Mandatory && ind.Rollup == nil { // a mandatory roll-up has its own message
		if ind.Type != TypeBoolean {
			c.addf(p+".mandatory", "a mandatory indicator must be of type boolean (a pass/fail condition), not %s", ind.Type)
			return
		}
		if ind.Points != 0 {
			c.addf(p+".points", "a mandatory indicator has no points (it is a pass/fail condition): remove points")
		}
	}
	unused := func(field, why string) {
		c.addf(p+"."+field, "%s is not used by a %s indicator%s: remove it", field, ind.Type, why)
	}
	hasOptions := ind.Options != nil || c.present(p+".options")
	hasMax := ind.Max != 0 || c.present(p+".max")
	hasPoints := ind.Points != 0 || (c.present(p+".points") && !ind.Mandatory)
	hasBands := ind.Bands != nil || c.present(p+".bands")
	hasProp := ind.Proportional != nil
	switch ind.Type {
	case TypeBoolean:
		for _, f := range []struct {
			name string
			has  bool
		}{{"options", hasOptions}, {"max", hasMax}, {"bands", hasBands}, {"proportional", hasProp}} {
			if f.has {
				unused(f.name, "")
			}
		}
		// A boolean without points would score nothing either way; it is
		// almost always a forgotten key (and a 0 could not survive the
		// canonical JSON, which leaves zeros out).
		if !ind.Mandatory && ind.Points == 0 {
			c.addf(p+".points", "a boolean indicator needs points greater than 0 (or mandatory: true for a pass/fail condition)")
		}
	case TypeChoice, TypeMulti:
		if hasPoints {
			unused("points", " (each option has its points)")
		}
		if hasBands {
			unused("bands", "")
		}
		if hasProp {
			unused("proportional", "")
		}
		if ind.Type == TypeChoice && hasMax {
			unused("max", "")
		}
		c.checkOptions(ind, p)
	case TypePercent, TypeNumber:
		if hasPoints {
			unused("points", " (bands or proportional give the points)")
		}
		if hasOptions {
			unused("options", "")
		}
		if hasMax {
			unused("max", "")
		}
		switch {
		case !hasBands && !hasProp:
			c.addf(p, "a %s indicator needs bands or proportional", ind.Type)
		case hasBands && hasProp:
			c.addf(p+".proportional", "a %s indicator has either bands or proportional, not both", ind.Type)
		case hasBands:
			c.checkBands(ind, p)
		default:
			c.checkProportional(ind, p)
		}
	}
}

// checkV11Indicator applies the rules of format v1.1 to an indicator:
// roll-ups and fresh evidence. Each invalid case has its own message.
func (c *checker) checkV11Indicator(s *Set, ind *Indicator, p string) {
	if ind.EvidenceMaxAgeDays != 0 || c.present(p+".evidence_max_age_days") {
		ap := p + ".evidence_max_age_days"
		switch {
		case ind.EvidenceMaxAgeDays < 1:
			c.addf(ap, "evidence_max_age_days must be at least 1 day, got %d", ind.EvidenceMaxAgeDays)
		case ind.Evidence == "none":
			c.addf(ap, "evidence_max_age_days is set but evidence is none: an indicator without evidence has no evidence to age (remove one of them)")
		}
	}
	r := ind.Rollup
	if r == nil {
		if c.present(p + ".rollup") {
			c.addf(p+".rollup", "rollup is empty: give its measure (%s)", strings.Join(RollupMeasures, ", "))
		}
		return
	}
	rp := p + ".rollup"
	if s.EffectiveAssessed() != AssessedAgency {
		c.addf(rp, "rollup is only for sets with assessed: agency (an office's value computed from its schools); this set assesses %s units", s.EffectiveAssessed())
	}
	if ind.Type != TypePercent {
		c.addf(p+".type", "a roll-up indicator must be of type percent (the engine receives the computed percent), not %s", ind.Type)
	}
	if ind.Mandatory {
		c.addf(p+".mandatory", "a roll-up indicator cannot be mandatory: its value is computed from the schools, not a pass/fail condition the office answers")
	}
	switch {
	case r.Measure == "":
		c.addf(rp+".measure", "measure is required: use one of %s", strings.Join(RollupMeasures, ", "))
	case !slices.Contains(RollupMeasures, r.Measure):
		c.addf(rp+".measure", "unknown roll-up measure %q: use one of %s", r.Measure, strings.Join(RollupMeasures, ", "))
	case r.Measure == MeasureShareAtLevel:
		if r.MinLevel < 1 {
			if r.MinLevel == 0 && !c.present(rp+".min_level") {
				c.addf(rp, "share_at_level needs min_level (the lowest school level counted, at least 1)")
			} else {
				c.addf(rp+".min_level", "min_level must be at least 1 (the lowest level), got %d", r.MinLevel)
			}
		}
	default:
		if r.MinLevel != 0 || c.present(rp+".min_level") {
			c.addf(rp+".min_level", "min_level is only used by share_at_level, not by %s: remove it", r.Measure)
		}
	}
}

func (c *checker) checkOptions(ind *Indicator, p string) {
	if len(ind.Options) == 0 {
		c.addf(p+".options", "a %s indicator needs options: [{code, name, points}, …]", ind.Type)
		return
	}
	seen := map[string]int{}
	sum := 0.0
	for i, o := range ind.Options {
		op := fmt.Sprintf("%s.options[%d]", p, i)
		if j, d := seen[o.Code]; d && o.Code != "" {
			c.addf(op+".code", "duplicate option code %q (also options[%d])", o.Code, j)
		}
		seen[o.Code] = i
		if c.lines != nil && !c.present(op+".points") {
			c.addf(op, "points is required (0 for an option that gives none)")
		}
		sum += o.Points
	}
	if ind.Type != TypeMulti {
		return
	}
	if ind.Max == 0 && c.present(p+".max") {
		c.addf(p+".max", "max must be greater than 0 (leave it out for no cap)")
	}
	if ind.Max > 0 && ind.Max > sum && !sameTotal(ind.Max, sum) {
		c.addf(p+".max", "max %s can never be reached: all options together give %s", num(ind.Max), num(sum))
	}
}

func (c *checker) checkBands(ind *Indicator, p string) {
	bp := p + ".bands"
	if len(ind.Bands) == 0 {
		c.addf(bp, "bands is empty: list at least one band ending with min: 0")
		return
	}
	for i, b := range ind.Bands {
		if c.lines != nil {
			for _, f := range []string{"min", "points"} {
				if !c.present(fmt.Sprintf("%s[%d].%s", bp, i, f)) {
					c.addf(fmt.Sprintf("%s[%d]", bp, i), "%s is required in a band", f)
				}
			}
		}
		if i == 0 {
			continue
		}
		prev := ind.Bands[i-1]
		if b.Min >= prev.Min {
			c.addf(bp, "bands must have strictly decreasing min: bands[%d].min %s is not below bands[%d].min %s", i, num(b.Min), i-1, num(prev.Min))
		}
		if b.Points > prev.Points {
			c.addf(bp, "a band with a lower min must not give more points: bands[%d] gives %s, bands[%d] %s (the first band is the maximum)", i, num(b.Points), i-1, num(prev.Points))
		}
	}
	if last := ind.Bands[len(ind.Bands)-1]; last.Min != 0 {
		c.addf(bp, "the last band's min must be 0 so that every value scores, got %s", num(last.Min))
	}
	if ind.Type == TypePercent && ind.Bands[0].Min > 100 {
		c.addf(bp, "a percent never exceeds 100, so bands[0].min %s can never be reached", num(ind.Bands[0].Min))
	}
}

func (c *checker) checkProportional(ind *Indicator, p string) {
	if ind.Type == TypePercent && ind.Proportional.FullAt > 100 {
		c.addf(p+".proportional.full_at", "a percent never exceeds 100, so full_at %s can never be reached", num(ind.Proportional.FullAt))
	}
}

func (c *checker) checkLevels(s *Set) {
	groupMax := map[string]float64{}
	var codes []string
	for _, g := range s.Groups {
		groupMax[g.Code] = g.Max
		codes = append(codes, g.Code)
	}
	for li := range s.Levels {
		l := &s.Levels[li]
		lp := fmt.Sprintf("levels[%d]", li)
		last := li == len(s.Levels)-1
		if last && l.HasConditions() {
			c.addf(lp, "the last level must have no conditions: it is the level of every unit that meets no other")
		}
		if !last && !l.HasConditions() {
			c.addf(lp, "level %d has no conditions, so the levels after it can never be reached; only the last level has none", l.Level)
		}
		if li > 0 && l.Level > 0 && s.Levels[li-1].Level > 0 && l.Level >= s.Levels[li-1].Level {
			c.addf(lp+".level", "levels are listed highest first: level %d cannot follow level %d", l.Level, s.Levels[li-1].Level)
		}
		if l.EveryGroup != nil {
			c.checkThreshold(lp+".every_group", *l.EveryGroup, codes, groupMax)
		}
		if l.Index != nil {
			c.checkIndexCondition(s, lp+".index", *l.Index)
		} else if c.present(lp + ".index") {
			c.addf(lp+".index", "an index condition needs above (>) or at_least (>=)")
		}
		for _, code := range sortedKeys(l.Groups) {
			tp := fmt.Sprintf("%s.groups[%s]", lp, code)
			if _, ok := groupMax[code]; !ok {
				c.addf(tp, "unknown group %q in a level condition (the groups are %s)", code, strings.Join(codes, ", "))
				continue
			}
			c.checkThreshold(tp, l.Groups[code], []string{code}, groupMax)
		}
	}
}

func (c *checker) checkThreshold(path string, t Threshold, groups []string, groupMax map[string]float64) {
	if (t.Above == nil) == (t.AtLeast == nil) {
		if t.Above == nil {
			c.addf(path, "a condition needs above (>) or at_least (>=)")
		} else {
			c.addf(path, "a condition has either above or at_least, not both")
		}
		return
	}
	op, v := t.Op()
	if v < 0 {
		c.addf(path+"."+op, "%s must not be negative, got %s", op, num(v))
		return
	}
	for _, g := range groups {
		m := groupMax[g]
		if m <= 0 {
			continue
		}
		if (op == "above" && v >= m) || (op == "at_least" && v > m) {
			c.addf(path+"."+op, "%s %s can never be met: group %s scores at most %s", op, num(v), g, num(m))
		}
	}
}

// checkIndexCondition checks a level's condition on the index (format
// v1.1): one of above or at_least, from 0 to 100, and reachable.
func (c *checker) checkIndexCondition(s *Set, path string, t Threshold) {
	if t.Above != nil && t.AtLeast != nil {
		c.addf(path, "an index condition has either above or at_least, not both")
		return
	}
	if t.Above == nil && t.AtLeast == nil {
		c.addf(path, "an index condition needs above (>) or at_least (>=)")
		return
	}
	op, v := t.Op()
	if v < 0 || v > 100 {
		c.addf(path+"."+op, "an index condition is from 0 to 100, got %s %s", op, num(v))
		return
	}
	top := 100.0
	if s.Index.EffectiveMethod() == MethodSum {
		top = 0
		for _, g := range s.Groups {
			top += g.Max
		}
	}
	if top > 0 && ((op == "above" && v >= top) || (op == "at_least" && v > top)) {
		c.addf(path+"."+op, "%s %s can never be met: the index is at most %s", op, num(v), num(top))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
