package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestProvinceByLegacyDistrict: a province page offers its results by
// pre-2025 district, counted from the published results: before the
// reorganisation by the district on each school's path, after it by the
// district each school was moved out of (its legacy district), whatever
// its parent is now. H1 (under the province itself, no district) is left
// out.
func TestProvinceByLegacyDistrict(t *testing.T) {
	w := newDashWorld(t)
	ctx := context.Background()
	get := func() string {
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/dashboard/%d/units/34", w.campaign), nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("province page: %d", rec.Code)
		}
		return rec.Body.String()
	}
	count := func(district string) int {
		var n int
		if err := w.pool.QueryRow(ctx, `SELECT count(*) FROM dash_results r JOIN units d ON d.id = ANY(r.path)
			WHERE r.campaign_id = $1 AND d.code = $2`, w.campaign, district).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	body := get()
	i := strings.Index(body, `id="legacy-areas"`)
	if i < 0 {
		t.Fatal("no legacy-district section on the province page")
	}
	section := body[i:]
	for _, d := range []struct{ code, name string }{{"338", "Quỳnh Phụ"}, {"339", "Hưng Hà"}} {
		n := count(d.code)
		if n == 0 {
			t.Fatalf("fixture: nothing published in %s", d.code)
		}
		row := fmt.Sprintf(`%s <small>(%s)</small></td><td class="num">%d</td>`, d.name, d.code, n)
		if !strings.Contains(section, row) {
			t.Errorf("no row %q in %.600s", row, section)
		}
	}
	if strings.Contains(section, "(H1)") {
		t.Error("a school without a district counted as an area")
	}
	// The store groups by a school's legacy district first: give B1 (in
	// 339 on this campaign's path) 338 as its legacy district, as if it had
	// been moved out of 338, and read a fresh store.
	if _, err := w.pool.Exec(ctx, `UPDATE units SET legacy_district_id = (SELECT id FROM units WHERE code = '338') WHERE code = 'B1'`); err != nil {
		t.Fatal(err)
	}
	srv := newDashServer(t, w.pool)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/dashboard/%d/units/34", w.campaign), nil))
	section = rec.Body.String()[strings.Index(rec.Body.String(), `id="legacy-areas"`):]
	if row := fmt.Sprintf(`Quỳnh Phụ <small>(338)</small></td><td class="num">%d</td>`, count("338")+1); !strings.Contains(section, row) {
		t.Errorf("B1 not counted in its legacy district: want %q in %.600s", row, section)
	}
}
