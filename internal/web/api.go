package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// apiRoutes registers the JSON API (/api/v1), each route with its rule
// and the description the OpenAPI document is generated from.
func (s *Server) apiRoutes() {
	const GET, POST, PUT = http.MethodGet, http.MethodPost, http.MethodPut
	admin := Roles(model.RoleAdmin)

	s.route(GET, "/api/v1/openapi.json", Public(), s.apiOpenAPI, routeDoc{Summary: "This OpenAPI document"})
	s.route(POST, "/api/v1/auth/login", Public(), s.apiLogin,
		routeDoc{Summary: "Sign in; returns a bearer token", Request: loginRequest{}, Response: loginResponse{}})
	s.route(POST, "/api/v1/auth/logout", SignedIn().WithOneTimePassword(), s.apiLogout, routeDoc{Summary: "End the session of the bearer token", Status: http.StatusNoContent})
	s.route(GET, "/api/v1/me", SignedIn().WithOneTimePassword(), s.apiMe, routeDoc{Summary: "The signed-in user", Response: meResponse{}})

	s.route(GET, "/api/v1/indicator-sets", Public(), s.apiSets, routeDoc{Summary: "Indicator-set versions", Response: []setSummary{}})
	s.route(GET, "/api/v1/indicator-sets/:code/:version", Public(), s.apiSet,
		routeDoc{Summary: "One indicator-set version in the v1 file format", Response: indicators.Set{}})

	s.route(GET, "/api/v1/campaigns", Public(), s.apiOpenCampaigns, routeDoc{Summary: "Published campaigns, to anyone; a signed-in caller also gets the unpublished campaigns of their scope (published: false) and in_scope marks", Response: []openCampaign{}})
	s.route(POST, "/api/v1/campaigns", Roles(model.RoleAdmin, model.RoleProvince), s.apiCampaignCreate,
		routeDoc{Summary: "Create and open a campaign", Request: campaignRequest{}, Response: model.Campaign{}, Status: http.StatusCreated})
	s.route(GET, "/api/v1/campaigns/:id", SignedIn().InScope("campaign", campaignParamScope), s.apiCampaign,
		routeDoc{Summary: "One campaign", Response: model.Campaign{}})
	s.route(GET, "/api/v1/campaigns/:id/assessments", SignedIn().InScope("campaign", campaignParamScope), s.apiCampaignAssessments,
		routeDoc{Summary: "The campaign's assessments in the caller's scope", Response: []model.AssessmentRow{}})

	s.route(GET, "/api/v1/units", admin, s.apiUnits, routeDoc{Summary: "Units in the caller's scope (filters: parent, kind, q)", Response: []model.Unit{}})
	s.route(POST, "/api/v1/units", admin, s.apiUnitCreate, routeDoc{Summary: "Create a unit", Request: unitRequest{}, Response: model.Unit{}, Status: http.StatusCreated})
	s.route(GET, "/api/v1/units/:code", admin.InScope("unit", unitParamScope), s.apiUnit, routeDoc{Summary: "One unit", Response: model.Unit{}})
	s.route(PUT, "/api/v1/units/:code", admin.InScope("unit", unitParamScope), s.apiUnitUpdate,
		routeDoc{Summary: "Edit a unit's name, levels and headcounts", Request: unitRequest{}, Response: model.Unit{}})
	s.route(POST, "/api/v1/units/:code/move", admin.InScope("unit", unitParamScope), s.apiUnitMove,
		routeDoc{Summary: "Move a unit under another parent", Request: moveRequest{}, Response: model.Unit{}})

	s.route(GET, "/api/v1/users", admin, s.apiUsers, routeDoc{Summary: "Users the caller manages", Response: []model.User{}})
	s.route(POST, "/api/v1/users", admin, s.apiUserCreate, routeDoc{Summary: "Create a user", Request: userRequest{}, Response: model.User{}, Status: http.StatusCreated})
	s.route(POST, "/api/v1/users/:username/lock", admin, s.apiUserLock, routeDoc{Summary: "Lock a user (ends their sessions)", Response: model.User{}})
	s.route(POST, "/api/v1/users/:username/unlock", admin, s.apiUserUnlock, routeDoc{Summary: "Unlock a user", Response: model.User{}})
}

type loginRequest struct {
	Username string `json:"username" validate:"required,max=64"`
	Password string `json:"password" validate:"required,max=200"`
}

type loginResponse struct {
	Token     string      `json:"token"`
	ExpiresAt time.Time   `json:"expires_at"`
	User      *meResponse `json:"user"`
}

type meResponse struct {
	Username string     `json:"username"`
	Name     string     `json:"name"`
	Role     model.Role `json:"role"`
	UnitCode string     `json:"unit_code,omitempty"`
	UnitName string     `json:"unit_name,omitempty"`
	Lang     string     `json:"lang"`
	// MustChangePassword: signed in with a one-time password; every call
	// but POST /api/v1/me/password, /me and logout is refused until then.
	MustChangePassword bool `json:"must_change_password"`
}

func toMe(a *model.Actor) *meResponse {
	return &meResponse{Username: a.Username, Name: a.Name, Role: a.Role, UnitCode: a.UnitCode, UnitName: a.UnitName, Lang: a.Lang,
		MustChangePassword: a.MustChangePassword}
}

func (s *Server) apiLogin(c echo.Context) error {
	var req loginRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	a, sess, err := s.survey.Login(c.Request().Context(), req.Username, req.Password, clientIP(c), model.SessionAPI)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, loginResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt, User: toMe(a)})
}

func (s *Server) apiLogout(c echo.Context) error {
	sess := sessionOf(c)
	if sess == nil || sess.Kind != model.SessionAPI {
		return errkind.New(errkind.Invalid, "Chỉ dùng với bearer token; trình duyệt đăng xuất qua /logout.", "use a bearer token; browsers sign out at /logout")
	}
	if err := s.survey.EndSession(c.Request().Context(), sess.TokenHash); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) apiMe(c echo.Context) error { return c.JSON(http.StatusOK, toMe(actorOf(c))) }

type setSummary struct {
	Code        string          `json:"code"`
	Version     string          `json:"version"`
	Name        indicators.Text `json:"name"`
	Source      string          `json:"source,omitempty"`
	Assessed    string          `json:"assessed"`
	Provisional bool            `json:"provisional"`
	InUse       bool            `json:"in_use"`
	LoadedAt    time.Time       `json:"loaded_at"`
}

func (s *Server) apiSets(c echo.Context) error {
	list, err := s.sets.List(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]setSummary, 0, len(list))
	for _, st := range list {
		out = append(out, setSummary{Code: st.Code, Version: st.Version, Name: st.Name, Source: st.Source, Assessed: st.Assessed,
			Provisional: st.Provisional, InUse: st.LockedAt != nil, LoadedAt: st.LoadedAt})
	}
	return c.JSON(http.StatusOK, out)
}

// apiSet serves a set version in the file format. The notes of the set,
// its groups, criteria and indicators are meant for administrators (how
// sure the authors are of a row, where it comes from: see
// docs/indicator-sets.md); anyone else gets the set without them.
func (s *Server) apiSet(c echo.Context) error {
	st, err := s.sets.Get(c.Request().Context(), c.Param("code"), c.Param("version"))
	if err != nil {
		return err
	}
	if actorOf(c).Is(model.RoleAdmin) {
		// Never from a shared cache to someone else.
		c.Response().Header().Set("Cache-Control", "private, no-store")
		return c.JSON(http.StatusOK, st.Set)
	}
	return c.JSON(http.StatusOK, withoutNotes(st.Set))
}

// withoutNotes returns a copy of set without its administrators' notes,
// leaving set (shared, and compiled for scoring) untouched.
func withoutNotes(set *indicators.Set) *indicators.Set {
	out := *set
	out.Note = nil
	out.Groups = slices.Clone(set.Groups)
	for gi := range out.Groups {
		g := &out.Groups[gi]
		g.Note = nil
		g.Criteria = slices.Clone(g.Criteria)
		for ci := range g.Criteria {
			cr := &g.Criteria[ci]
			cr.Note = nil
			cr.Indicators = slices.Clone(cr.Indicators)
			for ii := range cr.Indicators {
				cr.Indicators[ii].Note = nil
			}
		}
	}
	return &out
}

type campaignRequest struct {
	Name         string `json:"name" validate:"required,max=200"`
	SetCode      string `json:"set_code" validate:"required,max=100"`
	SetVersion   string `json:"set_version" validate:"max=100"`
	RootUnitCode string `json:"root_unit_code" validate:"required,max=40"`
	OpensOn      string `json:"opens_on" validate:"omitempty,datetime=2006-01-02"`
	SelfDue      string `json:"self_due" validate:"omitempty,datetime=2006-01-02"`
	ReviewDue    string `json:"review_due" validate:"omitempty,datetime=2006-01-02"`
	// FourEyes: absent means on (issue 17).
	FourEyes  *bool `json:"four_eyes,omitempty"`
	ReplyDays int   `json:"reply_days,omitempty" validate:"omitempty,min=1,max=60"`
	// SchoolCampaignID: for a campaign on an agency set, the school
	// campaign whose published results its roll-up indicators read.
	SchoolCampaignID int64 `json:"school_campaign_id" validate:"gte=0"`
}

func isoDate(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

func (s *Server) apiCampaignCreate(c echo.Context) error {
	var req campaignRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	cp, err := s.survey.CreateCampaign(c.Request().Context(), actorOf(c), model.CampaignInput{
		Name: req.Name, SetCode: req.SetCode, SetVersion: req.SetVersion, RootUnitCode: req.RootUnitCode,
		OpensOn: isoDate(req.OpensOn), SelfDue: isoDate(req.SelfDue), ReviewDue: isoDate(req.ReviewDue),
		FourEyes: req.FourEyes == nil || *req.FourEyes, ReplyDays: req.ReplyDays,
		SchoolCampaignID: req.SchoolCampaignID,
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cp)
}

func (s *Server) apiCampaign(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cp, err := s.survey.Campaign(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cp)
}

func (s *Server) apiCampaignAssessments(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	rows, err := s.survey.CampaignAssessments(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []model.AssessmentRow{}
	}
	return c.JSON(http.StatusOK, rows)
}

type unitRequest struct {
	Code         string   `json:"code" validate:"max=40"`
	Name         string   `json:"name" validate:"required,max=200"`
	Kind         string   `json:"kind" validate:"max=40"`
	ParentCode   string   `json:"parent_code" validate:"max=40"`
	SchoolLevels []string `json:"school_levels" validate:"max=6"`
	Students     *int     `json:"students"`
	Teachers     *int     `json:"teachers"`
	Staff        *int     `json:"staff"`
}

func (r unitRequest) toInput() model.UnitInput {
	return model.UnitInput{Code: r.Code, Name: r.Name, Kind: r.Kind, ParentCode: r.ParentCode, SchoolLevels: r.SchoolLevels,
		Students: r.Students, Teachers: r.Teachers, Staff: r.Staff}
}

type moveRequest struct {
	ParentCode string `json:"parent_code" validate:"required,max=40"`
	Reason     string `json:"reason" validate:"max=500"`
}

func (s *Server) apiUnits(c echo.Context) error {
	units, err := s.survey.ListUnits(c.Request().Context(), actorOf(c), model.UnitFilter{
		ParentCode: c.QueryParam("parent"), Kind: c.QueryParam("kind"), Query: c.QueryParam("q")})
	if err != nil {
		return err
	}
	if units == nil {
		units = []*model.Unit{}
	}
	return c.JSON(http.StatusOK, units)
}

func (s *Server) apiUnitCreate(c echo.Context) error {
	var req unitRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u, err := s.survey.CreateUnit(c.Request().Context(), actorOf(c), req.toInput())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

func (s *Server) apiUnit(c echo.Context) error {
	u, err := s.survey.UnitByCode(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) apiUnitUpdate(c echo.Context) error {
	var req unitRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u, err := s.survey.UpdateUnit(c.Request().Context(), actorOf(c), c.Param("code"), req.toInput())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) apiUnitMove(c echo.Context) error {
	var req moveRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u, err := s.survey.MoveUnit(c.Request().Context(), actorOf(c), c.Param("code"), req.ParentCode, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

type userRequest struct {
	Username    string     `json:"username" validate:"required,max=64"`
	DisplayName string     `json:"display_name" validate:"max=200"`
	Role        model.Role `json:"role" validate:"required,oneof=admin province district commune school viewer"`
	UnitCode    string     `json:"unit_code" validate:"max=40"`
	Password    string     `json:"password" validate:"required,max=200"`
}

func (s *Server) apiUsers(c echo.Context) error {
	users, err := s.survey.ListUsers(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	if users == nil {
		users = []*model.User{}
	}
	return c.JSON(http.StatusOK, users)
}

func (s *Server) apiUserCreate(c echo.Context) error {
	var req userRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u, err := s.survey.CreateUser(c.Request().Context(), actorOf(c), model.UserInput{
		Username: req.Username, DisplayName: req.DisplayName, Role: req.Role, UnitCode: req.UnitCode, Password: req.Password})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

func (s *Server) apiUserLock(c echo.Context) error   { return s.apiSetLocked(c, true) }
func (s *Server) apiUserUnlock(c echo.Context) error { return s.apiSetLocked(c, false) }

func (s *Server) apiSetLocked(c echo.Context, locked bool) error {
	u, err := s.survey.SetLocked(c.Request().Context(), actorOf(c), c.Param("username"), locked)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}
