package indicators

import (
	"encoding/json"
	"maps"
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
// (keys sorted), so stored and sent results are unchanged.
func (ip IndicatorPoints) MarshalJSON() ([]byte, error) {
	m := ip.Map()
	if m == nil {
		m = map[string]float64{}
	}
	return json.Marshal(m)
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
