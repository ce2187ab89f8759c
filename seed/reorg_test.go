package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/dxindex/dxindex/dashboard"
	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/seed/crosswalk"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pastSnapshot is everything the public and the offices read of every
// campaign: the published rows, the export of the whole campaign, and the
// public ranking of the root and of every province and district of the
// campaign's tree (from a fresh dashboard store, so nothing is cached).
func pastSnapshot(t *testing.T, pool *pgxpool.Pool) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	var pub string
	if err := pool.QueryRow(ctx, `SELECT coalesce(string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s|%s', publication_id, assessment_id, unit_id, unit_code,
		unit_name, path, school_level, index, level) || '|' || result::text, E'\n' ORDER BY publication_id, assessment_id), '') FROM published_results`).Scan(&pub); err != nil {
		t.Fatal(err)
	}
	out["published_results"] = pub
	rows, err := pool.Query(ctx, `SELECT id, published_revision FROM campaigns ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	type camp struct {
		id  int64
		rev int
	}
	var cs []camp
	for rows.Next() {
		var c camp
		if err := rows.Scan(&c.id, &c.rev); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	rows.Close()
	store := dashboard.New(pool)
	for _, c := range cs {
		ex, err := dashboard.ExportCampaign(ctx, pool, c.id, "")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(ex)
		out[fmt.Sprintf("export %d", c.id)] = string(b)
		if c.rev == 0 {
			continue
		}
		dc, err := store.Published(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		codes, err := pool.Query(ctx, `SELECT u.code FROM campaign_units cu JOIN units u ON u.id = cu.unit_id
			WHERE cu.campaign_id = $1 AND u.kind IN ('ministry', 'province', 'district') ORDER BY u.code`, c.id)
		if err != nil {
			t.Fatal(err)
		}
		var list []string
		for codes.Next() {
			var code string
			_ = codes.Scan(&code)
			list = append(list, code)
		}
		codes.Close()
		for _, code := range list {
			u, err := store.Unit(ctx, dc, code)
			if err != nil {
				t.Fatal(err)
			}
			r, err := store.Ranking(ctx, dc, u, dashview.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(r)
			out[fmt.Sprintf("ranking %d %s", c.id, code)] = string(b)
		}
	}
	return out
}

// TestReorgDemoKeepsThePast runs the July 2025 reorganisation with the
// shipped crosswalk on the demo: no school lost, every school moved to a
// commune of the new tree or reported, every past result, export and
// ranking byte for byte what it was, and a second run changes nothing.
func TestReorgDemoKeepsThePast(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	// The demo up to the reorganisation: its three campaigns on the
	// pre-2025 tree (the full demo runs the reorganisation itself).
	if _, err := Demo(ctx, pool, DemoOptions{Seed: 1, beforeReorg: true}); err != nil {
		t.Fatal(err)
	}
	before := pastSnapshot(t, pool)
	var schools int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM units WHERE kind = 'school'`).Scan(&schools)

	cw, err := crosswalk.July2025(nil)
	if err != nil {
		t.Fatal(err)
	}
	svc := survey.NewService(pool)
	admin := &model.Actor{Role: model.RoleAdmin, Username: "admin"}
	eff := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	rep, err := svc.Reorganize(ctx, admin, cw, eff, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("reorganised in %v: %d new, %d kept, %d moves, %d retired, %d unmatched, %d to decide",
		time.Since(start), len(rep.New), len(rep.Kept), len(rep.Moves), len(rep.Retired), len(rep.Unmatched), len(rep.ToDecide))

	// 0 schools lost; every school either under a live commune of the new
	// tree, or reported (unmatched or to decide).
	var after, underCommune int
	_ = pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE p.kind = 'commune' AND p.valid_to IS NULL)
		FROM units u JOIN units p ON p.id = u.parent_id WHERE u.kind = 'school' AND u.valid_to IS NULL`).Scan(&after, &underCommune)
	reported := len(rep.ToDecide)
	for _, u := range rep.Unmatched {
		if u.Kind == "school" {
			reported++
		}
	}
	if after != schools || underCommune+reported != schools {
		t.Fatalf("%d schools before, %d after, %d under a commune, %d reported", schools, after, underCommune, reported)
	}
	// Quỳnh Phụ's 90 are now in Hưng Yên (33), each keeping district 338.
	var qp int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM units u WHERE u.legacy_district_id = (SELECT id FROM units WHERE code = '338')
		AND (SELECT id FROM units WHERE code = '33') = ANY(u.path)`).Scan(&qp)
	if qp != 90 {
		t.Fatalf("%d of Quỳnh Phụ's 90 schools are in Hưng Yên with their legacy district", qp)
	}
	// The island districts Bạch Long Vĩ (318) and Cồn Cỏ (471) had no
	// communes; the crosswalk gives their đặc khu without an old code, so
	// their schools are reported for a person to move, and the districts
	// stay live until then. Every other district retires.
	var liveDistricts []string
	rows, _ := pool.Query(ctx, `SELECT code FROM units WHERE kind = 'district' AND valid_to IS NULL ORDER BY code`)
	for rows.Next() {
		var c string
		_ = rows.Scan(&c)
		liveDistricts = append(liveDistricts, c)
	}
	rows.Close()
	var unmatchedSchools []string
	for _, u := range rep.Unmatched {
		if u.Kind == "school" {
			unmatchedSchools = append(unmatchedSchools, u.Code)
		}
	}
	if fmt.Sprint(liveDistricts) != "[318 471]" || fmt.Sprint(unmatchedSchools) != "[318001 318002 471001 471002]" {
		t.Fatalf("live districts %v, unmatched schools %v", liveDistricts, unmatchedSchools)
	}
	// The past, byte for byte.
	got := pastSnapshot(t, pool)
	if len(got) != len(before) {
		t.Fatalf("%d snapshots before, %d after", len(before), len(got))
	}
	for k, v := range before {
		if got[k] != v {
			t.Errorf("%s changed with the reorganisation", k)
		}
	}
	// Trends across the change: a Quỳnh Phụ school keeps its results; the
	// retired district 338 is followed over the 90 schools it held; Hưng
	// Yên (33), new in this database, over the schools it holds now, which
	// in those campaigns stood in Thái Bình: the boundary changed.
	store := dashboard.New(pool)
	school, err := store.TrendAcross(ctx, "338001")
	if err != nil || len(school.Points) != 2 || school.Points[0].SchoolYear != "2022-2023" || school.Points[0].ParentCode != "338" {
		t.Fatalf("school trend: %+v %v", school, err)
	}
	d338, err := store.TrendAcross(ctx, "338")
	// 2024-2025 was published in part (the schools approved before 1 July
	// 2025): 32 of the 90.
	if err != nil || !d338.Retired || len(d338.Points) != 3 || d338.Points[1].Schools != 90 || d338.Points[2].Schools != 32 || d338.Points[1].BoundaryChanged || d338.Points[2].BoundaryChanged {
		t.Fatalf("district 338's trend: %+v %v", d338, err)
	}
	hy, err := store.TrendAcross(ctx, "33")
	if err != nil || len(hy.Points) != 3 || hy.Points[1].Schools < 90 || hy.Points[1].InTree != 0 || !hy.Points[1].BoundaryChanged || !hy.Points[2].BoundaryChanged {
		t.Fatalf("Hưng Yên's trend: %+v %v", hy, err)
	}
	// A second run changes nothing.
	again, err := svc.Reorganize(ctx, admin, cw, eff, false)
	if err != nil || again.Changes() {
		t.Fatalf("second run: %+v %v", again, err)
	}
}
