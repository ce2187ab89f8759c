package web

// Accounts (issue 16): a person's contacts, "forgot password" by a one-use
// e-mailed link, an admin's reset to a one-time password, and the change
// that one-time password forces at the next sign-in.

import (
	"errors"
	"net/http"
	"strings"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

func (s *Server) accountRoutes() {
	const GET, POST, PUT = http.MethodGet, http.MethodPost, http.MethodPut
	admin := Roles(model.RoleAdmin)
	s.route(GET, "/account", SignedIn(), s.accountPage)
	s.route(POST, "/account/contacts", SignedIn(), s.accountContacts)
	s.route(GET, "/password/forgot", Public(), s.forgotPage)
	s.route(POST, "/password/forgot", Public(), s.forgotSubmit)
	s.route(GET, "/password/reset/:token", Public(), s.resetPage)
	s.route(POST, "/password/reset/:token", Public(), s.resetSubmit)
	s.route(GET, "/admin/users/:username", admin, s.userPage)
	s.route(POST, "/admin/users/:username/contacts", admin, s.userContacts)
	s.route(POST, "/admin/users/:username/reset-password", admin, s.userResetPassword)

	s.route(PUT, "/api/v1/me/contacts", SignedIn(), s.apiMyContacts,
		routeDoc{Summary: "Change the caller's own e-mail address and phone number (both optional; empty clears)", Request: contactsRequest{}, Response: model.User{}})
	s.route(POST, "/api/v1/me/password", SignedIn().WithOneTimePassword(), s.apiMyPassword,
		routeDoc{Summary: "Change the caller's password (the only call open while signed in with a one-time password, with /me and logout)", Request: passwordRequest{}, Status: http.StatusNoContent})
	s.route(PUT, "/api/v1/users/:username/contacts", admin, s.apiUserContacts,
		routeDoc{Summary: "Change a user's e-mail address and phone number", Request: contactsRequest{}, Response: model.User{}})
	s.route(POST, "/api/v1/users/:username/reset-password", admin, s.apiUserResetPassword,
		routeDoc{Summary: "Give a user a one-time password (returned once), which they must change at their next sign-in; their sessions end", Response: oneTimeResponse{}})
	s.route(POST, "/api/v1/auth/forgot", Public(), s.apiForgot,
		routeDoc{Summary: "Send a one-use password-reset link, valid for 1 hour, to the account's e-mail address; the answer is the same whether or not the account exists", Request: forgotRequest{}, Status: http.StatusAccepted})
	s.route(POST, "/api/v1/auth/reset", Public(), s.apiReset,
		routeDoc{Summary: "Set a new password with the token of a password-reset link; every session of the account ends", Request: resetRequest{}, Status: http.StatusNoContent})
}

type contactsRequest struct {
	Email string `json:"email" form:"email"`
	Phone string `json:"phone" form:"phone"`
}

type passwordRequest struct {
	CurrentPassword string `json:"current_password" validate:"required"`
	NewPassword     string `json:"new_password" validate:"required"`
}

type oneTimeResponse struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type forgotRequest struct {
	Login string `json:"login" validate:"required"` // a username or an e-mail address
}

type resetRequest struct {
	Token       string `json:"token" validate:"required"`
	NewPassword string `json:"new_password" validate:"required"`
}

func isAPI(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/api/") }

// accountPage is a person's own account: contacts and the way to change
// the password; an admin's page of a user is the same, with a reset.
type accountPage struct {
	page
	User    *model.User
	Form    contactsRequest
	Action  string // where the contacts form posts
	Admin   bool   // an admin looking at someone's account
	OneTime string // a one-time password just made, shown once
}

func (s *Server) accountPage(c echo.Context) error {
	a := actorOf(c)
	u, err := s.survey.UserByUsername(c.Request().Context(), a, a.Username)
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "account.html", accountPage{page: s.page(c), User: u, Form: contactsRequest{Email: u.Email, Phone: u.Phone}, Action: "/account/contacts"})
}

func (s *Server) accountContacts(c echo.Context) error {
	return s.saveContacts(c, actorOf(c).Username, "/account", false)
}

func (s *Server) userPage(c echo.Context) error {
	u, err := s.survey.UserByUsername(c.Request().Context(), actorOf(c), c.Param("username"))
	if err != nil {
		return err
	}
	return c.Render(http.StatusOK, "account.html", accountPage{page: s.page(c), User: u, Form: contactsRequest{Email: u.Email, Phone: u.Phone},
		Action: "/admin/users/" + u.Username + "/contacts", Admin: true})
}

func (s *Server) userContacts(c echo.Context) error {
	return s.saveContacts(c, c.Param("username"), "/admin/users/"+c.Param("username"), true)
}

// saveContacts saves the contacts form, or shows it again with what was
// typed and a message beside each wrong field.
func (s *Server) saveContacts(c echo.Context, username, back string, admin bool) error {
	ctx := c.Request().Context()
	in := contactsRequest{Email: c.FormValue("email"), Phone: c.FormValue("phone")}
	_, err := s.survey.SetContacts(ctx, actorOf(c), username, model.ContactsInput{Email: in.Email, Phone: in.Phone})
	if err == nil {
		setFlash(c, tr(langOf(c), "common.saved"))
		return c.Redirect(http.StatusSeeOther, back)
	}
	var fe errkind.FieldErrors
	if !errors.As(err, &fe) {
		return err
	}
	u, err := s.survey.UserByUsername(ctx, actorOf(c), username)
	if err != nil {
		return err
	}
	p := accountPage{page: s.page(c), User: u, Form: in, Admin: admin, Action: c.Request().URL.Path}
	p.Errors = fe.In(langOf(c))
	return c.Render(http.StatusUnprocessableEntity, "account.html", p)
}

func (s *Server) userResetPassword(c echo.Context) error {
	ctx := c.Request().Context()
	pw, err := s.survey.AdminResetPassword(ctx, actorOf(c), c.Param("username"))
	if err != nil {
		return err
	}
	u, err := s.survey.UserByUsername(ctx, actorOf(c), c.Param("username"))
	if err != nil {
		return err
	}
	// Shown once, on this page, never stored: the admin hands it over.
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Render(http.StatusOK, "account.html", accountPage{page: s.page(c), User: u, Form: contactsRequest{Email: u.Email, Phone: u.Phone},
		Action: "/admin/users/" + u.Username + "/contacts", Admin: true, OneTime: pw})
}

type forgotPage struct {
	page
	Login string
	Sent  bool
}

func (s *Server) forgotPage(c echo.Context) error {
	return c.Render(http.StatusOK, "forgot.html", forgotPage{page: s.page(c)})
}

func (s *Server) forgotSubmit(c echo.Context) error {
	login := strings.TrimSpace(c.FormValue("login"))
	if login == "" {
		p := forgotPage{page: s.page(c)}
		p.Errors = map[string]string{"login": tr(langOf(c), "forgot.need_login")}
		return c.Render(http.StatusUnprocessableEntity, "forgot.html", p)
	}
	if err := s.survey.RequestPasswordReset(c.Request().Context(), login); err != nil {
		return err
	}
	// The same page whether or not the account exists.
	return c.Render(http.StatusOK, "forgot.html", forgotPage{page: s.page(c), Login: login, Sent: true})
}

type resetPage struct {
	page
	Token    string
	Username string
	Bad      string // why the link does not work
}

func (s *Server) resetPage(c echo.Context) error {
	p := resetPage{page: s.page(c), Token: c.Param("token")}
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	u, err := s.survey.CheckResetLink(c.Request().Context(), p.Token)
	if errors.Is(err, model.ErrResetLink) {
		_, _, p.Bad, _ = classify(err, langOf(c))
		return c.Render(http.StatusNotFound, "reset.html", p)
	}
	if err != nil {
		return err
	}
	p.Username = u
	return c.Render(http.StatusOK, "reset.html", p)
}

func (s *Server) resetSubmit(c echo.Context) error {
	lang := langOf(c)
	p := resetPage{page: s.page(c), Token: c.Param("token")}
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	ctx := c.Request().Context()
	if c.FormValue("new_password") != c.FormValue("confirm_password") {
		p.Username, _ = s.survey.CheckResetLink(ctx, p.Token)
		p.Errors = map[string]string{"confirm_password": tr(lang, "password.mismatch")}
		return c.Render(http.StatusUnprocessableEntity, "reset.html", p)
	}
	err := s.survey.ResetPasswordWithLink(ctx, p.Token, c.FormValue("new_password"))
	var fe errkind.FieldErrors
	switch {
	case errors.Is(err, model.ErrResetLink):
		_, _, p.Bad, _ = classify(err, lang)
		return c.Render(http.StatusNotFound, "reset.html", p)
	case errors.As(err, &fe):
		p.Username, _ = s.survey.CheckResetLink(ctx, p.Token)
		p.Errors = fe.In(lang)
		return c.Render(http.StatusUnprocessableEntity, "reset.html", p)
	case err != nil:
		return err
	}
	setFlash(c, tr(lang, "reset.done"))
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) apiMyContacts(c echo.Context) error {
	return s.apiContacts(c, actorOf(c).Username)
}

func (s *Server) apiUserContacts(c echo.Context) error {
	return s.apiContacts(c, c.Param("username"))
}

func (s *Server) apiContacts(c echo.Context, username string) error {
	var req contactsRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u, err := s.survey.SetContacts(c.Request().Context(), actorOf(c), username, model.ContactsInput{Email: req.Email, Phone: req.Phone})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) apiMyPassword(c echo.Context) error {
	var req passwordRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	sess := sessionOf(c)
	if err := s.survey.ChangePassword(c.Request().Context(), actorOf(c), sess.TokenHash, req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) apiUserResetPassword(c echo.Context) error {
	pw, err := s.survey.AdminResetPassword(c.Request().Context(), actorOf(c), c.Param("username"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, oneTimeResponse{Username: strings.ToLower(c.Param("username")), Password: pw})
}

func (s *Server) apiForgot(c echo.Context) error {
	var req forgotRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if err := s.survey.RequestPasswordReset(c.Request().Context(), req.Login); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

func (s *Server) apiReset(c echo.Context) error {
	var req resetRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if err := s.survey.ResetPasswordWithLink(c.Request().Context(), req.Token, req.NewPassword); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
