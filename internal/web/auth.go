package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey"
	"github.com/labstack/echo/v4"
)

const (
	sessionCookie = "dx_session"
	// preCSRFCookie carries the CSRF token of visitors without a session
	// (the sign-in form): double-submit, compared with the form field.
	preCSRFCookie = "dx_csrf"
	csrfField     = "_csrf"
	csrfHeader    = "X-CSRF-Token"
)

type ctxKey string

const (
	keyActor   ctxKey = "actor"
	keySession ctxKey = "session"
	keyToken   ctxKey = "token"
)

func actorOf(c echo.Context) *survey.Actor {
	a, _ := c.Get(string(keyActor)).(*survey.Actor)
	return a
}

func sessionOf(c echo.Context) *survey.Session {
	s, _ := c.Get(string(keySession)).(*survey.Session)
	return s
}

// authenticate finds the actor of a request: a bearer token (API clients)
// or the session cookie (browsers). A dead cookie is cleared and the
// request goes on anonymous; a dead bearer token is an error, since an API
// client should know at once.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.survey == nil {
			return next(c)
		}
		ctx := c.Request().Context()
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				return errkind.New(errkind.Unauthenticated, "Tiêu đề Authorization phải có dạng: Bearer <token>.", "the Authorization header must be: Bearer <token>")
			}
			a, sess, err := s.survey.SessionByToken(ctx, strings.TrimSpace(token), survey.SessionAPI)
			if err != nil {
				return err
			}
			c.Set(string(keyActor), a)
			c.Set(string(keySession), sess)
			return next(c)
		}
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			a, sess, err := s.survey.SessionByToken(ctx, ck.Value, survey.SessionWeb)
			switch {
			case err == nil:
				c.Set(string(keyActor), a)
				c.Set(string(keySession), sess)
				c.Set(string(keyToken), ck.Value)
			case errors.Is(err, errkind.Unauthenticated), errors.Is(err, errkind.Forbidden):
				s.clearSessionCookie(c)
			default:
				return err
			}
		}
		return next(c)
	}
}

// csrf refuses state-changing requests that do not carry the session's
// CSRF token (form field or header). Requests authenticated by a bearer
// token are exempt: a browser never attaches one by itself. Visitors
// without a session (the sign-in form) use a double-submit cookie.
func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		switch req.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			s.ensurePreCSRF(c)
			return next(c)
		}
		if strings.HasPrefix(req.Header.Get(echo.HeaderAuthorization), "Bearer ") {
			return next(c)
		}
		sent := req.Header.Get(csrfHeader)
		if sent == "" {
			sent = c.FormValue(csrfField)
		}
		var want string
		if sess := sessionOf(c); sess != nil {
			want = sess.CSRFToken
		} else if ck, err := c.Cookie(preCSRFCookie); err == nil {
			want = ck.Value
		} else if strings.HasPrefix(req.URL.Path, "/api/") {
			// An API call with neither cookie nor token (the login call):
			// nothing ambient to abuse.
			return next(c)
		}
		if want == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
			return errCSRF
		}
		return next(c)
	}
}

var errCSRF = errkind.New(errkind.Forbidden, "Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và thử lại.",
	"the form has expired or is invalid; reload the page and try again")

// csrfToken is the token forms of this request must carry.
func csrfToken(c echo.Context) string {
	if sess := sessionOf(c); sess != nil {
		return sess.CSRFToken
	}
	if v, ok := c.Get(string(preCSRFCookie)).(string); ok {
		return v
	}
	if ck, err := c.Cookie(preCSRFCookie); err == nil {
		return ck.Value
	}
	return ""
}

func (s *Server) ensurePreCSRF(c echo.Context) {
	if sessionOf(c) != nil {
		return
	}
	if ck, err := c.Cookie(preCSRFCookie); err == nil && ck.Value != "" {
		return
	}
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	c.SetCookie(&http.Cookie{Name: preCSRFCookie, Value: v, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
	c.Set(string(preCSRFCookie), v)
}

func (s *Server) setSessionCookie(c echo.Context, sess *survey.Session) {
	c.SetCookie(&http.Cookie{
		Name: sessionCookie, Value: sess.Token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secureCookies(c), Expires: sess.ExpiresAt.Add(7 * 24 * time.Hour),
	})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1, SameSite: http.SameSiteLaxMode})
}

// secureCookies: cookies are Secure when the request came over TLS
// (directly or through a proxy that says so).
func (s *Server) secureCookies(c echo.Context) bool {
	return c.Request().TLS != nil || c.Request().Header.Get("X-Forwarded-Proto") == "https"
}

// clientIP is the address sign-in throttling counts by.
func clientIP(c echo.Context) string {
	return c.RealIP()
}
