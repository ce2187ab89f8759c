package survey

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/survey/model"
)

// Saving an answer is the hot path of the whole application: every
// answer a principal settles on saves itself, and on deadline day every
// school does so at once. The saves that arrive together are therefore
// committed together (groupcommit.go), on the one path that stores a
// score (queueScore, the statement storeScore sends for submission,
// review and approval): what can be judged without the stored state is
// judged first (newSave); then one pipelined round trip reads all the
// group's assessments, each save is judged on its own (editable,
// version), and a second pipelined round trip writes the answers and
// scores of the accepted ones as one implicit transaction, each write
// conditional on its assessment being unchanged since the read (saveOnce).
// Each save is acknowledged after that commit; a refused save gets its own
// error and writes nothing; a save whose assessment changed meanwhile is
// judged again on a fresh read; a group that fails is retried save by
// save, so one bad save fails alone. Group commit was kept because it was
// measured faster than one transaction per save (docs/performance.md,
// "Group commit on the one path").

// saveJob is one save: who, where, which indicator and the value, parsed,
// and, once its group has committed, how it went.
type saveJob struct {
	ctx       context.Context // the caller's; a group does not follow it
	a         *model.Actor
	x         *model.Assessment // the target's unchanging part; saveOnce reads the rest
	indicator string
	ans       indicators.Answer
	canon     json.RawMessage // nil clears the answer
	version   int

	out   *model.SavedAnswer
	typed map[string]indicators.Answer // the answers after the save, for the gap
	err   error                        // the save's own refusal or failure
	reads int                          // how often the assessment changed between read and write
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

// readSQL reads what a save is judged against, and the row's version
// (xmin: PostgreSQL gives an updated row a new one) that the save's
// writes check.
const readSQL = `SELECT x.status, x.answered, x.applicable, x.revision, coalesce(x.self_due, c.self_due), x.xmin
	FROM assessments x JOIN campaigns c ON c.id = x.campaign_id WHERE x.id = $1`

// The answer's writes, each applied only while the assessment's row is
// the version read, which they lock (FOR UPDATE) until the batch commits.
const (
	putAnswerSQL = `INSERT INTO answers (assessment_id, indicator, value, version, updated_by, updated_at)
	SELECT id, $2::text, $3::jsonb, $4::integer, $5::bigint, $6::timestamptz FROM assessments WHERE id = $1 AND xmin = $7::xid FOR UPDATE
	ON CONFLICT (assessment_id, indicator) DO UPDATE SET value = $3, version = $4, updated_by = $5, updated_at = $6`
	clearAnswerSQL = `DELETE FROM answers WHERE assessment_id = $1 AND indicator = $2
	AND EXISTS (SELECT FROM assessments WHERE id = $1 AND xmin = $3::xid FOR UPDATE)`
)

// afterSaveRead, when a test sets it, runs between a group's read and its
// write: where another writer's change lands in a race.
var afterSaveRead func(group []*saveJob)

// saveOnce writes a group of saves (one per assessment, in assessment
// order) in two round trips whatever the group's size, and holds no lock
// between them:
//
//  1. one pipelined batch reads each assessment's row, then its answers
//     and the evaluator's values;
//  2. each save is judged on its own against what was read (editable,
//     the version is the stored one), and one pipelined batch writes the
//     answers and scores (queueScore) of the accepted ones. PostgreSQL
//     runs a batch's statements as one implicit transaction (pgx sends
//     them with one Sync), so the batch commits whole or not at all.
//
// Each write is applied only if the assessment's row is still the version
// read. That version covers the answers too: every writer of answers or of
// the evaluator's values stores the score in the same transaction, which
// updates the row. The row is read before the answers, so a change that
// commits between the two reads also changes the version.
//
// A refused save gets j.err and writes nothing; an applied one gets j.out
// and j.typed. The saves returned are those whose assessment changed
// after the read: nothing of them was written, and they are to be judged
// again on a fresh read. The error returned is the group's (a failed
// statement or score): nothing of the group was written.
func (s *Service) saveOnce(ctx context.Context, group []*saveJob) (changed []*saveJob, err error) {
	read := &pgx.Batch{}
	for _, j := range group {
		read.Queue(readSQL, j.x.ID)
		read.Queue(stateSQL, j.x.ID)
	}
	type state struct {
		x       model.Assessment
		seen    uint32 // the row's xmin
		answers map[string]storedAnswer
		reviews map[string]indicators.Answer
		applied bool
	}
	states := make([]state, len(group))
	br := s.pool.SendBatch(ctx, read)
	for i, j := range group {
		st := &states[i]
		st.x = *j.x
		err = br.QueryRow().Scan(&st.x.Status, &st.x.Answered, &st.x.Applicable, &st.x.Revision, &st.x.SelfDue.Time, &st.seen)
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
		return nil, err
	}
	if afterSaveRead != nil {
		afterSaveRead(group)
	}
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
			write.Queue(clearAnswerSQL, st.x.ID, j.indicator, st.seen)
		} else {
			typed[j.indicator] = j.ans
			write.Queue(putAnswerSQL, st.x.ID, j.indicator, j.canon, newVersion, j.a.UserID, s.Now(), st.seen)
		}
		self, _, q, err := queueScore(write, &st.x, typed, st.reviews, &st.seen)
		if err != nil {
			return nil, err
		}
		// The score's write is the last of the save's: it tells whether
		// the row was still the version read (then the answer's write was
		// applied too, under the lock it took).
		q.Exec(func(tag pgconn.CommandTag) error {
			st.applied = tag.RowsAffected() == 1
			return nil
		})
		j.typed = typed
		j.out = &model.SavedAnswer{Indicator: j.indicator, Value: canon, Version: newVersion, Self: self,
			Answered: st.x.Answered, Applicable: st.x.Applicable, Revision: st.x.Revision}
	}
	if write.Len() == 0 {
		return nil, nil
	}
	if err := s.pool.SendBatch(ctx, write).Close(); err != nil {
		return nil, wrap("store score", err)
	}
	for i, j := range group {
		if j.out != nil && !states[i].applied {
			j.out, j.typed = nil, nil
			changed = append(changed, j)
		}
	}
	return changed, nil
}
