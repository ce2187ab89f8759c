package model

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/dxindex/dxindex/internal/errkind"
	"golang.org/x/text/unicode/norm"
)

// NewProvince and NewCommune are units of the tree a reorganisation
// brings into force (GSO codes; names as the law writes them).
type NewProvince struct{ Code, Name string }

// NewCommune is a commune or ward of the new tree, under its province.
type NewCommune struct{ Code, ProvinceCode, Name string }

// CrosswalkRow says which new commune took over an old one. OldCode is
// empty for communes already merged before the old tree was drawn: those
// rows match by (old district name, old commune name) only.
type CrosswalkRow struct {
	OldCode, OldName, OldDistrict, OldProvince string
	NewCode, NewName, NewProvince              string
}

// Crosswalk is everything a reorganisation needs: the new tree and the
// old-to-new rows.
type Crosswalk struct {
	Provinces []NewProvince
	Communes  []NewCommune
	Rows      []CrosswalkRow
}

// ReorgUnit is a unit a reorganisation creates, keeps, renames or retires.
type ReorgUnit struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	ParentCode string `json:"parent_code,omitempty"`
	// OldName is set when a kept unit is renamed to the new tree's name.
	OldName string `json:"old_name,omitempty"`
}

// ReorgMove is a unit the reorganisation moves.
type ReorgMove struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	From     string `json:"from"`
	To       string `json:"to"`
	ToName   string `json:"to_name"`
	Province string `json:"province"`
}

// ReorgIssue is a unit the reorganisation leaves where it is, and why.
type ReorgIssue struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
	// Candidates: the new communes a split old commune went to, for a
	// person to choose from.
	Candidates []string `json:"candidates,omitempty"`
}

// ReorgReport says what a reorganisation does (dry run) or did.
type ReorgReport struct {
	Effective Date         `json:"effective"`
	DryRun    bool         `json:"dry_run"`
	New       []ReorgUnit  `json:"new"`
	Kept      []ReorgUnit  `json:"kept"`
	Moves     []ReorgMove  `json:"moves"`
	Retired   []ReorgUnit  `json:"retired"`
	Unmatched []ReorgIssue `json:"unmatched"`
	// ToDecide: schools whose old commune the crosswalk splits over several
	// new communes; a person chooses (a move with a reason), then a
	// second run finishes.
	ToDecide []ReorgIssue `json:"to_decide"`
	// InPlace counts the schools already under their new commune.
	InPlace int `json:"in_place"`
	// NameOnlyRows counts crosswalk rows without an old code; NameOnlyUsed
	// those that matched a commune of this database by district and name.
	NameOnlyRows int `json:"name_only_rows"`
	NameOnlyUsed int `json:"name_only_used"`
}

// Changes reports whether the reorganisation changes anything.
func (r *ReorgReport) Changes() bool {
	return len(r.New)+len(r.Moves)+len(r.Retired)+r.renamed() > 0
}

func (r *ReorgReport) renamed() int {
	n := 0
	for _, k := range r.Kept {
		if k.OldName != "" {
			n++
		}
	}
	return n
}

// readCSV reads a CSV with a header, checking the columns it needs.
func readCSV(r io.Reader, what string, need ...string) ([]map[string]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, errkind.New(errkind.Invalid, "Tệp "+what+" không đọc được: "+err.Error(), what+": "+err.Error())
	}
	if len(recs) == 0 {
		return nil, errkind.New(errkind.Invalid, "Tệp "+what+" trống.", what+" is empty")
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	for _, n := range need {
		if _, ok := col[n]; !ok {
			return nil, errkind.New(errkind.Invalid, "Tệp "+what+" thiếu cột "+n+".", what+" lacks the column "+n)
		}
	}
	out := make([]map[string]string, 0, len(recs)-1)
	for li, rec := range recs[1:] {
		m := map[string]string{}
		for n, i := range col {
			if i < len(rec) {
				m[n] = norm.NFC.String(strings.TrimSpace(rec[i]))
			}
		}
		for _, n := range need {
			if strings.HasSuffix(n, "_code") && n != "old_commune_code" && m[n] == "" {
				return nil, errkind.New(errkind.Invalid, fmt.Sprintf("Tệp %s, dòng %d: thiếu %s.", what, li+2, n),
					fmt.Sprintf("%s, line %d: %s is empty", what, li+2, n))
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// ParseCrosswalk reads crosswalk rows (old_commune_code, old_commune_name,
// old_district_name, old_province_name, new_commune_code, new_commune_name,
// new_province_name).
func ParseCrosswalk(r io.Reader) ([]CrosswalkRow, error) {
	recs, err := readCSV(r, "crosswalk", "old_commune_code", "old_commune_name", "old_district_name", "new_commune_code")
	if err != nil {
		return nil, err
	}
	out := make([]CrosswalkRow, 0, len(recs))
	for _, m := range recs {
		out = append(out, CrosswalkRow{OldCode: m["old_commune_code"], OldName: m["old_commune_name"], OldDistrict: m["old_district_name"],
			OldProvince: m["old_province_name"], NewCode: m["new_commune_code"], NewName: m["new_commune_name"], NewProvince: m["new_province_name"]})
	}
	return out, nil
}

// ParseNewTree reads the new tree's provinces (province_code, full_name)
// and communes (commune_code, province_code, full_name).
func ParseNewTree(provinces, communes io.Reader) ([]NewProvince, []NewCommune, error) {
	ps, err := readCSV(provinces, "provinces", "province_code", "full_name")
	if err != nil {
		return nil, nil, err
	}
	cs, err := readCSV(communes, "communes", "commune_code", "province_code", "full_name")
	if err != nil {
		return nil, nil, err
	}
	var np []NewProvince
	for _, m := range ps {
		np = append(np, NewProvince{Code: m["province_code"], Name: m["full_name"]})
	}
	var nc []NewCommune
	for _, m := range cs {
		nc = append(nc, NewCommune{Code: m["commune_code"], ProvinceCode: m["province_code"], Name: m["full_name"]})
	}
	return np, nc, nil
}
