package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/imports"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// importRoutes are the admin pages that load units, users and indicator
// sets from spreadsheets, and hand out the templates.
func (s *Server) importRoutes() {
	const GET, POST = http.MethodGet, http.MethodPost
	admin := Roles(model.RoleAdmin)
	s.route(GET, "/admin/import", admin, s.importPage)
	s.route(POST, "/admin/import/units", admin.Uploads(importUploadLimit), s.importUnits)
	s.route(POST, "/admin/import/users", admin.Uploads(importUploadLimit), s.importUsers)
	s.route(POST, "/admin/import/indicators", admin.Uploads(importUploadLimit), s.importIndicators)
	s.route(GET, "/admin/import/templates/:file", admin, s.importTemplate)
}

// importPage is the import page, with the outcome of the last upload.
type importPage struct {
	page
	Kind        string // units | users | indicators: the form the outcome belongs to
	Filename    string
	RowErrors   []model.RowError
	BadRows     int
	Report      *model.ImportReport
	Rows        int
	Credentials []model.Credential
	Set         *indicators.Set
	SetOutcome  string
	SetFile     string
	Problem     string
}

func (s *Server) importPage(c echo.Context) error {
	return c.Render(http.StatusOK, "import.html", importPage{page: s.page(c)})
}

// importActor: imports write anywhere in the tree, so only an admin of
// the whole system (no unit) may run them.
func importActor(c echo.Context) error {
	return model.MayImport(actorOf(c))
}

// readImportFile reads the uploaded file (multipart field "file"),
// refusing one past imports.MaxFileSize rather than importing the part
// that fitted.
func readImportFile(c echo.Context) (string, []byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return "", nil, errkind.New(errkind.Invalid, "Hãy chọn một tệp .xlsx hoặc .csv.", "choose an .xlsx or .csv file")
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	b, err := imports.ReadFile(f)
	return fh.Filename, b, err
}

// renderImport shows the outcome: 422 with every bad row, or 200.
func (s *Server) renderImport(c echo.Context, p importPage, err error) error {
	var inv *model.InvalidFile
	switch {
	case err == nil:
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.Render(http.StatusOK, "import.html", p)
	case errors.As(err, &inv):
		p.RowErrors, p.BadRows = inv.Errors, len(inv.BadRows())
	case errors.Is(err, errkind.Invalid):
		p.Problem = strings.TrimPrefix(err.Error(), "imports: ")
		var ke *errkind.Error
		if errors.As(err, &ke) {
			p.Problem = ke.Msg.In(p.Lang)
		}
	default:
		// Not a problem of the file (the database, a refusal): the one
		// error handler answers.
		return err
	}
	return c.Render(http.StatusUnprocessableEntity, "import.html", p)
}

func (s *Server) importTable(c echo.Context, kind string) (importPage, *imports.Table, error) {
	p := importPage{page: s.page(c), Kind: kind}
	if err := importActor(c); err != nil {
		return p, nil, err
	}
	name, data, err := readImportFile(c)
	if err != nil {
		return p, nil, err
	}
	p.Filename = name
	t, err := imports.ReadTable(name, bytes.NewReader(data))
	if err != nil {
		return p, nil, err
	}
	p.Rows = len(t.Rows)
	return p, t, nil
}

func (s *Server) importUnits(c echo.Context) error {
	p, t, err := s.importTable(c, "units")
	if errors.Is(err, errkind.Forbidden) {
		return err
	}
	if err == nil {
		p.Report, err = imports.ImportUnits(c.Request().Context(), s.survey, actorOf(c), t)
	}
	return s.renderImport(c, p, err)
}

func (s *Server) importUsers(c echo.Context) error {
	p, t, err := s.importTable(c, "users")
	if errors.Is(err, errkind.Forbidden) {
		return err
	}
	if err == nil {
		p.Report, p.Credentials, err = imports.ImportUsers(c.Request().Context(), s.survey, actorOf(c), t)
	}
	return s.renderImport(c, p, err)
}

// importIndicators turns a workbook into a set file, validates it as any
// set, and stores it (a version a campaign uses cannot change).
func (s *Server) importIndicators(c echo.Context) error {
	p := importPage{page: s.page(c), Kind: "indicators"}
	if err := importActor(c); err != nil {
		return err
	}
	name, data, err := readImportFile(c)
	if err != nil {
		return s.renderImport(c, p, err)
	}
	p.Filename = name
	if !strings.HasSuffix(strings.ToLower(name), ".xlsx") {
		return s.renderImport(c, p, errkind.New(errkind.Invalid, "Bộ chỉ số nhập từ tệp .xlsx (tải mẫu ở dưới).", "an indicator set is imported from an .xlsx workbook (download the template below)"))
	}
	yml, set, err := imports.SetFromXLSX(data)
	if err != nil {
		var inv *model.InvalidFile
		if errors.As(err, &inv) {
			return s.renderImport(c, p, err)
		}
		p.Problem = err.Error()
		p.SetFile = string(yml)
		return c.Render(http.StatusUnprocessableEntity, "import.html", p)
	}
	_, outcome, err := s.sets.Save(c.Request().Context(), set)
	if err != nil {
		if errors.Is(err, errkind.Conflict) {
			p.Problem = tr(p.Lang, "import.set_locked")
			return c.Render(http.StatusConflict, "import.html", p)
		}
		return err
	}
	p.Set, p.SetOutcome, p.SetFile = set, string(outcome), string(yml)
	return s.renderImport(c, p, nil)
}

// importTemplate hands out a template: units or users as .csv or .xlsx,
// the indicator-set workbook (moet-4725) as .xlsx.
func (s *Server) importTemplate(c echo.Context) error {
	kind, format, ok := strings.Cut(c.Param("file"), ".")
	if !ok {
		return echo.ErrNotFound
	}
	name, data, err := imports.Template(kind, format)
	if err != nil {
		return echo.ErrNotFound
	}
	ctype := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", name))
	return c.Blob(http.StatusOK, ctype, data)
}
