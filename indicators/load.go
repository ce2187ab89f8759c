package indicators

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

// maxFileSize bounds what Parse reads: real sets are tens of kilobytes.
const maxFileSize = 8 << 20

// maxNodes bounds the nodes the decoder visits, so that YAML aliases that
// expand exponentially ("billion laughs") or refer to themselves end in a
// problem instead of exhausting memory.
const maxNodes = 200_000

// maxJSONDepth bounds the nesting of a JSON file: a set nests about eight
// levels deep, and recursion on hostile input must stay shallow.
const maxJSONDepth = 64

// LoadFile reads, decodes and validates the set in the file at path.
func LoadFile(path string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and validates a set. name is the file's name: it prefixes
// every problem and picks the format (.json is JSON; .yaml, .yml or any
// other name is YAML unless the content starts with '{').
//
// On failure the error is Problems, listing every problem found, each with
// the file, the path inside it and the line (for YAML and JSON alike). On
// success the set is compiled for scoring.
func Parse(name string, data []byte) (*Set, error) {
	d := &decoder{file: name, lines: map[string]int{}, budget: maxNodes}
	root := d.parse(data)
	if root == nil {
		return nil, d.probs.sorted()
	}
	set := &Set{}
	d.value(root, reflect.ValueOf(set).Elem(), "")
	c := &checker{file: name, lines: d.lines, probs: d.probs}
	if d.exhausted {
		// The tree was not fully read: checking it would only add noise.
		return nil, c.probs.sorted()
	}
	c.check(set)
	if len(c.probs) > 0 {
		return nil, c.probs.sorted()
	}
	set.plan = compile(set)
	return set, nil
}

// isJSON decides the format of a file from its name, then its content.
func isJSON(name string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return true
	case ".yaml", ".yml":
		return false
	}
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	return len(t) > 0 && t[0] == '{'
}

// decoder turns a YAML node tree into a Set, recording the line of every
// path it meets so that later checks can point at lines too.
type decoder struct {
	file      string
	probs     Problems
	lines     map[string]int
	budget    int
	exhausted bool
}

func (d *decoder) addf(path string, line int, format string, args ...any) {
	d.probs = append(d.probs, Problem{File: d.file, Path: path, Line: line, Message: fmt.Sprintf(format, args...)})
}

// parse returns the document's root node, or nil after recording why
// there is none.
func (d *decoder) parse(data []byte) (root *yaml.Node) {
	if len(data) > maxFileSize {
		d.addf("", 0, "file is too large (%d bytes; at most %d)", len(data), maxFileSize)
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		d.addf("", 0, "file is empty")
		return nil
	}
	if isJSON(d.file, data) {
		n, line, err := jsonNode(data)
		if err != nil {
			d.addf("", line, "invalid JSON: %v", err)
			return nil
		}
		return n
	}
	// yaml.v3 is robust, but "no panic on any input" is a promise of this
	// package, so a panic inside the parser becomes a problem too.
	defer func() {
		if r := recover(); r != nil {
			d.addf("", 0, "invalid YAML: the parser failed (%v)", r)
			root = nil
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		line, msg := yamlError(err)
		d.addf("", line, "invalid YAML: %s", msg)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.addf("", extra.Line, "the file holds more than one YAML document (---): put one set per file")
	} else if !errors.Is(err, io.EOF) {
		line, msg := yamlError(err)
		d.addf("", line, "invalid YAML: %s", msg)
		return nil
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0]
	}
	d.addf("", doc.Line, "file is empty")
	return nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlError splits a yaml.v3 error into its line and message.
func yamlError(err error) (int, string) {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return line, msg[len(m[0]):]
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

// value decodes node n into v, whose path in the file is path.
func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	if d.budget--; d.budget < 0 {
		if !d.exhausted {
			d.exhausted = true
			d.addf(path, n.Line, "the file expands to too many values (YAML aliases?); at most %d", maxNodes)
		}
		return
	}
	for n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			d.addf(path, n.Line, "unknown alias")
			return
		}
		n = n.Alias
		if d.budget--; d.budget < 0 {
			d.value(n, v, path) // reports exhaustion
			return
		}
	}
	if _, seen := d.lines[path]; !seen {
		d.lines[path] = n.Line
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // null is the same as leaving the key out
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.value(n, v.Elem(), path)
	case reflect.Struct:
		d.structValue(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.addf(path, n.Line, "%s must be a list, got %s", lastName(path), describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.value(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.addf(path, n.Line, "%s must be a mapping, got %s", lastName(path), describe(n))
			return
		}
		m := reflect.MakeMap(v.Type())
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			key, ok := d.key(k, path, seen)
			if !ok {
				continue
			}
			elem := reflect.New(v.Type().Elem()).Elem()
			ep := fmt.Sprintf("%s[%s]", path, key)
			d.lines[ep] = k.Line
			d.value(val, elem, ep)
			m.SetMapIndex(reflect.ValueOf(key), elem)
		}
		v.Set(m)
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!binary" {
			d.addf(path, n.Line, "%s must be text, got %s", lastName(path), describe(n))
			return
		}
		// Keep the text as written (version: 2022.10 stays "2022.10"), in
		// NFC so that Vietnamese typed on any system compares equal.
		v.SetString(norm.NFC.String(n.Value))
	case reflect.Float64:
		f, ok := number(n)
		if !ok {
			d.addf(path, n.Line, "%s must be a number, got %s", lastName(path), describe(n))
			return
		}
		v.SetFloat(f)
	case reflect.Int:
		f, ok := number(n)
		if !ok || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
			d.addf(path, n.Line, "%s must be a whole number, got %s", lastName(path), describe(n))
			return
		}
		v.SetInt(int64(f))
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
			d.addf(path, n.Line, "%s must be true or false, got %s", lastName(path), describe(n))
			return
		}
		v.SetBool(b)
	}
}

func (d *decoder) structValue(n *yaml.Node, v reflect.Value, path string) {
	fields := fieldsOf(v.Type())
	if n.Kind != yaml.MappingNode {
		if v.Type() == reflect.TypeFor[Text]() {
			d.addf(path, n.Line, "%s must be a mapping like {vi: \"…\", en: \"…\"}, got %s", lastName(path), describe(n))
		} else {
			d.addf(path, n.Line, "%s must be a mapping of keys to values, got %s", nameOr(path, "the file"), describe(n))
		}
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key, ok := d.key(k, path, seen)
		if !ok {
			continue
		}
		idx, known := fields.index[key]
		if !known {
			msg := fmt.Sprintf("unknown field %q", key)
			if s := suggest(key, fields.names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += " (known: " + strings.Join(fields.names, ", ") + ")"
			}
			d.addf(join(path, key), k.Line, "%s", msg)
			continue
		}
		// A field's line is its key's: "bands:", not the first "- " of
		// the list under it.
		fp := join(path, key)
		d.lines[fp] = k.Line
		d.value(val, v.Field(idx), fp)
	}
}

// key reads a mapping key and reports duplicates.
func (d *decoder) key(k *yaml.Node, path string, seen map[string]int) (string, bool) {
	if k.Kind != yaml.ScalarNode {
		d.addf(path, k.Line, "a key must be a plain name, got %s", describe(k))
		return "", false
	}
	key := k.Value
	if first, dup := seen[key]; dup {
		d.addf(join(path, key), k.Line, "duplicate key %q (first at line %d)", key, first)
		return "", false
	}
	seen[key] = k.Line
	return key, true
}

// number reads a YAML or JSON numeric scalar; quoted numbers are text and
// are refused, so that a typo is not silently read as a number.
func number(n *yaml.Node) (float64, bool) {
	if n.Kind != yaml.ScalarNode {
		return 0, false
	}
	tag := n.ShortTag()
	if tag != "!!int" && tag != "!!float" {
		return 0, false
	}
	f, err := strconv.ParseFloat(n.Value, 64)
	if err != nil {
		// YAML spellings strconv does not know (0o17, .5e3 forms, 1_000).
		if n.Decode(&f) != nil {
			return 0, false
		}
	}
	return f, !math.IsNaN(f) && !math.IsInf(f, 0)
}

// describe says what a node is, for "must be X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		v := n.Value
		if r := []rune(v); len(r) > 40 {
			v = string(r[:40]) + "…"
		}
		switch n.ShortTag() {
		case "!!str":
			return strconv.Quote(v)
		case "!!float", "!!int", "!!bool":
			return v
		}
		return fmt.Sprintf("%s %q", strings.TrimPrefix(n.ShortTag(), "!!"), v)
	}
	return "nothing"
}

// structFields maps the file's names of a struct's fields to their index.
type structFields struct {
	index map[string]int
	names []string
}

var fieldCache sync.Map // reflect.Type → *structFields

func fieldsOf(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	f := &structFields{index: map[string]int{}}
	for i := range t.NumField() {
		sf := t.Field(i)
		name := tagName(sf)
		if !sf.IsExported() || name == "" {
			continue
		}
		f.index[name] = i
		f.names = append(f.names, name)
	}
	fieldCache.Store(t, f)
	return f
}

// tagName is a field's name in the file: its yaml tag.
func tagName(sf reflect.StructField) string {
	name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// suggest returns the known name closest to key when it is close enough
// to be a typo.
func suggest(key string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(strings.ToLower(key), n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// lastName is the last field name of a path ("groups[1].max" → "max").
func lastName(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		path = path[i+1:]
	}
	if path == "" {
		return "the value"
	}
	return path
}

func nameOr(path, def string) string {
	if path == "" {
		return def
	}
	return lastName(path)
}

// jsonNode converts a JSON document into the node tree the YAML path
// uses, so that both formats share one decoder and JSON problems carry
// lines too. On a syntax error it returns the error's line.
func jsonNode(data []byte) (*yaml.Node, int, error) {
	li := newLineIndex(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := readJSON(dec, li, 0)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, li.line(int64(len(data))), errors.New("unexpected end of file")
	}
	if err != nil {
		return nil, jsonErrLine(data, err, dec, li), err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, li.line(dec.InputOffset()), errors.New("unexpected content after the end of the set")
	}
	return n, 0, nil
}

func jsonErrLine(data []byte, err error, dec *json.Decoder, li lineIndex) int {
	off := dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	// The offset counts the bytes read before the error: the culprit is
	// the next byte that is not white space.
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n", data[off]) >= 0 {
		off++
	}
	return li.line(off + 1)
}

func readJSON(dec *json.Decoder, li lineIndex, depth int) (*yaml.Node, error) {
	if depth > maxJSONDepth {
		return nil, fmt.Errorf("nested more than %d levels deep", maxJSONDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	line := li.line(dec.InputOffset())
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				kn := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: li.line(dec.InputOffset())}
				val, err := readJSON(dec, li, depth+1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, kn, val)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		case '[':
			n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line}
			for dec.More() {
				val, err := readJSON(dec, li, depth+1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, val)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		}
		return nil, fmt.Errorf("unexpected %q", t)
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t, Line: line}, nil
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(string(t), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: string(t), Line: line}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(t), Line: line}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null", Line: line}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int // offsets of the newlines

func newLineIndex(data []byte) lineIndex {
	var li lineIndex
	for i, b := range data {
		if b == '\n' {
			li = append(li, i)
		}
	}
	return li
}

// line is the line of the byte just before offset (JSON tokens never span
// lines, so the end of a token is on its first line).
func (li lineIndex) line(offset int64) int {
	off := int(offset) - 1
	return sort.SearchInts(li, off) + 1
}
