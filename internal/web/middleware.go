package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// requestLogger logs one line per request: method, path, status, duration
// and request id. Errors are rendered first (HandleError) so the logged
// status is the one the client got.
func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod:    true,
		LogURIPath:   true,
		LogStatus:    true,
		LogLatency:   true,
		LogRequestID: true,
		HandleError:  true,
		Skipper: func(c echo.Context) bool {
			// Probes run every few seconds; logging them drowns the rest.
			p := c.Path()
			return p == "/healthz" || p == "/readyz"
		},
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			s.log.LogAttrs(context.Background(), level, "request",
				slog.String("method", v.Method),
				slog.String("path", v.URIPath),
				slog.Int("status", v.Status),
				slog.Duration("duration", v.Latency),
				slog.String("request_id", v.RequestID),
			)
			return nil
		},
	})
}

// errPanic is what a recovered panic becomes: a 500 for the client, the
// panic value and stack in the log, joined by the request id.
var errPanic = errors.New("web: handler panicked")

func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.Error("panic", "request_id", requestID(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = errPanic
			}
		}()
		return next(c)
	}
}

// securityHeaders sets the headers every response carries. The policy
// allows scripts, styles and images from this origin only: the echarts
// script is served by the app itself, never by a CDN.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		return next(c)
	}
}

func requestID(c echo.Context) string {
	if id := c.Response().Header().Get(echo.HeaderXRequestID); id != "" {
		return id
	}
	return c.Request().Header.Get(echo.HeaderXRequestID)
}

// mediaType is the request's Content-Type without its parameters.
func mediaType(req *http.Request) string {
	base, _, _ := strings.Cut(req.Header.Get(echo.HeaderContentType), ";")
	return strings.ToLower(strings.TrimSpace(base))
}

// keyBodyLimit is where limitBody leaves the request's limit for
// readForm.
const keyBodyLimit ctxKey = "body-limit"

// limitBody applies a route's body limit before anything reads the body:
// a length declared over it is refused at once, unread (with
// "Expect: 100-continue" the client never even sends it), and a body of
// unstated length is cut at the limit, so a reader fails with
// *http.MaxBytesError, which becomes the same 413.
func limitBody(rule Rule) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			limit := rule.bodyLimit(c)
			if req.ContentLength > limit {
				return errBodyTooLarge(c, limit)
			}
			if req.Body != nil && req.Body != http.NoBody {
				// The server's own writer, so net/http also learns the
				// body was cut and closes the connection rather than
				// draining the rest.
				req.Body = http.MaxBytesReader(c.Response().Writer, req.Body, limit)
			}
			c.Set(string(keyBodyLimit), limit)
			return next(c)
		}
	}
}

// errBodyTooLarge is the 413 of a body over limit.
func errBodyTooLarge(c echo.Context, limit int64) error {
	mb := strconv.FormatInt((limit+(1<<20)-1)>>20, 10)
	return said(http.StatusRequestEntityTooLarge, fmt.Sprintf(tr(langOf(c), "input.too_large"), mb))
}

// tooLarge maps a read cut by limitBody to its 413; other errors pass.
func tooLarge(c echo.Context, err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errBodyTooLarge(c, mbe.Limit)
	}
	return err
}

// readForm reads a form body, once, for the route's handler and the CSRF
// check: within the route's limit (limitBody), only after the rule has
// admitted the caller (enforce), and entirely in memory — the limit is
// small, so no part is ever written to a temporary file. Every field
// name and value is then checked for text PostgreSQL cannot store.
func readForm(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		switch req.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		var err error
		switch mediaType(req) {
		case echo.MIMEApplicationForm:
			err = req.ParseForm()
		case echo.MIMEMultipartForm:
			limit, _ := c.Get(string(keyBodyLimit)).(int64)
			if limit <= 0 {
				limit = defaultBodyLimit
			}
			err = req.ParseMultipartForm(limit)
		default:
			return next(c) // JSON is read and checked by bind
		}
		if err != nil {
			var mbe *http.MaxBytesError
			switch {
			case errors.As(err, &mbe):
				return errBodyTooLarge(c, mbe.Limit)
			case errors.Is(err, multipart.ErrMessageTooLarge): // too many parts or headers
				return said(http.StatusRequestEntityTooLarge, tr(langOf(c), "input.bad_form"))
			}
			return said(http.StatusBadRequest, tr(langOf(c), "input.bad_form"))
		}
		if err := checkValues(c, req.PostForm); err != nil {
			return err
		}
		return next(c)
	}
}

// badText reports text PostgreSQL refuses to store or compare: a NUL
// byte, or bytes that are not UTF-8. Handed to a query it fails with
// 22021, which would be a 500; refused at the edge it is the client's
// 400 with the name of the field.
func badText(s string) bool {
	return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s)
}

// checkValues refuses bad text in a name or value of v (a query or form).
func checkValues(c echo.Context, v url.Values) error {
	for k, vs := range v {
		if badText(k) || slices.ContainsFunc(vs, badText) {
			return errBadText(c, k)
		}
	}
	return nil
}

// errBadText is the 400 for bad text in field (a query parameter, a form
// field, a JSON member or the path).
func errBadText(c echo.Context, field string) error {
	return said(http.StatusBadRequest, fmt.Sprintf(tr(langOf(c), "input.bad_text"), strconv.QuoteToGraphic(field)))
}

// checkURL refuses a path or query holding bad text before anything
// (a scope check, a handler) passes it to the database. It runs for
// every request, routed or not: the query and path need no reading.
func checkURL(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := c.Request().URL
		if badText(u.Path) {
			return errBadText(c, tr(langOf(c), "input.path"))
		}
		if u.RawQuery != "" {
			q, _ := url.ParseQuery(u.RawQuery)
			if err := checkValues(c, q); err != nil {
				return err
			}
		}
		return next(c)
	}
}
