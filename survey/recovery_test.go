package survey

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
)

func TestContactsValidatedAndScoped(t *testing.T) {
	s := newService(t)
	fixture(t, s)
	ctx := context.Background()
	_, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: "mật khẩu dài đủ 1", Email: "not-an-address", Phone: "12345"})
	fieldErr(t, err, "email")
	fieldErr(t, err, "phone")

	u, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: "mật khẩu dài đủ 1",
		Email: " hieutruong@anbai.edu.vn ", Phone: "0912 345.678"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "hieutruong@anbai.edu.vn" || u.Phone != "0912345678" {
		t.Fatalf("stored contacts %q %q", u.Email, u.Phone)
	}
	mustUser(t, s, "ht.b1", "B1", "mật khẩu dài đủ 2")
	self, _, err := s.Login(ctx, "ht.a1", "mật khẩu dài đủ 1", "10.0.0.1", model.SessionAPI)
	if err != nil {
		t.Fatal(err)
	}
	// Their own: yes; another school's user: no.
	if u, err = s.SetContacts(ctx, self, "ht.a1", model.ContactsInput{Email: "a1@anbai.edu.vn", Phone: "+84912345678"}); err != nil || u.Phone != "+84912345678" {
		t.Fatalf("own contacts: %v %+v", err, u)
	}
	if _, err := s.SetContacts(ctx, self, "ht.b1", model.ContactsInput{Email: "x@y.vn"}); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("another's contacts: %v", err)
	}
	// An admin of province 34 may; clearing is allowed.
	p34, _ := s.UnitByCode(ctx, "34")
	adm := &model.Actor{Role: model.RoleAdmin, UnitID: p34.ID, UnitCode: "34", UnitPath: p34.Path}
	if u, err = s.SetContacts(ctx, adm, "ht.b1", model.ContactsInput{Email: "b1@hungha.edu.vn"}); err != nil || u.Email != "b1@hungha.edu.vn" {
		t.Fatalf("admin sets contacts: %v %+v", err, u)
	}
	if u, err = s.SetContacts(ctx, adm, "ht.b1", model.ContactsInput{}); err != nil || u.Email != "" {
		t.Fatalf("admin clears contacts: %v %+v", err, u)
	}
	_, err = s.SetContacts(ctx, adm, "ht.a1", model.ContactsInput{Phone: "0912"})
	fieldErr(t, err, "phone")
}

// TestOneTimePasswordMustBeChanged: an admin's reset gives a one-time
// password; the session it opens is marked until the password changes.
func TestOneTimePasswordMustBeChanged(t *testing.T) {
	s := newService(t)
	fixture(t, s)
	ctx := context.Background()
	mustUser(t, s, "ht.a1", "A1", "mật khẩu dài đủ 1")
	old, oldSess, err := s.Login(ctx, "ht.a1", "mật khẩu dài đủ 1", "10.0.0.1", model.SessionAPI)
	if err != nil || old.MustChangePassword {
		t.Fatalf("first sign-in: %v %+v", err, old)
	}
	if _, err := s.AdminResetPassword(ctx, &model.Actor{Role: model.RoleSchool}, "ht.a1"); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("a principal resets a password: %v", err)
	}
	pw, err := s.AdminResetPassword(ctx, root, "ht.a1")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionByToken(ctx, oldSess.Token, model.SessionAPI); !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("the session from before the reset lives on: %v", err)
	}
	if _, _, err := s.Login(ctx, "ht.a1", "mật khẩu dài đủ 1", "10.0.0.1", model.SessionAPI); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("the old password still works: %v", err)
	}
	a, sess, err := s.Login(ctx, "ht.a1", pw, "10.0.0.1", model.SessionAPI)
	if err != nil || !a.MustChangePassword {
		t.Fatalf("sign-in with the one-time password: %v, must change %v", err, a != nil && a.MustChangePassword)
	}
	if err := s.ChangePassword(ctx, a, sess.TokenHash, pw, "mật khẩu mới của tôi 3"); err != nil {
		t.Fatal(err)
	}
	a, _, err = s.SessionByToken(ctx, sess.Token, model.SessionAPI)
	if err != nil || a.MustChangePassword {
		t.Fatalf("after the change: %v, must change %v", err, a != nil && a.MustChangePassword)
	}
}

// TestPasswordResetLink: the request answers alike for every login, keeps
// to three links an hour, and a link works once, within the hour, ending
// every session.
func TestPasswordResetLink(t *testing.T) {
	s := newService(t)
	fixture(t, s)
	ctx := context.Background()
	if _, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: "mật khẩu dài đủ 1", Email: "ht@anbai.edu.vn"}); err != nil {
		t.Fatal(err)
	}
	mustUser(t, s, "ht.b1", "B1", "mật khẩu dài đủ 2") // no address: nothing can be sent
	links := func(user string) int {
		var n int
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM password_resets r JOIN users u ON u.id = r.user_id WHERE u.username = $1`, user).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, login := range []string{"ht.a1", "HT@anbai.edu.vn", "ht.b1", "nobody", "", "x@y.z"} {
		if err := s.RequestPasswordReset(ctx, login); err != nil {
			t.Fatalf("request for %q: %v", login, err)
		}
	}
	if n := links("ht.a1"); n != 2 {
		t.Fatalf("links for ht.a1 (by username and by address): %d, want 2", n)
	}
	if n := links("ht.b1"); n != 0 {
		t.Fatalf("links for an account without an address: %d", n)
	}
	for range 5 {
		if err := s.RequestPasswordReset(ctx, "ht.a1"); err != nil {
			t.Fatal(err)
		}
	}
	if n := links("ht.a1"); n != resetsPerHour {
		t.Fatalf("links in an hour: %d, want the cap %d", n, resetsPerHour)
	}

	// A link as RequestPasswordReset makes it (its token is only mailed).
	var userID int64
	if err := s.pool.QueryRow(ctx, `SELECT id FROM users WHERE username = 'ht.a1'`).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	newLink := func(token string, age time.Duration) {
		created := s.Now().Add(-age)
		if _, err := s.pool.Exec(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			hashToken(token), userID, created, created.Add(resetLifetime)); err != nil {
			t.Fatal(err)
		}
	}
	newLink("expired-token", 61*time.Minute)
	if err := s.ResetPasswordWithLink(ctx, "expired-token", "mật khẩu mới của tôi 3"); !errors.Is(err, model.ErrResetLink) {
		t.Fatalf("an expired link: %v", err)
	}
	newLink("good-token", 10*time.Minute)
	if u, err := s.CheckResetLink(ctx, "good-token"); err != nil || u != "ht.a1" {
		t.Fatalf("check a good link: %q %v", u, err)
	}
	if err := s.ResetPasswordWithLink(ctx, "good-token", "short"); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("a weak password: %v", err)
	}
	_, sess, err := s.Login(ctx, "ht.a1", "mật khẩu dài đủ 1", "10.0.0.1", model.SessionAPI)
	if err != nil {
		t.Fatal(err)
	}
	// Two uses of one link racing: exactly one wins.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.ResetPasswordWithLink(ctx, "good-token", "mật khẩu mới của tôi 3")
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two uses of one link: %v, %v", errs[0], errs[1])
	}
	if _, _, err := s.SessionByToken(ctx, sess.Token, model.SessionAPI); !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("a session from before the reset lives on: %v", err)
	}
	if _, _, err := s.Login(ctx, "ht.a1", "mật khẩu mới của tôi 3", "10.0.0.1", model.SessionAPI); err != nil {
		t.Fatalf("sign in with the new password: %v", err)
	}
	// The other links of the account were used up with it.
	var open int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM password_resets WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&open); err != nil || open != 0 {
		t.Fatalf("links still open after a reset: %d %v", open, err)
	}
}
