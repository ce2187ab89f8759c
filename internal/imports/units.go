package imports

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/survey/model"
)

// Columns of a units file.
var (
	UnitColumns         = []string{"code", "name", "kind", "parent_code", "school_levels", "students", "teachers", "staff"}
	unitRequiredColumns = []string{"code", "name", "kind"}
)

var (
	unitCodePattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,40}$`)
	thousands       = regexp.MustCompile(`^\d{1,3}([.,]\d{3})+$`)
)

// unitLevels are the school levels a unit may have (as package survey
// accepts them), with the words people write in a spreadsheet.
var levelAliases = map[string]string{
	"preschool": "preschool", "mầm non": "preschool", "mn": "preschool",
	"primary": "primary", "tiểu học": "primary", "th": "primary",
	"lower_secondary": "lower_secondary", "thcs": "lower_secondary",
	"upper_secondary": "upper_secondary", "thpt": "upper_secondary",
	"multi_level": "multi_level", "continuing": "continuing", "gdtx": "continuing", "gdnn-gdtx": "continuing",
}

var kindAliases = map[string]string{"tỉnh": "province", "thành phố": "province", "huyện": "district", "quận": "district",
	"xã": "commune", "phường": "commune", "trường": "school", "bộ": "ministry"}

func init() {
	for _, l := range indicators.SchoolLevels {
		levelAliases[l] = l
	}
}

// parseCount reads a headcount: an integer, possibly with thousands
// separators ("47.000", "47,000").
func parseCount(s string) (*int, bool) {
	if s == "" {
		return nil, true
	}
	s = strings.ReplaceAll(s, " ", "")
	if thousands.MatchString(s) {
		s = strings.NewReplacer(".", "", ",", "").Replace(s)
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1_000_000 {
		return nil, false
	}
	return &n, true
}

func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	return f, err == nil
}

// UnitImporter is the part of the survey service (*survey.Service) that
// writes imported units: this package only reads files.
type UnitImporter interface {
	ImportUnits(ctx context.Context, a *model.Actor, rows []model.UnitRow, read []model.RowError) (*model.ImportReport, error)
}

// ImportUnits reads every row of a units table and hands the rows to
// svc.ImportUnits, which checks them against the data, authorizes a and
// creates or updates (by code) every unit in one transaction. Bad rows,
// in the file or against the data: *InvalidFile, nothing written.
func ImportUnits(ctx context.Context, svc UnitImporter, a *model.Actor, t *Table) (*model.ImportReport, error) {
	rows, errs := ReadUnits(t)
	return svc.ImportUnits(ctx, a, rows, errs)
}

// ReadUnits turns a units table into rows, with what is wrong with the
// file itself (a header problem: no rows at all).
func ReadUnits(t *Table) ([]model.UnitRow, []model.RowError) {
	if errs := checkHeader(t, unitRequiredColumns, UnitColumns); len(errs) > 0 {
		return nil, errs
	}
	var errs []model.RowError
	bad := func(row int, col, vi, en string) {
		errs = append(errs, model.RowError{Row: row, Column: col, VI: vi, EN: en})
	}
	ins := []model.UnitRow{}
	seen := map[string]int{}
	for _, r := range t.Rows {
		u := model.UnitRow{Row: r.Num, Code: t.Get(r, "code"), Name: strings.Join(strings.Fields(t.Get(r, "name")), " "),
			Kind: strings.ToLower(t.Get(r, "kind")), Parent: t.Get(r, "parent_code")}
		if k, ok := kindAliases[u.Kind]; ok {
			u.Kind = k
		}
		switch {
		case !unitCodePattern.MatchString(u.Code):
			bad(r.Num, "code", "Mã gồm 1–40 chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.",
				"a code is 1–40 letters without diacritics, digits, dots, dashes or underscores")
		case seen[u.Code] != 0:
			bad(r.Num, "code", fmt.Sprintf("Mã %s trùng với dòng %d.", u.Code, seen[u.Code]), fmt.Sprintf("code %s repeats row %d", u.Code, seen[u.Code]))
		default:
			seen[u.Code] = r.Num
		}
		if u.Name == "" {
			bad(r.Num, "name", "Cần nhập tên đơn vị.", "the name is required")
		} else if len([]rune(u.Name)) > 200 {
			bad(r.Num, "name", "Tên dài quá 200 ký tự.", "the name is longer than 200 characters")
		}
		if u.Parent == "" && (u.Kind == "school" || u.Kind == "district" || u.Kind == "commune") {
			bad(r.Num, "parent_code", "Đơn vị này cần đơn vị cấp trên.", "this kind of unit needs a parent")
		}
		if u.Parent != "" && u.Parent == u.Code {
			bad(r.Num, "parent_code", "Đơn vị không thể là cấp trên của chính nó.", "a unit cannot be its own parent")
		}
		for _, l := range strings.FieldsFunc(strings.ToLower(t.Get(r, "school_levels")), func(c rune) bool { return c == ',' || c == ';' || c == '|' }) {
			l = strings.TrimSpace(l)
			code, ok := levelAliases[l]
			if !ok {
				bad(r.Num, "school_levels", "Cấp học không hợp lệ: "+l+".", "unknown school level: "+l)
				continue
			}
			if !slices.Contains(u.Levels, code) {
				u.Levels = append(u.Levels, code)
			}
		}
		for _, c := range []struct {
			col string
			dst **int
		}{{"students", &u.Students}, {"teachers", &u.Teachers}, {"staff", &u.Staff}} {
			v, ok := parseCount(t.Get(r, c.col))
			if !ok {
				bad(r.Num, c.col, "Số lượng là số nguyên từ 0 đến 1.000.000.", "a headcount is a whole number from 0 to 1,000,000")
			}
			*c.dst = v
		}
		ins = append(ins, u)
	}
	return ins, errs
}
