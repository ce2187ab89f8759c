package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// sampleRoutes: sampled verification (issue 17). An office draws the
// schools it verifies in a campaign, sees the seed and the list, and
// approves the rest on their self-assessment; the API does the same.
func (s *Server) sampleRoutes() {
	const GET, POST = http.MethodGet, http.MethodPost
	evaluators := Roles(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune).
		InScope("campaign", campaignParamScope)
	s.route(GET, "/campaigns/:id/sample", evaluators, s.samplePage)
	s.route(POST, "/campaigns/:id/sample", evaluators, s.sampleDrawPage)
	s.route(POST, "/campaigns/:id/sample/approve-rest", evaluators, s.sampleApproveRestPage)
	s.route(GET, "/api/v1/campaigns/:id/sample", evaluators, s.apiSample,
		routeDoc{Summary: "The campaign's sample in the caller's scope: seed, parameters, the list drawn from (with each school's key and whether it was drawn), enlargements", Response: model.Sample{}})
	s.route(POST, "/api/v1/campaigns/:id/sample", evaluators, s.apiSampleDraw,
		routeDoc{Summary: "Draw the schools to verify (once per campaign and scope): size or share_percent, indicators per school, stratification, seed (empty: generated)", Request: sampleRequest{}, Response: model.Sample{}, Status: http.StatusCreated})
	s.route(POST, "/api/v1/campaigns/:id/sample/approve-rest", evaluators, s.apiSampleApproveRest,
		routeDoc{Summary: "Approve the submitted schools outside the sample on their self-assessment (marked not sampled)", Response: []model.BulkResult{}})
}

// sampleRequest is a draw, as the API and the page's form write it.
type sampleRequest struct {
	Seed         string  `json:"seed" validate:"max=400"`
	Size         int     `json:"size" validate:"gte=0,lte=100000"`
	SharePercent float64 `json:"share_percent" validate:"gte=0,lte=100"`
	Indicators   int     `json:"indicators" validate:"gte=0,lte=500"`
	ByLevel      bool    `json:"by_level"`
	ByArea       bool    `json:"by_area"`
	EnlargeBy    int     `json:"enlarge_by" validate:"gte=0,lte=1000"`
}

// toSampleInput: the share in percent (two decimals) becomes ten-thousandths.
func toSampleInput(r sampleRequest) model.SampleInput {
	return model.SampleInput{Seed: r.Seed, Size: r.Size, ShareBP: int(r.SharePercent*100 + 0.5), Indicators: r.Indicators,
		ByLevel: r.ByLevel, ByArea: r.ByArea, EnlargeBy: r.EnlargeBy}
}

type samplePageData struct {
	page
	Campaign *model.Campaign
	Sample   *model.Sample
	Form     sampleRequest
	// Office: an office campaign (its units are offices, not schools).
	Office bool
}

func (s *Server) samplePage(c echo.Context) error {
	return s.renderSample(c, http.StatusOK, sampleRequest{}, nil)
}

func (s *Server) renderSample(c echo.Context, status int, form sampleRequest, fe map[string]string) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cp, err := s.survey.Campaign(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	office, err := s.officeCampaign(ctx, cp)
	if err != nil {
		return err
	}
	p := samplePageData{page: s.page(c), Campaign: cp, Form: form, Office: office}
	p.Errors = fe
	if p.Sample, err = s.survey.SampleOf(ctx, actorOf(c), id); err != nil && !errors.Is(err, model.ErrNoSample) {
		return err
	}
	return c.Render(status, "sample.html", p)
}

// formInt reads a whole number field; empty is 0.
func formInt(v string) (int, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

func (s *Server) sampleDrawPage(c echo.Context) error {
	id, _ := idParam(c, "id")
	lang := langOf(c)
	var r sampleRequest
	fe := errkind.FieldErrors{}
	var ok bool
	r.Seed = c.FormValue("seed")
	if r.Size, ok = formInt(c.FormValue("size")); !ok {
		fe.Add("size", "Cỡ mẫu phải là số nguyên.", "the sample size is a whole number")
	}
	if v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c.FormValue("share")), "%")); v != "" {
		f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
		if err != nil || f < 0 || f > 100 {
			fe.Add("size", "Tỷ lệ là một số từ 0 đến 100 (ví dụ 12,5).", "the share is a number from 0 to 100 (12.5, say)")
		}
		r.SharePercent = f
	}
	if r.Indicators, ok = formInt(c.FormValue("indicators")); !ok {
		fe.Add("indicators", "Số chỉ số phải là số nguyên.", "the number of indicators is a whole number")
	}
	if r.EnlargeBy, ok = formInt(c.FormValue("enlarge_by")); !ok {
		fe.Add("enlarge_by", "Số rút thêm phải là số nguyên.", "the number drawn more is a whole number")
	}
	r.ByLevel, r.ByArea = c.FormValue("by_level") == "on", c.FormValue("by_area") == "on"
	if len(fe) > 0 {
		return s.renderSample(c, http.StatusUnprocessableEntity, r, fe.In(lang))
	}
	if _, err := s.survey.DrawSample(c.Request().Context(), actorOf(c), id, toSampleInput(r)); err != nil {
		var ferr errkind.FieldErrors
		if errors.As(err, &ferr) {
			return s.renderSample(c, http.StatusUnprocessableEntity, r, ferr.In(lang))
		}
		return err
	}
	setFlash(c, tr(lang, "sample.drawn"))
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d/sample", id))
}

func (s *Server) sampleApproveRestPage(c echo.Context) error {
	id, _ := idParam(c, "id")
	lang := langOf(c)
	office := false
	if cp, err := s.survey.Campaign(c.Request().Context(), actorOf(c), id); err == nil {
		if office, err = s.officeCampaign(c.Request().Context(), cp); err != nil {
			return err
		}
	}
	if c.FormValue("confirm") != "yes" {
		setFlash(c, tr(lang, unitKey("sample.approve_need", office)))
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d/sample", id))
	}
	results, err := s.survey.ApproveUnsampled(c.Request().Context(), actorOf(c), id, lang)
	if err != nil {
		return err
	}
	ok, failed := 0, []string{}
	for _, r := range results {
		if r.OK {
			ok++
		} else {
			failed = append(failed, fmt.Sprintf("#%d: %s", r.ID, r.Error))
		}
	}
	msg := fmt.Sprintf(tr(lang, unitKey("sample.approved_rest", office)), ok)
	if len(failed) > 0 {
		msg += " " + strings.Join(failed, " · ")
	}
	setFlash(c, msg)
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d/sample", id))
}

func (s *Server) apiSample(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	m, err := s.survey.SampleOf(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

func (s *Server) apiSampleDraw(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var req sampleRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	m, err := s.survey.DrawSample(c.Request().Context(), actorOf(c), id, toSampleInput(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, m)
}

func (s *Server) apiSampleApproveRest(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.survey.ApproveUnsampled(c.Request().Context(), actorOf(c), id, langOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}
