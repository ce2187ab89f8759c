package survey

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
)

// TestHashingBounded (issue 18, item 6): however many sign-ins arrive at
// once, at most the gate's slots hash at a time (memory is slots × 19 MiB);
// past the queue a sign-in is refused with a retryable 503, uncounted.
func TestHashingBounded(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	fixture(t, s)
	const n = 16
	for i := 0; i < n; i++ {
		mustUser(t, s, fmt.Sprintf("ht.a1.%02d", i), "A1", "correct-horse-1")
	}
	restore := LimitHashing(2, 1000, time.Minute)
	defer restore()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, _, err := s.Login(ctx, fmt.Sprintf("ht.a1.%02d", i), "correct-horse-1", fmt.Sprintf("10.3.0.%d", i+1), model.SessionAPI)
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if p := PeakHashing(); p > 2 || p < 1 {
		t.Fatalf("%d hashes ran at once, want at most 2", p)
	}

	// The only slot is taken and the queue holds one, briefly.
	restore2 := LimitHashing(1, 1, 20*time.Millisecond)
	defer restore2()
	release, err := hashing.Load().acquire(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < maxFailuresUser+2; i++ {
		_, _, err := s.Login(ctx, "ht.a1.00", "wrong-guess", "10.4.0.1", model.SessionAPI)
		d, ok := model.RetryAfter(err)
		if !errors.Is(err, model.ErrBusy) || !errors.Is(err, errkind.Unavailable) || !ok || d <= 0 {
			t.Fatalf("busy attempt %d: %v (retry after %v)", i, err, d)
		}
	}
	release()
	// The refused attempts were never checked, so they were not counted.
	for i := 0; i < maxFailuresUser; i++ {
		if _, _, err := s.Login(ctx, "ht.a1.00", "wrong-guess", "10.4.0.1", model.SessionAPI); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d after the busy spell: %v", i, err)
		}
	}
}

func TestCommonPasswordList(t *testing.T) {
	list := commonPasswords()
	if len(list) < 20000 {
		t.Fatalf("%d common passwords, want tens of thousands", len(list))
	}
	for _, p := range []string{"123456", "password", "iloveyou", "Password123", " qwertyuiop "} {
		if !isCommonPassword(p) {
			t.Errorf("%q is not found", p)
		}
	}
	// The passwords the tests, the demo and the load generator use are
	// not on it.
	for _, p := range []string{"correct-horse-1", "school-password", "district-password", "admin-password-1", "password-admin",
		"demo-admin", "load-password-A1", "new-password-42", "mây trắng bay qua đồi"} {
		if isCommonPassword(p) {
			t.Errorf("%q is on the list", p)
		}
	}
}
