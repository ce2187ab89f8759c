// Package sampling draws the schools (and, optionally, the indicators per
// school) an education office verifies when it verifies a sample instead of
// every dossier (issue 17). It is pure: no I/O, no clock, no randomness of
// its own. The draw is a function of a printed seed and a published list, so
// anyone can redo it (testdata/redraw.py does, in 30 lines of Python).
//
// The algorithm:
//
//  1. Every eligible unit has a code and a stratum ("" when the draw is not
//     stratified; otherwise its school level and/or its district/commune code,
//     joined with "/").
//  2. Its key is the lower-case hex SHA-256 of seed + "|" + code (UTF-8).
//     Within a stratum the units are ordered by key, then by code.
//  3. How many are taken from a stratum of n units:
//     - a share p (0 < p ≤ 1): ceil(p × n), computed as the smallest integer
//     q with q ≥ p × n using p in ten-thousandths (p = s/10000, q = ceil(s×n/10000));
//     - a number N: N is shared out in proportion to the strata's sizes by the
//     largest remainder: each stratum gets floor(N × n / total), and the
//     units left over go, one each, to the strata with the largest remainder
//     (N × n mod total), ties to the smaller stratum name.
//     The first q units of the stratum's order are drawn.
//  4. K indicators of a drawn school: its applicable indicator codes ordered
//     by the hex SHA-256 of seed + "|" + code + "|" + indicator, then by
//     indicator; the first K.
//  5. Enlarging (a sampled school's level changed on verification): the next
//     M undrawn units of that school's stratum, in the same order.
package sampling

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// Unit is one eligible unit.
type Unit struct {
	Code    string
	Stratum string
}

// Params says how many to draw: Size units in all, or ShareBP
// ten-thousandths of each stratum (2500 = 25 %). Exactly one is set.
type Params struct {
	Size    int
	ShareBP int
}

// Validate checks the parameters against the number of eligible units.
func (p Params) Validate(eligible int) error {
	switch {
	case p.Size > 0 && p.ShareBP > 0:
		return errors.New("give a number of schools or a share, not both")
	case p.Size < 0 || p.ShareBP < 0:
		return errors.New("the sample size cannot be negative")
	case p.Size == 0 && p.ShareBP == 0:
		return errors.New("give a number of schools or a share")
	case p.ShareBP > 10000:
		return errors.New("a share is at most 100 %")
	case p.Size > eligible:
		return fmt.Errorf("the sample (%d) is larger than the %d eligible schools", p.Size, eligible)
	}
	return nil
}

// Key is the hex SHA-256 of the parts joined by "|".
func Key(parts ...string) string {
	h := sha256.New()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{'|'})
		}
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Ranked is a unit with its key and its place in its stratum's order (0
// first).
type Ranked struct {
	Unit
	Key  string
	Rank int
}

// Order returns the units grouped by stratum (strata in name order), each
// stratum in key order.
func Order(seed string, units []Unit) map[string][]Ranked {
	out := map[string][]Ranked{}
	for _, u := range units {
		out[u.Stratum] = append(out[u.Stratum], Ranked{Unit: u, Key: Key(seed, u.Code)})
	}
	for _, rs := range out {
		sort.Slice(rs, func(i, j int) bool {
			if rs[i].Key != rs[j].Key {
				return rs[i].Key < rs[j].Key
			}
			return rs[i].Code < rs[j].Code
		})
		for i := range rs {
			rs[i].Rank = i
		}
	}
	return out
}

// Strata returns the stratum names in order.
func Strata(order map[string][]Ranked) []string {
	names := make([]string, 0, len(order))
	for k := range order {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Quotas is how many units each stratum gives.
func Quotas(p Params, order map[string][]Ranked) map[string]int {
	q := map[string]int{}
	names := Strata(order)
	if p.ShareBP > 0 {
		for _, s := range names {
			n := len(order[s])
			q[s] = (p.ShareBP*n + 9999) / 10000
		}
		return q
	}
	total := 0
	for _, s := range names {
		total += len(order[s])
	}
	if total == 0 {
		return q
	}
	left := p.Size
	rem := map[string]int{}
	for _, s := range names {
		n := len(order[s])
		q[s] = p.Size * n / total
		rem[s] = p.Size * n % total
		left -= q[s]
	}
	byRem := append([]string(nil), names...)
	sort.SliceStable(byRem, func(i, j int) bool { return rem[byRem[i]] > rem[byRem[j]] })
	for i := 0; left > 0 && i < len(byRem); i++ {
		s := byRem[i]
		if q[s] < len(order[s]) {
			q[s]++
			left--
		}
	}
	return q
}

// Draw returns the drawn units, stratum by stratum (strata in name order),
// each in key order, with every eligible unit's key (for publication).
func Draw(seed string, units []Unit, p Params) ([]Ranked, map[string][]Ranked, error) {
	if err := p.Validate(len(units)); err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, u := range units {
		if seen[u.Code] {
			return nil, nil, fmt.Errorf("unit %s is listed twice", u.Code)
		}
		seen[u.Code] = true
	}
	order := Order(seed, units)
	quotas := Quotas(p, order)
	var drawn []Ranked
	for _, s := range Strata(order) {
		drawn = append(drawn, order[s][:quotas[s]]...)
	}
	return drawn, order, nil
}

// Next returns up to m units of stratum, in its order, that are not in
// taken: the units an enlargement adds.
func Next(order map[string][]Ranked, stratum string, taken map[string]bool, m int) []Ranked {
	var out []Ranked
	for _, r := range order[stratum] {
		if len(out) == m {
			break
		}
		if !taken[r.Code] {
			out = append(out, r)
		}
	}
	return out
}

// Indicators returns the first k of a drawn unit's indicators in the
// order of Key(seed, code, indicator); all of them when k is 0 or more
// than there are.
func Indicators(seed, code string, indicators []string, k int) []string {
	type ki struct{ key, ind string }
	ks := make([]ki, len(indicators))
	for i, ind := range indicators {
		ks[i] = ki{Key(seed, code, ind), ind}
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].key != ks[j].key {
			return ks[i].key < ks[j].key
		}
		return ks[i].ind < ks[j].ind
	})
	if k <= 0 || k > len(ks) {
		k = len(ks)
	}
	out := make([]string, k)
	for i := range out {
		out[i] = ks[i].ind
	}
	return out
}

// RedrawInput is a draw's seed, parameters and list as JSON, the input
// of testdata/redraw.py: what anyone needs to draw the same units again.
func RedrawInput(seed string, p Params, units []Unit) ([]byte, error) {
	type unit struct {
		Code    string `json:"code"`
		Stratum string `json:"stratum"`
	}
	doc := struct {
		Seed    string `json:"seed"`
		Size    int    `json:"size"`
		ShareBP int    `json:"share_bp"`
		Units   []unit `json:"units"`
	}{Seed: seed, Size: p.Size, ShareBP: p.ShareBP, Units: make([]unit, len(units))}
	for i, u := range units {
		doc.Units[i] = unit(u)
	}
	return json.Marshal(doc)
}
