package survey

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/survey/model"
)

// Saving an answer is the hot path of the whole application: every
// answer a principal settles on saves itself, and on deadline day every
// school does so at once. The saves that arrive together are therefore
// committed together (groupcommit.go), on the one path that stores a
// score (queueScore, the statement storeScore sends for submission,
// review and approval): what can be judged without the stored state is
// judged first (newSave); then one transaction locks and reads all the
// group's assessments in one pipelined round trip, judges each save on
// its own (editable, version), writes the answers and scores of the
// accepted ones in a second pipelined round trip and commits. Each save
// is acknowledged after the commit; a refused save gets its own error and
// writes nothing; a group that fails is retried save by save, so one bad
// save fails alone. Group commit was kept because it was measured faster
// than one transaction per save (docs/performance.md, "Group commit on
// the one path").

// saveJob is one save: who, where, which indicator and the value, parsed,
// and, once its group has committed, how it went.
type saveJob struct {
	ctx       context.Context // the caller's; a group does not follow it
	a         *model.Actor
	x         *model.Assessment // the target's unchanging part; saveInTx reads the rest
	indicator string
	ans       indicators.Answer
	canon     json.RawMessage // nil clears the answer
	version   int

	out   *model.SavedAnswer
	typed map[string]indicators.Answer // the answers after the save, for the gap
	err   error                        // the save's own refusal or failure
	done  chan struct{}                // closed when out or err is final
}

// SaveAnswer writes one answer. version is the version the writer read
// (0 for a new answer); a stale version gets an *AnswerConflict with the
// current answer. The answer, its new version and the recomputed score
// are committed together before SaveAnswer returns.
func (s *Service) SaveAnswer(ctx context.Context, a *model.Actor, id int64, indicator string, value json.RawMessage, version int) (*model.SavedAnswer, error) {
	j, err := s.newSave(ctx, a, id, indicator, value, version)
	if err != nil {
		return nil, wrap("save answer", err)
	}
	s.saves.add(s, j)
	<-j.done
	if j.err != nil {
		return nil, wrap("save answer", j.err)
	}
	j.out.Gap, _ = indicators.NextLevel(j.x.Set, j.x.SchoolLevel, j.typed)
	return j.out, nil
}

// newSave judges what can be judged without the stored state (who may
// write, which indicator, which value) before the save joins a batch.
func (s *Service) newSave(ctx context.Context, a *model.Actor, id int64, indicator string, value json.RawMessage, version int) (*saveJob, error) {
	x, err := s.target(ctx, id)
	if err != nil {
		return nil, err
	}
	if a == nil || !x.VisibleTo(a) {
		return nil, errAssessmentNotFound(id)
	}
	if !x.CanEdit(a) {
		return nil, model.ErrForbidden
	}
	if _, err := x.WritableIndicator(indicator); err != nil {
		return nil, err
	}
	ans, canon, err := x.ParseValue(indicator, value)
	if err != nil {
		return nil, err
	}
	return &saveJob{ctx: ctx, a: a, x: x, indicator: indicator, ans: ans, canon: canon, version: version, done: make(chan struct{})}, nil
}

// lockSQL locks an assessment for writing and reads what may change.
const lockSQL = `SELECT x.status, x.answered, x.applicable, x.revision, coalesce(x.self_due, c.self_due)
	FROM assessments x JOIN campaigns c ON c.id = x.campaign_id WHERE x.id = $1 FOR UPDATE OF x`

// saveInTx writes a group of saves (one per assessment, in assessment
// order) inside tx, in two round trips whatever the group's size: the
// locks and stored states of all its assessments, then the answers and
// scores (queueScore) of the saves accepted against what is stored
// (editable, the version is the stored one). A refused save gets j.err
// and writes nothing; an accepted one gets j.out and j.typed, which hold
// once tx commits. The error returned is the group's (a failed statement
// or score): tx is then lost and nothing of the group may be committed.
func (s *Service) saveInTx(ctx context.Context, tx pgx.Tx, group []*saveJob) error {
	// The locks and the stored states in one round trip.
	read := &pgx.Batch{}
	for _, j := range group {
		read.Queue(lockSQL, j.x.ID)
		read.Queue(stateSQL, j.x.ID)
	}
	type state struct {
		x       model.Assessment
		answers map[string]storedAnswer
		reviews map[string]indicators.Answer
	}
	states := make([]state, len(group))
	br := tx.SendBatch(ctx, read)
	var err error
	for i, j := range group {
		st := &states[i]
		st.x = *j.x
		err = br.QueryRow().Scan(&st.x.Status, &st.x.Answered, &st.x.Applicable, &st.x.Revision, &st.x.SelfDue.Time)
		if errors.Is(err, pgx.ErrNoRows) {
			j.err, err = errAssessmentNotFound(st.x.ID), nil
		}
		if err != nil {
			break
		}
		var rows pgx.Rows
		if rows, err = br.Query(); err != nil {
			break
		}
		if st.answers, st.reviews, err = scanState(rows); err != nil {
			break
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// Each save judged on its own; the answers and scores of the accepted
	// ones in one round trip.
	write := &pgx.Batch{}
	for i, j := range group {
		if j.err != nil {
			continue
		}
		st := &states[i]
		if err := s.checkEditable(&st.x, j.a); err != nil {
			j.err = err
			continue
		}
		cur, exists := st.answers[j.indicator]
		if j.version != cur.version || (!exists && j.version != 0) {
			curValue := cur.raw
			if !exists {
				curValue = json.RawMessage("null")
			}
			j.err = &model.AnswerConflict{Indicator: j.indicator, Value: curValue, Version: cur.version}
			continue
		}
		typed := typedAnswers(st.answers)
		newVersion, canon := cur.version+1, j.canon
		if canon == nil {
			newVersion, canon = 0, json.RawMessage("null")
			delete(typed, j.indicator)
			write.Queue(`DELETE FROM answers WHERE assessment_id = $1 AND indicator = $2`, st.x.ID, j.indicator)
		} else {
			typed[j.indicator] = j.ans
			write.Queue(`INSERT INTO answers (assessment_id, indicator, value, version, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (assessment_id, indicator) DO UPDATE SET value = $3, version = $4, updated_by = $5, updated_at = $6`,
				st.x.ID, j.indicator, j.canon, newVersion, j.a.UserID, s.Now())
		}
		self, _, err := queueScore(write, &st.x, typed, st.reviews)
		if err != nil {
			return err
		}
		j.typed = typed
		j.out = &model.SavedAnswer{Indicator: j.indicator, Value: canon, Version: newVersion, Self: self,
			Answered: st.x.Answered, Applicable: st.x.Applicable, Revision: st.x.Revision}
	}
	if write.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, write).Close(); err != nil {
		return wrap("store score", err)
	}
	return nil
}
