package survey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/jackc/pgx/v5"
)

// Session kinds: a browser's cookie, or an API client's bearer token.
const (
	SessionWeb = "web"
	SessionAPI = "api"
)

// Session lifetimes. A browser session slides while used, up to a week; an
// API token lasts a month.
const (
	webIdle     = 12 * time.Hour
	webMaxAge   = 7 * 24 * time.Hour
	apiLifetime = 30 * 24 * time.Hour
	touchEvery  = 5 * time.Minute
)

// Throttling of sign-in: after maxFailuresUser failures for one username
// (since its last success) within throttleWindow, or maxFailuresIP from
// one address, further attempts are refused until the window passes.
const (
	throttleWindow  = 15 * time.Minute
	maxFailuresUser = 5
	maxFailuresIP   = 30
)

// Session is a signed-in session as the web layer needs it.
type Session struct {
	Token     string // only on Login; the database keeps its hash
	TokenHash []byte
	Kind      string
	CSRFToken string
	ExpiresAt time.Time
}

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
func (s *Service) Login(ctx context.Context, username, password, ip, kind string) (*Actor, *Session, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if kind != SessionWeb && kind != SessionAPI {
		return nil, nil, fmt.Errorf("survey: login: unknown session kind %q", kind)
	}
	if wait, err := s.throttled(ctx, username, ip); err != nil {
		return nil, nil, wrap("login", err)
	} else if wait > 0 {
		mins := int(wait.Minutes()) + 1
		return nil, nil, errkind.New(errkind.RateLimited,
			fmt.Sprintf("Đăng nhập sai quá nhiều lần. Hãy thử lại sau %d phút.", mins),
			fmt.Sprintf("too many failed sign-ins; try again in %d minutes", mins))
	}
	var id int64
	var hash string
	var locked *time.Time
	err := s.pool.QueryRow(ctx, `SELECT id, password_hash, locked_at FROM users WHERE username = $1`, username).Scan(&id, &hash, &locked)
	if errors.Is(err, pgx.ErrNoRows) {
		_, _ = checkPassword(dummyHash(), password)
		return nil, nil, s.failLogin(ctx, username, ip)
	}
	if err != nil {
		return nil, nil, wrap("login", err)
	}
	ok, err := checkPassword(hash, password)
	if err != nil {
		return nil, nil, wrap("login", err)
	}
	if !ok {
		return nil, nil, s.failLogin(ctx, username, ip)
	}
	if locked != nil {
		return nil, nil, ErrLocked
	}
	sess, err := s.newSession(ctx, id, username, ip, kind)
	if err != nil {
		return nil, nil, wrap("login", err)
	}
	a, _, err := s.SessionByToken(ctx, sess.Token, kind)
	return a, sess, err
}

func (s *Service) failLogin(ctx context.Context, username, ip string) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO login_attempts (username, ip, success, at) VALUES ($1, $2, false, $3)`, username, ip, s.Now()); err != nil {
		return wrap("login", err)
	}
	return ErrBadCredentials
}

// throttled returns how long sign-ins for username or from ip must wait.
func (s *Service) throttled(ctx context.Context, username, ip string) (time.Duration, error) {
	now := s.Now()
	since := now.Add(-throttleWindow)
	const q = `
		SELECT
			(SELECT array_agg(at ORDER BY at DESC) FROM login_attempts
			 WHERE username = $1 AND NOT success AND at > $3
			   AND at > coalesce((SELECT max(at) FROM login_attempts WHERE username = $1 AND success), '-infinity')),
			(SELECT array_agg(at ORDER BY at DESC) FROM login_attempts WHERE ip = $2 AND NOT success AND at > $3)`
	var byUser, byIP []time.Time
	if err := s.pool.QueryRow(ctx, q, username, ip, since).Scan(&byUser, &byIP); err != nil {
		return 0, err
	}
	var wait time.Duration
	if len(byUser) >= maxFailuresUser {
		// Free again when the oldest of the last maxFailures leaves the window.
		wait = byUser[maxFailuresUser-1].Add(throttleWindow).Sub(now)
	}
	if len(byIP) >= maxFailuresIP {
		if w := byIP[maxFailuresIP-1].Add(throttleWindow).Sub(now); w > wait {
			wait = w
		}
	}
	return wait, nil
}

func (s *Service) newSession(ctx context.Context, userID int64, username, ip, kind string) (*Session, error) {
	token, err := randomToken()
	if err != nil {
		return nil, err
	}
	csrf, err := randomToken()
	if err != nil {
		return nil, err
	}
	life := webIdle
	if kind == SessionAPI {
		life = apiLifetime
	}
	sess := &Session{Token: token, TokenHash: hashToken(token), Kind: kind, CSRFToken: csrf, ExpiresAt: s.Now().Add(life)}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, kind, csrf_token, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			sess.TokenHash, userID, kind, csrf, sess.ExpiresAt); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO login_attempts (username, ip, success, at) VALUES ($1, $2, true, $3)`, username, ip, s.Now()); err != nil {
			return err
		}
		// Housekeeping: expired sessions and old attempts go (by the
		// service's clock, the one that set their times).
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at < $1`, s.Now()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM login_attempts WHERE at < $1::timestamptz - interval '30 days'`, s.Now())
		return err
	})
	return sess, err
}

// SessionByToken returns the actor of a live session of kind. A locked
// user's or an expired session ends here.
func (s *Service) SessionByToken(ctx context.Context, token, kind string) (*Actor, *Session, error) {
	if token == "" || len(token) > 200 {
		return nil, nil, ErrSessionEnded
	}
	h := hashToken(token)
	const q = `
		SELECT u.id, u.username, u.display_name, u.role, u.lang, coalesce(u.unit_id, 0), coalesce(n.code, ''), coalesce(n.name, ''),
			coalesce(n.path, '{}'), u.locked_at, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN units n ON n.id = u.unit_id
		WHERE s.token_hash = $1 AND s.kind = $2`
	var a Actor
	var locked *time.Time
	var created, seen time.Time
	sess := &Session{TokenHash: h, Kind: kind}
	err := s.pool.QueryRow(ctx, q, h, kind).Scan(&a.UserID, &a.Username, &a.Name, &a.Role, &a.Lang, &a.UnitID, &a.UnitCode, &a.UnitName,
		&a.UnitPath, &locked, &sess.CSRFToken, &created, &seen, &sess.ExpiresAt)
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
	if kind == SessionWeb && now.Sub(seen) > touchEvery {
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
	_, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token))
	return wrap("logout", err)
}

// HashToken is the stored form of a session token.
func HashToken(token string) []byte { return hashToken(token) }

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
