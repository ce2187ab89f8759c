package survey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// decodeResult reads a stored result (nil when there is none). Every
// result stored since the first migration has this shape; the criteria
// are absent from those stored before they were added.
func decodeResult(raw []byte) (*indicators.Result, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var r indicators.Result
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

var errAssessmentNotFound = func(id int64) error {
	return errkind.New(errkind.NotFound, fmt.Sprintf("Không có bản đánh giá số %d.", id), fmt.Sprintf("no assessment %d", id))
}

// header loads an assessment's own row (not answers), checking that the
// actor may read it. With lock, the row is locked for the transaction:
// every change to an assessment takes this lock first, so changes to one
// assessment are serialised and its stored score always matches its
// answers.
func (s *Service) header(ctx context.Context, db pgx.Tx, a *model.Actor, id int64, lock bool) (*model.Assessment, error) {
	if a == nil {
		return nil, errAssessmentNotFound(id)
	}
	var row pgx.Row
	if db != nil {
		row = db.QueryRow(ctx, headerSQL(lock), id)
	} else {
		row = s.pool.QueryRow(ctx, headerSQL(lock), id)
	}
	x, err := scanHeader(row, id)
	if err != nil {
		return nil, err
	}
	if db == nil {
		return s.checkHeader(ctx, nil, a, x)
	}
	return s.checkHeader(ctx, db, a, x)
}

// headerSQL reads an assessment with its campaign and place. Writers lock
// the row (and do not need the stored results, which are large).
func headerSQL(lock bool) string {
	results := `x.self_result, x.validated_result`
	if lock {
		results = `NULL::jsonb, NULL::jsonb`
	}
	q := `SELECT x.id, x.campaign_id, c.name, c.set_code, c.set_version, u.id, u.code, u.name, coalesce(p.code, ''), coalesce(p.name, ''),
			x.school_level, x.status, coalesce(x.self_due, c.self_due), c.review_due, x.submitted_at, x.approved_at, x.updated_at, x.answered, x.applicable,
			x.revision, x.review_comment, cu.path, ` + results + `, ` + reviewOfficeSQL + `
		FROM assessments x
		JOIN campaigns c ON c.id = x.campaign_id
		JOIN units u ON u.id = x.unit_id
		JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		LEFT JOIN units p ON p.id = cu.parent_id
		WHERE x.id = $1`
	if lock {
		q += ` FOR UPDATE OF x`
	}
	return q
}

func scanHeader(row pgx.Row, id int64) (*model.Assessment, error) {
	var x model.Assessment
	var self, validated []byte
	err := row.Scan(&x.ID, &x.CampaignID, &x.CampaignName, &x.SetCode, &x.SetVersion, &x.UnitID, &x.UnitCode, &x.UnitName, &x.ParentCode, &x.ParentName,
		&x.SchoolLevel, &x.Status, &x.SelfDue.Time, &x.ReviewDue.Time, &x.SubmittedAt, &x.ApprovedAt, &x.UpdatedAt, &x.Answered, &x.Applicable,
		&x.Revision, &x.ReviewComment, &x.Path, &self, &validated, &x.ReviewOffice)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errAssessmentNotFound(id)
	}
	if err != nil {
		return nil, wrap("assessment", err)
	}
	if x.Self, err = decodeResult(self); err == nil {
		x.Validated, err = decodeResult(validated)
	}
	if err != nil {
		return nil, wrap("assessment: stored result", err)
	}
	return &x, nil
}

// checkHeader applies the read rule and loads the set (through db when
// not nil: the caller's transaction or connection).
func (s *Service) checkHeader(ctx context.Context, db postgres.DBTX, a *model.Actor, x *model.Assessment) (*model.Assessment, error) {
	if !x.VisibleTo(a) {
		return nil, errAssessmentNotFound(x.ID)
	}
	var err error
	if x.Set, err = s.set(ctx, db, x.SetCode, x.SetVersion); err != nil {
		return nil, err
	}
	return x, nil
}

// Assessment returns an assessment in full: answers with evidence and
// reviews, self and validated scores, the gap to the next level, history
// and comments.
func (s *Service) Assessment(ctx context.Context, a *model.Actor, id int64) (*model.Assessment, error) {
	x, err := s.header(ctx, nil, a, id, false)
	if err != nil {
		return nil, err
	}
	x.Allowed = x.AllowedActions(a, s.Now())
	x.Answers = map[string]*model.AnswerView{}
	answers, _, err := loadState(ctx, s.pool, id)
	if err != nil {
		return nil, err
	}
	for code, r := range answers {
		t := r.at
		x.Answers[code] = &model.AnswerView{Value: r.raw, Version: r.version, UpdatedAt: &t, Evidence: []model.Evidence{}}
	}
	view := func(code string) *model.AnswerView {
		if v, ok := x.Answers[code]; ok {
			return v
		}
		v := &model.AnswerView{Value: json.RawMessage("null"), Evidence: []model.Evidence{}}
		x.Answers[code] = v
		return v
	}
	rows, err := s.pool.Query(ctx, `SELECT id, indicator, kind, coalesce(url, ''), coalesce(filename, ''), coalesce(content_type, ''), size, uploaded_at,
			coalesce(issued_on, checked_on)
		FROM evidence WHERE assessment_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, wrap("evidence", err)
	}
	for rows.Next() {
		var e model.Evidence
		var ind string
		if err := rows.Scan(&e.ID, &ind, &e.Kind, &e.URL, &e.Filename, &e.ContentType, &e.Size, &e.UploadedAt, &e.DatedOn); err != nil {
			rows.Close()
			return nil, wrap("evidence", err)
		}
		e.Filename = shownFilename(e.Filename)
		def, _ := x.Set.Indicator(ind)
		s.evidenceAge(&e, def, x.SelfDue.Time)
		v := view(ind)
		v.Evidence = append(v.Evidence, e)
	}
	rows.Close()
	rows, err = s.pool.Query(ctx, `SELECT r.indicator, r.value, r.reason, coalesce(u.username, ''), r.updated_at
		FROM reviews r LEFT JOIN users u ON u.id = r.reviewed_by WHERE r.assessment_id = $1`, id)
	if err != nil {
		return nil, wrap("reviews", err)
	}
	for rows.Next() {
		var ind string
		var rv model.ReviewView
		if err := rows.Scan(&ind, &rv.Value, &rv.Reason, &rv.By, &rv.At); err != nil {
			rows.Close()
			return nil, wrap("reviews", err)
		}
		view(ind).Review = &rv
	}
	rows.Close()
	if x.History, err = s.history(ctx, id); err != nil {
		return nil, err
	}
	for i := range x.History {
		x.History[i].Comment = reword(x, x.History[i].Action, x.History[i].Comment)
	}
	if x.Comments, err = s.comments(ctx, id); err != nil {
		return nil, err
	}
	typed := typedAnswers(answers)
	if gap, err := indicators.NextLevel(x.Set, x.SchoolLevel, typed); err == nil {
		x.Gap = gap
	}
	if err := s.loadResultView(ctx, a, x); err != nil {
		return nil, err
	}
	if x.IsOffice() {
		if x.Rollups, err = s.rollupViews(ctx, id); err != nil {
			return nil, err
		}
	}
	return x, nil
}

func (s *Service) history(ctx context.Context, id int64) ([]model.Event, error) {
	return queryList(ctx, s.pool, "history", func(e *model.Event) []any { return []any{&e.Action, &e.From, &e.To, &e.Comment, &e.By, &e.At} },
		`SELECT e.action, coalesce(e.from_status, ''), coalesce(e.to_status, ''), e.comment, coalesce(u.username, 'dxindex'), e.at
		FROM assessment_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.assessment_id = $1 ORDER BY e.id`, id)
}

func (s *Service) comments(ctx context.Context, id int64) ([]model.Comment, error) {
	return queryList(ctx, s.pool, "comments", func(c *model.Comment) []any { return []any{&c.ID, &c.Indicator, &c.Body, &c.By, &c.Role, &c.At} },
		`SELECT c.id, coalesce(c.indicator, ''), c.body, coalesce(u.username, ''), coalesce(u.role, ''), c.created_at
		FROM comments c LEFT JOIN users u ON u.id = c.author_id WHERE c.assessment_id = $1 ORDER BY c.id`, id)
}

// queryList reads the rows of q into a list (empty, not nil, so JSON has
// []), its errors wrapped as op.
func queryList[T any](ctx context.Context, db postgres.DBTX, op string, fields func(*T) []any, q string, args ...any) ([]T, error) {
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	out, err := postgres.Collect(rows, fields)
	if out == nil {
		out = []T{}
	}
	return out, wrap(op, err)
}

type storedAnswer struct {
	raw     json.RawMessage
	answer  indicators.Answer
	version int
	at      time.Time
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// loadState reads an assessment's answers and the evaluator's values in
// one round trip.
func loadState(ctx context.Context, db querier, id int64) (map[string]storedAnswer, map[string]indicators.Answer, error) {
	rows, err := db.Query(ctx, stateSQL, id)
	if err != nil {
		return nil, nil, wrap("answers", err)
	}
	return scanState(rows)
}

const stateSQL = `SELECT true, indicator, value, version, updated_at FROM answers WHERE assessment_id = $1
	UNION ALL SELECT false, indicator, value, 0, updated_at FROM reviews WHERE assessment_id = $1`

func scanState(rows pgx.Rows) (map[string]storedAnswer, map[string]indicators.Answer, error) {
	defer rows.Close()
	answers, reviews := map[string]storedAnswer{}, map[string]indicators.Answer{}
	for rows.Next() {
		var isAnswer bool
		var code string
		var r storedAnswer
		if err := rows.Scan(&isAnswer, &code, &r.raw, &r.version, &r.at); err != nil {
			return nil, nil, wrap("answers", err)
		}
		// Stored values are valid JSON (jsonb): read them directly,
		// without json.Unmarshal's second pass over each.
		if err := r.answer.UnmarshalJSON(r.raw); err != nil {
			return nil, nil, wrap("answers", fmt.Errorf("stored value %s: %w", code, err))
		}
		if isAnswer {
			answers[code] = r
		} else {
			reviews[code] = r.answer
		}
	}
	return answers, reviews, wrap("answers", rows.Err())
}

// typedAnswers are the stored answers as the engine takes them, with room
// for one more.
func typedAnswers(answers map[string]storedAnswer) map[string]indicators.Answer {
	typed := make(map[string]indicators.Answer, len(answers)+1)
	for code, r := range answers {
		typed[code] = r.answer
	}
	return typed
}

// rescore recomputes and stores an assessment's scores from its stored
// answers and the evaluator's values (storeScore), inside the caller's
// transaction.
func (s *Service) rescore(ctx context.Context, tx pgx.Tx, x *model.Assessment) (*indicators.Result, *indicators.Result, error) {
	answers, reviews, err := loadState(ctx, tx, x.ID)
	if err != nil {
		return nil, nil, err
	}
	return s.storeScore(ctx, tx, x, typedAnswers(answers), reviews)
}

// scoreBoth scores the answers (self) and the answers overlaid with the
// evaluator's values (validated; the same result when there are none), on
// the engine's sheet path: the answers are laid out once in the set's
// order and the evaluator's values overlaid on a copy, so nothing is
// looked up by code twice. Every stored score and the what-if preview
// come from here.
func scoreBoth(x *model.Assessment, typed, reviews map[string]indicators.Answer) (self, validated *indicators.Result, err error) {
	sheet, err := x.Set.Sheet(typed)
	if err != nil {
		return nil, nil, wrap("score", err)
	}
	if self, err = indicators.ScoreSheet(x.Set, x.SchoolLevel, sheet); err != nil {
		return nil, nil, wrap("score", err)
	}
	if len(reviews) == 0 {
		return self, self, nil
	}
	over, err := x.Set.Overlay(sheet, reviews)
	if err != nil {
		return nil, nil, wrap("score", err)
	}
	if validated, err = indicators.ScoreSheet(x.Set, x.SchoolLevel, over); err != nil {
		return nil, nil, wrap("score", err)
	}
	return self, validated, nil
}

// storeScore is the one way a score is stored (autosave, submit, review,
// approve, office corrections): it queues the score's write (queueScore)
// and sends it inside the caller's transaction (saves pipeline the same
// statement with their answers, saveOnce). The caller holds the row lock,
// so x's revision plus one is the one stored; x gets the new progress and
// revision.
func (s *Service) storeScore(ctx context.Context, tx pgx.Tx, x *model.Assessment, typed, reviews map[string]indicators.Answer) (self, validated *indicators.Result, err error) {
	b := &pgx.Batch{}
	answered, applicable, revision := x.Answered, x.Applicable, x.Revision
	if self, validated, _, err = queueScore(b, x, typed, reviews, nil); err != nil {
		return nil, nil, err
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		x.Answered, x.Applicable, x.Revision = answered, applicable, revision
		return nil, nil, wrap("store score", err)
	}
	return self, validated, nil
}

// queueScore scores the answers (self) and the answers overlaid with the
// evaluator's values (validated) and queues on b the one statement that
// stores both results, their index and level and the progress on the
// assessment, counting the write in revision. Every stored score is
// written by this statement: storeScore sends it alone, a group of saves
// (groupcommit.go) pipelines many. x gets the new progress and revision,
// which hold once b is sent and committed under the row lock. With seen
// not nil, the statement writes only while the row's version (xmin) is
// *seen, the one the saves judged (saveOnce); q tells whether it did.
func queueScore(b *pgx.Batch, x *model.Assessment, typed, reviews map[string]indicators.Answer, seen *uint32) (self, validated *indicators.Result, q *pgx.QueuedQuery, err error) {
	self, validated, err = scoreBoth(x, typed, reviews)
	if err != nil {
		return nil, nil, nil, err
	}
	// A validated result equal to the self result (no evaluator's values)
	// is sent once.
	var valid any
	if validated != self {
		valid = validated
	}
	applicable := ApplicableCount(x.Set, x.SchoolLevel, self)
	answered := applicable - len(self.Unanswered)
	q = b.Queue(`UPDATE assessments SET self_index = $2, self_level = $3, self_result = $4::jsonb,
		validated_index = $5, validated_level = $6, validated_result = coalesce($7::jsonb, $4::jsonb),
		answered = $8, applicable = $9, revision = revision + 1, updated_at = now()
		WHERE id = $1 AND ($10::xid IS NULL OR xmin = $10::xid)`,
		x.ID, self.Index, self.Level, self, validated.Index, validated.Level, valid, answered, applicable, seen)
	x.Answered, x.Applicable, x.Revision = answered, applicable, x.Revision+1
	return self, validated, q, nil
}

// ApplicableCount is an assessment's "applicable" count from its self
// score: the scored indicators plus the applicable mandatory ones. It is
// the one definition, for the service and for bulk loaders (seed) that
// write the same columns.
func ApplicableCount(set *indicators.Set, level string, self *indicators.Result) int {
	return len(self.Indicators()) + countMandatory(set, level)
}

func countMandatory(set *indicators.Set, level string) int {
	n := 0
	for _, ind := range model.ApplicableIndicators(set, level) {
		if ind.Mandatory {
			n++
		}
	}
	return n
}

// event records a step of the history inside tx, at the service's clock.
func (s *Service) event(ctx context.Context, tx pgx.Tx, id int64, a *model.Actor, action string, from, to model.Status, comment string) error {
	var actor *int64
	if a != nil && a.UserID != 0 {
		actor = &a.UserID
	}
	_, err := tx.Exec(ctx, `INSERT INTO assessment_events (assessment_id, action, from_status, to_status, comment, actor_id, at) VALUES ($1, $2, nullif($3, ''), nullif($4, ''), $5, $6, $7)`,
		id, action, from, to, comment, actor, s.Now())
	return err
}

// AssessmentVisible reports whether the actor may read assessment id (for
// route scope checks; false also when it does not exist).
func (s *Service) AssessmentVisible(ctx context.Context, a *model.Actor, id int64) (bool, error) {
	if a == nil {
		return false, nil
	}
	x, err := s.target(ctx, id)
	if errors.Is(err, errkind.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return x.VisibleTo(a), nil
}

// target returns the unchanging part of assessment id: its campaign, set
// (parsed), unit, place in the campaign and school level. It is cached:
// the route's scope check and every save read it.
func (s *Service) target(ctx context.Context, id int64) (*model.Assessment, error) {
	if x, ok := s.targets.get(id); ok {
		return x, nil
	}
	full, err := scanHeader(s.pool.QueryRow(ctx, headerSQL(false), id), id)
	if err != nil {
		return nil, err
	}
	set, err := s.set(ctx, nil, full.SetCode, full.SetVersion)
	if err != nil {
		return nil, err
	}
	x := &model.Assessment{ID: full.ID, CampaignID: full.CampaignID, SetCode: full.SetCode, SetVersion: full.SetVersion,
		SchoolLevel: full.SchoolLevel, UnitID: full.UnitID, Path: full.Path, Set: set}
	s.targets.put(id, x)
	return x, nil
}

// targetCache holds the unchanging parts of assessments (target): where
// the unit stood (campaign_units, a snapshot taken when the campaign
// opened), its campaign, set and school level never change once the
// campaign is open, so a cached value never goes stale; the cache only
// saves a query per request.
type targetCache struct {
	mu sync.RWMutex
	m  map[int64]*model.Assessment
}

const maxCachedTargets = 500_000

func (c *targetCache) get(id int64) (*model.Assessment, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	x, ok := c.m[id]
	return x, ok
}

func (c *targetCache) put(id int64, x *model.Assessment) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedTargets {
		c.m = map[int64]*model.Assessment{}
	}
	c.m[id] = x
}
