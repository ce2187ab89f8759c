package indicators

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/errkind"
)

// baseYAML is a small valid set using every type; each case below breaks
// it in one place with a textual replacement.
const baseYAML = `code: t
version: "1"
name: {vi: "Thử"}
school_levels: [primary, lower_secondary]
groups:
  - code: G
    name: {vi: "Nhóm"}
    max: 10
    criteria:
      - code: C1
        name: {vi: "Tiêu chí"}
        indicators:
          - code: i.bool
            name: {vi: "Có"}
            type: boolean
            points: 2
          - code: i.must
            name: {vi: "Bắt buộc"}
            type: boolean
            mandatory: true
          - code: i.choice
            name: {vi: "Chọn"}
            type: choice
            options:
              - {code: a, name: {vi: "A"}, points: 0}
              - {code: b, name: {vi: "B"}, points: 2}
          - code: i.multi
            name: {vi: "Nhiều"}
            type: multi
            max: 2
            options:
              - {code: x, name: {vi: "X"}, points: 1}
              - {code: y, name: {vi: "Y"}, points: 2}
          - code: i.pct
            name: {vi: "Tỷ lệ"}
            type: percent
            bands:
              - {min: 80, points: 2}
              - {min: 0, points: 0}
          - code: i.num
            name: {vi: "Số"}
            type: number
            proportional: {points: 2, full_at: 4}
            applies_to: [lower_secondary]
levels:
  - level: 2
    name: {vi: "Đạt"}
    mandatory: all
    every_group: {at_least: 5}
  - level: 1
    name: {vi: "Chưa đạt"}
`

// secondGroup is a valid second group, for cases that need two.
const secondGroup = `  - code: H
    name: {vi: "Nhóm hai"}
    max: 1
    criteria:
      - code: C2
        name: {vi: "Tiêu chí hai"}
        indicators:
          - code: h.1
            name: {vi: "Một"}
            type: boolean
            points: 1
levels:`

func TestBaseYAMLIsValid(t *testing.T) {
	set, err := Parse("t.yaml", []byte(baseYAML))
	if err != nil {
		t.Fatalf("base set invalid:\n%v", err)
	}
	if got := len(set.Indicators()); got != 6 {
		t.Fatalf("indicators = %d, want 6", got)
	}
}

// edit replaces old by new in baseYAML, failing when old is not there
// exactly once (so a case cannot silently test the unchanged file).
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if n := strings.Count(baseYAML, old); n != 1 {
		t.Fatalf("edit: %q occurs %d times in baseYAML", old, n)
	}
	return strings.Replace(baseYAML, old, new, 1)
}

func TestInvalidSets(t *testing.T) {
	ind := func(i int) string { return fmt.Sprintf("groups[0].criteria[0].indicators[%d]", i) }
	tests := []struct {
		name     string
		old, new string // replacement in baseYAML
		path     string
		line     string // marker of the expected line ("" for line 1)
		msg      string
	}{
		// The contract's list of invalid sets, in its order.
		{"duplicate indicator code", "code: i.choice", "code: i.bool",
			ind(2) + ".code", "code: i.bool\n            name: {vi: \"Chọn\"}", `duplicate indicator code "i.bool" (also at ` + ind(0)},
		{"duplicate group code", "\nlevels:", "\n" + strings.Replace(secondGroup, "code: H", "code: G", 1),
			"groups[1].code", "- code: G\n    name: {vi: \"Nhóm hai\"}", `duplicate group code "G"`},
		{"duplicate criterion code", "\nlevels:", "\n" + strings.Replace(secondGroup, "code: C2", "code: C1", 1),
			"groups[1].criteria[0].code", "- code: C1\n        name: {vi: \"Tiêu chí hai\"}", `duplicate criterion code "C1"`},
		{"missing Vietnamese name", `name: {vi: "Có"}`, `name: {en: "Yes"}`,
			ind(0) + ".name.vi", `name: {en: "Yes"}`, "a Vietnamese text (vi) is required for name"},
		{"missing set name", `name: {vi: "Thử"}`, ``,
			"name.vi", "", "a Vietnamese text (vi) is required for name"},
		{"missing Vietnamese option name", `{code: y, name: {vi: "Y"}, points: 2}`, `{code: y, name: {en: "Y"}, points: 2}`,
			ind(3) + ".options[1].name.vi", `{code: y, name: {en: "Y"}`, "a Vietnamese text (vi) is required for name"},
		{"unknown type", "type: number", "type: count",
			ind(5) + ".type", "type: count", `unknown type "count": use one of boolean, choice, multi, percent, number`},
		{"mandatory not boolean", "type: percent", "type: percent\n            mandatory: true",
			ind(4) + ".mandatory", "mandatory: true\n            bands", "a mandatory indicator must be of type boolean"},
		{"mandatory with points", "mandatory: true\n          - code: i.choice", "mandatory: true\n            points: 3\n          - code: i.choice",
			ind(1) + ".points", "points: 3", "a mandatory indicator has no points"},
		{"options missing for choice", "type: choice\n            options:\n              - {code: a, name: {vi: \"A\"}, points: 0}\n              - {code: b, name: {vi: \"B\"}, points: 2}\n", "type: choice\n",
			ind(2) + ".options", "code: i.choice", "a choice indicator needs options"},
		{"options missing for multi", "max: 2\n            options:\n              - {code: x, name: {vi: \"X\"}, points: 1}\n              - {code: y, name: {vi: \"Y\"}, points: 2}\n", "max: 2\n",
			ind(3) + ".options", "code: i.multi", "a multi indicator needs options"},
		{"duplicate option codes", `{code: b, name: {vi: "B"}, points: 2}`, `{code: a, name: {vi: "B"}, points: 2}`,
			ind(2) + ".options[1].code", `{code: a, name: {vi: "B"}`, `duplicate option code "a" (also options[0])`},
		{"bands not strictly decreasing", "- {min: 80, points: 2}", "- {min: 50, points: 2}\n              - {min: 50, points: 1}",
			ind(4) + ".bands", "bands:", "bands must have strictly decreasing min: bands[1].min 50 is not below bands[0].min 50"},
		{"bands not ending at 0", "- {min: 0, points: 0}", "- {min: 10, points: 0}",
			ind(4) + ".bands", "bands:", "the last band's min must be 0"},
		{"negative points", "points: 2\n          - code: i.must", "points: -2\n          - code: i.must",
			ind(0) + ".points", "points: -2", "negative points (-2)"},
		{"negative option points", `{code: a, name: {vi: "A"}, points: 0}`, `{code: a, name: {vi: "A"}, points: -1}`,
			ind(2) + ".options[0].points", "points: -1", "negative points (-1)"},
		{"negative band points", "- {min: 0, points: 0}", "- {min: 0, points: -1}",
			ind(4) + ".bands[1].points", "points: -1", "negative points (-1)"},
		{"maxima not adding up", "points: 2\n          - code: i.must", "points: 3\n          - code: i.must",
			"groups[0].max", "max: 10", "the maxima of the group's indicators add up to 11, not to the group's max 10"},
		{"no levels", "levels:\n  - level: 2\n    name: {vi: \"Đạt\"}\n    mandatory: all\n    every_group: {at_least: 5}\n  - level: 1\n    name: {vi: \"Chưa đạt\"}\n", "",
			"levels", "", "at least one level is required"},
		{"empty levels", "levels:\n  - level: 2\n    name: {vi: \"Đạt\"}\n    mandatory: all\n    every_group: {at_least: 5}\n  - level: 1\n    name: {vi: \"Chưa đạt\"}\n", "levels: []\n",
			"levels", "levels: []", "at least one level is required"},
		{"last level with conditions", "name: {vi: \"Chưa đạt\"}", "name: {vi: \"Chưa đạt\"}\n    mandatory: all",
			"levels[1]", "- level: 1", "the last level must have no conditions"},
		{"level condition naming an unknown group", "every_group: {at_least: 5}", "groups: {X: {at_least: 5}}",
			"levels[0].groups[X]", "groups: {X:", `unknown group "X" in a level condition (the groups are G)`},
		{"applies_to outside school_levels", "applies_to: [lower_secondary]", "applies_to: [upper_secondary]",
			ind(5) + ".applies_to[0]", "applies_to: [upper", `applies_to "upper_secondary" is outside school_levels (primary, lower_secondary)`},

		// Further rules of the format.
		{"set code", "code: t\n", "code: T_1\n",
			"code", "code: T_1", `code "T_1" may contain only lowercase letters, digits and '-'`},
		{"group code", "code: G", `code: "G 1"`,
			"groups[0].code", `code: "G 1"`, `code "G 1" may contain only letters, digits`},
		{"missing version", "version: \"1\"\n", "",
			"version", "", "version is required"},
		{"unknown assessed", "school_levels:", "assessed: district\nschool_levels:",
			"assessed", "assessed: district", `assessed must be one of school, agency, got "district"`},
		{"unknown school level", "school_levels: [primary, lower_secondary]", "school_levels: [primary, lower_secondary, kindergarten]",
			"school_levels[2]", "school_levels:", `unknown school level "kindergarten"`},
		{"school level twice", "school_levels: [primary, lower_secondary]", "school_levels: [primary, lower_secondary, primary]",
			"school_levels[2]", "school_levels:", `school level "primary" is listed twice`},
		{"no groups", "groups:\n", "groups: []\nxgroups:\n",
			"groups", "groups: []", "at least one group is required"},
		{"group max missing", "    max: 10\n", "",
			"groups[0].max", "- code: G", "max is required and must be greater than 0"},
		{"group max negative", "    max: 10\n", "    max: -10\n",
			"groups[0].max", "max: -10", "max must be greater than 0, got -10"},
		{"weight zero", "    max: 10\n", "    max: 10\n    weight: 0\n",
			"groups[0].weight", "weight: 0", "weight must be greater than 0 (leave it out for the default, 1)"},
		{"weight negative", "    max: 10\n", "    max: 10\n    weight: -1\n",
			"groups[0].weight", "weight: -1", "weight must not be negative"},
		{"no criteria", "    criteria:\n", "    criteria: []\n    xcriteria:\n",
			"groups[0].criteria", "criteria: []", "at least one criterion is required"},
		{"unknown evidence", "mandatory: true\n          - code: i.choice", "mandatory: true\n            evidence: maybe\n          - code: i.choice",
			ind(1) + ".evidence", "evidence: maybe", `evidence must be one of required, optional, none, got "maybe"`},
		{"boolean without points", "type: boolean\n            points: 2\n", "type: boolean\n",
			ind(0) + ".points", "code: i.bool", "a boolean indicator needs points greater than 0"},
		{"boolean with zero points", "type: boolean\n            points: 2\n", "type: boolean\n            points: 0\n",
			ind(0) + ".points", "points: 0", "a boolean indicator needs points greater than 0"},
		{"boolean with options", "type: boolean\n            points: 2\n", "type: boolean\n            points: 2\n            options: [{code: z, name: {vi: Z}, points: 1}]\n",
			ind(0) + ".options", "options: [{code: z", "options is not used by a boolean indicator: remove it"},
		{"choice with points", "type: choice\n", "type: choice\n            points: 2\n",
			ind(2) + ".points", "points: 2\n            options", "points is not used by a choice indicator (each option has its points)"},
		{"option without points", `{code: a, name: {vi: "A"}, points: 0}`, `{code: a, name: {vi: "A"}}`,
			ind(2) + ".options[0]", `{code: a, name: {vi: "A"}}`, "points is required (0 for an option that gives none)"},
		{"multi max unreachable", "max: 2\n", "max: 4\n",
			ind(3) + ".max", "max: 4", "max 4 can never be reached: all options together give 3"},
		{"multi max zero", "max: 2\n", "max: 0\n",
			ind(3) + ".max", "max: 0", "max must be greater than 0 (leave it out for no cap)"},
		{"percent with points", "type: percent\n", "type: percent\n            points: 2\n",
			ind(4) + ".points", "points: 2\n            bands", "points is not used by a percent indicator (bands or proportional give the points)"},
		{"percent without bands or proportional", "            bands:\n              - {min: 80, points: 2}\n              - {min: 0, points: 0}\n", "",
			ind(4), "code: i.pct", "a percent indicator needs bands or proportional"},
		{"bands and proportional", "- {min: 0, points: 0}\n", "- {min: 0, points: 0}\n            proportional: {points: 2, full_at: 100}\n",
			ind(4) + ".proportional", "proportional: {points: 2, full_at: 100}", "either bands or proportional, not both"},
		{"empty bands", "bands:\n              - {min: 80, points: 2}\n              - {min: 0, points: 0}\n", "bands: []\n",
			ind(4) + ".bands", "bands: []", "bands is empty"},
		{"band without min", "- {min: 80, points: 2}", "- {points: 2}",
			ind(4) + ".bands[0]", "- {points: 2}", "min is required in a band"},
		{"band with more points below", "- {min: 0, points: 0}", "- {min: 0, points: 3}",
			ind(4) + ".bands", "bands:", "a band with a lower min must not give more points"},
		{"percent band above 100", "- {min: 80, points: 2}", "- {min: 120, points: 2}",
			ind(4) + ".bands", "bands:", "a percent never exceeds 100, so bands[0].min 120 can never be reached"},
		{"percent full_at above 100", "bands:\n              - {min: 80, points: 2}\n              - {min: 0, points: 0}\n", "proportional: {points: 2, full_at: 150}\n",
			ind(4) + ".proportional.full_at", "full_at: 150", "full_at 150 can never be reached"},
		{"proportional without full_at", "proportional: {points: 2, full_at: 4}", "proportional: {points: 2}",
			ind(5) + ".proportional.full_at", "proportional: {points: 2}", "full_at is required and must be greater than 0"},
		{"empty applies_to", "applies_to: [lower_secondary]", "applies_to: []",
			ind(5) + ".applies_to", "applies_to: []", "applies_to is empty"},
		{"applies_to twice", "applies_to: [lower_secondary]", "applies_to: [lower_secondary, lower_secondary]",
			ind(5) + ".applies_to[1]", "applies_to: [lower", `school level "lower_secondary" is listed twice`},
		{"levels not highest first", "  - level: 1\n", "  - level: 3\n",
			"levels[1].level", "- level: 3", "levels are listed highest first: level 3 cannot follow level 2"},
		{"level missing", "  - level: 1\n", "  - name2: x\n",
			"levels[1].level", "name2: x", "level is required"},
		{"level below 1", "  - level: 1\n", "  - level: -1\n",
			"levels[1].level", "- level: -1", "level must be a whole number of at least 1, got -1"},
		{"non-last level without conditions", "    mandatory: all\n    every_group: {at_least: 5}\n", "",
			"levels[0]", "- level: 2", "level 2 has no conditions, so the levels after it can never be reached"},
		{"condition with neither", "every_group: {at_least: 5}", "every_group: {}",
			"levels[0].every_group", "every_group: {}", "a condition needs above (>) or at_least (>=)"},
		{"condition with both", "every_group: {at_least: 5}", "every_group: {at_least: 5, above: 4}",
			"levels[0].every_group", "every_group: {at_least: 5, above: 4}", "either above or at_least, not both"},
		{"condition never met", "every_group: {at_least: 5}", "every_group: {above: 10}",
			"levels[0].every_group.above", "every_group: {above: 10}", "above 10 can never be met: group G scores at most 10"},
		{"negative condition", "every_group: {at_least: 5}", "every_group: {at_least: -5}",
			"levels[0].every_group.at_least", "every_group: {at_least: -5}", "at_least must not be negative"},
		{"mandatory other than all", "    mandatory: all\n    every_group", "    mandatory: some\n    every_group",
			"levels[0].mandatory", "mandatory: some", `mandatory must be one of all, got "some"`},
		{"unknown index method", "levels:\n", "index: {method: median}\nlevels:\n",
			"index.method", "index: {method: median}", `method must be one of weighted_mean, sum, geometric_mean, got "median"`},

		// Decoding problems.
		{"unknown field with a suggestion", "mandatory: true\n          - code: i.choice", "mandatroy: true\n          - code: i.choice",
			ind(1) + ".mandatroy", "mandatroy: true", `unknown field "mandatroy" (did you mean "mandatory"?)`},
		{"unknown field without a suggestion", "version: \"1\"\n", "version: \"1\"\nauthor: me\n",
			"author", "author: me", `unknown field "author" (known: code, version, name, source`},
		{"text for a number", "    max: 10\n", "    max: ten\n",
			"groups[0].max", "max: ten", `max must be a number, got "ten"`},
		{"quoted number", "points: 2\n          - code: i.must", "points: \"2\"\n          - code: i.must",
			ind(0) + ".points", `points: "2"`, `points must be a number, got "2"`},
		{"infinite number", "    max: 10\n", "    max: .inf\n",
			"groups[0].max", "max: .inf", "max must be a number, got .inf"},
		{"text for a bool", "mandatory: true\n          - code: i.choice", "mandatory: yes\n          - code: i.choice",
			ind(1) + ".mandatory", "mandatory: yes", `mandatory must be true or false, got "yes"`},
		{"list for a text", "version: \"1\"", "version: [1]",
			"version", "version: [1]", "version must be text, got a list"},
		{"text for a list", "applies_to: [lower_secondary]", "applies_to: lower_secondary",
			ind(5) + ".applies_to", "applies_to: lower_secondary", `applies_to must be a list, got "lower_secondary"`},
		{"text for a localized text", `name: {vi: "Nhóm"}`, `name: "Nhóm"`,
			"groups[0].name", `name: "Nhóm"`, `name must be a mapping like {vi: "…", en: "…"}, got "Nhóm"`},
		{"fractional level", "  - level: 1\n", "  - level: 1.5\n",
			"levels[1].level", "level: 1.5", "level must be a whole number, got 1.5"},
		{"duplicate key", "type: boolean\n            points: 2\n", "type: boolean\n            points: 2\n            type:  boolean\n",
			ind(0) + ".type", "type:  boolean", "duplicate key \"type\" (first at line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := edit(t, tc.old, tc.new)
			wantLine := 1
			if tc.line != "" {
				i := strings.Index(doc, tc.line)
				if i < 0 {
					t.Fatalf("line marker %q not in the document", tc.line)
				}
				wantLine = strings.Count(doc[:i], "\n") + 1
			}
			_, err := Parse("t.yaml", []byte(doc))
			assertProblem(t, err, tc.path, wantLine, tc.msg)
		})
	}
}

// assertProblem fails unless err is Problems holding one with path,
// line and a message containing msg.
func assertProblem(t *testing.T, err error, path string, line int, msg string) {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v (%T), want Problems", err, err)
	}
	if !errors.Is(err, ErrInvalidSet) || !errors.Is(err, errkind.Invalid) {
		t.Errorf("errors.Is(err, ErrInvalidSet / errkind.Invalid) = false")
	}
	for _, p := range ps {
		if p.Path == path && strings.Contains(p.Message, msg) {
			if p.Line != line {
				t.Errorf("problem %q at line %d, want line %d", p.Message, p.Line, line)
			}
			if p.File != "t.yaml" && p.File != "t.json" {
				t.Errorf("problem file = %q", p.File)
			}
			return
		}
	}
	t.Fatalf("no problem at %q containing %q; got:\n%v", path, msg, err)
}

func TestDecodeProblems(t *testing.T) {
	// Aliases that would expand to 41^4 × 3 values where the format nests
	// lists: groups, criteria, indicators, options.
	many := func(alias string) string { return strings.TrimSuffix(strings.Repeat(alias+", ", 40), ", ") }
	i := "&i {code: x, type: multi, options: [&o {code: a, points: 1}, " + many("*o") + "]}"
	c := "&c {code: C, indicators: [" + i + ", " + many("*i") + "]}"
	g := "&g {code: G, criteria: [" + c + ", " + many("*c") + "]}"
	bomb := "groups: [" + g + ", " + many("*g") + "]\n"
	tests := []struct {
		name, file, data string
		line             int
		msg              string
	}{
		{"empty", "t.yaml", " \n\n", 0, "file is empty"},
		{"YAML syntax", "t.yaml", "code: x\n  version: 1\n", 2, "invalid YAML: mapping values are not allowed in this context"},
		{"YAML tab", "t.yaml", "code: x\n\tversion: 1\n", 2, "invalid YAML: found a tab character that violates indentation"},
		{"two documents", "t.yaml", baseYAML + "---\ncode: y\n", strings.Count(baseYAML, "\n") + 1, "more than one YAML document"},
		{"not a mapping", "t.yaml", "- a\n- b\n", 1, "the file must be a mapping of keys to values, got a list"},
		{"aliases expand too far", "t.yaml", bomb, 1, "the file expands to too many values"},
		{"self-referring alias", "t.yaml", "groups: &g [*g]\n", 0, ""},
		{"JSON syntax", "t.json", "{\n  \"code\": \"x\",\n  \"version\": 1,\n}", 4, "invalid JSON: invalid character '}'"},
		{"JSON trailing data", "t.json", "{\"code\": \"x\"}\n{}", 2, "invalid JSON: unexpected content after the end of the set"},
		{"JSON truncated", "t.json", "{\"code\": [", 1, "invalid JSON: unexpected end of file"},
		{"JSON too deep", "t.json", strings.Repeat("[", 100), 1, "nested more than 64 levels deep"},
		{"JSON by content", "set", "  {\"code\": 5, \"version\": \"1\",\n \"bogus\": 1}", 2, `unknown field "bogus"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.file, []byte(tc.data))
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("err = %v, want Problems", err)
			}
			if tc.msg == "" { // only: no hang, no panic, some problem
				return
			}
			for _, p := range ps {
				if strings.Contains(p.Message, tc.msg) {
					if p.Line != tc.line {
						t.Errorf("%q at line %d, want %d", p.Message, p.Line, tc.line)
					}
					return
				}
			}
			t.Fatalf("no problem %q in:\n%v", tc.msg, err)
		})
	}
}

// A JSON set reports paths and lines like a YAML one.
func TestJSONProblems(t *testing.T) {
	doc := `{
  "code": "t",
  "version": "1",
  "name": {"vi": "Thử"},
  "groups": [
    {"code": "G", "name": {"vi": "Nhóm"}, "max": 10,
     "criteria": [{"code": "C", "name": {"vi": "c"}, "indicators": [
       {"code": "x", "name": {"vi": "x"}, "type": "boolean", "points": 4},
       {"code": "y", "name": {"en": "y"}, "type": "boolean", "points": 6,
        "mandatory": "no"}
     ]}]}
  ],
  "levels": [{"level": 1, "name": {"vi": "Một"}}]
}`
	_, err := Parse("t.json", []byte(doc))
	assertProblem(t, err, "groups[0].criteria[0].indicators[1].name.vi", 9, "a Vietnamese text (vi) is required for name")
	assertProblem(t, err, "groups[0].criteria[0].indicators[1].mandatory", 10, `mandatory must be true or false, got "no"`)
	if !strings.Contains(err.Error(), "t.json:10: groups[0].criteria[0].indicators[1].mandatory: mandatory must be true or false") {
		t.Errorf("Error() = %s", err)
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "a.yaml", Line: 12, Path: "groups[1].max", Message: "bad"}, "a.yaml:12: groups[1].max: bad"},
		{Problem{File: "a.yaml", Message: "file is empty"}, "a.yaml: file is empty"},
		{Problem{Path: "code", Message: "bad"}, "code: bad"},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
	ps := Problems{tests[0].p, tests[1].p}
	if ps.Error() != "a.yaml:12: groups[1].max: bad\na.yaml: file is empty" {
		t.Errorf("Error() = %q", ps.Error())
	}
}

// Validate on a set built in code reports every problem, without lines.
func TestValidateInCode(t *testing.T) {
	s := codeSet("", 1, 1)
	s.Groups[1].Code = "A"
	s.Groups[0].Criteria[0].Indicators[0].Type = "scale"
	s.Levels = append([]Level{{Level: 2, Name: Text{VI: "x"}, Groups: map[string]Threshold{"Z": {AtLeast: ptr(1.0)}}}}, s.Levels...)
	err := s.Validate()
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 3 {
		t.Fatalf("want 3 problems, got %v", err)
	}
	for _, p := range ps {
		if p.Line != 0 || p.File != "" {
			t.Errorf("a problem of a set built in code has a place: %+v", p)
		}
	}
	for _, want := range []string{`groups[1].code: duplicate group code "A"`, `groups[0].criteria[0].indicators[0].type: unknown type "scale"`, `levels[0].groups[Z]: unknown group "Z"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}
