package survey

import (
	"context"
	"sync"

	"github.com/dxindex/dxindex/indicators"
)

// setCache keeps parsed indicator sets by code and version. A version a
// campaign uses is locked (immutable), so a cached copy never goes stale.
type setCache struct {
	mu   sync.Mutex
	sets map[string]*indicators.Set
}

func (s *Service) set(ctx context.Context, code, version string) (*indicators.Set, error) {
	key := code + "@" + version
	s.sets.mu.Lock()
	if set, ok := s.sets.sets[key]; ok {
		s.sets.mu.Unlock()
		return set, nil
	}
	s.sets.mu.Unlock()
	st, err := indicators.Get(ctx, s.pool, code, version)
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
	return s.set(ctx, code, version)
}
