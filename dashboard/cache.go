package dashboard

import (
	"context"
	"sync"
	"time"
)

// CacheTTL is how long a published ranking and a unit lookup are served
// from memory. The published rows are frozen per revision (the key holds
// it, so a new publication shows at once); the TTL only bounds how stale
// the live participation counts on a public page may be.
const CacheTTL = 30 * time.Second

// cacheMax bounds the entries kept; past it the cache starts afresh.
const cacheMax = 20000

type cacheEntry struct {
	v  any
	at time.Time
}

// ttlCache is a small concurrent map with a time to live.
type ttlCache struct {
	mu       sync.RWMutex
	m        map[string]cacheEntry
	inflight map[string]bool
}

// stale returns an entry past its time to live, and whether the caller
// should refresh it (no one else is): stale-while-revalidate, so an
// expiry under load does not make every request wait on the database.
func (c *ttlCache) stale(key string) (any, bool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		return nil, false, false
	}
	if c.inflight == nil {
		c.inflight = map[string]bool{}
	}
	if c.inflight[key] {
		return e.v, true, false
	}
	c.inflight[key] = true
	return e.v, true, true
}

func (c *ttlCache) done(key string) {
	c.mu.Lock()
	delete(c.inflight, key)
	c.mu.Unlock()
}

func (c *ttlCache) get(key string, now time.Time) (any, bool) {
	c.mu.RLock()
	e, ok := c.m[key]
	c.mu.RUnlock()
	if !ok || now.Sub(e.at) > CacheTTL {
		return nil, false
	}
	return e.v, true
}

func (c *ttlCache) put(key string, v any, now time.Time) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= cacheMax {
		c.m = map[string]cacheEntry{}
	}
	c.m[key] = cacheEntry{v: v, at: now}
	c.mu.Unlock()
}

// cached returns the value under key, computing it with f when absent;
// an expired value is served while one goroutine recomputes it.
func (s *Store) cached(ctx context.Context, key string, f func(context.Context) (any, error)) (any, error) {
	now := time.Now()
	if v, ok := s.cache.get(key, now); ok {
		return v, nil
	}
	if v, ok, refresh := s.cache.stale(key); ok {
		if refresh {
			go func() {
				defer s.cache.done(key)
				ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
				defer cancel()
				if v, err := f(ctx); err == nil {
					s.cache.put(key, v, time.Now())
				}
			}()
		}
		return v, nil
	}
	// One computation per key at a time (right after a publication every
	// key misses at once); it does not end with the first caller.
	v, err, _ := s.flight.Do(key, func() (any, error) {
		if v, ok := s.cache.get(key, time.Now()); ok {
			return v, nil
		}
		v, err := f(context.WithoutCancel(ctx))
		if err != nil {
			return nil, err
		}
		s.cache.put(key, v, now)
		return v, nil
	})
	return v, err
}
