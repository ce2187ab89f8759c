package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// pageAs signs user in (password "password-"+user) and returns a caller of
// srv's pages in that session, as a browser calls them: a POST sends the
// form with the session's CSRF token.
func pageAs(t testing.TB, srv *Server, user string) func(method, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	_, sess, err := srv.survey.Login(context.Background(), user, "password-"+user, "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	return func(method, path string, form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(csrfHeader, sess.CSRFToken)
		}
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.Token})
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		return rec
	}
}
