package seed

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"sort"
	"sync"
)

// The pre-July-2025 administrative units (GSO codes) from the open data set
// "vietnamese-provinces-database" by Thang Le Quoc, MIT licence
// (data/LICENSE-data). The demo's campaigns (2022–2025) predate the 2025
// reorganisation, so they stand on this tree.
//
//go:embed data/pre2025_provinces.csv data/pre2025_districts.csv data/pre2025_communes.csv
var dataFS embed.FS

// Province is a pre-2025 province or centrally-run city.
type Province struct {
	Code, Name, FullName string
	Districts            []*District
}

// District is a pre-2025 district (quận, huyện, thị xã, thành phố thuộc tỉnh).
type District struct {
	Code, Name, FullName, ProvinceCode string
	Communes                           []Commune
}

// Commune is a commune, ward or township.
type Commune struct {
	Code, Name, FullName string
}

type adminTree struct {
	provinces []*Province
	byCode    map[string]*Province
}

var (
	treeOnce sync.Once
	tree     *adminTree
	treeErr  error
)

// Provinces returns the 63 pre-2025 provinces with their districts and
// communes, ordered by code.
func Provinces() ([]*Province, error) {
	treeOnce.Do(func() { tree, treeErr = loadTree() })
	if treeErr != nil {
		return nil, treeErr
	}
	return tree.provinces, nil
}

func provinceByCode(code string) (*Province, error) {
	if _, err := Provinces(); err != nil {
		return nil, err
	}
	p, ok := tree.byCode[code]
	if !ok {
		return nil, fmt.Errorf("seed: no province %s", code)
	}
	return p, nil
}

func readCSV(name string) ([][]string, error) {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("seed: %s: %w", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("seed: %s is empty", name)
	}
	return recs[1:], nil
}

func loadTree() (*adminTree, error) {
	t := &adminTree{byCode: map[string]*Province{}}
	provs, err := readCSV("pre2025_provinces.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range provs {
		p := &Province{Code: r[0], Name: r[1], FullName: r[2]}
		t.provinces = append(t.provinces, p)
		t.byCode[p.Code] = p
	}
	dists, err := readCSV("pre2025_districts.csv")
	if err != nil {
		return nil, err
	}
	byDistrict := map[string]*District{}
	for _, r := range dists {
		d := &District{Code: r[0], ProvinceCode: r[1], Name: r[2], FullName: r[3]}
		p, ok := t.byCode[d.ProvinceCode]
		if !ok {
			return nil, fmt.Errorf("seed: district %s: no province %s", d.Code, d.ProvinceCode)
		}
		p.Districts = append(p.Districts, d)
		byDistrict[d.Code] = d
	}
	comms, err := readCSV("pre2025_communes.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range comms {
		d, ok := byDistrict[r[1]]
		if !ok {
			return nil, fmt.Errorf("seed: commune %s: no district %s", r[0], r[1])
		}
		d.Communes = append(d.Communes, Commune{Code: r[0], Name: r[3], FullName: r[4]})
	}
	sort.Slice(t.provinces, func(i, j int) bool { return t.provinces[i].Code < t.provinces[j].Code })
	for _, p := range t.provinces {
		sort.Slice(p.Districts, func(i, j int) bool { return p.Districts[i].Code < p.Districts[j].Code })
		for _, d := range p.Districts {
			sort.Slice(d.Communes, func(i, j int) bool { return d.Communes[i].Code < d.Communes[j].Code })
		}
	}
	return t, nil
}
