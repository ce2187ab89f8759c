package composite

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Type is the role of an iMeta row (COINr's Type column).
type Type string

// The iMeta types. Denominator and Other rows are accepted, as COINr accepts
// them, and take no part in the index.
const (
	TypeIndicator   Type = "Indicator"
	TypeAggregate   Type = "Aggregate"
	TypeGroup       Type = "Group"
	TypeDenominator Type = "Denominator"
	TypeOther       Type = "Other"
)

// Node is an indicator or an aggregate of the framework.
type Node struct {
	Code string
	Name string
	// Level is 1 for indicators, 2 and up for aggregates; the index has the
	// highest level.
	Level int
	// Parent is the code of the aggregate this node belongs to; empty for the
	// index.
	Parent string
	// Direction is 1 when higher raw values are better, −1 when lower are.
	// It is always 1 for aggregates.
	Direction int
	// Weight is the node's weight relative to its siblings. The index's own
	// weight takes no part.
	Weight float64
	// Children are the positions in Meta.Nodes of the nodes whose Parent is
	// this node, in iMeta order. Empty for indicators.
	Children []int
	// Line is the line of the iMeta file that declared the node.
	Line int
}

// Meta is a validated iMeta: the framework of indicators and aggregates.
type Meta struct {
	// Nodes holds the indicators first, in iMeta order, then the aggregates
	// by level and, within a level, in iMeta order. A node's children thus
	// always come before it, and the index is last.
	Nodes []Node
	// NumIndicators is how many of Nodes are indicators.
	NumIndicators int
	// Groups are the codes of the Group rows: columns of iData that classify
	// units (COINr's Group_* columns).
	Groups []string
	// Ignored are the codes of Denominator and Other rows.
	Ignored []string
}

// Indicators returns the level-1 nodes.
func (m *Meta) Indicators() []Node { return m.Nodes[:m.NumIndicators] }

// Aggregates returns the aggregate nodes, lowest level first; the last is the
// index.
func (m *Meta) Aggregates() []Node { return m.Nodes[m.NumIndicators:] }

// Index returns the top aggregate.
func (m *Meta) Index() *Node { return &m.Nodes[len(m.Nodes)-1] }

// ReadMetaFile reads and validates an iMeta file; errors name the file.
func ReadMetaFile(path string) (*Meta, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := ParseMeta(b)
	if err != nil {
		return nil, withFile(err, path)
	}
	return m, nil
}

// metaRow is an iMeta row as read, before validation.
type metaRow struct {
	line                                   int
	code, name, level, parent, dir, weight string
	typ                                    Type
}

// ParseMeta parses and validates an iMeta CSV: a header with the columns
// iCode, Level, Parent, Direction, Weight and Type, in any order (iName and
// other columns are optional), then one row per indicator, aggregate or
// group. It reports every problem found, each with its line and column.
func ParseMeta(b []byte) (*Meta, error) {
	recs, err := csvSplit(b)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, &ParseError{Msg: "the file is empty; want a header iCode,iName,Level,Parent,Direction,Weight,Type"}
	}
	header, err := csvFields(b, recs[0])
	if err != nil {
		return nil, &ParseError{Line: recs[0].line, Msg: err.Error()}
	}
	col := map[string]int{}
	for j, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			continue // a nameless column, ignored like any other extra one
		}
		if _, dup := col[h]; dup {
			return nil, &ParseError{Line: recs[0].line, Column: h, Msg: "the column appears twice in the header"}
		}
		col[h] = j
	}
	var missing []string
	for _, c := range []string{"iCode", "Level", "Parent", "Direction", "Weight", "Type"} {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, &ParseError{Line: recs[0].line, Msg: fmt.Sprintf("the header lacks the column(s) %s (COINr iMeta: iCode, iName, Level, Parent, Direction, Weight, Type)", strings.Join(missing, ", "))}
	}
	get := func(f []string, name string) string {
		j, ok := col[name]
		if !ok || j >= len(f) {
			return ""
		}
		return strings.TrimSpace(f[j])
	}

	var p problems
	rows := make([]metaRow, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		f, err := csvFields(b, rec)
		if err != nil {
			p.add(rec.line, "", "%v", err)
			continue
		}
		if len(f) != len(header) {
			p.add(rec.line, "", "%d fields, but the header has %d", len(f), len(header))
			continue
		}
		r := metaRow{line: rec.line, code: get(f, "iCode"), name: get(f, "iName"), level: get(f, "Level"),
			parent: get(f, "Parent"), dir: get(f, "Direction"), weight: get(f, "Weight")}
		typ := get(f, "Type")
		switch {
		case strings.EqualFold(typ, string(TypeIndicator)):
			r.typ = TypeIndicator
		case strings.EqualFold(typ, string(TypeAggregate)):
			r.typ = TypeAggregate
		case strings.EqualFold(typ, string(TypeGroup)):
			r.typ = TypeGroup
		case strings.EqualFold(typ, string(TypeDenominator)):
			r.typ = TypeDenominator
		case strings.EqualFold(typ, string(TypeOther)):
			r.typ = TypeOther
		default:
			p.add(rec.line, "Type", "%q is not a type; want Indicator, Aggregate, Group, Denominator or Other", typ)
			continue
		}
		rows = append(rows, r)
	}
	if p.errs != nil {
		return nil, p.err()
	}
	return buildMeta(rows)
}

// buildMeta validates the rows and links the tree.
func buildMeta(rows []metaRow) (*Meta, error) {
	var p problems
	m := &Meta{}
	seen := map[string]int{} // code → line
	var nodes []Node
	for _, r := range rows {
		if r.code == "" {
			p.add(r.line, "iCode", "empty code")
			continue
		}
		if first, dup := seen[r.code]; dup {
			p.add(r.line, "iCode", "%q is already declared on line %d", r.code, first)
			continue
		}
		seen[r.code] = r.line
		switch r.typ {
		case TypeGroup:
			m.Groups = append(m.Groups, r.code)
			continue
		case TypeDenominator, TypeOther:
			m.Ignored = append(m.Ignored, r.code)
			continue
		}
		n := Node{Code: r.code, Name: r.name, Parent: r.parent, Direction: 1, Line: r.line}
		lv, err := strconv.Atoi(r.level)
		switch {
		case err != nil || lv < 1:
			p.add(r.line, "Level", "%q is not a level; want a whole number, 1 for indicators, 2 or more for aggregates", r.level)
			continue
		case r.typ == TypeIndicator && lv != 1:
			p.add(r.line, "Level", "an indicator has level 1, not %d", lv)
			continue
		case r.typ == TypeAggregate && lv < 2:
			p.add(r.line, "Level", "an aggregate has level 2 or more, not %d", lv)
			continue
		}
		n.Level = lv
		if r.typ == TypeIndicator {
			switch r.dir {
			case "1", "+1", "1.0":
				n.Direction = 1
			case "-1", "-1.0":
				n.Direction = -1
			default:
				p.add(r.line, "Direction", "%q is not a direction; want 1 (higher is better) or -1 (lower is better)", r.dir)
				continue
			}
		}
		if r.weight == "" {
			// Only the index may go without a weight; checked below once the
			// top level is known.
			n.Weight = math.NaN()
		} else {
			w, err := strconv.ParseFloat(r.weight, 64)
			if err != nil || !(w >= 0) || math.IsInf(w, 1) {
				p.add(r.line, "Weight", "%q is not a weight; want a number ≥ 0", r.weight)
				continue
			}
			n.Weight = w
		}
		nodes = append(nodes, n)
	}
	if p.errs != nil {
		return nil, p.err()
	}

	// Order: indicators in file order, then aggregates by level (stable).
	slices.SortStableFunc(nodes, func(a, b Node) int { return a.Level - b.Level })
	if len(nodes) == 0 || nodes[0].Level != 1 {
		return nil, &ParseError{Msg: "no indicators: want rows with Type Indicator and Level 1"}
	}
	top := nodes[len(nodes)-1].Level
	if top < 2 {
		return nil, &ParseError{Msg: "no aggregates: want at least one row with Type Aggregate and Level 2 (the index)"}
	}
	pos := make(map[string]int, len(nodes))
	for i, n := range nodes {
		pos[n.Code] = i
		if n.Level == 1 {
			m.NumIndicators = i + 1
		}
	}
	var tops []string
	for i := range nodes {
		n := &nodes[i]
		if n.Level == top {
			tops = append(tops, n.Code)
			if n.Parent != "" {
				p.add(n.Line, "Parent", "%q is at the highest level (%d), the index, and can have no parent", n.Code, top)
			}
			if math.IsNaN(n.Weight) {
				n.Weight = 1
			}
			continue
		}
		if math.IsNaN(n.Weight) {
			p.add(n.Line, "Weight", "empty; every node below the index needs a weight")
		}
		if n.Parent == "" {
			p.add(n.Line, "Parent", "empty; only the index (level %d) has no parent", top)
			continue
		}
		j, ok := pos[n.Parent]
		if !ok {
			if _, other := seen[n.Parent]; other {
				p.add(n.Line, "Parent", "%q is not an aggregate", n.Parent)
			} else {
				p.add(n.Line, "Parent", "%q is not declared", n.Parent)
			}
			continue
		}
		if nodes[j].Level != n.Level+1 {
			p.add(n.Line, "Parent", "%q has level %d; the parent of a level-%d node has level %d", n.Parent, nodes[j].Level, n.Level, n.Level+1)
			continue
		}
		nodes[j].Children = append(nodes[j].Children, i)
	}
	if len(tops) > 1 {
		p.add(0, "Level", "%d aggregates (%s) share the highest level %d; exactly one, the index, must be on top", len(tops), strings.Join(tops, ", "), top)
	}
	for i := m.NumIndicators; i < len(nodes); i++ {
		if len(nodes[i].Children) == 0 {
			p.add(nodes[i].Line, "iCode", "aggregate %q has no children", nodes[i].Code)
		}
	}
	if p.errs != nil {
		return nil, p.err()
	}
	m.Nodes = nodes
	return m, nil
}
