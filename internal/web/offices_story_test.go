package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// checkOfficeStory: the demo's office campaigns on the public dashboard
// and API (issue 13), called by TestDemoTellsTheStory on its demo.
// 2025-2026: the national ranking of the Sở (unit=BGDDT, and VN, the
// same) ranks Hưng Yên's Sở, the one published, by its own index and
// level; its page is its own result (profile, level, gap, trend) and
// exports as a school's does.
func checkOfficeStory(t *testing.T, h http.Handler, get func(string, any), campaign func(string) int64) {
	t.Helper()
	id := campaign("Sở GDĐT – năm học 2025-2026")
	var national rankingsResponse
	for _, unit := range []string{"BGDDT", "VN", "vn"} {
		var r rankingsResponse
		get(fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=%s", id, unit), &r)
		if r.Unit.Code != "BGDDT" || len(r.Rows) < 8 {
			t.Fatalf("unit=%s: %+v rows %+v", unit, r.Unit, r.Rows)
		}
		national = r
	}
	// The Sở ranked nationally: only the published ones, each by its own
	// index and level, best first, at three levels; the Sở that never
	// started are counted in participation, not ranked.
	levels := map[int]bool{}
	var hy *rankingRow
	for i, r := range national.Rows {
		if r.Kind != "province" || r.Index == nil || r.Level == 0 || r.PublishedAt == nil || r.Rank == 0 {
			t.Errorf("national ranking row %+v", r)
			continue
		}
		if i > 0 && (*r.Index > *national.Rows[i-1].Index || r.Rank < national.Rows[i-1].Rank) {
			t.Errorf("national ranking out of order at %s", r.Code)
		}
		levels[r.Level] = true
		if r.Code == "33" {
			hy = &national.Rows[i]
		}
	}
	if len(levels) != 3 {
		t.Errorf("the national ranking of the Sở has levels %v, want 1, 2 and 3", levels)
	}
	if hy == nil || *hy.Index <= 0 || hy.Level != 2 {
		t.Fatalf("Hưng Yên's Sở in the national ranking: %+v", hy)
	}
	if national.Unit.Total < 34 || national.Unit.Submitted != len(national.Rows) {
		t.Errorf("participation of the Sở: %d of %d submitted, want the %d ranked of every Sở", national.Unit.Submitted, national.Unit.Total, len(national.Rows))
	}
	// A school campaign's VN is no unit (its root is the Ministry too, so
	// it ranks the provinces).
	page := func(path string) string {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		return rec.Body.String()
	}
	// The Sở's page: its own result, not a ranking of its subtree.
	body := page(fmt.Sprintf("/dashboard/%d/units/33", id))
	for _, want := range []string{"Tỉnh Hưng Yên", "LD.1.1", "KQ.1.1", "Mức đáp ứng cơ bản"} {
		if !strings.Contains(body, want) {
			t.Errorf("the Sở's page lacks %q", want)
		}
	}
	// Its trend and report links are its own: the trend across the office
	// campaigns, the printed result of the Sở (not its schools').
	if !strings.Contains(body, `href="/trend/33?office=1"`) || !strings.Contains(body, fmt.Sprintf(`href="/dashboard/%d/units/33/report"`, id)) {
		t.Error("the Sở's page does not link its own trend and report")
	}
	tp := page("/trend/33?office=1")
	for _, want := range []string{"Diễn biến kết quả tự đánh giá của cơ quan", "Sở GDĐT – năm học 2025-2026", "Mức đáp ứng cơ bản", `href="/trend/33/export.csv?office=1"`} {
		if !strings.Contains(tp, want) {
			t.Errorf("the Sở's own trend lacks %q", want)
		}
	}
	if strings.Contains(tp, "Năm học 2025-2026<") || strings.Contains(tp, "Qua các lần sắp xếp") {
		t.Error("the Sở's own trend shows its schools' campaigns")
	}
	if tc := page("/trend/33/export.csv?office=1"); !strings.Contains(tc, "Sở GDĐT – năm học 2025-2026") || strings.Contains(tc, "Năm học 2022-2023") {
		t.Errorf("the Sở's own trend export: %s", tc)
	}
	rp := page(fmt.Sprintf("/dashboard/%d/units/33/report", id))
	for _, want := range []string{"Tỉnh Hưng Yên", "KQ.1 ", "Mức đáp ứng cơ bản", `class="report-page"`} {
		if !strings.Contains(rp, want) {
			t.Errorf("the Sở's report lacks %q", want)
		}
	}
	if strings.Contains(rp, "office-report") {
		t.Error("the Sở's report is the report on its schools")
	}
	// A province without demo schools is in the tree, not in the school
	// campaign's ranking (no zero row).
	var sc rankingsResponse
	get(fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=BGDDT", campaign("Năm học 2025-2026")), &sc)
	for _, r := range sc.Rows {
		if r.Code == "01" || r.Schools == 0 {
			t.Errorf("the 2025-2026 school ranking has a row without schools: %+v", r)
		}
	}
	// Its page in that campaign: no result, no ranking row, no error.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/dashboard/%d/units/01", campaign("Năm học 2025-2026")), nil))
	if rec.Code >= 500 || (rec.Code == http.StatusOK && strings.Contains(rec.Body.String(), "<td>1</td>")) {
		t.Errorf("Hà Nội's page in the 2025-2026 school campaign: %d %s", rec.Code, rec.Body)
	}
	csv := page(fmt.Sprintf("/dashboard/%d/units/33/export.csv", id))
	if !strings.Contains(csv, "LD.1.1") || !strings.Contains(csv, "KQ.1.1") {
		t.Errorf("the Sở's export: %s", csv)
	}
	// The Ministry's page ranks the Sở.
	if body := page(fmt.Sprintf("/dashboard/%d/units/BGDDT", id)); !strings.Contains(body, "Tỉnh Hưng Yên") || !strings.Contains(body, "Xếp hạng Sở, Phòng GDĐT") {
		t.Error("the national page does not rank Hưng Yên's Sở among the offices")
	}
	// 2024-2025: Quỳnh Phụ's Phòng has its own page too.
	if body := page(fmt.Sprintf("/dashboard/%d/units/338", campaign("Sở, Phòng GDĐT – năm học 2024-2025"))); !strings.Contains(body, "LD.1.1") {
		t.Error("Quỳnh Phụ's Phòng's page is not its own result")
	}
}
