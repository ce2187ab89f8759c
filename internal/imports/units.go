package imports

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dxindex/dxindex/indicators"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Columns of a units file.
var (
	UnitColumns         = []string{"code", "name", "kind", "parent_code", "school_levels", "students", "teachers", "staff"}
	unitRequiredColumns = []string{"code", "name", "kind"}
)

// Report says what an import did.
type Report struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

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

type unitIn struct {
	row                       int
	code, name, kind, parent  string
	levels                    []string
	students, teachers, staff *int
}

type existingUnit struct {
	id         int64
	kind       string
	parentCode string
	path       []int64
}

// ImportUnits validates every row of a units table, then creates or
// updates (by code) every unit in one transaction. Parents may come from
// the database or from the same file, in any order. A unit's kind and
// parent do not change on re-import (moving a unit is a separate,
// audited action). Bad rows: *InvalidFile, nothing written.
func ImportUnits(ctx context.Context, pool *pgxpool.Pool, t *Table) (*Report, error) {
	if errs := checkHeader(t, unitRequiredColumns, UnitColumns); len(errs) > 0 {
		return nil, &InvalidFile{Errors: errs}
	}
	kinds := map[string]bool{}
	kindSort := map[string]int{}
	rows, err := pool.Query(ctx, `SELECT code, sort FROM unit_kinds`)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("imports: %w", err)
		}
		kinds[k], kindSort[k] = true, n
	}
	rows.Close()
	var errs []RowError
	bad := func(row int, col, vi, en string) {
		errs = append(errs, RowError{Row: row, Column: col, VI: vi, EN: en})
	}
	var ins []*unitIn
	seen := map[string]int{}
	var codes []string
	for _, r := range t.Rows {
		u := &unitIn{row: r.Num, code: t.Get(r, "code"), name: strings.Join(strings.Fields(t.Get(r, "name")), " "),
			kind: strings.ToLower(t.Get(r, "kind")), parent: t.Get(r, "parent_code")}
		if k, ok := kindAliases[u.kind]; ok {
			u.kind = k
		}
		switch {
		case !unitCodePattern.MatchString(u.code):
			bad(r.Num, "code", "Mã gồm 1–40 chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.",
				"a code is 1–40 letters without diacritics, digits, dots, dashes or underscores")
		case seen[u.code] != 0:
			bad(r.Num, "code", fmt.Sprintf("Mã %s trùng với dòng %d.", u.code, seen[u.code]), fmt.Sprintf("code %s repeats row %d", u.code, seen[u.code]))
		default:
			seen[u.code] = r.Num
		}
		if u.name == "" {
			bad(r.Num, "name", "Cần nhập tên đơn vị.", "the name is required")
		} else if len([]rune(u.name)) > 200 {
			bad(r.Num, "name", "Tên dài quá 200 ký tự.", "the name is longer than 200 characters")
		}
		if !kinds[u.kind] {
			bad(r.Num, "kind", "Loại đơn vị không hợp lệ: "+u.kind+".", "unknown kind of unit: "+u.kind)
		}
		if u.parent == "" && (u.kind == "school" || u.kind == "district" || u.kind == "commune") {
			bad(r.Num, "parent_code", "Đơn vị này cần đơn vị cấp trên.", "this kind of unit needs a parent")
		}
		if u.parent != "" && u.parent == u.code {
			bad(r.Num, "parent_code", "Đơn vị không thể là cấp trên của chính nó.", "a unit cannot be its own parent")
		}
		for _, l := range strings.FieldsFunc(strings.ToLower(t.Get(r, "school_levels")), func(c rune) bool { return c == ',' || c == ';' || c == '|' }) {
			l = strings.TrimSpace(l)
			code, ok := levelAliases[l]
			if !ok {
				bad(r.Num, "school_levels", "Cấp học không hợp lệ: "+l+".", "unknown school level: "+l)
				continue
			}
			if !slices.Contains(u.levels, code) {
				u.levels = append(u.levels, code)
			}
		}
		if len(u.levels) > 0 && u.kind != "school" && kinds[u.kind] {
			bad(r.Num, "school_levels", "Chỉ trường học mới có cấp học.", "only schools have school levels")
		}
		for _, c := range []struct {
			col string
			dst **int
		}{{"students", &u.students}, {"teachers", &u.teachers}, {"staff", &u.staff}} {
			v, ok := parseCount(t.Get(r, c.col))
			if !ok {
				bad(r.Num, c.col, "Số lượng là số nguyên từ 0 đến 1.000.000.", "a headcount is a whole number from 0 to 1,000,000")
			}
			*c.dst = v
		}
		ins = append(ins, u)
		codes = append(codes, u.code)
		if u.parent != "" {
			codes = append(codes, u.parent)
		}
	}
	// What the database already holds.
	existing := map[string]*existingUnit{}
	rows, err = pool.Query(ctx, `SELECT u.code, u.id, u.kind, coalesce(p.code, ''), u.path FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.code = ANY($1)`, codes)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	for rows.Next() {
		var code string
		var e existingUnit
		if err := rows.Scan(&code, &e.id, &e.kind, &e.parentCode, &e.path); err != nil {
			rows.Close()
			return nil, fmt.Errorf("imports: %w", err)
		}
		existing[code] = &e
	}
	rows.Close()
	inFile := map[string]*unitIn{}
	for _, u := range ins {
		if _, dup := inFile[u.code]; !dup {
			inFile[u.code] = u
		}
	}
	for _, u := range ins {
		if e, ok := existing[u.code]; ok {
			if e.kind != u.kind && kinds[u.kind] {
				bad(u.row, "kind", fmt.Sprintf("Đơn vị %s đã có với loại %s; không đổi loại khi nhập lại.", u.code, e.kind),
					fmt.Sprintf("unit %s exists as a %s; a re-import does not change the kind", u.code, e.kind))
			}
			if e.parentCode != u.parent {
				bad(u.row, "parent_code", fmt.Sprintf("Đơn vị %s đang thuộc %s; chuyển đơn vị bằng chức năng Chuyển đơn vị.", u.code, orNone(e.parentCode)),
					fmt.Sprintf("unit %s is under %s; move units with the move action, not by import", u.code, orNone(e.parentCode)))
			}
			continue
		}
		if u.parent == "" {
			continue
		}
		parentKind := ""
		if e := existing[u.parent]; e != nil {
			parentKind = e.kind
		} else if f := inFile[u.parent]; f != nil {
			parentKind = f.kind
		} else {
			bad(u.row, "parent_code", "Không có đơn vị cấp trên mã "+u.parent+" (trong hệ thống hay trong tệp).",
				"no parent unit with code "+u.parent+" (in dxindex or in the file)")
			continue
		}
		if kinds[u.kind] && kinds[parentKind] && kindSort[parentKind] >= kindSort[u.kind] {
			bad(u.row, "parent_code", fmt.Sprintf("Đơn vị loại %s không thể thuộc đơn vị %s (loại %s).", u.kind, u.parent, parentKind),
				fmt.Sprintf("a %s cannot be under %s, a %s", u.kind, u.parent, parentKind))
		}
	}
	// New units whose parents never resolve (a cycle inside the file).
	order, cyc := orderUnits(ins, existing)
	for _, u := range cyc {
		bad(u.row, "parent_code", "Các đơn vị cấp trên trong tệp tạo thành vòng lặp.", "the parents in the file form a cycle")
	}
	if len(errs) > 0 {
		sortErrors(errs)
		return nil, &InvalidFile{Errors: errs}
	}
	rep := &Report{}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for _, u := range order {
			if e, ok := existing[u.code]; ok {
				if _, err := tx.Exec(ctx, `UPDATE units SET name = $2, school_levels = $3, students = $4, teachers = $5, staff = $6, updated_at = now() WHERE id = $1`,
					e.id, u.name, nonNil(u.levels), u.students, u.teachers, u.staff); err != nil {
					return fmt.Errorf("row %d: %w", u.row, err)
				}
				rep.Updated++
				continue
			}
			var id int64
			var parentID *int64
			var parentPath []int64
			if u.parent != "" {
				var pid int64
				if err := tx.QueryRow(ctx, `SELECT id, path FROM units WHERE code = $1`, u.parent).Scan(&pid, &parentPath); err != nil {
					return fmt.Errorf("row %d: parent: %w", u.row, err)
				}
				parentID = &pid
			}
			if err := tx.QueryRow(ctx, `INSERT INTO units (code, name, kind, parent_id, path, school_levels, students, teachers, staff)
				VALUES ($1, $2, $3, $4, '{}', $5, $6, $7, $8) RETURNING id`, u.code, u.name, u.kind, parentID, nonNil(u.levels), u.students, u.teachers, u.staff).Scan(&id); err != nil {
				return fmt.Errorf("row %d: %w", u.row, err)
			}
			if _, err := tx.Exec(ctx, `UPDATE units SET path = $2 WHERE id = $1`, id, append(slices.Clone(parentPath), id)); err != nil {
				return fmt.Errorf("row %d: %w", u.row, err)
			}
			rep.Created++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("imports: units: %w", err)
	}
	return rep, nil
}

func orNone(s string) string {
	if s == "" {
		return "(không có / none)"
	}
	return s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// orderUnits puts every unit after its parent; it returns the new units
// whose parents never resolve.
func orderUnits(ins []*unitIn, existing map[string]*existingUnit) (order, unresolved []*unitIn) {
	placed := map[string]bool{}
	for code := range existing {
		placed[code] = true
	}
	pending := ins
	for len(pending) > 0 {
		var next []*unitIn
		for _, u := range pending {
			if u.parent == "" || placed[u.parent] || existing[u.code] != nil {
				order = append(order, u)
				placed[u.code] = true
			} else {
				next = append(next, u)
			}
		}
		if len(next) == len(pending) {
			// Only parents missing everywhere or cycles remain; missing
			// parents were reported already.
			for _, u := range next {
				if hasParentInFile(u, ins) {
					unresolved = append(unresolved, u)
				}
			}
			return order, unresolved
		}
		pending = next
	}
	return order, nil
}

func hasParentInFile(u *unitIn, ins []*unitIn) bool {
	for _, o := range ins {
		if o.code == u.parent {
			return true
		}
	}
	return false
}

func sortErrors(errs []RowError) {
	slices.SortStableFunc(errs, func(a, b RowError) int { return a.Row - b.Row })
}
