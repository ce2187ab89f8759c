package indicators

import (
	"encoding/json"
	"maps"
	"math"
	"strconv"
)

// IndicatorPoints are a result's points of every applicable indicator
// that has points (mandatory indicators have none), by code; in JSON an
// object {"code": points, …}, which SQL reads with ->'indicators'.
//
// A scored result reads them from its plan-ordered points slice, so
// scoring builds no map: building one per result was more than half of
// the work both scoring paths share (BenchmarkScore50k,
// BenchmarkScoreSheet50k; docs/performance.md). A decoded result (a
// stored one) keeps the decoded object.
type IndicatorPoints struct {
	res *Result            // a scored result
	m   map[string]float64 // a decoded (or built) one
}

// PointsOf returns indicator points given as a map (for tests and tools).
func PointsOf(m map[string]float64) IndicatorPoints { return IndicatorPoints{m: maps.Clone(m)} }

// Get returns an indicator's points, false when it has none in the result.
func (ip IndicatorPoints) Get(code string) (float64, bool) {
	if ip.res != nil {
		return ip.res.Points(code)
	}
	v, ok := ip.m[code]
	return v, ok
}

// Map returns the points as a new map.
func (ip IndicatorPoints) Map() map[string]float64 {
	if ip.res == nil {
		return maps.Clone(ip.m)
	}
	r, p := ip.res, ip.res.plan
	out := make(map[string]float64, p.scoring)
	for i := range p.inds {
		if ind := &p.inds[i]; !ind.mandatory && ind.mask&r.bit != 0 {
			out[ind.code] = r.points[i]
		}
	}
	return out
}

// Len is how many indicators have points in the result.
func (ip IndicatorPoints) Len() int {
	if ip.res == nil {
		return len(ip.m)
	}
	n := 0
	for i := range ip.res.plan.inds {
		if ind := &ip.res.plan.inds[i]; !ind.mandatory && ind.mask&ip.res.bit != 0 {
			n++
		}
	}
	return n
}

// Equal reports whether both hold the same points (go-cmp uses it).
func (ip IndicatorPoints) Equal(o IndicatorPoints) bool { return maps.Equal(ip.Map(), o.Map()) }

// MarshalJSON writes the object exactly as encoding/json writes the map
// (keys sorted), so stored and sent results are unchanged. A scored
// result writes it straight from its points in the plan's code order:
// going through a map and encoding/json's reflection was two fifths of
// the allocations of a save (BenchmarkSaveAnswerCPU), which encodes a
// result twice (to store it and to answer).
func (ip IndicatorPoints) MarshalJSON() ([]byte, error) {
	if ip.res == nil {
		if ip.m == nil {
			return []byte("{}"), nil
		}
		return json.Marshal(ip.m)
	}
	r, p := ip.res, ip.res.plan
	b := make([]byte, 0, 16*len(p.sorted)+2)
	b = append(b, '{')
	for _, i := range p.sorted {
		ind := &p.inds[i]
		if ind.mask&r.bit == 0 {
			continue
		}
		f := r.points[i]
		if !plainKey(ind.code) || math.IsInf(f, 0) || math.IsNaN(f) {
			return json.Marshal(ip.Map()) // its escaping, or its error
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, ind.code...)
		b = append(b, '"', ':')
		b = appendJSONFloat(b, f)
	}
	return append(b, '}'), nil
}

// plainKey reports whether encoding/json writes s as is between quotes:
// printable ASCII but the quote, the backslash and the HTML characters it
// escapes.
func plainKey(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// appendJSONFloat appends a finite f as encoding/json writes a float64:
// the shortest representation, in exponent form only below 1e-6 or from
// 1e21, with a one-digit exponent not padded (1e-07 is written 1e-7).
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	return b
}

// UnmarshalJSON reads the object (null reads as none).
func (ip *IndicatorPoints) UnmarshalJSON(b []byte) error {
	var m map[string]float64
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*ip = IndicatorPoints{m: m}
	return nil
}
