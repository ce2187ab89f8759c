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
		if r.Unit.Code != "BGDDT" || len(r.Rows) != 1 {
			t.Fatalf("unit=%s: %+v rows %+v", unit, r.Unit, r.Rows)
		}
		national = r
	}
	hy := national.Rows[0]
	if hy.Code != "33" || hy.Kind != "province" || hy.Rank != 1 || hy.Index == nil || *hy.Index <= 0 || hy.Level == 0 || hy.PublishedAt == nil {
		t.Fatalf("Hưng Yên's Sở in the national ranking: %+v", hy)
	}
	if national.Unit.Total < 2 || national.Unit.Submitted != 1 {
		t.Errorf("participation of the Sở: %d of %d submitted, want 1 of every Sở", national.Unit.Submitted, national.Unit.Total)
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
