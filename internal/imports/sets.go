package imports

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/survey/model"
	"gopkg.in/yaml.v3"
)

// The sheets of an indicator-set workbook: how education departments
// write their sets. "set" holds the set's own fields as key/value rows,
// "indicators" one row per indicator (its group and criterion repeated on
// each row; their names and maxima are read from the first row that
// names them), "levels" one row per level of the level rule.
var (
	SetSheetColumns       = []string{"key", "value"}
	IndicatorSheetColumns = []string{"group", "group_name_vi", "group_name_en", "group_max", "group_weight",
		"criterion", "criterion_name_vi", "criterion_name_en",
		"code", "name_vi", "name_en", "type", "points", "max", "full_at", "options", "bands",
		"mandatory", "evidence", "applies_to", "help_vi", "help_en", "unconfirmed", "note_vi", "note_en",
		"group_note_vi", "group_note_en", "criterion_note_vi", "criterion_note_en",
		// format v1.1: fresh evidence; a roll-up as "share_at_level 2",
		// "mean_index" or "participation"
		"evidence_max_age_days", "rollup"}
	// index (format v1.1) is a condition on the index: "> 75", ">= 50".
	LevelSheetColumns = []string{"level", "name_vi", "name_en", "mandatory", "every_group", "groups", "index"}
)

func num(f float64) string {
	if f == 0 {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func yes(b bool) string {
	if b {
		return "x"
	}
	return ""
}

func textOf(t *indicators.Text) (string, string) {
	if t == nil {
		return "", ""
	}
	return t.VI, t.EN
}

func threshold(t *indicators.Threshold) string {
	if t == nil {
		return ""
	}
	op, v := t.Op()
	if op == "above" {
		return "> " + num0(v)
	}
	return ">= " + num0(v)
}

func numInt(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func rollupCell(r *indicators.Rollup) string {
	if r == nil {
		return ""
	}
	if r.MinLevel != 0 {
		return r.Measure + " " + strconv.Itoa(r.MinLevel)
	}
	return r.Measure
}

func num0(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// SetToXLSX writes a set as a workbook in the import layout: the template
// departments start from (dxindex ships moet-4725 this way).
func SetToXLSX(set *indicators.Set) ([]byte, error) {
	meta := [][]string{SetSheetColumns,
		{"code", set.Code}, {"version", set.Version}, {"name_vi", set.Name.VI}, {"name_en", set.Name.EN},
		{"source", set.Source}, {"assessed", set.Assessed}, {"school_levels", strings.Join(set.SchoolLevels, ", ")},
		{"index_method", set.Index.Method}, {"provisional", yes(set.Provisional)}}
	if set.Note != nil {
		meta = append(meta, []string{"note_vi", set.Note.VI}, []string{"note_en", set.Note.EN})
	}
	inds := [][]string{IndicatorSheetColumns}
	for _, g := range set.Groups {
		for _, c := range g.Criteria {
			for _, ind := range c.Indicators {
				var opts []string
				for _, o := range ind.Options {
					opts = append(opts, strings.Join([]string{o.Code, num0(o.Points), o.Name.VI, o.Name.EN}, " | "))
				}
				var bands []string
				for _, b := range ind.Bands {
					bands = append(bands, num0(b.Min)+": "+num0(b.Points))
				}
				points, fullAt := num(ind.Points), ""
				if ind.Proportional != nil {
					points, fullAt = num0(ind.Proportional.Points), num0(ind.Proportional.FullAt)
				}
				hvi, hen := textOf(ind.Help)
				nvi, nen := textOf(ind.Note)
				gvi, gen := textOf(g.Note)
				cvi, cen := textOf(c.Note)
				inds = append(inds, []string{g.Code, g.Name.VI, g.Name.EN, num0(g.Max), num(g.Weight),
					c.Code, c.Name.VI, c.Name.EN,
					ind.Code, ind.Name.VI, ind.Name.EN, ind.Type, points, num(ind.Max), fullAt, strings.Join(opts, "\n"), strings.Join(bands, "; "),
					yes(ind.Mandatory), ind.Evidence, strings.Join(ind.AppliesTo, ", "), hvi, hen, yes(ind.Unconfirmed), nvi, nen,
					gvi, gen, cvi, cen, numInt(ind.EvidenceMaxAgeDays), rollupCell(ind.Rollup)})
			}
		}
	}
	levels := [][]string{LevelSheetColumns}
	for _, l := range set.Levels {
		var gs []string
		for _, code := range sortedKeys(l.Groups) {
			t := l.Groups[code]
			gs = append(gs, code+" "+threshold(&t))
		}
		levels = append(levels, []string{strconv.Itoa(l.Level), l.Name.VI, l.Name.EN, l.Mandatory, threshold(l.EveryGroup), strings.Join(gs, "; "), threshold(l.Index)})
	}
	return writeXLSX([]sheetData{
		{name: "indicators", rows: inds, numeric: map[int]bool{3: true, 4: true, 12: true, 13: true, 14: true}},
		{name: "levels", rows: levels, numeric: map[int]bool{0: true}},
		{name: "set", rows: meta},
	})
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// SetFromXLSX reads an indicator-set workbook and returns the set file it
// describes (YAML, format v1) and the parsed, validated set. Spreadsheet
// mistakes come back as *InvalidFile (sheet and column in RowError.Column);
// rule violations (weights, levels, …) as the indicators package reports
// them for any set file.
func SetFromXLSX(data []byte) ([]byte, *indicators.Set, error) {
	var errs []model.RowError
	bad := func(row int, col, vi, en string) {
		errs = append(errs, model.RowError{Row: row, Column: col, VI: vi, EN: en})
	}
	sheet := func(name string, cols []string) *Table {
		rows, err := readXLSX(data, name)
		if errors.Is(err, ErrTooLarge) {
			bad(0, name, ErrTooLarge.Msg.VI, ErrTooLarge.Msg.EN)
			return nil
		}
		if err != nil {
			bad(0, name, "Thiếu trang tính "+name+".", "missing sheet "+name)
			return nil
		}
		t, err := toTable(rows)
		if err != nil {
			bad(0, name, "Trang tính "+name+" trống.", "sheet "+name+" is empty")
			return nil
		}
		for _, e := range checkHeader(t, cols[:1], cols) {
			e.Column = name + ": " + e.Column
			errs = append(errs, e)
		}
		return t
	}
	metaT := sheet("set", SetSheetColumns)
	indT := sheet("indicators", IndicatorSheetColumns)
	levT := sheet("levels", LevelSheetColumns)
	if len(errs) > 0 {
		return nil, nil, &model.InvalidFile{Errors: errs}
	}
	set := &indicators.Set{}
	meta := map[string]string{}
	for _, r := range metaT.Rows {
		meta[strings.ToLower(metaT.Get(r, "key"))] = metaT.Get(r, "value")
	}
	set.Code, set.Version = meta["code"], meta["version"]
	set.Name = indicators.Text{VI: meta["name_vi"], EN: meta["name_en"]}
	set.Source, set.Assessed = meta["source"], meta["assessed"]
	set.SchoolLevels = splitList(meta["school_levels"])
	set.Index.Method = meta["index_method"]
	set.Provisional = truthy(meta["provisional"])
	if meta["note_vi"] != "" {
		set.Note = &indicators.Text{VI: meta["note_vi"], EN: meta["note_en"]}
	}
	col := func(c string) string { return "indicators: " + c }
	for _, r := range indT.Rows {
		g := indT.Get(r, "group")
		if g == "" {
			bad(r.Num, col("group"), "Cần mã nhóm.", "the group code is required")
			continue
		}
		var grp *indicators.Group
		for i := range set.Groups {
			if set.Groups[i].Code == g {
				grp = &set.Groups[i]
			}
		}
		if grp == nil {
			set.Groups = append(set.Groups, indicators.Group{Code: g, Name: indicators.Text{VI: indT.Get(r, "group_name_vi"), EN: indT.Get(r, "group_name_en")}})
			grp = &set.Groups[len(set.Groups)-1]
			grp.Max = numberCell(indT, r, "group_max", col, bad)
			grp.Weight = numberCell(indT, r, "group_weight", col, bad)
			if v := indT.Get(r, "group_note_vi"); v != "" {
				grp.Note = &indicators.Text{VI: v, EN: indT.Get(r, "group_note_en")}
			}
		}
		c := indT.Get(r, "criterion")
		if c == "" {
			c = indT.Get(r, "code")
		}
		var crit *indicators.Criterion
		for i := range grp.Criteria {
			if grp.Criteria[i].Code == c {
				crit = &grp.Criteria[i]
			}
		}
		if crit == nil {
			name := indicators.Text{VI: indT.Get(r, "criterion_name_vi"), EN: indT.Get(r, "criterion_name_en")}
			if name.VI == "" {
				name = indicators.Text{VI: indT.Get(r, "name_vi"), EN: indT.Get(r, "name_en")}
			}
			grp.Criteria = append(grp.Criteria, indicators.Criterion{Code: c, Name: name})
			crit = &grp.Criteria[len(grp.Criteria)-1]
			if v := indT.Get(r, "criterion_note_vi"); v != "" {
				crit.Note = &indicators.Text{VI: v, EN: indT.Get(r, "criterion_note_en")}
			}
		}
		ind := indicators.Indicator{Code: indT.Get(r, "code"), Name: indicators.Text{VI: indT.Get(r, "name_vi"), EN: indT.Get(r, "name_en")},
			Type: strings.ToLower(indT.Get(r, "type")), Mandatory: truthy(indT.Get(r, "mandatory")), Evidence: strings.ToLower(indT.Get(r, "evidence")),
			AppliesTo: splitList(indT.Get(r, "applies_to")), Unconfirmed: truthy(indT.Get(r, "unconfirmed"))}
		if v := indT.Get(r, "help_vi"); v != "" {
			ind.Help = &indicators.Text{VI: v, EN: indT.Get(r, "help_en")}
		}
		if v := indT.Get(r, "note_vi"); v != "" {
			ind.Note = &indicators.Text{VI: v, EN: indT.Get(r, "note_en")}
		}
		if v := indT.Get(r, "evidence_max_age_days"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				bad(r.Num, col("evidence_max_age_days"), "Thời hạn của minh chứng là số ngày (số nguyên).", "the evidence's maximum age is a whole number of days")
			}
			ind.EvidenceMaxAgeDays = n
		}
		if v := indT.Get(r, "rollup"); v != "" {
			f := strings.Fields(v)
			ind.Rollup = &indicators.Rollup{Measure: strings.ToLower(f[0])}
			if len(f) == 2 {
				n, err := strconv.Atoi(f[1])
				if err != nil {
					bad(r.Num, col("rollup"), "Chỉ tiêu tổng hợp viết: share_at_level 2, mean_index hoặc participation.", "a roll-up is written share_at_level 2, mean_index or participation")
				}
				ind.Rollup.MinLevel = n
			} else if len(f) > 2 {
				bad(r.Num, col("rollup"), "Chỉ tiêu tổng hợp viết: share_at_level 2, mean_index hoặc participation.", "a roll-up is written share_at_level 2, mean_index or participation")
			}
		}
		points := numberCell(indT, r, "points", col, bad)
		ind.Max = numberCell(indT, r, "max", col, bad)
		fullAt := numberCell(indT, r, "full_at", col, bad)
		switch ind.Type {
		case indicators.TypeBoolean:
			ind.Points = points
		case indicators.TypePercent, indicators.TypeNumber:
			if fullAt > 0 {
				ind.Proportional = &indicators.Proportional{Points: points, FullAt: fullAt}
			}
		}
		for _, line := range strings.Split(indT.Get(r, "options"), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			parts := strings.SplitN(line, "|", 4)
			for i := range parts {
				parts[i] = strings.TrimSpace(parts[i])
			}
			if len(parts) < 3 {
				bad(r.Num, col("options"), "Mỗi dòng lựa chọn viết: mã | điểm | tên tiếng Việt | tên tiếng Anh.", "each option line is: code | points | Vietnamese name | English name")
				continue
			}
			p, ok := parseNumber(parts[1])
			if !ok {
				bad(r.Num, col("options"), "Điểm của lựa chọn "+parts[0]+" không phải là số.", "the points of option "+parts[0]+" are not a number")
			}
			o := indicators.Option{Code: parts[0], Points: p, Name: indicators.Text{VI: parts[2]}}
			if len(parts) == 4 {
				o.Name.EN = parts[3]
			}
			ind.Options = append(ind.Options, o)
		}
		for _, b := range strings.Split(indT.Get(r, "bands"), ";") {
			if strings.TrimSpace(b) == "" {
				continue
			}
			minS, ptsS, ok := strings.Cut(b, ":")
			mn, ok1 := parseNumber(strings.TrimSpace(minS))
			pt, ok2 := parseNumber(strings.TrimSpace(ptsS))
			if !ok || !ok1 || !ok2 {
				bad(r.Num, col("bands"), "Mỗi ngưỡng viết: giá trị tối thiểu: điểm (ví dụ 80: 10; 50: 5).", "each band is min: points (e.g. 80: 10; 50: 5)")
				continue
			}
			ind.Bands = append(ind.Bands, indicators.Band{Min: mn, Points: pt})
		}
		crit.Indicators = append(crit.Indicators, ind)
	}
	lcol := func(c string) string { return "levels: " + c }
	for _, r := range levT.Rows {
		n, err := strconv.Atoi(levT.Get(r, "level"))
		if err != nil {
			bad(r.Num, lcol("level"), "Mức là số nguyên.", "a level is a whole number")
		}
		l := indicators.Level{Level: n, Name: indicators.Text{VI: levT.Get(r, "name_vi"), EN: levT.Get(r, "name_en")}, Mandatory: strings.ToLower(levT.Get(r, "mandatory"))}
		if v := levT.Get(r, "every_group"); v != "" {
			t, ok := parseThreshold(v)
			if !ok {
				bad(r.Num, lcol("every_group"), "Ngưỡng viết > 75 hoặc >= 50.", "a threshold is written > 75 or >= 50")
			}
			l.EveryGroup = &t
		}
		if v := levT.Get(r, "index"); v != "" {
			t, ok := parseThreshold(v)
			if !ok {
				bad(r.Num, lcol("index"), "Ngưỡng viết > 75 hoặc >= 50.", "a threshold is written > 75 or >= 50")
			}
			l.Index = &t
		}
		for _, part := range strings.Split(levT.Get(r, "groups"), ";") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			i := strings.IndexAny(part, "><")
			var t indicators.Threshold
			ok := i > 0
			if ok {
				t, ok = parseThreshold(part[i:])
			}
			if !ok {
				bad(r.Num, lcol("groups"), "Điều kiện nhóm viết: mã nhóm > 75 hoặc mã nhóm >= 50, cách nhau bởi dấu chấm phẩy.", "group conditions are written CODE > 75 or CODE >= 50, separated by semicolons")
				continue
			}
			if l.Groups == nil {
				l.Groups = map[string]indicators.Threshold{}
			}
			l.Groups[strings.TrimSpace(part[:i])] = t
		}
		set.Levels = append(set.Levels, l)
	}
	if len(errs) > 0 {
		model.SortRowErrors(errs)
		return nil, nil, &model.InvalidFile{Errors: errs}
	}
	out, err := yaml.Marshal(set)
	if err != nil {
		return nil, nil, fmt.Errorf("imports: encode set: %w", err)
	}
	header := fmt.Sprintf("# %s %s: written by `dxindex import indicators` from a spreadsheet.\n", set.Code, set.Version)
	out = append([]byte(header), out...)
	parsed, err := indicators.Parse(set.Code+".yaml", out)
	if err != nil {
		return out, nil, err
	}
	return out, parsed, nil
}

func numberCell(t *Table, r Row, c string, col func(string) string, bad func(int, string, string, string)) float64 {
	v := t.Get(r, c)
	if v == "" {
		return 0
	}
	f, ok := parseNumber(v)
	if !ok {
		bad(r.Num, col(c), "Không phải là số: "+v+".", "not a number: "+v)
	}
	return f
}

func parseThreshold(s string) (indicators.Threshold, bool) {
	s = strings.TrimSpace(s)
	var t indicators.Threshold
	switch {
	case strings.HasPrefix(s, ">="), strings.HasPrefix(s, "≥"):
		v, ok := parseNumber(strings.TrimSpace(strings.TrimLeft(s, ">=≥")))
		t.AtLeast = &v
		return t, ok
	case strings.HasPrefix(s, ">"):
		v, ok := parseNumber(strings.TrimSpace(s[1:]))
		t.Above = &v
		return t, ok
	}
	return t, false
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(c rune) bool { return c == ',' || c == ';' || c == ' ' || c == '\n' }) {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "x", "yes", "true", "1", "có", "co", "v", "✓":
		return true
	}
	return false
}
