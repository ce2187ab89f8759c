package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
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

func actorOf(c echo.Context) *model.Actor {
	a, _ := c.Get(string(keyActor)).(*model.Actor)
	return a
}

func sessionOf(c echo.Context) *model.Session {
	s, _ := c.Get(string(keySession)).(*model.Session)
	return s
}

// authenticate finds the actor of a request: a bearer token (API clients)
// or the session cookie (browsers). A dead cookie is cleared and the
// request goes on anonymous; a dead bearer token is an error, since an API
// client should know at once.
//
// It also sets the two headers that depend on who is asking and how:
// Strict-Transport-Security when the request came over HTTPS (as
// viaHTTPS decides: a forged X-Forwarded-Proto must not pin a site to
// HTTPS), and Retry-After on errors that say when to retry (sign-in
// backoff, a busy password hasher), whatever route returned them.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	inner := s.authenticateInner(next)
	return func(c echo.Context) error {
		if s.viaHTTPS(c) {
			c.Response().Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		err := inner(c)
		setRetryAfter(c, err)
		return err
	}
}

// setRetryAfter sends Retry-After (whole seconds) when err says when the
// client may try again.
func setRetryAfter(c echo.Context, err error) {
	if d, ok := model.RetryAfter(err); ok && !c.Response().Committed {
		secs := int((d + time.Second - 1) / time.Second)
		if secs < 1 {
			secs = 1
		}
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	}
}

func (s *Server) authenticateInner(next echo.HandlerFunc) echo.HandlerFunc {
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
			a, sess, err := s.survey.SessionByToken(ctx, strings.TrimSpace(token), model.SessionAPI)
			if err != nil {
				return err
			}
			c.Set(string(keyActor), a)
			c.Set(string(keySession), sess)
			return next(c)
		}
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			a, sess, err := s.survey.SessionByToken(ctx, ck.Value, model.SessionWeb)
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

func (s *Server) setSessionCookie(c echo.Context, sess *model.Session) {
	c.SetCookie(&http.Cookie{
		Name: sessionCookie, Value: sess.Token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secureCookies(c), Expires: sess.ExpiresAt.Add(7 * 24 * time.Hour),
	})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1, SameSite: http.SameSiteLaxMode})
}

// secureCookies: cookies are Secure when the request came over HTTPS.
func (s *Server) secureCookies(c echo.Context) bool { return s.viaHTTPS(c) }

// viaHTTPS reports whether the client's connection is HTTPS: TLS ended
// here, or the request came from a trusted proxy (Config.TrustedProxies)
// whose X-Forwarded-Proto says https. Anyone else's X-Forwarded-Proto is
// ignored: echo's c.Scheme() believes it from anyone, which is why it is
// not used.
func (s *Server) viaHTTPS(c echo.Context) bool {
	req := c.Request()
	if req.TLS != nil {
		return true
	}
	if !s.fromTrustedProxy(req) {
		return false
	}
	// The outermost proxy's word comes first when a chain appends.
	proto, _, _ := strings.Cut(req.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

// fromTrustedProxy: the peer of the connection is one of the trusted
// proxies.
func (s *Server) fromTrustedProxy(req *http.Request) bool {
	if len(s.cfg.TrustedProxies) == 0 {
		return false
	}
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		host = req.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range s.cfg.TrustedProxies {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// ipExtractor finds the client's address: the connection's peer, or
// behind trusted proxies the nearest address in X-Forwarded-For that is
// not one of them (echo walks the header from the right). Only the
// configured proxies are trusted: echo's defaults would also trust every
// private and loopback address, so anyone on the LAN could forge one.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// ParseTrustedProxies reads a list of proxy addresses and networks
// ("127.0.0.1, 10.0.0.0/8, ::1"), separated by commas or spaces. A bare
// address is a network of one.
func ParseTrustedProxies(list string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if !strings.Contains(f, "/") {
			ip := net.ParseIP(f)
			if ip == nil {
				return nil, fmt.Errorf("trusted proxy %q is neither an IP address nor a network (CIDR such as 10.0.0.0/8)", f)
			}
			bits := 128
			if ip4 := ip.To4(); ip4 != nil {
				ip, bits = ip4, 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is neither an IP address nor a network (CIDR such as 10.0.0.0/8)", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// clientIP is the address sign-in throttling counts by.
func clientIP(c echo.Context) string {
	return c.RealIP()
}
