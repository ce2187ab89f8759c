package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// school is a synthetic school placed on a real commune.
type school struct {
	Code         string
	Name         string
	DistrictCode string
	CommuneCode  string
	Levels       []string
	Students     int
	Teachers     int
	Staff        int
}

// kinds of school, with the usual size of each in Vietnam (students per
// school) and its staff ratio (students per member of staff).
type schoolKind struct {
	prefix   string
	levels   []string
	students float64
	perStaff float64
}

var (
	kindMN   = schoolKind{"Trường Mầm non", []string{"preschool"}, 260, 13}
	kindTH   = schoolKind{"Trường Tiểu học", []string{"primary"}, 560, 24}
	kindTHCS = schoolKind{"Trường THCS", []string{"lower_secondary"}, 470, 22}
	kindLC   = schoolKind{"Trường TH&THCS", []string{"primary", "lower_secondary"}, 520, 22}
	kindTHPT = schoolKind{"Trường THPT", []string{"upper_secondary"}, 1150, 20}
	kindGDTX = schoolKind{"Trung tâm GDNN-GDTX", []string{"continuing"}, 380, 18}
)

// districtSchools builds n schools for a district in the level mix of
// Vietnamese districts: a kindergarten per commune, a primary and a lower
// secondary school per commune (or one inter-level school where the
// commune is small), an upper secondary school per seven or eight
// communes, named after a place, and one vocational and continuing
// education centre. students and staff are the district's totals (0: from
// the usual school sizes).
//
// Without preschool, the district's schools are the ones Decision 4725
// assesses (general and continuing education) and no kindergarten is made.
func districtSchools(r *rand.Rand, d *District, n, students, staff int, preschool bool) []school {
	comms := d.Communes
	if len(comms) == 0 {
		comms = []Commune{{Code: d.Code, Name: d.Name}}
	}
	c := len(comms)
	var out []school
	add := func(k schoolKind, place string, commune string) {
		out = append(out, school{Name: k.prefix + " " + place, DistrictCode: d.Code, CommuneCode: commune, Levels: k.levels})
	}
	if n <= 0 {
		return nil
	}
	thpt := max(1, int(math.Round(float64(c)/7.5)))
	base := thpt + 1
	if preschool {
		base += c
	}
	rest := n - base // primary and lower secondary places
	separate := min(max(rest-c, 0), c)
	for i, cm := range comms {
		if preschool {
			add(kindMN, cm.Name, cm.Code)
		}
		switch {
		case i < separate:
			add(kindTH, cm.Name, cm.Code)
			add(kindTHCS, cm.Name, cm.Code)
		case i < rest:
			add(kindLC, cm.Name, cm.Code)
		}
	}
	// Upper secondary schools: the first is named after the district, the
	// others after communes spread over it.
	for i := 0; i < thpt; i++ {
		place, code := d.Name, comms[0].Code
		if i > 0 {
			cm := comms[(i*c)/thpt]
			place, code = cm.Name, cm.Code
		}
		add(kindTHPT, place, code)
	}
	add(kindGDTX, d.Name, comms[0].Code)
	// Fit n exactly: drop kindergartens from the end, or add second
	// primary schools ("số 2") in the largest communes.
	for len(out) > n {
		out = removeLast(out, "preschool")
	}
	for i := 0; len(out) < n; i++ {
		// Communes merged in 2019–2020 kept both primary schools.
		cm := comms[i%c]
		suffix := fmt.Sprintf(" số %d", 2+i/c)
		add(kindTH, cm.Name+suffix, cm.Code)
	}
	sizeSchools(r, out, students, staff)
	for i := range out {
		out[i].Code = fmt.Sprintf("%s%03d", d.Code, i+1)
	}
	return out
}

func removeLast(s []school, level string) []school {
	for i := len(s) - 1; i >= 0; i-- {
		if len(s[i].Levels) == 1 && s[i].Levels[0] == level {
			return append(s[:i], s[i+1:]...)
		}
	}
	return s[:len(s)-1]
}

func kindOf(levels []string) schoolKind {
	switch {
	case len(levels) > 1:
		return kindLC
	case levels[0] == "preschool":
		return kindMN
	case levels[0] == "primary":
		return kindTH
	case levels[0] == "lower_secondary":
		return kindTHCS
	case levels[0] == "upper_secondary":
		return kindTHPT
	}
	return kindGDTX
}

// sizeSchools gives each school students, teachers and staff around its
// kind's usual size, then scales them to the district's totals when given.
func sizeSchools(r *rand.Rand, ss []school, students, staff int) {
	var sumS, sumF float64
	raw := make([][2]float64, len(ss))
	for i := range ss {
		k := kindOf(ss[i].Levels)
		s := k.students * (0.6 + 0.8*r.Float64())
		f := s / k.perStaff * (0.85 + 0.3*r.Float64())
		raw[i] = [2]float64{s, f}
		sumS += s
		sumF += f
	}
	scaleS, scaleF := 1.0, 1.0
	if students > 0 {
		scaleS = float64(students) / sumS
	}
	if staff > 0 {
		scaleF = float64(staff) / sumF
	}
	for i := range ss {
		ss[i].Students = max(20, int(math.Round(raw[i][0]*scaleS)))
		ss[i].Staff = max(5, int(math.Round(raw[i][1]*scaleF)))
		ss[i].Teachers = max(3, int(math.Round(float64(ss[i].Staff)*0.82)))
	}
}
