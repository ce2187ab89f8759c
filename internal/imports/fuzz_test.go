package imports

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/survey/model"
)

// checkTable holds for every table read from any file: rows numbered as
// the spreadsheet shows them (after the header, increasing), cells valid
// UTF-8 in NFC, and Get never failing.
func checkTable(t *testing.T, tb *Table) {
	t.Helper()
	last := 1
	for _, r := range tb.Rows {
		if r.Num <= last {
			t.Fatalf("row numbers not increasing after the header: %d after %d", r.Num, last)
		}
		last = r.Num
		for _, c := range r.Cells {
			if !utf8.ValidString(c) || !norm.NFC.IsNormalString(c) {
				t.Fatalf("cell %q is not NFC UTF-8", c)
			}
		}
		for _, h := range tb.Header {
			_ = tb.Get(r, h)
		}
	}
}

// FuzzReadTable feeds arbitrary bytes to the import reader as CSV and as
// XLSX (units and users files): it must never panic, and returns either
// an error or a well-formed table.
func FuzzReadTable(f *testing.F) {
	f.Add([]byte("code,name,kind,parent\n34,Thái Bình,province,\n338,Quỳnh Phụ,district,34\n"), false)
	f.Add([]byte("\xef\xbb\xbfusername;role;unit\nht.a1;school;A1\n\n;;\n"), false)
	f.Add([]byte("a,\"b\nc\",d\n1,2\n"), false)
	for _, kind := range []string{"units", "users"} {
		for _, format := range []string{"csv", "xlsx"} {
			if _, data, err := Template(kind, format); err == nil {
				f.Add(data, format == "xlsx")
			}
		}
	}
	if x, err := Write("xlsx", "units", [][]string{{"code", "name"}, {"34", "Thái Bình"}}); err == nil {
		f.Add(x, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		name := "file.csv"
		if xlsx {
			name = "file.xlsx"
		}
		tb, err := ReadTable(name, bytes.NewReader(data))
		if err != nil {
			return
		}
		checkTable(t, tb)
	})
}

// FuzzSetFromXLSX feeds altered workbooks to the indicator-set import: it
// must never panic, and a set it accepts is valid and is what the set file
// it writes loads to.
func FuzzSetFromXLSX(f *testing.F) {
	for _, s := range indicators.Shipped() {
		if x, err := SetToXLSX(s); err == nil {
			f.Add(x)
		}
	}
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, set, err := SetFromXLSX(data)
		if err != nil {
			var inv *model.InvalidFile
			_ = errors.As(err, &inv)
			return
		}
		if err := set.Validate(); err != nil {
			t.Fatalf("an accepted set does not validate: %v", err)
		}
		again, err := indicators.Parse("set.yaml", file)
		if err != nil {
			t.Fatalf("the set file written does not load: %v\n%s", err, file)
		}
		if again.Code != set.Code || again.Version != set.Version || len(again.Indicators()) != len(set.Indicators()) {
			t.Fatalf("the set file loads to %s@%s (%d indicators), the import gave %s@%s (%d)",
				again.Code, again.Version, len(again.Indicators()), set.Code, set.Version, len(set.Indicators()))
		}
	})
}
