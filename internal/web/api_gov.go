package web

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/seed/crosswalk"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// govRoutes are the routes of units over time (issue 12): a unit's move
// log, its trend across the 2025 reorganisation, who reviews per campaign,
// and the reorganisation itself.
func (s *Server) govRoutes() {
	const GET, PUT, POST = http.MethodGet, http.MethodPut, http.MethodPost
	admin := Roles(model.RoleAdmin)
	store := s.dash

	s.route(GET, "/api/v1/units/:code/history", admin.InScope("unit", unitParamScope), s.apiUnitHistory,
		routeDoc{Summary: "A unit over time: validity, legacy district, move log", Response: model.UnitHistory{}})
	s.route(GET, "/api/v1/units/:code/trend", Public(), func(c echo.Context) error {
		t, err := store.TrendAcross(c.Request().Context(), c.Param("code"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, t)
	}, routeDoc{Summary: "A unit's published results per campaign, across the 2025 reorganisation", Response: dashview.UnitTrend{}})
	s.route(GET, "/api/v1/campaigns/:id/reviewers", SignedIn().InScope("campaign", campaignParamScope), s.apiReviewRouting,
		routeDoc{Summary: "Which office reviews each school level in the campaign", Response: map[string]string{}})
	s.route(PUT, "/api/v1/campaigns/:id/reviewers", Roles(model.RoleAdmin, model.RoleProvince).InScope("campaign", campaignParamScope), s.apiReviewRoutingSet,
		routeDoc{Summary: "Set which office (commune, district, province) reviews each school level", Request: map[string]string{}, Response: map[string]string{}})
	s.route(POST, "/api/v1/admin/reorganize", admin, s.apiReorganize,
		routeDoc{Summary: "Bring the July 2025 tree into force with the shipped crosswalk (dry_run reports only)", Request: reorganizeRequest{}, Response: model.ReorgReport{}})
	s.reorgPageRoutes()
}

func (s *Server) apiUnitHistory(c echo.Context) error {
	h, err := s.survey.History(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h)
}

func (s *Server) apiReviewRouting(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.survey.ReviewRouting(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *Server) apiReviewRoutingSet(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	// The body is a map (school level → office), which the struct
	// validator does not take: decode it here, refusing anything else.
	var req map[string]string
	if err := json.NewDecoder(io.LimitReader(c.Request().Body, 1<<16)).Decode(&req); err != nil {
		return errkind.New(errkind.Invalid, "Nội dung phải là JSON dạng {\"cấp học\": \"commune|district|province\"}.",
			`the body must be JSON like {"school level": "commune|district|province"}`)
	}
	r, err := s.survey.SetReviewRouting(c.Request().Context(), actorOf(c), id, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

type reorganizeRequest struct {
	Effective string `json:"effective" validate:"max=10"` // yyyy-mm-dd; empty: 2025-07-01
	DryRun    bool   `json:"dry_run"`
}

func (s *Server) apiReorganize(c echo.Context) error {
	var req reorganizeRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	day := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	if req.Effective != "" {
		d, err := time.Parse("2006-01-02", req.Effective)
		if err != nil {
			return errkind.Field("effective", "Ngày hiệu lực phải có dạng yyyy-mm-dd.", "the effective day is written yyyy-mm-dd")
		}
		day = d
	}
	cw, err := crosswalk.July2025(nil)
	if err != nil {
		return err
	}
	rep, err := s.survey.Reorganize(c.Request().Context(), actorOf(c), cw, day, req.DryRun)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}
