// Package jsonenc appends JSON values exactly as encoding/json writes
// them. The save path encodes a score twice per request (to store it and
// to answer); encoding/json spends most of that time reflecting and
// sorting map keys, which a writer that knows the shape does not need.
package jsonenc

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Float appends f as encoding/json does (ES6 number formatting); NaN and
// infinities are an error, as there.
func Float(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, fmt.Errorf("json: unsupported value: %v", f)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// String appends s quoted and escaped as encoding/json does (HTML-safe).
// Indicator and group codes are plain ASCII and take the fast path.
func String(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// Strings appends a list of strings; nil is null, as in encoding/json.
func Strings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = String(b, s)
	}
	return append(b, ']')
}

// Key appends "key": after a comma unless it is the object's first.
func Key(b []byte, key string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = String(b, key)
	return append(b, ':')
}

// FloatMap appends a map of numbers with its keys sorted, as
// encoding/json does; nil is null.
func FloatMap(b []byte, m map[string]float64) ([]byte, error) {
	if m == nil {
		return append(b, "null"...), nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	var err error
	for i, k := range keys {
		b = Key(b, k, i == 0)
		if b, err = Float(b, m[k]); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// Buffer appends JSON, keeping the first error (a number JSON cannot
// hold), so an encoder reads as the sequence of what it writes.
type Buffer struct {
	b   []byte
	err error
}

// NewBuffer returns a Buffer with room for n bytes.
func NewBuffer(n int) *Buffer { return &Buffer{b: make([]byte, 0, n)} }

// Raw appends JSON text as it is.
func (w *Buffer) Raw(s string) { w.b = append(w.b, s...) }

// Float appends a number.
func (w *Buffer) Float(f float64) {
	if w.err == nil {
		w.b, w.err = Float(w.b, f)
	}
}

// Int appends an integer.
func (w *Buffer) Int(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

// String appends a string.
func (w *Buffer) String(s string) { w.b = String(w.b, s) }

// Strings appends a list of strings (nil is null).
func (w *Buffer) Strings(ss []string) { w.b = Strings(w.b, ss) }

// Key appends "key": after a comma unless it is the object's first.
func (w *Buffer) Key(key string, first bool) { w.b = Key(w.b, key, first) }

// FloatMap appends a map of numbers, keys sorted (nil is null).
func (w *Buffer) FloatMap(m map[string]float64) {
	if w.err == nil {
		w.b, w.err = FloatMap(w.b, m)
	}
}

// Bytes returns what was written, or the first error.
func (w *Buffer) Bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	return w.b, nil
}
