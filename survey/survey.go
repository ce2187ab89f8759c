// Package survey owns the workflow of a campaign: units (province →
// district → school), people and their roles, sign-in and sessions,
// campaigns, each school's assessment, review and publication. It builds
// on package indicators for scoring, keeps its SQL beside the methods that
// run it, owns its transactions, and knows nothing of HTTP.
//
// Every method that acts for a person takes the *Actor and checks its scope
// itself: authorization lives here, next to the data, and the web layer's
// route rules are a second, coarser fence.
package survey

import (
	"context"
	"fmt"
	"time"

	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
)

// Service is the survey workflow over one database.
type Service struct {
	pool *pgxpool.Pool
	sets setCache
	// targets are the unchanging parts of assessments (see target).
	targets targetCache
	// saves commits the saves of answers in groups (groupcommit.go).
	saves saveCommitter
	// Now is the clock; tests replace it.
	Now func() time.Time
	// jobs inserts the delivery jobs of notices in the event's transaction.
	jobs *river.Client[pgx.Tx]
	// Webhook says a webhook receives every notice (set at start-up when
	// one is configured): notify then queues a webhook job too.
	Webhook bool
	// ChangesDelay is how long the evaluator's changes to an assessment
	// wait to be told to the school in one notice (default
	// DefaultChangesDelay; see changenotice.go).
	ChangesDelay time.Duration
	// OnPublish, if set, runs inside the publishing transaction once the
	// new revision is recorded (campaigns.published_revision is set): the
	// dashboard's read model is built there (dashboard.BuildReadModel), so
	// a publication and what the public reads of it commit together and
	// no request ever builds it. An error aborts the publication.
	OnPublish func(ctx context.Context, tx pgx.Tx, campaignID int64) error
}

// NewService returns the service on pool.
func NewService(pool *pgxpool.Pool) *Service {
	s := &Service{pool: pool, Now: time.Now}
	s.jobs = newJobs(s)
	return s
}

// CurrentTime is the service's clock now (Now): what callers that hold
// the service behind an interface read, since a field is not part of one.
func (s *Service) CurrentTime() time.Time { return s.Now() }

// inTx runs fn in a transaction: every state change of the workflow is
// one transaction, committed before the caller acknowledges it.
func (s *Service) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// wrap prefixes err with the operation and maps PostgreSQL errors to kinds.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("survey: %s: %w", op, postgres.MapError(err))
}
