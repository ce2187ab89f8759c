package survey

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
)

// TestLoginBackoffGrowsAndUnlockClears: past the free failures each wait
// doubles; an admin's unlock clears the throttle at once.
func TestLoginBackoffGrowsAndUnlockClears(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	fixture(t, s)
	now := time.Now()
	s.Now = func() time.Time { return now }
	mustUser(t, s, "ht.a1", "A1", "correct-horse-1")
	for i := 0; i < maxFailuresUser; i++ {
		if _, _, err := s.Login(ctx, "ht.a1", "wrong-guess", "203.0.113.9", model.SessionWeb); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("free failure %d: %v", i, err)
		}
	}
	var waits []time.Duration
	for i := 0; i < 4; i++ {
		_, _, err := s.Login(ctx, "ht.a1", "wrong-guess", "203.0.113.9", model.SessionWeb)
		d, ok := model.RetryAfter(err)
		if !errors.Is(err, errkind.RateLimited) || !ok {
			t.Fatalf("after %d failures: %v", maxFailuresUser+i, err)
		}
		waits = append(waits, d)
		now = now.Add(d)
		if _, _, err := s.Login(ctx, "ht.a1", "wrong-guess", "203.0.113.9", model.SessionWeb); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("after waiting %v: %v", d, err)
		}
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] != 2*waits[i-1] {
			t.Fatalf("waits %v do not double", waits)
		}
	}
	if waits[0] > 5*time.Second {
		t.Fatalf("the first wait is %v: a backoff, not a lock", waits[0])
	}
	if _, _, err := s.Login(ctx, "ht.a1", "correct-horse-1", "203.0.113.9", model.SessionWeb); !errors.Is(err, errkind.RateLimited) {
		t.Fatalf("during the backoff: %v", err)
	}
	if _, err := s.SetLocked(ctx, root, "ht.a1", false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Login(ctx, "ht.a1", "correct-horse-1", "203.0.113.9", model.SessionWeb); err != nil {
		t.Fatalf("after an admin's unlock: %v", err)
	}
}
