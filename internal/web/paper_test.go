package web

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestDistrictSummaryWorkbook: the summary workbook of a district counts
// its schools by school level × level, lists them with index and level,
// and states the coverage; a school has none.
func TestDistrictSummaryWorkbook(t *testing.T) {
	w := newDashWorld(t)
	rec := w.get(t, "", fmt.Sprintf("/dashboard/%d/units/338/summary.xlsx", w.campaign))
	if rec.Code != 200 {
		t.Fatalf("summary.xlsx: %d %s", rec.Code, rec.Body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, "|") != "Tổng hợp|Danh sách trường|Độ bao phủ" {
		t.Fatalf("sheets %v", got)
	}
	sum, _ := f.GetRows("Tổng hợp")
	// Quỳnh Phụ: A1, A2, A4 lower secondary, A3 primary; all published.
	if len(sum) != 4 || sum[0][0] != "Cấp học" || sum[1][0] != "THCS" || sum[3][0] != "Tổng" {
		t.Fatalf("summary rows %q", sum)
	}
	last := len(sum[3]) - 2
	if sum[1][last] != "3" || sum[2][last] != "1" || sum[3][last] != "4" {
		t.Errorf("counts by school level %q", sum)
	}
	list, _ := f.GetRows("Danh sách trường")
	if len(list) != 5 || list[1][1] != "A1" && list[1][1] != "A2" {
		t.Errorf("school list %q", list)
	}
	for _, r := range list[1:] {
		if r[2] == "'"+formulaName {
			t.Errorf("an apostrophe in an XLSX text cell: %q", r[2])
		}
	}
	cov, _ := f.GetRows("Độ bao phủ")
	if len(cov) != 2 || cov[1][0] != "Quỳnh Phụ" || cov[1][1] != "4" || cov[1][3] != "4" {
		t.Errorf("coverage %q", cov)
	}
	if p, _ := f.GetPanes("Danh sách trường"); !p.Freeze {
		t.Error("the list's header row is not frozen")
	}
	if rec := w.get(t, "", fmt.Sprintf("/dashboard/%d/units/A1/summary.xlsx", w.campaign)); rec.Code != 404 {
		t.Errorf("a school's summary: %d", rec.Code)
	}
	if rec := w.get(t, "", fmt.Sprintf("/dashboard/%d/units/338/summary.xlsx", w.draft)); rec.Code != 404 {
		t.Errorf("an unpublished campaign's summary: %d", rec.Code)
	}
}
