package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/numfmt"
	"github.com/xuri/excelize/v2"
)

// TestIndexReadsTheSameEverywhere renders every page type and export of
// one published campaign and checks that each school's index reads the
// same in all of them: the API's full-precision value, rounded once
// (numfmt: 2 decimals, half up), with a decimal comma on pages and print,
// a point in CSV, the rounded number in XLSX.
func TestIndexReadsTheSameEverywhere(t *testing.T) {
	w := newDashWorld(t)
	id := w.campaign
	parents := map[string]string{"A1": "338", "A2": "338", "A3": "338", "A4": "338", "B1": "339", "H1": "34"}

	// The truth: the rankings API, full precision.
	truth := map[string]float64{}
	for _, parent := range []string{"338", "339", "34"} {
		rec := w.get(t, "", fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=%s", id, parent))
		var resp rankingsResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("%s: %v %s", parent, err, rec.Body)
		}
		for _, r := range resp.Rows {
			if _, ok := parents[r.Code]; ok && r.Index != nil {
				truth[r.Code] = *r.Index
			}
		}
	}
	if len(truth) != len(parents) {
		t.Fatalf("the API ranks %v", truth)
	}
	body := func(path string) string {
		t.Helper()
		rec := w.get(t, "", path)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", path, rec.Code)
		}
		return rec.Body.String()
	}
	cell := regexp.MustCompile(`<td>([^<]*)</td>`)
	for code, x := range truth {
		vi, data := numfmt.Fixed("vi", x, 2), numfmt.Data(x, 2)
		parent := parents[code]

		// The parent's page: the school's row holds the index.
		page := body(fmt.Sprintf("/dashboard/%d/units/%s", id, parent))
		row := rowOf(page, fmt.Sprintf(`/dashboard/%d/units/%s"`, id, code))
		found := false
		for _, m := range cell.FindAllStringSubmatch(row, -1) {
			found = found || m[1] == vi
		}
		if !found {
			t.Errorf("%s: the %s page's row lacks %s: %s", code, parent, vi, row)
		}
		// The school's page, its printed report, the parent's report.
		for _, path := range []string{fmt.Sprintf("/dashboard/%d/units/%s", id, code), fmt.Sprintf("/dashboard/%d/units/%s/report", id, code),
			fmt.Sprintf("/dashboard/%d/units/%s/report", id, parent)} {
			if p := body(path); !strings.Contains(p, "<strong>"+vi+"</strong>") {
				t.Errorf("%s: %s does not read %s", code, path, vi)
			}
		}
		// The school's trend page and its files.
		if p := body("/trend/" + code); !strings.Contains(p, "<td>"+vi+"</td>") {
			t.Errorf("%s: the trend page does not read %s", code, vi)
		}
		if got := csvCell(t, body("/trend/"+code+"/export.csv"), 0, "Chỉ số trung bình"); got != data {
			t.Errorf("%s: trend CSV %q, want %q", code, got, data)
		}
		// The parent's exports and the rankings API's CSV.
		if got := csvCell(t, body(fmt.Sprintf("/dashboard/%d/units/%s/export.csv", id, parent)), rowIndex(t, body(fmt.Sprintf("/dashboard/%d/units/%s/export.csv", id, parent)), code), "Chỉ số"); got != data {
			t.Errorf("%s: page CSV %q, want %q", code, got, data)
		}
		apiCSV := body(fmt.Sprintf("/api/v1/campaigns/%d/rankings.csv?unit=%s", id, parent))
		if got := csvCell(t, apiCSV, rowIndex(t, apiCSV, code), "index"); got != data {
			t.Errorf("%s: API CSV %q, want %q", code, got, data)
		}
		if got := xlsxIndex(t, w.get(t, "", fmt.Sprintf("/dashboard/%d/units/%s/export.xlsx", id, parent)), code); got != numfmt.Round(x, 2) {
			t.Errorf("%s: XLSX %v, want %v", code, got, numfmt.Round(x, 2))
		}
		// The public result API keeps full precision.
		if x != truth[code] {
			t.Errorf("%s: API %v", code, x)
		}
	}
	// The methodology states the rounding once.
	if p := body(fmt.Sprintf("/dashboard/%d/methodology", id)); !strings.Contains(p, "86,255 → 86,26") {
		t.Errorf("the methodology page does not state the rounding")
	}
}

// rowOf is the <tr> of a page that holds marker.
func rowOf(page, marker string) string {
	i := strings.Index(page, marker)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(page[:i], "<tr")
	end := strings.Index(page[i:], "</tr>")
	if start < 0 || end < 0 {
		return ""
	}
	return page[start : i+end]
}

func csvRecords(t *testing.T, s string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(s, "\xef\xbb\xbf"))).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("csv: %v %q", err, s)
	}
	return recs
}

// rowIndex is the data row (0 first) whose unit code is code.
func rowIndex(t *testing.T, s, code string) int {
	t.Helper()
	for i, r := range csvRecords(t, s)[1:] {
		for _, v := range r[:3] {
			if v == code {
				return i
			}
		}
	}
	t.Fatalf("no row %s in %q", code, s)
	return -1
}

// csvCell is column head of data row i.
func csvCell(t *testing.T, s string, i int, head string) string {
	t.Helper()
	recs := csvRecords(t, s)
	for c, h := range recs[0] {
		if h == head {
			return recs[i+1][c]
		}
	}
	t.Fatalf("no column %q in %v", head, recs[0])
	return ""
}

func xlsxIndex(t *testing.T, rec *httptest.ResponseRecorder, code string) float64 {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for c, h := range rows[0] {
		if h == "Chỉ số" {
			col = c
		}
	}
	for _, r := range rows[1:] {
		if len(r) > col && r[1] == code {
			v, err := strconv.ParseFloat(r[col], 64)
			if err != nil {
				t.Fatalf("xlsx index %q", r[col])
			}
			return v
		}
	}
	t.Fatalf("no xlsx row %s", code)
	return 0
}
