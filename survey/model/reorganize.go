package model

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
