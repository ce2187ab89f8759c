package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

type loginPage struct {
	page
	Username string
	Next     string
	Message  string
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

func (s *Server) loginPage(c echo.Context) error {
	if actorOf(c) != nil {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return c.Render(http.StatusOK, "login.html", loginPage{page: s.page(c), Next: safeNext(c.QueryParam("next"))})
}

func (s *Server) loginSubmit(c echo.Context) error {
	username := c.FormValue("username")
	next := safeNext(c.FormValue("next"))
	_, sess, err := s.survey.Login(c.Request().Context(), username, c.FormValue("password"), clientIP(c), model.SessionWeb)
	if err != nil {
		var le *errkind.Error
		if errors.As(err, &le) {
			// The form is shown again, so the error handler (and the
			// Retry-After it would get from authenticate) is bypassed.
			setRetryAfter(c, err)
			status, _, msg, _ := classify(err, langOf(c))
			return c.Render(status, "login.html", loginPage{page: s.page(c), Username: username, Next: next, Message: msg})
		}
		return err
	}
	s.setSessionCookie(c, sess)
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logout(c echo.Context) error {
	if token, ok := c.Get(string(keyToken)).(string); ok {
		if err := s.survey.Logout(c.Request().Context(), token); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	return c.Redirect(http.StatusSeeOther, "/")
}

type passwordPage struct {
	page
}

func (s *Server) passwordPage(c echo.Context) error {
	return c.Render(http.StatusOK, "password.html", passwordPage{page: s.page(c)})
}

func (s *Server) passwordSubmit(c echo.Context) error {
	p := passwordPage{page: s.page(c)}
	lang := langOf(c)
	if c.FormValue("new_password") != c.FormValue("confirm_password") {
		p.Errors = map[string]string{"confirm_password": tr(lang, "password.mismatch")}
		return c.Render(http.StatusUnprocessableEntity, "password.html", p)
	}
	sess := sessionOf(c)
	err := s.survey.ChangePassword(c.Request().Context(), actorOf(c), sess.TokenHash, c.FormValue("current_password"), c.FormValue("new_password"))
	var fe errkind.FieldErrors
	if errors.As(err, &fe) {
		p.Errors = fe.In(lang)
		return c.Render(http.StatusUnprocessableEntity, "password.html", p)
	}
	if err != nil {
		return err
	}
	setFlash(c, tr(lang, "password.done"))
	return c.Redirect(http.StatusSeeOther, "/")
}

// switchLang remembers the chosen language in a cookie (and for a
// signed-in user, in their account) and returns to the page.
func (s *Server) switchLang(c echo.Context) error {
	lang := c.FormValue("lang")
	if lang != langVI && lang != langEN {
		return errkind.New(errkind.Invalid, "Ngôn ngữ không hợp lệ.", "unknown language")
	}
	if err := s.survey.SetLanguage(c.Request().Context(), actorOf(c), lang); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}
