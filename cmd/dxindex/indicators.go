package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dxindex/dxindex/indicators"
)

var cmdIndicators = &command{
	name:    "indicators",
	summary: "validate indicator-set files, load them as new versions, show a set as a tree",
	run:     runIndicators,
}

const indicatorsUsage = `Usage: dxindex indicators validate FILE...
       dxindex indicators load FILE...
       dxindex indicators show [--lang vi|en] [--notes] CODE|FILE

validate  checks YAML or JSON set files and lists every problem with its
          file, line and path; exit status 1 when any file is invalid.
load      validates YAML, JSON or XLSX set files and stores each as a new
          version of its set (a stored version never changes: a revision
          needs a new version), then lists what changed against the
          previous version of the same code. Nothing is stored unless
          every file is valid.
show      prints a set (a shipped code such as moet-4725, or a file) as a
          tree with its maxima, answer types and level rules.
`

func runIndicators(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, indicatorsUsage)
		return exitCode(2, nil)
	}
	switch args[0] {
	case "validate":
		return runIndicatorsValidate(e, args[1:])
	case "load":
		return runIndicatorsLoad(ctx, e, args[1:])
	case "show":
		return runIndicatorsShow(e, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, indicatorsUsage)
		return errHelp
	}
	return usageErrorf("unknown subcommand %q: want validate, load or show", args[0])
}

func runIndicatorsValidate(e *env, args []string) error {
	fs := e.flagSet("indicators validate", "FILE...")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErrorf("no file to validate")
	}
	invalid, problems := 0, 0
	for _, path := range fs.Args() {
		set, err := indicators.LoadFile(path)
		var ps indicators.Problems
		switch {
		case errors.As(err, &ps):
			invalid++
			problems += len(ps)
			for _, p := range ps {
				fmt.Fprintln(e.stdout, p)
			}
		case err != nil:
			invalid++
			problems++
			fmt.Fprintf(e.stdout, "%s: %v\n", path, err)
		default:
			fmt.Fprintf(e.stdout, "%s: ok (%s version %s: %d groups, %d indicators)\n", path, set.Code, set.Version, len(set.Groups), len(set.Indicators()))
		}
	}
	if invalid > 0 {
		fmt.Fprintf(e.stdout, "%d %s in %d of %d %s\n", problems, setPlural(problems, "problem", "problems"), invalid, fs.NArg(), setPlural(fs.NArg(), "file", "files"))
		return exitCode(1, nil)
	}
	return nil
}

func setPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// loadSetArg reads the set named on the command line: a file when arg looks
// like a path or names an existing file that is not a shipped code, else
// a shipped set.
func loadSetArg(arg string) (*indicators.Set, error) {
	ext := strings.ToLower(filepath.Ext(arg))
	looksLikeFile := strings.ContainsRune(arg, os.PathSeparator) || ext == ".yaml" || ext == ".yml" || ext == ".json"
	if !looksLikeFile {
		set, err := indicators.ShippedSet(arg)
		if err == nil {
			return set, nil
		}
		if _, statErr := os.Stat(arg); statErr != nil {
			return nil, err
		}
	}
	return indicators.LoadFile(arg)
}

func runIndicatorsShow(e *env, args []string) error {
	fs := e.flagSet("indicators show", "[--lang vi|en] [--notes] CODE|FILE")
	lang := fs.String("lang", "vi", "language of the names: vi or en (falls back to vi)")
	notes := fs.Bool("notes", false, "also print the notes for administrators")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("want one set: a shipped code (%s) or a file", strings.Join(shippedSetCodes(), ", "))
	}
	if *lang != "vi" && *lang != "en" {
		return usageErrorf("--lang %q: want vi or en", *lang)
	}
	set, err := loadSetArg(fs.Arg(0))
	if err != nil {
		var ps indicators.Problems
		if errors.As(err, &ps) {
			for _, p := range ps {
				fmt.Fprintln(e.stderr, p)
			}
			return exitCode(1, nil)
		}
		return exitCode(1, err)
	}
	writeSetTree(e.stdout, set, *lang, *notes)
	return nil
}

func shippedSetCodes() []string {
	var codes []string
	for _, s := range indicators.Shipped() {
		codes = append(codes, s.Code)
	}
	return codes
}

// writeSetTree prints a set as a tree: groups, criteria and indicators with
// their maxima and answer types, then the level rule.
func writeSetTree(w io.Writer, s *indicators.Set, lang string, notes bool) {
	fmt.Fprintf(w, "%s %s — %s\n", s.Code, s.Version, s.Name.In(lang))
	if s.Source != "" {
		fmt.Fprintf(w, "source: %s\n", s.Source)
	}
	levels := strings.Join(s.EffectiveSchoolLevels(), ", ")
	if levels == "" {
		levels = "no school levels"
	}
	fmt.Fprintf(w, "assesses: %s (%s); index: %s\n", s.EffectiveAssessed(), levels, s.Index.EffectiveMethod())
	if s.Provisional {
		fmt.Fprintln(w, "PROVISIONAL: not confirmed as a whole")
	}
	if s.Note != nil {
		fmt.Fprintf(w, "note: %s\n", s.Note.In(lang))
	}
	for _, g := range s.Groups {
		fmt.Fprintf(w, "\n%s %s (max %s, weight %s)\n", g.Code, g.Name.In(lang), setNum(g.Max), setNum(g.EffectiveWeight()))
		if notes && g.Note != nil {
			fmt.Fprintf(w, "│  note: %s\n", g.Note.In(lang))
		}
		for ci, c := range g.Criteria {
			lastC := ci == len(g.Criteria)-1
			branch, stem := "├─", "│  "
			if lastC {
				branch, stem = "└─", "   "
			}
			cmax := 0.0
			for i := range c.Indicators {
				cmax += c.Indicators[i].MaxPoints()
			}
			fmt.Fprintf(w, "%s %s %s (max %s)\n", branch, c.Code, c.Name.In(lang), setNum(cmax))
			if notes && c.Note != nil {
				fmt.Fprintf(w, "%snote: %s\n", stem, c.Note.In(lang))
			}
			for ii := range c.Indicators {
				ind := &c.Indicators[ii]
				ib, is := "├─", "│  "
				if ii == len(c.Indicators)-1 {
					ib, is = "└─", "   "
				}
				fmt.Fprintf(w, "%s%s %s %s\n", stem, ib, ind.Code, ind.Name.In(lang))
				fmt.Fprintf(w, "%s%s%s\n", stem, is, describeIndicator(ind))
				if notes && ind.Note != nil {
					fmt.Fprintf(w, "%s%snote: %s\n", stem, is, ind.Note.In(lang))
				}
			}
		}
	}
	fmt.Fprintln(w, "\nLevels (highest first; a unit is at the first whose conditions all hold):")
	for _, l := range s.Levels {
		fmt.Fprintf(w, "  %d %s: %s\n", l.Level, l.Name.In(lang), describeLevel(&l))
	}
}

func describeIndicator(ind *indicators.Indicator) string {
	var parts []string
	switch {
	case ind.Mandatory:
		parts = append(parts, "boolean, mandatory condition (no points)")
	case ind.Type == indicators.TypeBoolean:
		parts = append(parts, fmt.Sprintf("boolean, %s points if true", setNum(ind.Points)))
	case ind.Type == indicators.TypeChoice:
		opts := make([]string, len(ind.Options))
		for i, o := range ind.Options {
			opts[i] = fmt.Sprintf("%s %s", o.Code, setNum(o.Points))
		}
		parts = append(parts, fmt.Sprintf("choice, max %s: %s", setNum(ind.MaxPoints()), strings.Join(opts, " | ")))
	case ind.Type == indicators.TypeMulti:
		opts := make([]string, len(ind.Options))
		for i, o := range ind.Options {
			opts[i] = fmt.Sprintf("%s %s", o.Code, setNum(o.Points))
		}
		capped := ""
		if ind.Max > 0 {
			capped = ", capped"
		}
		parts = append(parts, fmt.Sprintf("multi, max %s%s: %s", setNum(ind.MaxPoints()), capped, strings.Join(opts, " + ")))
	default:
		if p := ind.Proportional; p != nil {
			parts = append(parts, fmt.Sprintf("%s, max %s: %s × min(value ÷ %s, 1)", ind.Type, setNum(p.Points), setNum(p.Points), setNum(p.FullAt)))
		} else {
			bands := make([]string, len(ind.Bands))
			for i, b := range ind.Bands {
				bands[i] = fmt.Sprintf("≥%s → %s", setNum(b.Min), setNum(b.Points))
			}
			parts = append(parts, fmt.Sprintf("%s, max %s: %s", ind.Type, setNum(ind.MaxPoints()), strings.Join(bands, ", ")))
		}
	}
	if r := ind.Rollup; r != nil {
		switch r.Measure {
		case indicators.MeasureShareAtLevel:
			parts = append(parts, fmt.Sprintf("roll-up: %% of the schools managed at level %d or above", r.MinLevel))
		case indicators.MeasureMeanIndex:
			parts = append(parts, "roll-up: mean index of the schools managed")
		case indicators.MeasureParticipation:
			parts = append(parts, "roll-up: % of the schools managed with an approved assessment")
		}
	}
	if len(ind.AppliesTo) > 0 {
		parts = append(parts, "only "+strings.Join(ind.AppliesTo, ", "))
	}
	switch ind.Evidence {
	case "required":
		parts = append(parts, "evidence required")
	case "none":
		parts = append(parts, "no evidence")
	}
	if ind.EvidenceMaxAgeDays > 0 {
		parts = append(parts, fmt.Sprintf("evidence at most %d days old", ind.EvidenceMaxAgeDays))
	}
	if ind.Unconfirmed {
		parts = append(parts, "[unconfirmed]")
	}
	return strings.Join(parts, "; ")
}

func describeLevel(l *indicators.Level) string {
	var conds []string
	if l.Mandatory == "all" {
		conds = append(conds, "every mandatory condition met")
	}
	if l.EveryGroup != nil {
		conds = append(conds, "every group "+describeThreshold(*l.EveryGroup))
	}
	codes := make([]string, 0, len(l.Groups))
	for code := range l.Groups {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		conds = append(conds, code+" "+describeThreshold(l.Groups[code]))
	}
	if l.Index != nil {
		conds = append(conds, "index "+describeThreshold(*l.Index))
	}
	if len(conds) == 0 {
		return "otherwise"
	}
	return strings.Join(conds, "; ")
}

func describeThreshold(t indicators.Threshold) string {
	op, v := t.Op()
	if op == "above" {
		return "> " + setNum(v)
	}
	return "≥ " + setNum(v)
}

func setNum(f float64) string { return fmt.Sprint(f) }
