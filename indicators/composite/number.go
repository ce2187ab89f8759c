package composite

import (
	"bytes"
	"fmt"
	"math"
	"math/bits"
	"strconv"
)

// Number parsing. iData is millions of plain decimals ("15.0",
// "43.611420468034055"); strconv.ParseFloat spends most of its time finding
// out what kind of number it has, so plain decimals take a faster path here,
// with the same correctly rounded result, and everything else (exponents,
// "Inf", more than 19 digits) goes to strconv.

var (
	// pow10 are the powers of ten that float64 holds exactly.
	pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}
	// pow10u are the powers of ten that uint64 holds.
	pow10u [20]uint64
	// recip[k] = ⌊2^recipShift[k] / 10^k⌋, the 64 leading bits of 10^−k.
	recip      [20]uint64
	recipShift [20]int
)

func init() {
	pow10u[0] = 1
	for k := 1; k < len(pow10u); k++ {
		pow10u[k] = pow10u[k-1] * 10
		// 2^s/10^k in [2^63, 2^64) for s = 63 + bitlen(10^k); the 128-bit
		// dividend 2^s has high word 2^(s−64) < 10^k, so Div64 applies.
		s := 63 + bits.Len64(pow10u[k])
		recip[k], _ = bits.Div64(1<<(s-64), 0, pow10u[k])
		recipShift[k] = s
	}
}

// parseValue parses an indicator cell: empty, NA (R's missing) or NaN, after
// trimming spaces, is missing; anything else must be a finite number.
func parseValue(f []byte) (float64, error) {
	f = bytes.Trim(f, " \t")
	if len(f) == 0 || string(f) == "NA" || string(f) == "NaN" {
		return math.NaN(), nil
	}
	if v, j, ok := scanDecimal(f, 0, len(f)); ok && j == len(f) {
		return v, nil
	}
	return parseSlow(f)
}

func parseSlow(f []byte) (float64, error) {
	v, err := strconv.ParseFloat(string(f), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		hint := ""
		if bytes.IndexByte(f, ',') >= 0 {
			hint = " (write decimals with a point, not a comma)"
		}
		return 0, fmt.Errorf("%q is not a number%s", f, hint)
	}
	return v, nil
}

// scanDecimal parses a plain decimal, [+-]digits[.digits], starting at b[i]
// and stopping before end or at the first other byte, whose position it
// returns. It declines (ok false) what it does not convert: no digits, more
// than 19 digits in all (which might overflow the mantissa), more than 19
// decimals.
//
// A plain byte loop: this runs millions of times, and a word-at-a-time (SWAR)
// variant measured slower on real data, its branches being less predictable.
func scanDecimal(b []byte, i, end int) (v float64, next int, ok bool) {
	b = b[:end] // lets the compiler drop the bounds checks below
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	var mant uint64
	start := i
	for i < len(b) {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		mant = mant*10 + uint64(c)
		i++
	}
	digits := i - start
	frac := 0
	if i < len(b) && b[i] == '.' {
		i++
		fs := i
		for i < len(b) {
			c := b[i] - '0'
			if c > 9 {
				break
			}
			mant = mant*10 + uint64(c)
			i++
		}
		frac = i - fs
		digits += frac
	}
	if digits == 0 || digits > 19 {
		return 0, i, false
	}
	switch {
	case frac == 0 || mant == 0:
		v = float64(mant) // Go converts uint64 to float64 correctly rounded
	case mant <= 1<<53 && frac < len(pow10):
		// Clinger's fast path: mant and 10^frac are exact float64s, so the
		// one division rounds correctly.
		v = float64(mant) / pow10[frac]
	default:
		v = mulRecip(mant, frac) // frac ≤ digits ≤ 19
	}
	if neg {
		v = -v
	}
	return v, i, true
}

// mulRecip returns mant/10^k correctly rounded (to nearest, ties to even),
// for mant > 0 and 1 ≤ k ≤ 19.
//
// It multiplies the normalised mantissa by the 64 leading bits of 10^−k
// (the Eisel–Lemire method, with a table small enough to compute at start-up):
// the high word of the product holds the result and a rounding bit. The
// table's truncation makes the product short by less than one unit of its
// low word, which matters only when the bits below the rounding bit are all
// ones and the low word could carry, or when the product looks exactly
// halfway; then decToFloat divides exactly.
func mulRecip(mant uint64, k int) float64 {
	lz := bits.LeadingZeros64(mant)
	w := mant << lz
	hi, lo := bits.Mul64(w, recip[k])
	if hi&0x1FF == 0x1FF && lo+w < lo {
		return decToFloat(mant, k)
	}
	msb := int(hi >> 63)
	m := hi >> (9 + msb) // 54 bits: the result and a rounding bit
	if lo == 0 && hi&0x1FF == 0 && m&3 == 1 {
		return decToFloat(mant, k)
	}
	m += m & 1
	m >>= 1
	// value = m·2^(10 + msb + 64 − lz − s); a carry out of 53 bits moves the
	// exponent.
	exp := 10 + msb + 64 - lz - recipShift[k]
	if m == 1<<53 {
		m >>= 1
		exp++
	}
	return math.Float64frombits(uint64(exp+52+1023)<<52 | m&(1<<52-1))
}

// decToFloat returns mant/10^k correctly rounded (to nearest, ties to even),
// for mant > 0 and 1 ≤ k ≤ 19, by exact integer division: mant is shifted
// left by s bits so that the quotient q = ⌊mant·2^s/10^k⌋ has 63 or 64 bits;
// its top 53 bits are the float's mantissa, and the bits below them plus the
// remainder say exactly how to round.
func decToFloat(mant uint64, k int) float64 {
	d := pow10u[k]
	s := 63 + bits.Len64(d) - bits.Len64(mant) // in [0, 126]
	var hi, lo uint64
	if s >= 64 {
		hi = mant << (s - 64)
	} else {
		hi, lo = mant>>(64-s), mant<<s
	}
	// mant·2^s < 2^(63+len(d)) ≤ d·2^64, so hi < d and the quotient fits.
	q, r := bits.Div64(hi, lo, d)
	shift := bits.Len64(q) - 53 // 10 or 11
	m := q >> shift
	rest := q & (1<<shift - 1)
	half := uint64(1) << (shift - 1)
	if rest > half || (rest == half && (r != 0 || m&1 == 1)) {
		m++
		if m == 1<<53 {
			m >>= 1
			shift++
		}
	}
	// value = m·2^(shift−s), m in [2^52, 2^53): assemble the bits.
	exp := shift - s + 52 + 1023
	return math.Float64frombits(uint64(exp)<<52 | m&(1<<52-1))
}
