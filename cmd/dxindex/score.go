package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/indicators/robustness"
)

var cmdScore = &command{
	name:    "score",
	summary: "score assessments (answers JSON) against an indicator set",
	run:     runScore,
}

// scoreInput is the answers file: {"assessments":[{"unit":"S001",
// "school_level":"lower_secondary","answers":{"1.1":true,…}}]}.
type scoreInput struct {
	Assessments []scoreAssessment `json:"assessments"`
}

type scoreAssessment struct {
	Unit        string                     `json:"unit"`
	SchoolLevel string                     `json:"school_level"`
	Answers     map[string]json.RawMessage `json:"answers"`
}

// scoreOutput is what `dxindex score` prints. Numbers are unrounded.
type scoreOutput struct {
	Results []scoreResult `json:"results"`
}

// scoreResult is a unit's indicators.Result (as stored and as the API
// sends it) with the unit and, on request, its rank.
type scoreResult struct {
	Unit string `json:"unit"`
	*indicators.Result
	// Rank is set by --rank: the competition rank by index, 1 = highest.
	Rank *int `json:"rank,omitempty"`
	// RankMedian, RankP05 and RankP95 describe the rank under perturbed
	// weights (set by a robustness option, when there is one).
	RankMedian *float64 `json:"rank_median,omitempty"`
	RankP05    *float64 `json:"rank_p05,omitempty"`
	RankP95    *float64 `json:"rank_p95,omitempty"`
}

func runScore(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("score", "--set CODE|FILE --answers FILE [--rank [--robustness N [--seed S] [--spread D]]]")
	setArg := fs.String("set", "", "indicator set: a shipped code ("+joinCodes()+") or a YAML/JSON file")
	answersArg := fs.String("answers", "", "answers JSON file; - reads standard input")
	rank := fs.Bool("rank", false, "add each unit's competition rank by index (1 = highest; ties share a rank)")
	robust := fs.Int("robustness", 0, "with --rank: N Monte-Carlo draws of perturbed group weights; adds rank_median, rank_p05, rank_p95")
	seed := fs.Uint64("seed", 1, "seed of the robustness draws (same seed, same intervals)")
	spread := fs.Float64("spread", 0.25, "robustness: each weight is multiplied by a factor drawn from [1-d, 1+d]")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	if *setArg == "" || *answersArg == "" {
		return usageErrorf("--set and --answers are required")
	}
	if *robust < 0 || (*robust > 0 && !*rank) {
		return usageErrorf("--robustness N needs --rank and N > 0")
	}
	if !(*spread > 0 && *spread < 1) {
		return usageErrorf("--spread must be between 0 and 1, got %v", *spread)
	}
	// Nothing reaches stdout unless every assessment scores: a caller
	// piping the output never sees half a result.
	set, err := loadSetArg(*setArg)
	if err != nil {
		return scoreFailed(e, err)
	}
	input, err := readScoreInput(e.stdin, *answersArg)
	if err != nil {
		return scoreFailed(e, err)
	}
	out, err := scoreAssessments(set, input)
	if err != nil {
		return scoreFailed(e, err)
	}
	if *rank {
		ranks := indicators.RankBy(out.Results, func(r scoreResult) float64 { return r.Index }, nil)
		for i := range out.Results {
			out.Results[i].Rank = &ranks[i]
		}
		if *robust > 0 {
			if err := addRobustness(set, out.Results, robustness.Options{Draws: *robust, Seed: *seed, Spread: *spread, Workers: runtime.GOMAXPROCS(0)}); err != nil {
				return exitCode(1, err)
			}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return exitCode(1, err)
	}
	_, err = e.stdout.Write(buf.Bytes())
	return err
}

func joinCodes() string {
	codes := ""
	for i, c := range shippedSetCodes() {
		if i > 0 {
			codes += ", "
		}
		codes += c
	}
	return codes
}

// scoreFailed reports an invalid set or answers on stderr, one problem a
// line, and exits 2.
func scoreFailed(e *env, err error) error {
	var ps indicators.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Fprintf(e.stderr, "dxindex score: invalid set: %s\n", p)
		}
		return exitCode(2, nil)
	}
	var se scoreErrors
	if errors.As(err, &se) {
		for _, msg := range se {
			fmt.Fprintf(e.stderr, "dxindex score: %s\n", msg)
		}
		return exitCode(2, nil)
	}
	fmt.Fprintf(e.stderr, "dxindex score: %v\n", err)
	return exitCode(2, nil)
}

// scoreErrors are the messages of every invalid assessment.
type scoreErrors []string

func (se scoreErrors) Error() string { return fmt.Sprintf("%d invalid assessments", len(se)) }

func readScoreInput(stdin io.Reader, path string) (*scoreInput, error) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var in scoreInput
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("%s: invalid answers file: %w", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: invalid answers file: content after the JSON object", path)
	}
	if in.Assessments == nil {
		return nil, fmt.Errorf(`%s: invalid answers file: want {"assessments": [...]}`, path)
	}
	return &in, nil
}

// scoreAssessments scores every assessment, or returns scoreErrors naming
// each invalid unit and indicator.
func scoreAssessments(set *indicators.Set, in *scoreInput) (*scoreOutput, error) {
	out := &scoreOutput{Results: make([]scoreResult, 0, len(in.Assessments))}
	var errs scoreErrors
	seen := map[string]int{}
	for i, a := range in.Assessments {
		name := fmt.Sprintf("unit %s", a.Unit)
		if a.Unit == "" {
			name = fmt.Sprintf("assessments[%d]", i)
			errs = append(errs, name+": unit is required")
		} else if j, dup := seen[a.Unit]; dup {
			errs = append(errs, fmt.Sprintf("%s: appears twice (assessments[%d] and [%d])", name, j, i))
		} else {
			seen[a.Unit] = i
		}
		// The sheet path: the answers parsed straight into the set's
		// order, no answer map in between; an invalid unit's errors are
		// all of them (shapes, else every answer's and unknown codes).
		res, err := indicators.ScoreRaw(set, a.SchoolLevel, a.Answers)
		if err == nil {
			out.Results = append(out.Results, scoreResult{Unit: a.Unit, Result: res})
			continue
		}
		var ae indicators.AnswerErrors
		if errors.As(err, &ae) {
			for _, e := range ae {
				errs = append(errs, fmt.Sprintf("%s: %s", name, e))
			}
		} else {
			errs = append(errs, fmt.Sprintf("%s: %v", name, err))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// addRobustness perturbs the set's group weights and records each unit's
// median rank and its 5th–95th percentile interval (which always holds the
// published rank; see docs/composite.md).
func addRobustness(set *indicators.Set, results []scoreResult, opts robustness.Options) error {
	n, k := len(results), len(set.Groups)
	scores := make([]float64, n*k) // unit-major group scores, in the set's order
	for i, r := range results {
		for j, g := range set.Groups {
			gs, _ := r.Group(g.Code)
			scores[i*k+j] = gs.Score
		}
	}
	score := func(w, out []float64) {
		for i := range out {
			out[i] = set.IndexWith(scores[i*k:(i+1)*k], w)
		}
	}
	rank := func(idx []float64, ranks []int) { copy(ranks, indicators.Rank(idx)) }
	iv, err := robustness.Ranks(n, set.GroupWeights(), opts, score, rank)
	if err != nil {
		return err
	}
	for i := range results {
		med, p05, p95 := iv[i].Median, iv[i].P05, iv[i].P95
		results[i].RankMedian, results[i].RankP05, results[i].RankP95 = &med, &p05, &p95
	}
	return nil
}
