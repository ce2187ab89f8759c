package survey

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/dxindex/dxindex/indicators"
)

// Saving an answer is the hot path of the whole application: every
// answer a principal settles on saves itself, and on deadline day every
// school does so at once. Each save is one transaction of its own on the
// one path that stores a score (storeScore): what can be judged without
// the stored state is judged first (newSave), then the assessment is
// locked, the version checked, the answer written and the score stored,
// and the save is acknowledged after the commit. Saves are not batched:
// writing the saves that arrive together in one transaction, on this
// same path, was measured slower (docs/performance.md).

// saveJob is one save: who, where, which indicator and the value, parsed.
type saveJob struct {
	a         *Actor
	x         *Assessment // the target's unchanging part; saveInTx reads the rest
	indicator string
	ans       indicators.Answer
	canon     json.RawMessage // nil clears the answer
	version   int
}

// SaveAnswer writes one answer. version is the version the writer read
// (0 for a new answer); a stale version gets an *AnswerConflict with the
// current answer. The answer, its new version and the recomputed score
// are committed together before SaveAnswer returns.
func (s *Service) SaveAnswer(ctx context.Context, a *Actor, id int64, indicator string, value json.RawMessage, version int) (*SavedAnswer, error) {
	j, err := s.newSave(ctx, a, id, indicator, value, version)
	if err != nil {
		return nil, wrap("save answer", err)
	}
	var out *SavedAnswer
	var typed map[string]indicators.Answer
	err = s.inTx(ctx, func(tx pgx.Tx) (err error) {
		out, typed, err = s.saveInTx(ctx, tx, j)
		return err
	})
	if err != nil {
		return nil, wrap("save answer", err)
	}
	out.Gap, _ = indicators.NextLevel(j.x.set, j.x.SchoolLevel, typed)
	return out, nil
}

// newSave judges what can be judged without the stored state (who may
// write, which indicator, which value) before the save joins a batch.
func (s *Service) newSave(ctx context.Context, a *Actor, id int64, indicator string, value json.RawMessage, version int) (*saveJob, error) {
	x, err := s.target(ctx, id)
	if err != nil {
		return nil, err
	}
	if a == nil || !x.visibleTo(a) {
		return nil, errAssessmentNotFound(id)
	}
	if !x.canEdit(a) {
		return nil, ErrForbidden
	}
	if _, err := x.writableIndicator(indicator); err != nil {
		return nil, err
	}
	ans, canon, err := x.parseValue(indicator, value)
	if err != nil {
		return nil, err
	}
	return &saveJob{a: a, x: x, indicator: indicator, ans: ans, canon: canon, version: version}, nil
}

// lockSQL locks an assessment for writing and reads what may change.
const lockSQL = `SELECT x.status, x.answered, x.applicable, x.revision, coalesce(x.self_due, c.self_due)
	FROM assessments x JOIN campaigns c ON c.id = x.campaign_id WHERE x.id = $1 FOR UPDATE OF x`

// saveInTx is one save inside tx: it locks the assessment, checks the save
// against what is stored (editable, the version is the stored one), writes
// the answer and stores the score (storeScore). It returns the outcome and
// the answers as they now stand (for the gap); a refused save writes
// nothing.
func (s *Service) saveInTx(ctx context.Context, tx pgx.Tx, j *saveJob) (*SavedAnswer, map[string]indicators.Answer, error) {
	x := *j.x
	// The lock and the stored state in one round trip.
	read := &pgx.Batch{}
	read.Queue(lockSQL, x.ID)
	read.Queue(stateSQL, x.ID)
	br := tx.SendBatch(ctx, read)
	err := br.QueryRow().Scan(&x.Status, &x.Answered, &x.Applicable, &x.Revision, &x.SelfDue.Time)
	var answers map[string]storedAnswer
	var reviews map[string]indicators.Answer
	if err == nil {
		var rows pgx.Rows
		if rows, err = br.Query(); err == nil {
			answers, reviews, err = scanState(rows)
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, errAssessmentNotFound(x.ID)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkEditable(&x, j.a); err != nil {
		return nil, nil, err
	}
	cur, exists := answers[j.indicator]
	if j.version != cur.version || (!exists && j.version != 0) {
		curValue := cur.raw
		if !exists {
			curValue = json.RawMessage("null")
		}
		return nil, nil, &AnswerConflict{Indicator: j.indicator, Value: curValue, Version: cur.version}
	}
	typed := typedAnswers(answers)
	newVersion, canon := cur.version+1, j.canon
	// The answer and the score in one round trip.
	write := &pgx.Batch{}
	if canon == nil {
		newVersion, canon = 0, json.RawMessage("null")
		delete(typed, j.indicator)
		write.Queue(`DELETE FROM answers WHERE assessment_id = $1 AND indicator = $2`, x.ID, j.indicator)
	} else {
		typed[j.indicator] = j.ans
		write.Queue(`INSERT INTO answers (assessment_id, indicator, value, version, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (assessment_id, indicator) DO UPDATE SET value = $3, version = $4, updated_by = $5, updated_at = $6`,
			x.ID, j.indicator, j.canon, newVersion, j.a.UserID, s.Now())
	}
	self, _, err := s.storeScore(ctx, tx, &x, typed, reviews, write)
	if err != nil {
		return nil, nil, err
	}
	return &SavedAnswer{Indicator: j.indicator, Value: canon, Version: newVersion, Self: self,
		Answered: x.Answered, Applicable: x.Applicable, Revision: x.Revision}, typed, nil
}
