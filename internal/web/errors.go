package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/labstack/echo/v4"
)

// errorKinds is the one table from domain error kinds to HTTP: every
// domain package wraps one of errkind's kinds, and nothing else in the web
// layer decides a status.
var errorKinds = []struct {
	kind   error
	status int
	code   string
}{
	{errkind.NotFound, http.StatusNotFound, "not_found"},
	{errkind.Conflict, http.StatusConflict, "conflict"},
	{errkind.Invalid, http.StatusUnprocessableEntity, "invalid"},
	{errkind.Unauthenticated, http.StatusUnauthorized, "unauthenticated"},
	{errkind.Forbidden, http.StatusForbidden, "forbidden"},
	{errkind.RateLimited, http.StatusTooManyRequests, "rate_limited"},
	{errkind.StorageFull, http.StatusInsufficientStorage, "storage_full"},
	{errkind.Unavailable, http.StatusServiceUnavailable, "unavailable"},
}

// apiError is the JSON body of every error the API returns.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// classify decides status, code and the message the client may see.
// Messages of 5xx errors are generic: internals stay in the log.
func classify(err error, lang string) (status int, code, msg string, fields map[string]string) {
	// An answer the engine refused: said in the reader's language from
	// its codes, each beside its indicator, never the engine's English.
	var ae indicators.AnswerErrors
	if errors.As(err, &ae) {
		fields = answerFieldErrors(lang, ae)
		parts := make([]string, len(ae))
		for i, e := range ae {
			parts[i] = fmt.Sprintf(tr(lang, "answer.err.indicator"), e.Indicator, fields[e.Indicator])
		}
		return http.StatusUnprocessableEntity, "invalid", strings.Join(parts, " "), fields
	}
	// Database errors became kinds in the services (internal/postgres
	// maps them); web knows no driver.
	if errors.Is(err, errkind.DatabaseUnreachable) {
		return http.StatusServiceUnavailable, "database_unavailable", errkind.DatabaseUnreachable.Msg.In(lang), nil
	}
	var fe errkind.FieldErrors
	if errors.As(err, &fe) {
		return http.StatusUnprocessableEntity, "invalid", errkind.Msg{VI: "Dữ liệu chưa hợp lệ.", EN: "the input is not valid"}.In(lang), fe.In(lang)
	}
	for _, k := range errorKinds {
		if errors.Is(err, k.kind) {
			msg := err.Error()
			var le *errkind.Error
			if errors.As(err, &le) {
				msg = le.Msg.In(lang)
			}
			if k.kind == errkind.StorageFull {
				msg = errkind.Msg{VI: "Máy chủ hết chỗ lưu trữ nên chưa lưu được. Dữ liệu đã lưu trước đó không bị ảnh hưởng; hãy báo quản trị viên.",
					EN: "The server is out of storage, so this was not saved. What was saved before is safe; tell your administrator."}.In(lang)
			}
			return k.status, k.code, msg, nil
		}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		// echo's own errors (an unknown route, a wrong method, a body too
		// large) carry English status texts: say them in lang. Ours are
		// made in the reader's language (said) and kept as they are.
		msg := statusMessage(lang, he.Code)
		if m, ok := he.Message.(readerText); ok {
			msg = string(m)
		} else if m, ok := he.Message.(string); ok && m != "" && m != http.StatusText(he.Code) && lang == langEN {
			msg = m
		}
		return he.Code, strings.ReplaceAll(strings.ToLower(http.StatusText(he.Code)), " ", "_"), msg, nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return http.StatusServiceUnavailable, "timeout", "", nil
	}
	return http.StatusInternalServerError, "internal", "", nil
}

// handleError is echo's HTTPErrorHandler: it maps err through errorKinds,
// logs server errors once (with the request id that the client also
// sees), and answers in JSON for the API and as a page for browsers.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	lang := langOf(c)
	status, code, msg, fields := classify(err, lang)
	rid := requestID(c)
	if status >= 500 && !errors.Is(err, context.Canceled) {
		if !errors.Is(err, errPanic) { // a panic was logged with its stack already
			s.log.Error("request failed", "request_id", rid, "method", c.Request().Method, "path", c.Request().URL.Path, "error", err)
		}
	}
	if status >= 500 && code != "database_unavailable" && code != "storage_full" {
		msg = errkind.Msg{VI: "Đã có lỗi ở máy chủ; xin thử lại sau. Nếu lỗi lặp lại, hãy báo mã yêu cầu cho quản trị viên.",
			EN: "Something went wrong on the server; please try again. If it persists, give the request id to your administrator."}.In(lang)
	}
	// A browser that must sign in goes to the sign-in page and comes back.
	if status == http.StatusUnauthorized && !wantsJSON(c) && c.Request().Method == http.MethodGet {
		if werr := c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI())); werr == nil {
			return
		}
	}
	var werr error
	switch {
	case c.Request().Method == http.MethodHead:
		werr = c.NoContent(status)
	case wantsJSON(c):
		werr = c.JSON(status, apiError{Error: apiErrorBody{Code: code, Message: msg, Fields: fields, RequestID: rid}})
	default:
		werr = c.Render(status, "error.html", errorPage{page: s.page(c), Status: status, Title: statusTitle(lang, status), Message: msg, Fields: fields, RequestID: rid})
	}
	if werr != nil {
		s.log.Error("writing the error response failed", "request_id", rid, "error", werr)
		if !c.Response().Committed {
			_ = c.String(status, msg)
		}
	}
}

// statusTitle names an HTTP status in lang (the catalog's
// error.status.N, else Go's English text).
func statusTitle(lang string, status int) string {
	if _, ok := catalog[fmt.Sprintf("error.status.%d", status)]; ok {
		return tr(lang, fmt.Sprintf("error.status.%d", status))
	}
	if lang == langVI || http.StatusText(status) == "" {
		return tr(lang, "error.status.other")
	}
	return http.StatusText(status)
}

// statusMessage is the sentence for an error that brings only its status.
func statusMessage(lang string, status int) string {
	if _, ok := catalog[fmt.Sprintf("error.message.%d", status)]; ok {
		return tr(lang, fmt.Sprintf("error.message.%d", status))
	}
	return statusTitle(lang, status) + "."
}

// answerFieldErrors says each refused answer in lang, by indicator code.
func answerFieldErrors(lang string, ae indicators.AnswerErrors) map[string]string {
	out := make(map[string]string, len(ae))
	for _, e := range ae {
		if _, ok := out[e.Indicator]; !ok {
			out[e.Indicator] = answerErrorText(lang, e)
		}
	}
	return out
}

// answerErrorText is one answer error in lang, from its code and params;
// numbers the engine quotes get the language's decimal mark.
func answerErrorText(lang string, e *indicators.AnswerError) string {
	p := e.Params
	value := p["value"]
	if lang == langVI {
		value = strings.ReplaceAll(value, ".", ",")
	}
	switch e.Code {
	case indicators.AnswerErrWrongType:
		return fmt.Sprintf(tr(lang, "answer.err.wrong_type"), tr(lang, "answer.want."+p["type"]))
	case indicators.AnswerErrUnknownOption, indicators.AnswerErrOptionTwice:
		return fmt.Sprintf(tr(lang, "answer.err."+e.Code), p["option"])
	case indicators.AnswerErrNegative, indicators.AnswerErrPercentRange:
		return fmt.Sprintf(tr(lang, "answer.err."+e.Code), value)
	case indicators.AnswerErrShape, indicators.AnswerErrUnknown, indicators.AnswerErrNotApplicable, indicators.AnswerErrNotFinite:
		return tr(lang, "answer.err."+e.Code)
	}
	// A code this layer does not know yet: a generic sentence rather than
	// the engine's English.
	if lang == langEN {
		return e.Message
	}
	return tr(lang, "answer.invalid")
}

// errorPage is the data of templates/error.html.
type errorPage struct {
	page
	Status    int
	Title     string
	Message   string
	Fields    map[string]string
	RequestID string
}

// wantsJSON: API routes and clients that ask for JSON get JSON errors.
func wantsJSON(c echo.Context) bool {
	p := c.Request().URL.Path
	if strings.HasPrefix(p, "/api/") || p == "/readyz" {
		return true
	}
	accept := c.Request().Header.Get(echo.HeaderAccept)
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}

// readerText is an HTTP error's message already in the reader's language.
type readerText string

// said is an HTTP error whose message msg is in the reader's language
// (made with tr), so the error handler shows it as it is.
func said(code int, msg string) *echo.HTTPError { return echo.NewHTTPError(code, readerText(msg)) }
