package web

import (
	"errors"
	"net/http"
	"path"
	"slices"
	"strings"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/imports"
	"github.com/dxindex/dxindex/internal/setstore/setview"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// setRoutes: the admin's page of indicator-set files (issue 13): upload a
// set file (YAML, JSON or an XLSX workbook), read its line-level
// validation messages, store it as a new immutable version and see what
// changed against the previous version of the same code.
func (s *Server) setRoutes() {
	admin := Roles(model.RoleAdmin)
	s.route(http.MethodGet, "/admin/sets", admin, s.setsPage)
	s.route(http.MethodPost, "/admin/sets", admin.Uploads(importUploadLimit), s.setsUpload)
}

type setsPage struct {
	page
	Versions []*setview.Stored
	Filename string
	Problem  string
	// Problems are the file's validation messages, by line.
	Problems []setProblem
	Load     *model.SetLoad
	Taken    bool // the version is stored with other content
}

// setProblem is one validation message: a line of a YAML or JSON file, or
// a sheet and column of a workbook (Row is then the spreadsheet row).
type setProblem struct {
	Line          int
	Where, Reason string
}

func (s *Server) setsPage(c echo.Context) error {
	return s.renderSets(c, setsPage{page: s.page(c)}, http.StatusOK)
}

func (s *Server) renderSets(c echo.Context, p setsPage, status int) error {
	var err error
	if p.Versions, err = s.survey.SetVersions(c.Request().Context(), actorOf(c)); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Render(status, "admin_sets.html", p)
}

func (s *Server) setsUpload(c echo.Context) error {
	p := setsPage{page: s.page(c)}
	if err := importActor(c); err != nil {
		return err
	}
	name, data, err := readImportFile(c)
	p.Filename = path.Base(name)
	if err != nil {
		p.Problem = errText(p.Lang, err)
		return s.renderSets(c, p, http.StatusUnprocessableEntity)
	}
	set, err := parseSetFile(name, data)
	if err != nil {
		var probs indicators.Problems
		var inv *model.InvalidFile
		switch {
		case errors.As(err, &probs):
			for _, pr := range probs {
				p.Problems = append(p.Problems, setProblem{Line: pr.Line, Where: pr.Path, Reason: pr.Message})
			}
		case errors.As(err, &inv):
			for _, re := range inv.Errors {
				reason := re.VI
				if p.Lang == langEN {
					reason = re.EN
				}
				p.Problems = append(p.Problems, setProblem{Line: re.Row, Where: re.Column, Reason: reason})
			}
		default:
			p.Problem = errText(p.Lang, err)
		}
		return s.renderSets(c, p, http.StatusUnprocessableEntity)
	}
	p.Load, err = s.survey.LoadSet(c.Request().Context(), actorOf(c), set)
	var taken *model.SetVersionTaken
	switch {
	case errors.As(err, &taken):
		p.Taken, p.Problem = true, errText(p.Lang, err)
		return s.renderSets(c, p, http.StatusConflict)
	case err != nil:
		return err
	}
	return s.renderSets(c, p, http.StatusOK)
}

// parseSetFile reads a set file by its name's extension: a workbook
// (.xlsx), else YAML or JSON.
func parseSetFile(name string, data []byte) (*indicators.Set, error) {
	switch strings.ToLower(path.Ext(name)) {
	case ".xlsx":
		_, set, err := imports.SetFromXLSX(data)
		return set, err
	case ".yaml", ".yml", ".json":
		return indicators.Parse(path.Base(name), data)
	}
	return nil, errkind.New(errkind.Invalid, "Tệp bộ chỉ số phải là .yaml, .yml, .json hoặc .xlsx.", "a set file is .yaml, .yml, .json or .xlsx")
}

// errText is an error's text in the reader's language.
func errText(lang string, err error) string {
	var ke *errkind.Error
	if errors.As(err, &ke) {
		return ke.Msg.In(lang)
	}
	var fe errkind.FieldErrors
	if errors.As(err, &fe) {
		var parts []string
		for _, m := range fe.In(lang) {
			parts = append(parts, m)
		}
		slices.Sort(parts)
		return strings.Join(parts, " ")
	}
	return err.Error()
}
