package survey

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
)

// These tests use only the service's public sign-in API, so they also run
// against the code before issue 18 (where they fail).

func mustUser(t *testing.T, s *Service, username, unit, password string) {
	t.Helper()
	if _, err := s.CreateUserBootstrap(context.Background(), model.UserInput{Username: username, Role: model.RoleSchool, UnitCode: unit, Password: password}); err != nil {
		t.Fatal(err)
	}
}

// parallelLogins runs n sign-ins at once and counts the outcomes: checked
// (wrong password), throttled, and anything else.
func parallelLogins(t *testing.T, s *Service, n int, username, password string, ip func(i int) string) (checked, throttled int) {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			_, _, err := s.Login(context.Background(), username, password, ip(i), model.SessionAPI)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, ErrBadCredentials):
				checked++
			case errors.Is(err, errkind.RateLimited):
				throttled++
			default:
				t.Errorf("attempt %d: %v", i, err)
			}
		}(i)
	}
	close(start)
	wg.Wait()
	return checked, throttled
}

// TestLoginThrottleRace (issue 18, item 2): parallel wrong passwords on one
// account, from one source or from many, check at most the free number of
// guesses; the rest are refused with 429 before any password is checked.
func TestLoginThrottleRace(t *testing.T) {
	s := newService(t)
	fixture(t, s)
	now := time.Now()
	s.Now = func() time.Time { return now }
	mustUser(t, s, "ht.a1", "A1", "correct-horse-1")
	mustUser(t, s, "ht.a2", "A2", "correct-horse-2")

	checked, throttled := parallelLogins(t, s, 60, "ht.a1", "wrong-guess-1", func(int) string { return "10.1.0.1" })
	if checked > maxFailuresUser || checked+throttled != 60 {
		t.Errorf("one source: %d guesses checked (at most %d allowed), %d throttled", checked, maxFailuresUser, throttled)
	}
	checked, throttled = parallelLogins(t, s, 60, "ht.a2", "wrong-guess-2", func(i int) string { return fmt.Sprintf("10.2.%d.%d", i/200, i%200+1) })
	if checked > maxFailuresUser || checked+throttled != 60 {
		t.Errorf("60 sources: %d guesses checked (at most %d allowed), %d throttled", checked, maxFailuresUser, throttled)
	}
}

// TestLoginBackoffNotLockout (issue 18, item 9): failures by someone else
// neither lock the owner out at the address they use nor lock a school's
// NAT; an unknown address waits seconds, not a lock; the wait grows.
func TestLoginBackoffNotLockout(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	fixture(t, s)
	now := time.Now()
	s.Now = func() time.Time { return now }
	mustUser(t, s, "ht.a1", "A1", "correct-horse-1")
	mustUser(t, s, "ht.a2", "A2", "correct-horse-2")
	mustUser(t, s, "ht.b1", "B1", "correct-horse-3")
	if _, _, err := s.Login(ctx, "ht.a1", "correct-horse-1", "10.0.0.1", model.SessionWeb); err != nil {
		t.Fatal(err)
	}
	// An attacker elsewhere fails on the account many times, as fast as
	// the throttle lets them.
	for i := 0; i < 12; i++ {
		_, _, err := s.Login(ctx, "ht.a1", "wrong-guess", "203.0.113.9", model.SessionWeb)
		if !errors.Is(err, ErrBadCredentials) && !errors.Is(err, errkind.RateLimited) {
			t.Fatal(err)
		}
		now = now.Add(10 * time.Second)
	}
	// The owner at their usual address is not held back at all.
	if _, _, err := s.Login(ctx, "ht.a1", "correct-horse-1", "10.0.0.1", model.SessionWeb); err != nil {
		t.Fatalf("the owner at their usual address after someone else's failures: %v", err)
	}
	// From a new address the owner may be asked to wait seconds, not locked.
	for i := 0; i < 6; i++ {
		_, _, _ = s.Login(ctx, "ht.a1", "wrong-guess", "203.0.113.9", model.SessionWeb)
	}
	_, _, err := s.Login(ctx, "ht.a1", "correct-horse-1", "198.51.100.7", model.SessionWeb)
	var le *errkind.Error
	if err != nil {
		if !errors.As(err, &le) || !errors.Is(err, errkind.RateLimited) || !strings.Contains(le.Msg.VI, "giây") {
			t.Fatalf("the owner at a new address: %v, want signed in or a wait in seconds", err)
		}
		now = now.Add(time.Minute)
		if _, _, err := s.Login(ctx, "ht.a1", "correct-horse-1", "198.51.100.7", model.SessionWeb); err != nil {
			t.Fatalf("the owner at a new address, a minute later: %v", err)
		}
	}

	// One person behind a school's NAT fails on 40 accounts.
	if _, _, err := s.Login(ctx, "ht.a2", "correct-horse-2", "192.0.2.50", model.SessionWeb); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i++ {
		_, _, err := s.Login(ctx, fmt.Sprintf("ghost%02d", i), "wrong-guess", "192.0.2.50", model.SessionWeb)
		if !errors.Is(err, ErrBadCredentials) && !errors.Is(err, errkind.RateLimited) {
			t.Fatal(err)
		}
	}
	// Whoever signed in there before still does.
	if _, _, err := s.Login(ctx, "ht.a2", "correct-horse-2", "192.0.2.50", model.SessionWeb); err != nil {
		t.Fatalf("a known user behind the NAT after someone else's failures: %v", err)
	}
	// A first sign-in there waits seconds at most, then goes through.
	_, _, err = s.Login(ctx, "ht.b1", "correct-horse-3", "192.0.2.50", model.SessionWeb)
	if err != nil {
		if !errors.As(err, &le) || !strings.Contains(le.Msg.VI, "giây") {
			t.Fatalf("a new user behind the NAT: %v, want signed in or a wait in seconds", err)
		}
		now = now.Add(time.Minute)
		if _, _, err := s.Login(ctx, "ht.b1", "correct-horse-3", "192.0.2.50", model.SessionWeb); err != nil {
			t.Fatalf("a new user behind the NAT, a minute later: %v", err)
		}
	}
}

// TestCommonPasswordsRefused (issue 18, item 14, ASVS 2.1.7): a password
// on the common list is refused wherever a password is set, whatever its
// case, with the reason in Vietnamese and English.
func TestCommonPasswordsRefused(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	fixture(t, s)
	for _, pw := range []string{"password123", "1qaz2wsx3edc", "Qwertyuiop", "BASKETBALL", "1234567890"} {
		_, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: pw})
		fieldErr(t, err, "password")
		var fe errkind.FieldErrors
		errors.As(err, &fe)
		if m := fe["password"]; !strings.Contains(m.VI, "phổ biến") || !strings.Contains(m.EN, "common") {
			t.Fatalf("%q: message %+v", pw, m)
		}
	}
	mustUser(t, s, "ht.a1", "A1", "correct-horse-1")
	fieldErr(t, s.ResetPassword(ctx, "ht.a1", "manchester"), "password")
	a, sess, err := s.Login(ctx, "ht.a1", "correct-horse-1", "10.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	fieldErr(t, s.ChangePassword(ctx, a, sess.TokenHash, "correct-horse-1", "qwerty123456"), "new_password")
	// Long passwords off the list still pass.
	if err := s.ChangePassword(ctx, a, sess.TokenHash, "correct-horse-1", "mây trắng bay qua đồi"); err != nil {
		t.Fatal(err)
	}
}
