package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

type unitsPage struct {
	page
	Pager  pager
	Units  []*model.Unit
	Query  string
	Kind   string
	Form   unitForm
	Kinds  []string
	Levels []string
}

// unitForm is the unit form as typed, kept to re-show it with errors.
type unitForm struct {
	Code, Name, Kind, ParentCode string
	SchoolLevels                 []string
	Students, Teachers, Staff    string
}

var unitKinds = []string{"province", "district", "commune", "school"}
var unitLevels = []string{"preschool", "primary", "lower_secondary", "upper_secondary", "multi_level", "continuing"}

func (s *Server) unitsPage(c echo.Context) error {
	p := unitsPage{page: s.page(c), Query: c.QueryParam("q"), Kind: c.QueryParam("kind"), Kinds: unitKinds, Levels: unitLevels}
	p.Form.Kind = "school"
	p.Pager = newPager(c, "/admin/units", url.Values{"q": {p.Query}, "kind": {p.Kind}})
	units, err := s.survey.ListUnits(c.Request().Context(), actorOf(c), model.UnitFilter{Query: p.Query, Kind: p.Kind,
		Limit: adminPageSize + 1, Offset: p.Pager.offset()})
	if err != nil {
		return err
	}
	p.Units = p.Pager.cut(len(units), units)
	return c.Render(http.StatusOK, "units.html", p)
}

// readUnitForm turns the form into a UnitInput; a headcount that is not a
// whole number is a field error.
func readUnitForm(c echo.Context, lang string) (unitForm, model.UnitInput, errkind.FieldErrors) {
	f := unitForm{
		Code: c.FormValue("code"), Name: c.FormValue("name"), Kind: c.FormValue("kind"), ParentCode: c.FormValue("parent_code"),
		Students: c.FormValue("students"), Teachers: c.FormValue("teachers"), Staff: c.FormValue("staff"),
	}
	if form, err := c.FormParams(); err == nil {
		f.SchoolLevels = form["school_levels"]
	}
	fe := errkind.FieldErrors{}
	num := func(field, v string) *int {
		v = strings.TrimSpace(strings.ReplaceAll(v, ".", ""))
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			fe.Add(field, "Hãy nhập một số nguyên.", "enter a whole number")
			return nil
		}
		return &n
	}
	in := model.UnitInput{Code: f.Code, Name: f.Name, Kind: f.Kind, ParentCode: f.ParentCode, SchoolLevels: f.SchoolLevels,
		Students: num("students", f.Students), Teachers: num("teachers", f.Teachers), Staff: num("staff", f.Staff)}
	return f, in, fe
}

func (s *Server) unitCreate(c echo.Context) error {
	lang := langOf(c)
	f, in, fe := readUnitForm(c, lang)
	var err error
	if len(fe) == 0 {
		_, err = s.survey.CreateUnit(c.Request().Context(), actorOf(c), in)
		if err == nil {
			setFlash(c, tr(lang, "common.saved"))
			return c.Redirect(http.StatusSeeOther, "/admin/units/"+url.PathEscape(strings.TrimSpace(in.Code)))
		}
		if !errors.As(err, &fe) {
			// A parent outside a scoped admin's province: the form again,
			// the reason beside the parent, 403.
			if pe := scopeRefusal(err); pe != nil {
				p := unitsPage{page: s.page(c), Form: f, Kinds: unitKinds, Levels: unitLevels}
				p.Errors = map[string]string{"parent_code": pe.Msg.In(lang)}
				p.Units, _ = s.survey.ListUnits(c.Request().Context(), actorOf(c), model.UnitFilter{Limit: 500})
				return c.Render(http.StatusForbidden, "units.html", p)
			}
			return err
		}
	}
	p := unitsPage{page: s.page(c), Form: f, Kinds: unitKinds, Levels: unitLevels}
	p.Errors = fe.In(lang)
	p.Units, _ = s.survey.ListUnits(c.Request().Context(), actorOf(c), model.UnitFilter{Limit: 500})
	return c.Render(http.StatusUnprocessableEntity, "units.html", p)
}

type unitPage struct {
	page
	Unit     *model.Unit
	Children []*model.Unit
	Form     unitForm
	Levels   []string
	// History is the unit's validity, legacy district and move log.
	History *model.UnitHistory
}

func (s *Server) renderUnit(c echo.Context, status int, code string, form *unitForm, errs map[string]string) error {
	ctx := c.Request().Context()
	u, err := s.survey.UnitByCode(ctx, code)
	if err != nil {
		return err
	}
	p := unitPage{page: s.page(c), Unit: u, Levels: unitLevels}
	p.Errors = errs
	if form != nil {
		p.Form = *form
	} else {
		p.Form = unitForm{Code: u.Code, Name: u.Name, Kind: u.Kind, SchoolLevels: u.SchoolLevels,
			Students: intStr(u.Students), Teachers: intStr(u.Teachers), Staff: intStr(u.Staff)}
	}
	p.Children, err = s.survey.ListUnits(ctx, actorOf(c), model.UnitFilter{ParentCode: u.Code, Limit: 1000})
	if err != nil {
		return err
	}
	if p.History, err = s.survey.History(ctx, u.Code); err != nil {
		return err
	}
	return c.Render(status, "unit.html", p)
}

func intStr(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func (s *Server) unitPage(c echo.Context) error {
	return s.renderUnit(c, http.StatusOK, c.Param("code"), nil, nil)
}

func (s *Server) unitUpdate(c echo.Context) error {
	lang := langOf(c)
	f, in, fe := readUnitForm(c, lang)
	code := c.Param("code")
	if len(fe) == 0 {
		_, err := s.survey.UpdateUnit(c.Request().Context(), actorOf(c), code, in)
		if err == nil {
			setFlash(c, tr(lang, "common.saved"))
			return c.Redirect(http.StatusSeeOther, "/admin/units/"+url.PathEscape(code))
		}
		if !errors.As(err, &fe) {
			return err
		}
	}
	return s.renderUnit(c, http.StatusUnprocessableEntity, code, &f, fe.In(lang))
}

func (s *Server) unitMove(c echo.Context) error {
	lang := langOf(c)
	code := c.Param("code")
	_, err := s.survey.MoveUnit(c.Request().Context(), actorOf(c), code, c.FormValue("parent_code"), c.FormValue("reason"))
	if err != nil {
		var le *errkind.Error
		if errors.As(err, &le) && !errors.Is(err, errkind.Forbidden) {
			return s.renderUnit(c, http.StatusUnprocessableEntity, code, nil, map[string]string{"parent_code": le.Msg.In(lang)})
		}
		if pe := scopeRefusal(err); pe != nil {
			return s.renderUnit(c, http.StatusForbidden, code, nil, map[string]string{"parent_code": pe.Msg.In(lang)})
		}
		return err
	}
	setFlash(c, tr(lang, "common.saved"))
	return c.Redirect(http.StatusSeeOther, "/admin/units/"+url.PathEscape(code))
}

type usersPage struct {
	page
	Pager pager
	Query string
	Users []*model.User
	Form  model.UserInput
	Roles []model.Role
}

func (s *Server) usersPage(c echo.Context) error {
	users, err := s.survey.ListUsers(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	p := usersPage{page: s.page(c), Roles: model.Roles, Form: model.UserInput{Role: model.RoleSchool}}
	p.Query, p.Users, p.Pager = pageUsers(c, users)
	return c.Render(http.StatusOK, "users.html", p)
}

func (s *Server) userCreate(c echo.Context) error {
	lang := langOf(c)
	in := model.UserInput{
		Username: c.FormValue("username"), DisplayName: c.FormValue("display_name"), Role: model.Role(c.FormValue("role")),
		UnitCode: c.FormValue("unit_code"), Password: c.FormValue("password"),
		Email: c.FormValue("email"), Phone: c.FormValue("phone"),
	}
	_, err := s.survey.CreateUser(c.Request().Context(), actorOf(c), in)
	if err == nil {
		setFlash(c, tr(lang, "common.saved"))
		return c.Redirect(http.StatusSeeOther, "/admin/users")
	}
	var fe errkind.FieldErrors
	if !errors.As(err, &fe) {
		return err
	}
	in.Password = ""
	users, _ := s.survey.ListUsers(c.Request().Context(), actorOf(c))
	p := usersPage{page: s.page(c), Roles: model.Roles, Form: in}
	p.Query, p.Users, p.Pager = pageUsers(c, users)
	p.Errors = fe.In(lang)
	return c.Render(http.StatusUnprocessableEntity, "users.html", p)
}

func (s *Server) userLock(c echo.Context) error   { return s.setLocked(c, true) }
func (s *Server) userUnlock(c echo.Context) error { return s.setLocked(c, false) }

func (s *Server) setLocked(c echo.Context, locked bool) error {
	if _, err := s.survey.SetLocked(c.Request().Context(), actorOf(c), c.Param("username"), locked); err != nil {
		return err
	}
	setFlash(c, tr(langOf(c), "common.saved"))
	return c.Redirect(http.StatusSeeOther, "/admin/users")
}

// scopeRefusal returns the message of a refusal that names a unit outside
// the actor's scope (a Forbidden with its own message, not the generic
// one), to show beside the form's field.
func scopeRefusal(err error) *errkind.Error {
	var le *errkind.Error
	if errors.Is(err, errkind.Forbidden) && errors.As(err, &le) && le != model.ErrForbidden {
		return le
	}
	return nil
}
