package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/seed"
	"github.com/dxindex/dxindex/survey/model"
)

// TestDemoTellsTheStory: the demo runs the 2025 reorganisation between its
// campaigns. The public rankings of Hưng Yên (33) in 2026-2027 list its
// communes; 2023-2024 still ranks Quỳnh Phụ (338) inside Thái Bình (34);
// a Quỳnh Phụ school's public trend spans the five campaigns across the
// change; the 2026-2027 reviewers are the communes and the Sở.
func TestDemoTellsTheStory(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	res, err := seed.Demo(ctx, pool, seed.DemoOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// The seeding built every published campaign's read model as it
	// published (before and after the reorganisation): no GET builds one.
	var stale, published int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE coalesce(st.revision, 0) <> c.published_revision), count(*)
		FROM campaigns c LEFT JOIN dash_state st ON st.campaign_id = c.id WHERE c.published_revision > 0`).Scan(&stale, &published); err != nil {
		t.Fatal(err)
	}
	if published == 0 || stale != 0 {
		t.Fatalf("after seeding, %d of %d published campaigns have no current read model", stale, published)
	}
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string, into any) {
		t.Helper()
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), into); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	campaign := func(name string) int64 {
		var id int64
		if err := pool.QueryRow(ctx, `SELECT id FROM campaigns WHERE name = $1`, name).Scan(&id); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return id
	}
	if fmt.Sprint(res.Campaigns) != "[Năm học 2022-2023 Năm học 2023-2024 Năm học 2024-2025 Sở, Phòng GDĐT – năm học 2024-2025 Năm học 2025-2026 Sở GDĐT – năm học 2025-2026 Năm học 2026-2027]" {
		t.Fatalf("campaigns %v", res.Campaigns)
	}

	// 2026-2027: Hưng Yên ranks communes, Quỳnh Phụ's new ones among them.
	var hy rankingsResponse
	get(fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=33", campaign("Năm học 2026-2027")), &hy)
	var communes, ranked int
	for _, r := range hy.Rows {
		if r.Kind != "commune" {
			t.Errorf("Hưng Yên 2026-2027 ranks %s %s (%s), want communes only", r.Code, r.Name, r.Kind)
		}
		communes++
		if r.Index != nil {
			ranked++
		}
	}
	if communes == 0 || ranked == 0 {
		t.Fatalf("Hưng Yên 2026-2027: %d communes, %d with a published index", communes, ranked)
	}
	checkOfficeStory(t, srv.Handler(), get, campaign)

	// 2023-2024: Thái Bình still ranks its districts, Quỳnh Phụ among them.
	var tb rankingsResponse
	get(fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=34", campaign("Năm học 2023-2024")), &tb)
	found := false
	for _, r := range tb.Rows {
		if r.Kind != "district" {
			t.Errorf("Thái Bình 2023-2024 ranks %s (%s), want districts", r.Code, r.Kind)
		}
		if r.Code == "338" && r.Schools == 90 && r.Index != nil {
			found = true
		}
	}
	if !found {
		t.Fatalf("Thái Bình 2023-2024 does not rank Quỳnh Phụ's 90 schools: %+v", tb.Rows)
	}

	// The showcase school approved in 2024-2025 and in 2026-2027: five
	// campaigns, under district 338 then under its commune of Hưng Yên.
	var school string
	for _, a := range res.Accounts {
		if a.Role == model.RoleSchool && strings.HasPrefix(a.UnitCode, "338") && strings.Contains(a.Note, "2024-2025: đã duyệt") {
			school = a.UnitCode
		}
	}
	if school == "" {
		t.Fatal("no approved Quỳnh Phụ showcase school")
	}
	var tr dashview.UnitTrend
	get("/api/v1/units/"+school+"/trend", &tr)
	var years []string
	for _, p := range tr.Points {
		years = append(years, p.SchoolYear)
	}
	if fmt.Sprint(years) != "[2022-2023 2023-2024 2024-2025 2025-2026 2026-2027]" {
		t.Fatalf("%s's trend covers %v, want the five campaigns", school, years)
	}
	if tr.Points[2].ParentCode != "338" || tr.Points[3].ParentCode == "338" || tr.Points[3].ParentCode != tr.Points[4].ParentCode {
		t.Errorf("%s's parents across the change: %+v", school, tr.Points)
	}
	var communeKind string
	_ = pool.QueryRow(ctx, `SELECT kind FROM units WHERE code = $1`, tr.Points[4].ParentCode).Scan(&communeKind)
	if communeKind != "commune" {
		t.Errorf("%s stands under %s (%s) in 2026-2027, want a commune", school, tr.Points[4].ParentCode, communeKind)
	}

	// The trend pages read the same data and say where the boundary
	// changed: Hưng Yên (33) held none of these schools before 2025.
	page := func(path string) string {
		t.Helper()
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		return rec.Body.String()
	}
	sp := page("/trend/" + school)
	for _, want := range append(years, "Qua các lần sắp xếp đơn vị hành chính", "Huyện Quỳnh Phụ (338)", "("+tr.Points[4].ParentCode+")") {
		if !strings.Contains(sp, want) {
			t.Errorf("/trend/%s does not say %q", school, want)
		}
	}
	if hp := page("/trend/33"); !strings.Contains(hp, "đã thay đổi: 0 trong") || !strings.Contains(hp, "2022-2023") {
		t.Error("/trend/33 does not say where the boundary changed")
	}
	if dp := page("/trend/338"); !strings.Contains(dp, "đã chấm dứt hoạt động") || !strings.Contains(dp, "2026-2027") {
		t.Error("/trend/338 does not follow the legacy district past 2025")
	}

	// 2026-2027's approvals were made by commune reviewers and the Sở, none
	// by a district; the demo prints an account for each commune reviewer.
	rows, err := pool.Query(ctx, `SELECT DISTINCT u.role FROM assessments x JOIN users u ON u.id = x.approved_by
		WHERE x.campaign_id = $1 ORDER BY 1`, campaign("Năm học 2026-2027"))
	if err != nil {
		t.Fatal(err)
	}
	var roles []string
	for rows.Next() {
		var r string
		_ = rows.Scan(&r)
		roles = append(roles, r)
	}
	rows.Close()
	if fmt.Sprint(roles) != "[commune province]" {
		t.Errorf("2026-2027 approved by %v, want [commune province]", roles)
	}
	var xa, so33 bool
	for _, a := range res.Accounts {
		xa = xa || (a.Role == model.RoleCommune && a.UnitCode == tr.Points[4].ParentCode)
		so33 = so33 || (a.Role == model.RoleProvince && a.Username == "so.33")
	}
	if !xa || !so33 {
		t.Errorf("the demo prints no reviewer of %s's commune (%v) or no so.33 (%v)", school, xa, so33)
	}
}
