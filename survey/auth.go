package survey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// Session lifetimes. A browser session slides while used, up to a week; an
// API token lasts a month.
const (
	webIdle     = 12 * time.Hour
	webMaxAge   = 7 * 24 * time.Hour
	apiLifetime = 30 * 24 * time.Hour
	touchEvery  = 5 * time.Minute
)

// Throttling of sign-in (issue 18, items 2 and 9). Three kinds of key
// count failures (table login_throttle):
//
//   - an account from one source (username, source): maxFailuresUser free
//     failures, then exponential backoff;
//   - an account from every source it has not signed in from within
//     knownSourceAge (username, ""): the same, so many addresses cannot
//     guess more than one can, while the owner at their usual address is
//     never held back by someone else's failures;
//   - one source across accounts ("", source): maxFailuresIP free failures
//     (password spraying), again not for an account's known sources, so
//     one person behind a school's NAT cannot hold back everyone there.
//
// Backoff, not a lock: past the free failures each failure makes the key
// wait backoffBase, doubling up to throttleWindow. The owner is told how
// many seconds to wait; an admin's unlock clears every key of the account.
// A key idle for throttleForget starts afresh; a success clears the
// account's keys for its source and unknown sources (not the source's key
// across accounts: one good account must not reset a sprayer's count).
const (
	throttleWindow  = 15 * time.Minute // the longest backoff
	throttleForget  = 24 * time.Hour
	backoffBase     = time.Second
	knownSourceAge  = 30 * 24 * time.Hour
	maxFailuresUser = 5
	maxFailuresIP   = 30
)

// Errors of signing in.
var (
	ErrBadCredentials = errkind.New(errkind.Unauthenticated, "Tên đăng nhập hoặc mật khẩu không đúng.", "wrong username or password")
	ErrLocked         = errkind.New(errkind.Forbidden, "Tài khoản đã bị khoá. Hãy liên hệ quản trị viên.", "this account is locked; contact your administrator")
	ErrSessionEnded   = errkind.New(errkind.Unauthenticated, "Phiên làm việc đã hết hạn. Hãy đăng nhập lại.", "your session has ended; please sign in again")
)

// dummyHash is verified against when the username does not exist, so a
// failed sign-in takes as long whether or not the user exists. It is made
// on first use: hashing at package load would cost every dxindex process
// (even `dxindex version`) ~40 ms and 20 MB.
var dummyHash = sync.OnceValue(func() string {
	h, _ := hashPassword("dxindex-dummy-password")
	return h
})

// Login checks a username and password and opens a session of kind.
func (s *Service) Login(ctx context.Context, username, password, ip, kind string) (*model.Actor, *model.Session, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if kind != model.SessionWeb && kind != model.SessionAPI {
		return nil, nil, fmt.Errorf("survey: login: unknown session kind %q", kind)
	}
	// No account can have a name outside the pattern (a NUL byte, 10 kB of
	// text): nothing to guess, so nothing to look up, hash or count.
	if !usernamePattern.MatchString(username) {
		return nil, nil, ErrBadCredentials
	}
	source := SourceKey(ip)
	// Reserve the attempt before checking the password: parallel guesses
	// each take their turn on the account's rows, and only those reserved
	// within the free failures (or after the backoff) are checked.
	res, err := s.reserveAttempt(ctx, username, source)
	if err != nil {
		return nil, nil, err
	}
	var id int64
	var hash string
	var locked *time.Time
	err = s.pool.QueryRow(ctx, `SELECT id, password_hash, locked_at FROM users WHERE username = $1`, username).Scan(&id, &hash, &locked)
	exists := err == nil
	if errors.Is(err, pgx.ErrNoRows) {
		// Verified all the same: a failed sign-in takes as long whether or
		// not the user exists.
		hash, err = dummyHash(), nil
	}
	if err != nil {
		return nil, nil, wrap("login", err)
	}
	ok, err := checkPasswordCtx(ctx, hash, password, true)
	if err != nil {
		// Not checked (the hasher is busy or the client left): the guess
		// was not made, so it is not counted.
		s.releaseAttempt(ctx, res)
		return nil, nil, wrap("login", err)
	}
	if !ok || !exists {
		return nil, nil, s.failLogin(ctx, res)
	}
	if locked != nil {
		return nil, nil, ErrLocked
	}
	sess, err := s.newSession(ctx, id, username, source, kind)
	if err != nil {
		return nil, nil, wrap("login", err)
	}
	a, _, err := s.SessionByToken(ctx, sess.Token, kind)
	return a, sess, err
}

// SourceKey is what sign-in throttling counts a client address as: the
// address itself, or for IPv6 its /64, since one subscriber holds a whole
// /64 and could otherwise change address at every guess.
func SourceKey(ip string) string {
	addr, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		if len(ip) > 64 {
			ip = ip[:64]
		}
		return strings.ToValidUTF8(strings.ReplaceAll(ip, "\x00", ""), "")
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}

// reservation is an attempt counted on its keys before the password is
// checked.
type reservation struct {
	username, source string
	known            bool // the account signed in from source lately
	keys             []throttleKey
	now              time.Time
}

type throttleKey struct {
	username, source string
	free             int
}

// throttleErr tells the client how long to wait, in its own language, and
// carries the wait for a Retry-After header.
func throttleErr(wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	var vi, en string
	if secs <= 90 {
		vi = fmt.Sprintf("Đăng nhập sai nhiều lần. Hãy thử lại sau %d giây.", secs)
		en = fmt.Sprintf("too many failed sign-ins; try again in %d seconds", secs)
	} else {
		mins := (secs + 59) / 60
		vi = fmt.Sprintf("Đăng nhập sai nhiều lần. Hãy thử lại sau %d phút.", mins)
		en = fmt.Sprintf("too many failed sign-ins; try again in %d minutes", mins)
	}
	return &model.RetryError{Err: errkind.New(errkind.RateLimited, vi, en), After: time.Duration(secs) * time.Second}
}

// backoff is how long a key with failures (counting the one just made)
// waits before its next attempt.
func backoff(failures, free int) time.Duration {
	if failures < free {
		return 0
	}
	n := failures - free
	if n > 20 {
		n = 20
	}
	d := backoffBase << n
	if d > throttleWindow {
		d = throttleWindow
	}
	return d
}

// keyState reads a key's row, creating it, and holds its row lock until
// the transaction ends. A row idle for throttleForget counts as new.
func keyState(ctx context.Context, tx pgx.Tx, k throttleKey, now time.Time) (failures int, next time.Time, err error) {
	const q = `
		INSERT INTO login_throttle AS t (username, source, last_at) VALUES ($1, $2, $3)
		ON CONFLICT (username, source) DO UPDATE SET username = t.username
		RETURNING t.failures, t.next_at, t.last_at`
	var last time.Time
	var nextAt *time.Time
	if err := tx.QueryRow(ctx, q, k.username, k.source, now).Scan(&failures, &nextAt, &last); err != nil {
		return 0, time.Time{}, err
	}
	if now.Sub(last) > throttleForget {
		return 0, time.Time{}, nil
	}
	if nextAt != nil {
		next = *nextAt
	}
	return failures, next, nil
}

// countFailure adds one failure to a locked key and sets its backoff.
func countFailure(ctx context.Context, tx pgx.Tx, k throttleKey, failures int, now time.Time) error {
	failures++
	var next *time.Time
	if d := backoff(failures, k.free); d > 0 {
		t := now.Add(d)
		next = &t
	}
	_, err := tx.Exec(ctx, `UPDATE login_throttle SET failures = $3, next_at = $4, last_at = $5 WHERE username = $1 AND source = $2`,
		k.username, k.source, failures, next, now)
	return err
}

// reserveAttempt counts an attempt as a failure on the account's keys
// before its password is checked, in one transaction that holds the keys'
// rows: racing attempts on one account queue on those rows, and each sees
// the ones before it. An attempt that a key's backoff forbids changes
// nothing and is refused with the wait. The source key across accounts is
// only read here and counted on failure (failLogin): reserving on it would
// count every sign-in in flight behind a NAT as a failure.
func (s *Service) reserveAttempt(ctx context.Context, username, source string) (*reservation, error) {
	now := s.Now()
	r := &reservation{username: username, source: source, now: now}
	var wait time.Duration
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		const qKnown = `SELECT EXISTS (SELECT 1 FROM login_attempts WHERE username = $1 AND ip = $2 AND success AND at > $3)`
		if err := tx.QueryRow(ctx, qKnown, username, source, now.Add(-knownSourceAge)).Scan(&r.known); err != nil {
			return err
		}
		// Locked in one order (username, then source: "" first) by every
		// sign-in, so two never wait for each other in a cycle.
		r.keys = []throttleKey{{username, source, maxFailuresUser}}
		if !r.known {
			r.keys = []throttleKey{{username, "", maxFailuresUser}, {username, source, maxFailuresUser}}
			var next *time.Time
			err := tx.QueryRow(ctx, `SELECT next_at FROM login_throttle WHERE username = '' AND source = $1 AND last_at > $2`,
				source, now.Add(-throttleForget)).Scan(&next)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			if next != nil && next.Sub(now) > wait {
				wait = next.Sub(now)
			}
		}
		failures := make([]int, len(r.keys))
		for i, k := range r.keys {
			f, next, err := keyState(ctx, tx, k, now)
			if err != nil {
				return err
			}
			failures[i] = f
			if d := next.Sub(now); d > wait {
				wait = d
			}
		}
		if wait > 0 {
			return nil
		}
		for i, k := range r.keys {
			if err := countFailure(ctx, tx, k, failures[i], now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("login", err)
	}
	if wait > 0 {
		return nil, throttleErr(wait)
	}
	return r, nil
}

// releaseAttempt gives back a reservation whose password was never
// checked. Best effort: at worst the attempt stays counted.
func (s *Service) releaseAttempt(ctx context.Context, r *reservation) {
	ctx = context.WithoutCancel(ctx)
	for _, k := range r.keys {
		_, _ = s.pool.Exec(ctx, `UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE username = $1 AND source = $2`, k.username, k.source)
	}
}

// failLogin logs a failed attempt and, unless the account knows the
// source, counts it on the source's key across accounts (the account's
// keys counted it when it was reserved).
func (s *Service) failLogin(ctx context.Context, r *reservation) error {
	ctx = context.WithoutCancel(ctx) // a client that hangs up still failed
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO login_attempts (username, ip, success, at) VALUES ($1, $2, false, $3)`, r.username, r.source, r.now); err != nil {
			return err
		}
		if r.known {
			return nil
		}
		k := throttleKey{"", r.source, maxFailuresIP}
		f, _, err := keyState(ctx, tx, k, r.now)
		if err != nil {
			return err
		}
		return countFailure(ctx, tx, k, f, r.now)
	})
	if err != nil {
		return wrap("login", err)
	}
	return ErrBadCredentials
}

// clearThrottle forgets the failures counted against an account, from
// every source: on an admin's unlock.
func clearThrottle(ctx context.Context, tx pgx.Tx, username string) error {
	_, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE username = $1`, username)
	return err
}

func (s *Service) newSession(ctx context.Context, userID int64, username, ip, kind string) (*model.Session, error) {
	token, err := randomToken()
	if err != nil {
		return nil, err
	}
	csrf, err := randomToken()
	if err != nil {
		return nil, err
	}
	life := webIdle
	if kind == model.SessionAPI {
		life = apiLifetime
	}
	sess := &model.Session{Token: token, TokenHash: hashToken(token), Kind: kind, CSRFToken: csrf, ExpiresAt: s.Now().Add(life)}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, kind, csrf_token, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			sess.TokenHash, userID, kind, csrf, sess.ExpiresAt); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO login_attempts (username, ip, success, at) VALUES ($1, $2, true, $3)`, username, ip, s.Now()); err != nil {
			return err
		}
		// The owner is in: the failures counted against the account from
		// here and from unknown sources go (not other sources' own keys:
		// an attacker elsewhere gains nothing from the owner's sign-in).
		if _, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE username = $1 AND source IN ('', $2)`, username, ip); err != nil {
			return err
		}
		// Housekeeping: expired sessions and old attempts go (by the
		// service's clock, the one that set their times).
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, s.Now()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE last_at < $1`, s.Now().Add(-throttleForget)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM login_attempts WHERE at < $1::timestamptz - interval '30 days'`, s.Now())
		return err
	})
	return sess, err
}

// SessionByToken returns the actor of a live session of kind. A locked
// user's or an expired session ends here.
func (s *Service) SessionByToken(ctx context.Context, token, kind string) (*model.Actor, *model.Session, error) {
	if token == "" || len(token) > 200 {
		return nil, nil, ErrSessionEnded
	}
	h := hashToken(token)
	const q = `
		SELECT u.id, u.username, u.display_name, u.role, u.lang, coalesce(u.unit_id, 0), coalesce(n.code, ''), coalesce(n.name, ''),
			coalesce(n.path, '{}'), u.must_change_password, u.locked_at, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN units n ON n.id = u.unit_id
		WHERE s.token_hash = $1 AND s.kind = $2`
	var a model.Actor
	var locked *time.Time
	var created, seen time.Time
	sess := &model.Session{TokenHash: h, Kind: kind}
	err := s.pool.QueryRow(ctx, q, h, kind).Scan(&a.UserID, &a.Username, &a.Name, &a.Role, &a.Lang, &a.UnitID, &a.UnitCode, &a.UnitName,
		&a.UnitPath, &a.MustChangePassword, &locked, &sess.CSRFToken, &created, &seen, &sess.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, ErrSessionEnded
	}
	if err != nil {
		return nil, nil, wrap("session", err)
	}
	now := s.Now()
	if locked != nil || now.After(sess.ExpiresAt) {
		_, _ = s.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, h)
		if locked != nil {
			return nil, nil, ErrLocked
		}
		return nil, nil, ErrSessionEnded
	}
	if kind == model.SessionWeb && now.Sub(seen) > touchEvery {
		exp := now.Add(webIdle)
		if max := created.Add(webMaxAge); exp.After(max) {
			exp = max
		}
		if _, err := s.pool.Exec(ctx, `UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1`, h, now, exp); err == nil {
			sess.ExpiresAt = exp
		}
	}
	return &a, sess, nil
}

// Logout ends the session with token.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.EndSession(ctx, hashToken(token))
}

// EndSession ends the session whose stored token hash is tokenHash.
func (s *Service) EndSession(ctx context.Context, tokenHash []byte) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return wrap("logout", err)
}

// EndAllSessions ends every session and forgets the sign-in throttle's
// counts, in db's transaction: a restored backup carries the sessions
// that were live when it was taken, and whoever held one must not be
// signed in to the copy. It returns the number of sessions ended.
func EndAllSessions(ctx context.Context, db postgres.DBTX) (int64, error) {
	tag, err := db.Exec(ctx, `DELETE FROM sessions`)
	if err != nil {
		return 0, wrap("end sessions", err)
	}
	if _, err := db.Exec(ctx, `DELETE FROM login_throttle`); err != nil {
		return 0, wrap("end sessions", err)
	}
	return tag.RowsAffected(), nil
}

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
