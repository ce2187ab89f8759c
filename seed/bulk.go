package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// unitRow is a unit to bulk-load.
type unitRow struct {
	code, name, kind, parent  string
	depth                     int
	levels                    []string
	students, teachers, staff *int
	// commune is a school's pre-2025 commune (GSO code): the
	// reorganisation matches it to its new commune by this code.
	commune string
}

func intp(v int) *int { return &v }

// loadUnits inserts units (parents before children) through
// survey.BulkInsertUnits, the one bulk writer of units. Existing codes
// are left alone, so a rerun changes nothing.
func loadUnits(ctx context.Context, pool *pgxpool.Pool, rows []unitRow) error {
	bulk := make([]survey.BulkUnit, len(rows))
	for i, r := range rows {
		bulk[i] = survey.BulkUnit{Code: r.code, Name: r.name, Kind: r.kind, Parent: r.parent, Depth: r.depth, Levels: r.levels,
			Students: r.students, Teachers: r.teachers, Staff: r.staff, Commune: r.commune}
	}
	return survey.BulkInsertUnits(ctx, pool, bulk)
}

// rngFor returns a random source that depends only on the seed and the
// key: a school's answers do not depend on the order schools are made in.
func rngFor(seed uint64, key string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(key))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// drawAnswers answers every indicator applicable to level, each as a
// school of quality q (0 weak … 1 excellent) plausibly would.
func drawAnswers(r *rand.Rand, set *indicators.Set, level string, q float64) map[string]indicators.Answer {
	out := map[string]indicators.Answer{}
	for _, ind := range set.Indicators() {
		if !ind.AppliesToLevel(level) {
			continue
		}
		out[ind.Code] = drawAnswer(r, ind, q)
	}
	return out
}

func clamp01(v float64) float64 { return math.Min(1, math.Max(0, v)) }

func drawAnswer(r *rand.Rand, ind *indicators.Indicator, q float64) indicators.Answer {
	p := clamp01(q + (r.Float64()-0.5)*0.35)
	switch ind.Type {
	case indicators.TypeBoolean:
		if ind.Mandatory {
			return indicators.BoolAnswer(r.Float64() < 0.82+0.18*q)
		}
		return indicators.BoolAnswer(r.Float64() < p)
	case indicators.TypeChoice:
		opts := slices.Clone(ind.Options)
		slices.SortStableFunc(opts, func(a, b indicators.Option) int {
			switch {
			case a.Points < b.Points:
				return -1
			case a.Points > b.Points:
				return 1
			}
			return 0
		})
		i := int(math.Round(p * float64(len(opts)-1)))
		return indicators.ChoiceAnswer(opts[i].Code)
	case indicators.TypeMulti:
		codes := []string{}
		for _, o := range ind.Options {
			if r.Float64() < p {
				codes = append(codes, o.Code)
			}
		}
		return indicators.MultiAnswer(codes...)
	case indicators.TypePercent:
		return indicators.NumberAnswer(math.Round(clamp01(p+(r.Float64()-0.5)*0.2) * 100))
	default: // number
		if ind.Proportional != nil {
			return indicators.NumberAnswer(math.Round(p * ind.Proportional.FullAt * 1.1))
		}
		if len(ind.Bands) > 0 {
			i := int(math.Round((1 - p) * float64(len(ind.Bands)-1)))
			return indicators.NumberAnswer(ind.Bands[i].Min)
		}
		return indicators.NumberAnswer(0)
	}
}

// worse returns a lower answer for an evaluator's override: the value the
// evidence supports.
func worse(ind *indicators.Indicator, a indicators.Answer) (indicators.Answer, bool) {
	switch ind.Type {
	case indicators.TypeBoolean:
		if a.Bool {
			return indicators.BoolAnswer(false), true
		}
	case indicators.TypePercent, indicators.TypeNumber:
		if a.Number >= 10 {
			return indicators.NumberAnswer(math.Round(a.Number * 0.6)), true
		}
	case indicators.TypeMulti:
		if len(a.Options) > 0 {
			return indicators.MultiAnswer(a.Options[:len(a.Options)-1]...), true
		}
	}
	return a, false
}

// plannedAssessment is what the seed decides for one assessment.
type plannedAssessment struct {
	id       int64
	level    string
	status   string
	answers  map[string]indicators.Answer
	reviews  map[string]indicators.Answer
	reasons  map[string]string
	evidence []string // indicators with an evidence link
	// who and when
	schoolUser                    *int64
	reviewer                      *int64
	answeredAt                    time.Time
	submittedAt, decidedAt        *time.Time
	returnComment, approveComment string
}

// encode writes a Result as survey stores it in jsonb (indicators.Result's
// JSON, with the indicators' points).
func encode(r *indicators.Result) ([]byte, error) { return json.Marshal(r) }

// writeAssessments stores answers, evidence, reviews, comments, history
// and the scores of planned assessments with COPY, in the shapes package
// survey writes them (scores computed on the sheet path, equal to
// indicators.Score's from the same answers), in one transaction.
func writeAssessments(ctx context.Context, pool *pgxpool.Pool, set *indicators.Set, plans []*plannedAssessment) error {
	type scoreRow struct {
		id                   int64
		selfIdx, valIdx      *float64
		selfLvl, valLvl      *int
		selfJSON, valJSON    []byte
		answered, applicable int
	}
	scores := make([]scoreRow, len(plans))
	for i, p := range plans {
		s := scoreRow{id: p.id}
		if len(p.answers) > 0 {
			// The sheet path: the answers laid out once in the set's
			// order, the evaluator's values laid over a copy of them.
			sheet, err := set.Sheet(p.answers)
			if err != nil {
				return fmt.Errorf("score: %w", err)
			}
			self, err := indicators.ScoreSheet(set, p.level, sheet)
			if err != nil {
				return fmt.Errorf("score: %w", err)
			}
			if s.selfJSON, err = encode(self); err != nil {
				return err
			}
			val := self // no evaluator's values (every national assessment): the same result
			s.valJSON = s.selfJSON
			if len(p.reviews) > 0 {
				over, err := set.Overlay(sheet, p.reviews)
				if err != nil {
					return fmt.Errorf("score: %w", err)
				}
				if val, err = indicators.ScoreSheet(set, p.level, over); err != nil {
					return fmt.Errorf("score: %w", err)
				}
				if s.valJSON, err = encode(val); err != nil {
					return err
				}
			}
			s.selfIdx, s.selfLvl = &self.Index, &self.Level
			s.valIdx, s.valLvl = &val.Index, &val.Level
			s.applicable = survey.ApplicableCount(set, p.level, self)
			s.answered = s.applicable - len(self.Unanswered)
		}
		scores[i] = s
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		// Answers.
		var answers [][]any
		for _, p := range plans {
			for _, code := range sortedCodes(p.answers) {
				b, err := json.Marshal(p.answers[code])
				if err != nil {
					return err
				}
				answers = append(answers, []any{p.id, code, b, 1, p.schoolUser, p.answeredAt})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"answers"}, []string{"assessment_id", "indicator", "value", "version", "updated_by", "updated_at"},
			pgx.CopyFromRows(answers)); err != nil {
			return fmt.Errorf("copy answers: %w", err)
		}
		// Evidence links, checked the day they were added (fresh evidence).
		var ev [][]any
		for _, p := range plans {
			for _, code := range p.evidence {
				url := fmt.Sprintf("https://drive.example.edu.vn/minh-chung/%d/%s", p.id, code)
				ev = append(ev, []any{p.id, code, "link", url, p.schoolUser, p.answeredAt, p.answeredAt})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"evidence"}, []string{"assessment_id", "indicator", "kind", "url", "uploaded_by", "uploaded_at", "checked_on"},
			pgx.CopyFromRows(ev)); err != nil {
			return fmt.Errorf("copy evidence: %w", err)
		}
		// Evaluators' values and their trail.
		var rv, rc [][]any
		for _, p := range plans {
			for _, code := range sortedCodes(p.reviews) {
				nb, _ := json.Marshal(p.reviews[code])
				at := p.answeredAt
				if p.submittedAt != nil {
					at = p.submittedAt.Add(72 * time.Hour)
				}
				rv = append(rv, []any{p.id, code, nb, p.reasons[code], p.reviewer, at})
				rc = append(rc, []any{p.id, code, nil, nb, p.reasons[code], p.reviewer, at})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"reviews"}, []string{"assessment_id", "indicator", "value", "reason", "reviewed_by", "updated_at"},
			pgx.CopyFromRows(rv)); err != nil {
			return fmt.Errorf("copy reviews: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"review_changes"}, []string{"assessment_id", "indicator", "old_value", "new_value", "reason", "changed_by", "changed_at"},
			pgx.CopyFromRows(rc)); err != nil {
			return fmt.Errorf("copy review changes: %w", err)
		}
		// History and comments.
		var evs, cms [][]any
		for _, p := range plans {
			if p.submittedAt == nil {
				continue
			}
			evs = append(evs, []any{p.id, "submit", "draft", "submitted", "", p.schoolUser, *p.submittedAt})
			switch p.status {
			case "returned":
				evs = append(evs, []any{p.id, "return", "submitted", "returned", p.returnComment, p.reviewer, *p.decidedAt})
				cms = append(cms, []any{p.id, p.returnComment, p.reviewer, *p.decidedAt})
			case "approved":
				evs = append(evs, []any{p.id, "approve", "submitted", "approved", p.approveComment, p.reviewer, *p.decidedAt})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"assessment_events"}, []string{"assessment_id", "action", "from_status", "to_status", "comment", "actor_id", "at"},
			pgx.CopyFromRows(evs)); err != nil {
			return fmt.Errorf("copy events: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"comments"}, []string{"assessment_id", "body", "author_id", "created_at"},
			pgx.CopyFromRows(cms)); err != nil {
			return fmt.Errorf("copy comments: %w", err)
		}
		// Scores and status.
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE seed_scores (id bigint, status text, self_index float8, self_level int, self_result jsonb,
			validated_index float8, validated_level int, validated_result jsonb, answered int, applicable int,
			submitted_at timestamptz, approved_at timestamptz, approved_by bigint, review_comment text, updated_at timestamptz) ON COMMIT DROP`); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"seed_scores"},
			[]string{"id", "status", "self_index", "self_level", "self_result", "validated_index", "validated_level", "validated_result",
				"answered", "applicable", "submitted_at", "approved_at", "approved_by", "review_comment", "updated_at"},
			pgx.CopyFromSlice(len(plans), func(i int) ([]any, error) {
				p, s := plans[i], scores[i]
				var approvedAt *time.Time
				var approvedBy *int64
				comment := ""
				switch p.status {
				case "approved":
					approvedAt, approvedBy, comment = p.decidedAt, p.reviewer, p.approveComment
				case "returned":
					comment = p.returnComment
				}
				updated := p.answeredAt
				if p.decidedAt != nil {
					updated = *p.decidedAt
				} else if p.submittedAt != nil {
					updated = *p.submittedAt
				}
				var selfJSON, valJSON any
				if s.selfJSON != nil {
					selfJSON, valJSON = s.selfJSON, s.valJSON
				}
				return []any{s.id, p.status, s.selfIdx, s.selfLvl, selfJSON, s.valIdx, s.valLvl, valJSON,
					s.answered, s.applicable, p.submittedAt, approvedAt, approvedBy, comment, updated}, nil
			}))
		if err != nil {
			return fmt.Errorf("copy scores: %w", err)
		}
		_, err = tx.Exec(ctx, `UPDATE assessments x SET status = s.status, self_index = s.self_index, self_level = s.self_level,
			self_result = s.self_result, validated_index = s.validated_index, validated_level = s.validated_level,
			validated_result = s.validated_result, answered = s.answered, applicable = s.applicable, submitted_at = s.submitted_at,
			approved_at = s.approved_at, approved_by = s.approved_by, review_comment = s.review_comment, updated_at = s.updated_at
			FROM seed_scores s WHERE x.id = s.id`)
		return err
	})
}

func sortedCodes[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// assessmentRef is one of a campaign's assessments: id, unit code, level.
type assessmentRef struct {
	id       int64
	unitCode string
	level    string
}

func listAssessments(ctx context.Context, pool *pgxpool.Pool, campaignID int64) ([]assessmentRef, error) {
	rows, err := pool.Query(ctx, `SELECT x.id, u.code, x.school_level FROM assessments x JOIN units u ON u.id = x.unit_id
		WHERE x.campaign_id = $1 ORDER BY u.code`, campaignID)
	if err != nil {
		return nil, err
	}
	return postgres.Collect(rows, func(a *assessmentRef) []any { return []any{&a.id, &a.unitCode, &a.level} })
}
