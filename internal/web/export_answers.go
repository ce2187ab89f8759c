package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/sheet"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// The evaluator's export of a campaign from the web (issue 15): what
// `dxindex export` writes (dashboard.ExportCampaign: one row per assessment,
// one per answer with the evaluator's value and reason), limited to the
// evaluator's own unit, with every piece of evidence listed: links as
// they were given, files as the address that downloads them.
func (s *Server) exportAnswersRoutes() {
	evaluators := Roles(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune).InScope("campaign", campaignParamScope)
	s.route(http.MethodGet, "/campaigns/:id/export.xlsx", evaluators, s.exportAnswersXLSX)
	s.route(http.MethodGet, "/campaigns/:id/export.csv", evaluators, s.exportAnswersCSV)
}

// exportAnswers reads the campaign within the caller's unit and adds the
// evidence column to the answers.
func (s *Server) exportAnswers(c echo.Context) (*dashview.Export, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	a := actorOf(c)
	ctx := c.Request().Context()
	ex, err := s.cfg.Services.Exports.Campaign(ctx, id, a.UnitCode)
	if err != nil {
		return nil, err
	}
	base := c.Scheme() + "://" + c.Request().Host
	evidence, err := s.survey.CampaignEvidence(ctx, id, a.UnitCode)
	if err != nil {
		return nil, err
	}
	links := map[[2]string][]string{}
	for _, e := range evidence {
		url := e.URL
		if e.Kind == "file" {
			url = fmt.Sprintf("%s/api/v1/assessments/%d/evidence/%d", base, e.AssessmentID, e.ID)
			if e.Filename != "" {
				url = e.Filename + " <" + url + ">"
			}
		}
		k := [2]string{e.UnitCode, e.Indicator}
		links[k] = append(links[k], url)
	}
	for i, r := range ex.Answers {
		if i == 0 {
			ex.Answers[i] = append(r, "evidence_links")
			continue
		}
		ex.Answers[i] = append(r, strings.Join(links[[2]string{r[0], r[2]}], "\n"))
	}
	return ex, nil
}

func (s *Server) exportAnswersXLSX(c echo.Context) error {
	ex, err := s.exportAnswers(c)
	if err != nil {
		return err
	}
	b, err := ex.XLSX()
	if err != nil {
		return err
	}
	id, _ := idParam(c, "id")
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tra-loi-%d.xlsx"`, id))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// exportAnswersCSV: ?table=answers (the default) or results; spelled for
// people (BOM), or for Vietnamese Excel with ?format=csv-vi.
func (s *Server) exportAnswersCSV(c echo.Context) error {
	table := c.QueryParam("table")
	if table != "" && table != "answers" && table != "results" {
		return errkind.New(errkind.NotFound, "Không có bảng này.", "no such table")
	}
	ex, err := s.exportAnswers(c)
	if err != nil {
		return err
	}
	rows, name := ex.Answers, "tra-loi"
	numeric := map[int]bool{6: true}
	if table == "results" {
		rows, name = ex.Results, "ket-qua"
		numeric = map[int]bool{}
		for i := 8; len(rows) > 0 && i < len(rows[0]); i++ {
			numeric[i] = true
		}
	}
	var b strings.Builder
	if err := sheet.WriteCSVDialect(&b, sheet.FromStrings(name, rows, numeric), csvDialect(c)); err != nil {
		return err
	}
	id, _ := idParam(c, "id")
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%d.csv"`, name, id))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", []byte(b.String()))
}
