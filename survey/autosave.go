package survey

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dxindex/dxindex/indicators"
)

// Saving an answer is the hot path of the whole application: every
// answer a principal settles on saves itself, and on deadline day every
// school does so at once. The saves that arrive together are therefore
// written together: one transaction, two round trips and one commit for a
// batch of saves, each save still checked, versioned and scored on its
// own and acknowledged only after the commit. A batch that fails is
// retried save by save, so one bad save never fails another.

const (
	// maxSaveBatch bounds a batch: its locks are held until it commits.
	maxSaveBatch = 64
	// saveTimeout bounds a batch. It does not follow any one request's
	// context: a client that goes away must not cancel the others' saves.
	saveTimeout = 30 * time.Second
)

// saveBatches is how many batches may run at once: enough to keep every
// core busy while other batches wait on the database.
var saveBatches = 2 * runtime.GOMAXPROCS(0)

// saveJob is one save on its way through a batch.
type saveJob struct {
	ctx       context.Context
	a         *Actor
	x         *Assessment // the target's unchanging part; the batch fills in the rest
	indicator string
	ans       indicators.Answer
	canon     json.RawMessage // nil clears the answer
	version   int

	out   *SavedAnswer
	typed map[string]indicators.Answer // the answers after the save, for the gap
	err   error
	done  chan struct{}
}

// SaveAnswer writes one answer. version is the version the writer read
// (0 for a new answer); a stale version gets an *AnswerConflict with the
// current answer. The answer, its new version and the recomputed score
// are committed together before SaveAnswer returns.
func (s *Service) SaveAnswer(ctx context.Context, a *Actor, id int64, indicator string, value json.RawMessage, version int) (*SavedAnswer, error) {
	out, err := s.saveAnswer(ctx, a, id, indicator, value, version)
	if err != nil {
		return nil, wrap("save answer", err)
	}
	return out, nil
}

func (s *Service) saveAnswer(ctx context.Context, a *Actor, id int64, indicator string, value json.RawMessage, version int) (*SavedAnswer, error) {
	j, err := s.newSave(ctx, a, id, indicator, value, version)
	if err != nil {
		return nil, err
	}
	s.saves.add(j)
	<-j.done
	if j.err != nil {
		return nil, j.err
	}
	j.out.Gap, _ = indicators.NextLevel(j.x.set, j.x.SchoolLevel, j.typed)
	return j.out, nil
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
	return &saveJob{ctx: ctx, a: a, x: x, indicator: indicator, ans: ans, canon: canon, version: version, done: make(chan struct{})}, nil
}

// takeSaves takes the next batch of saves, oldest first: at most one save
// per assessment (the next one must see this one's write) and none whose
// request has already gone.
func takeSaves(pending []*saveJob) (batch, rest []*saveJob) {
	ids := map[int64]bool{}
	rest = pending[:0]
	for _, j := range pending {
		switch {
		case j.ctx.Err() != nil:
			j.err = j.ctx.Err()
			close(j.done)
		case len(batch) < maxSaveBatch && !ids[j.x.ID]:
			ids[j.x.ID] = true
			batch = append(batch, j)
		default:
			rest = append(rest, j)
		}
	}
	clear(pending[len(rest):])
	return batch, rest
}

// saveBatch writes a batch and tells each save how it went. When the
// batch as a whole fails (a statement or the commit), nothing of it was
// written and each save is tried again alone, so that its own error, if
// any, is the one it reports.
func (s *Service) saveBatch(batch []*saveJob) {
	err := s.writeBatch(batch)
	if err != nil && len(batch) > 1 {
		for _, j := range batch {
			j.out, j.typed, j.err = nil, nil, nil
			s.saveBatch([]*saveJob{j})
		}
		return
	}
	for _, j := range batch {
		if err != nil {
			j.err = err
		}
		close(j.done)
	}
}

// lockSQL locks an assessment for writing and reads what may change.
const lockSQL = `SELECT x.status, x.answered, x.applicable, x.revision, coalesce(x.self_due, c.self_due)
	FROM assessments x JOIN campaigns c ON c.id = x.campaign_id WHERE x.id = $1 FOR UPDATE OF x`

// writeBatch saves a batch in one transaction (one commit for all): per
// save, in assessment order (so that two batches never wait for each
// other in a cycle), saveInTx. A save that fails its checks gets its
// error and writes nothing. The error returned is the batch's: when it
// is not nil, nothing was committed.
func (s *Service) writeBatch(batch []*saveJob) error {
	slices.SortFunc(batch, func(a, b *saveJob) int { return cmp.Compare(a.x.ID, b.x.ID) })
	ctx, cancel := context.WithTimeout(context.WithoutCancel(batch[0].ctx), saveTimeout)
	defer cancel()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	for _, j := range batch {
		if err := s.saveInTx(ctx, tx, j); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// saveInTx is one save inside tx: it locks the assessment, checks the save
// against what is stored (editable, the version is the stored one), writes
// the answer and stores the score (storeScore). A refused save sets j.err
// and writes nothing; the error returned is a failed statement, after
// which tx is lost.
func (s *Service) saveInTx(ctx context.Context, tx pgx.Tx, j *saveJob) error {
	x := *j.x
	err := tx.QueryRow(ctx, lockSQL, x.ID).Scan(&x.Status, &x.Answered, &x.Applicable, &x.Revision, &x.SelfDue.Time)
	if errors.Is(err, pgx.ErrNoRows) {
		j.err = errAssessmentNotFound(x.ID)
		return nil
	}
	if err != nil {
		return err
	}
	answers, reviews, err := loadState(ctx, tx, x.ID)
	if err != nil {
		return err
	}
	if err := s.checkEditable(&x, j.a); err != nil {
		j.err = err
		return nil
	}
	cur, exists := answers[j.indicator]
	if j.version != cur.version || (!exists && j.version != 0) {
		curValue := cur.raw
		if !exists {
			curValue = json.RawMessage("null")
		}
		j.err = &AnswerConflict{Indicator: j.indicator, Value: curValue, Version: cur.version}
		return nil
	}
	typed := typedAnswers(answers)
	newVersion, canon := cur.version+1, j.canon
	if canon == nil {
		newVersion, canon = 0, json.RawMessage("null")
		delete(typed, j.indicator)
		_, err = tx.Exec(ctx, `DELETE FROM answers WHERE assessment_id = $1 AND indicator = $2`, x.ID, j.indicator)
	} else {
		typed[j.indicator] = j.ans
		_, err = tx.Exec(ctx, `INSERT INTO answers (assessment_id, indicator, value, version, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (assessment_id, indicator) DO UPDATE SET value = $3, version = $4, updated_by = $5, updated_at = $6`,
			x.ID, j.indicator, j.canon, newVersion, j.a.UserID, s.Now())
	}
	if err != nil {
		return err
	}
	self, _, err := s.storeScore(ctx, tx, &x, typed, reviews)
	if err != nil {
		return err
	}
	j.typed = typed
	j.out = &SavedAnswer{Indicator: j.indicator, Value: canon, Version: newVersion, Self: self,
		Answered: x.Answered, Applicable: x.Applicable, Revision: x.Revision}
	return nil
}
