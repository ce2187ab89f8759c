package survey

import (
	"context"
	"sync"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/internal/setstore"
)

// setCache keeps parsed indicator sets by code and version. A version a
// campaign uses is locked (immutable), so a cached copy never goes stale.
type setCache struct {
	mu   sync.Mutex
	sets map[string]*indicators.Set
}

// set returns a parsed set, reading it through db when it is not cached:
// a caller inside a transaction passes its transaction, so it never waits
// for a second pool connection while holding one (a burst of such callers
// would otherwise exhaust the pool and deadlock).
func (s *Service) set(ctx context.Context, db postgres.DBTX, code, version string) (*indicators.Set, error) {
	key := code + "@" + version
	s.sets.mu.Lock()
	if set, ok := s.sets.sets[key]; ok {
		s.sets.mu.Unlock()
		return set, nil
	}
	s.sets.mu.Unlock()
	if db == nil {
		db = s.pool
	}
	st, err := setstore.Get(ctx, db, code, version)
	if err != nil {
		return nil, wrap("indicator set", err)
	}
	s.sets.mu.Lock()
	defer s.sets.mu.Unlock()
	if s.sets.sets == nil {
		s.sets.sets = map[string]*indicators.Set{}
	}
	s.sets.sets[key] = st.Set
	return st.Set, nil
}

// Set returns the parsed indicator set of a campaign.
func (s *Service) Set(ctx context.Context, code, version string) (*indicators.Set, error) {
	return s.set(ctx, nil, code, version)
}
