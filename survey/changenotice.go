package survey

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// The evaluator's changes are told to the school once per review session
// (issue 16), not once per indicator: a review of ten indicators is one
// notice, and one e-mail, listing the ten changes with their reasons.
//
// How: each change marks its assessment in review_change_notices and, when
// no gathering is queued yet, queues a ChangesNoticeJob for a few minutes
// later (InsertTx, in the change's transaction). The job gathers every
// change not yet told into one notice. Sending the changes for reply,
// approving and returning gather at once, in their own transaction, so the
// school never hears of a decision before the changes behind it.
//
// A change holds its assessment's row lock (the workflow's transition)
// until it commits, and the gathering takes that lock first too, so a
// change is either committed before a gathering reads or runs after it
// and finds flush_queued false and queues a new job: no change is left
// untold, none is told twice (TestReviewChangesRaceGathering).

// DefaultChangesDelay is how long a review session's changes wait to be
// told together.
const DefaultChangesDelay = 5 * time.Minute

// ChangesNoticeJob is the river job that tells the school of an
// assessment the evaluator's changes not told yet.
type ChangesNoticeJob struct {
	AssessmentID int64 `json:"assessment_id"`
}

// Kind names the job for river.
func (ChangesNoticeJob) Kind() string { return "review_changes_notice" }

// InsertOpts: the default queue; at most one waits per assessment (see
// review_change_notices.flush_queued).
func (ChangesNoticeJob) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 12}
}

// changesDelay is the configured delay, or the default.
func (s *Service) changesDelay() time.Duration {
	if s.ChangesDelay > 0 {
		return s.ChangesDelay
	}
	return DefaultChangesDelay
}

// queueChangesNotice records, in the change's transaction, that
// assessment id has a change to tell, and queues the gathering job unless
// one already waits.
func (s *Service) queueChangesNotice(ctx context.Context, tx pgx.Tx, id int64) error {
	var queued bool
	err := tx.QueryRow(ctx, `INSERT INTO review_change_notices AS r (assessment_id, flush_queued) VALUES ($1, true)
		ON CONFLICT (assessment_id) DO UPDATE SET flush_queued = true WHERE NOT r.flush_queued
		RETURNING true`, id).Scan(&queued)
	if err == pgx.ErrNoRows {
		return nil // a gathering already waits: it will see this change
	}
	if err != nil {
		return err
	}
	// River's clock is the real one (s.Now is the business clock, which
	// tests move to other days).
	_, err = s.jobs.InsertTx(ctx, tx, ChangesNoticeJob{AssessmentID: id}, &river.InsertOpts{ScheduledAt: time.Now().Add(s.changesDelay())})
	return err
}

// TellReviewChanges gathers the evaluator's changes to assessment id not
// told yet into one notice to the school (the ChangesNoticeJob's work; no
// actor: it acts for the system). It returns how many changes it told.
func (s *Service) TellReviewChanges(ctx context.Context, id int64) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		n, err = s.tellChanges(ctx, tx, id)
		return err
	})
	return n, wrap("tell review changes", err)
}

// maxListedChanges bounds the changes one notice lists (the rest are
// counted): an e-mail stays readable.
const maxListedChanges = 50

// tellChanges is TellReviewChanges inside tx.
func (s *Service) tellChanges(ctx context.Context, tx pgx.Tx, id int64) (int, error) {
	// The assessment first, as every change does (its transition locks
	// it): a change in flight commits before this reads, and the locks
	// are always taken in the same order, so the two never deadlock.
	if _, err := tx.Exec(ctx, `SELECT 1 FROM assessments WHERE id = $1 FOR UPDATE`, id); err != nil {
		return 0, err
	}
	var through int64
	err := tx.QueryRow(ctx, `SELECT notified_through FROM review_change_notices WHERE assessment_id = $1 FOR UPDATE`, id).Scan(&through)
	if err == pgx.ErrNoRows {
		return 0, nil // no change was ever made
	}
	if err != nil {
		return 0, err
	}
	// A ruling's undoing of a change (trust.go) is told by the ruling, not
	// here: it is passed over.
	rows, err := tx.Query(ctx, `SELECT id, indicator, reason, ruling FROM review_changes WHERE assessment_id = $1 AND id > $2 ORDER BY id`, id, through)
	if err != nil {
		return 0, err
	}
	type change struct {
		id                int64
		indicator, reason string
		ruling            bool
	}
	list, err := postgres.Collect(rows, func(c *change) []any { return []any{&c.id, &c.indicator, &c.reason, &c.ruling} })
	if err != nil {
		return 0, err
	}
	last := through
	if len(list) > 0 {
		last = list[len(list)-1].id
	}
	list = slices.DeleteFunc(list, func(c change) bool { return c.ruling })
	if _, err := tx.Exec(ctx, `UPDATE review_change_notices SET notified_through = $2, flush_queued = false WHERE assessment_id = $1`, id, last); err != nil {
		return 0, err
	}
	if len(list) == 0 {
		return 0, nil
	}
	// One line per change, the same indicator changed twice is told twice
	// (both reasons are on the record).
	lines := make([]string, 0, min(len(list), maxListedChanges))
	for i, c := range list {
		if i == maxListedChanges {
			break
		}
		lines = append(lines, c.indicator+": "+oneLine(c.reason))
	}
	params := map[string]string{"changes": fmt.Sprint(len(list)), "items": strings.Join(lines, "\n")}
	if len(list) == 1 {
		params["indicator"], params["reason"] = list[0].indicator, list[0].reason
	}
	if err := s.notifySchool(ctx, tx, id, model.NoticeChanged, params, nil); err != nil {
		return 0, err
	}
	return len(list), nil
}

// oneLine folds a reason's line breaks so each change is one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
