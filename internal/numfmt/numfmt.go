// Package numfmt is the one rounding and spelling of numbers that people
// read: pages, charts, print, exports and API text all go through it, so
// a school's index reads the same everywhere.
//
// The policy (stated once, in docs/dashboard.md and on the methodology
// page): indexes, group scores, criterion achievements, means and medians
// are shown with exactly 2 decimals, rounded half up (away from zero) from
// the number as it is printed in full (its shortest decimal spelling, so
// 86.255, stored as 86.25499999…, shows as 86,26, as indicators.Round2 and
// the ranks have it); counts and ranks are integers; shares are whole
// percents. Vietnamese writes a decimal comma and dot thousands; CSV
// files are data and write a decimal point; JSON keeps full precision.
package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Decimals is the number of decimals of every index-like value.
const Decimals = 2

// Round rounds x to d decimals, halves away from zero, from its shortest
// decimal spelling (what JSON and Go print), not from its binary value:
// a reader who rounds the printed full-precision value gets the same.
// Round(x, 2) == indicators.Round2(x).
func Round(x float64, d int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || d < 0 || d > 9 {
		return x
	}
	p := math.Pow10(d)
	h := x * p
	// Far from a half, x×10^d rounds like the printed decimal (its error,
	// an ulp or so, is far below 1e-6 for the sizes shown here).
	if frac := math.Abs(h - math.Trunc(h)); math.Abs(frac-0.5) > 1e-6 && math.Abs(h) < 1e12 {
		return math.Round(h) / p
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) > 15 {
		return x
	}
	frac += strings.Repeat("0", d+1)
	n, err := strconv.ParseInt(intPart+frac[:d], 10, 64)
	if err != nil {
		return x
	}
	if frac[d] >= '5' {
		n++
	}
	return math.Copysign(float64(n)/p, x)
}

// Fixed writes x rounded (Round) with exactly d decimals: a decimal comma
// and dot thousands in Vietnamese ("1.234,50"), the other way round in
// English. NaN and infinities, values that do not exist, are "–".
func Fixed(lang string, x float64, d int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	return spell(lang, strconv.FormatFloat(Round(x, d), 'f', d, 64))
}

// Trim is Fixed without trailing zeros (a rule's threshold, "≥ 50", or a
// number a person typed), rounded the same way.
func Trim(lang string, x float64, d int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	s := strconv.FormatFloat(Round(x, d), 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return spell(lang, s)
}

// Data writes x for a CSV file or API text: rounded, d decimals, a
// decimal point, no thousands separator; "" for no value.
func Data(x float64, d int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(Round(x, d), 'f', d, 64)
}

// spell puts a machine decimal ("-1234.5") into the language's spelling.
func spell(lang, s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	thou, dec := ".", ","
	if lang == "en" {
		thou, dec = ",", "."
	}
	var b strings.Builder
	if neg && strings.Trim(intPart+frac, "0") != "" {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thou)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(dec)
		b.WriteString(frac)
	}
	return b.String()
}
