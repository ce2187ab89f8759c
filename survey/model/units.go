package model

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"golang.org/x/text/unicode/norm"
)

// Unit is a node of the administrative tree: a province, a district, a
// school, or another kind (kinds are data, in unit_kinds).
type Unit struct {
	ID           int64     `json:"id"`
	Code         string    `json:"code"`
	Name         string    `json:"name"`
	Kind         string    `json:"kind"`
	ParentID     *int64    `json:"parent_id,omitempty"`
	ParentCode   string    `json:"parent_code,omitempty"`
	Path         []int64   `json:"-"`
	SchoolLevels []string  `json:"school_levels,omitempty"`
	Students     *int      `json:"students,omitempty"`
	Teachers     *int      `json:"teachers,omitempty"`
	Staff        *int      `json:"staff,omitempty"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// UnitInput is what a person writes to create or edit a unit.
type UnitInput struct {
	Code         string
	Name         string
	Kind         string
	ParentCode   string
	SchoolLevels []string
	Students     *int
	Teachers     *int
	Staff        *int
}

var unitCode = regexp.MustCompile(`^[A-Za-z0-9._-]{1,40}$`)

// Validate checks the input's own rules; kinds and parents are checked
// against the database by the caller.
func (in *UnitInput) Validate() errkind.FieldErrors {
	fe := errkind.FieldErrors{}
	in.Code = strings.TrimSpace(in.Code)
	in.Name = norm.NFC.String(strings.Join(strings.Fields(in.Name), " "))
	in.ParentCode = strings.TrimSpace(in.ParentCode)
	if !unitCode.MatchString(in.Code) {
		fe.Add("code", "Mã gồm 1–40 chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.",
			"a code is 1–40 letters without diacritics, digits, dots, dashes or underscores")
	}
	if in.Name == "" {
		fe.Add("name", "Cần nhập tên đơn vị.", "the name is required")
	} else if len([]rune(in.Name)) > 200 {
		fe.Add("name", "Tên dài quá 200 ký tự.", "the name is longer than 200 characters")
	}
	for _, l := range in.SchoolLevels {
		if !slices.Contains(SchoolLevelsAll, l) {
			fe.Add("school_levels", "Cấp học không hợp lệ: "+l, "unknown school level: "+l)
		}
	}
	if in.Kind != "school" && len(in.SchoolLevels) > 0 {
		fe.Add("school_levels", "Chỉ trường học mới có cấp học.", "only schools have school levels")
	}
	for field, v := range map[string]*int{"students": in.Students, "teachers": in.Teachers, "staff": in.Staff} {
		if v != nil && (*v < 0 || *v > 1_000_000) {
			fe.Add(field, "Số lượng phải từ 0 đến 1.000.000.", "a headcount is from 0 to 1,000,000")
		}
	}
	return fe
}

// SchoolLevelsAll is every school level a unit may have: the indicator
// vocabulary plus preschool, which 4725 does not assess but which the tree
// still holds.
var SchoolLevelsAll = append([]string{"preschool"}, indicators.SchoolLevels...)

// UnitFilter narrows ListUnits.
type UnitFilter struct {
	ParentCode string // direct children of this unit
	Kind       string
	Query      string // in code or name
	Limit      int
	Offset     int // rows skipped, for pages
}
