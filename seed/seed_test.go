package seed

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// counts returns the row counts of the tables the seed writes.
func counts(t *testing.T, pool *pgxpool.Pool) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tbl := range []string{"units", "users", "campaigns", "assessments", "answers", "evidence", "reviews", "review_changes",
		"comments", "assessment_events", "publications", "published_results", "app_settings"} {
		var n int
		if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM "+tbl).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[tbl] = n
	}
	return out
}

func TestDemo(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	start := time.Now()
	res, err := Demo(ctx, pool, DemoOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo: %d schools, %d assessments, %d accounts in %v", res.Schools, res.Assessments, len(res.Accounts), time.Since(start))
	first := counts(t, pool)
	t.Logf("counts: %v", first)
	again, err := Demo(ctx, pool, DemoOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || len(again.Accounts) != len(res.Accounts) {
		t.Fatalf("second run: created=%v accounts=%d", again.Created, len(again.Accounts))
	}
	if second := counts(t, pool); !equalCounts(first, second) {
		t.Fatalf("second run changed counts: %v → %v", first, second)
	}
	// Quỳnh Phụ's 90 schools: since the reorganisation under Hưng Yên's
	// (33) communes, each keeping district 338 as its legacy district.
	var qp, underCommune int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE p.kind = 'commune' AND p.valid_to IS NULL
		AND (SELECT id FROM units WHERE code = '33') = ANY(u.path))
		FROM units u JOIN units p ON p.id = u.parent_id WHERE u.legacy_district_id = (SELECT id FROM units WHERE code = '338') AND u.kind = 'school'`).Scan(&qp, &underCommune); err != nil {
		t.Fatal(err)
	}
	if qp != 90 || underCommune != 90 {
		t.Errorf("Quỳnh Phụ has %d schools, %d under a commune of Hưng Yên; want 90, 90", qp, underCommune)
	}
	// Its district evaluator sees all 90 in the current campaign.
	var assessed int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM assessments x JOIN campaigns c ON c.id = x.campaign_id JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		WHERE c.name = 'Năm học 2024-2025' AND cu.parent_id = (SELECT id FROM units WHERE code = '338')`).Scan(&assessed); err != nil {
		t.Fatal(err)
	}
	if assessed != 90 {
		t.Errorf("Quỳnh Phụ has %d assessments in 2024-2025, want 90", assessed)
	}
	var students, staff int
	if err := pool.QueryRow(ctx, `SELECT sum(students), sum(staff) FROM units WHERE legacy_district_id = (SELECT id FROM units WHERE code = '338')`).Scan(&students, &staff); err != nil {
		t.Fatal(err)
	}
	if students < 46000 || students > 48000 || staff < 1950 || staff > 2050 {
		t.Errorf("Quỳnh Phụ: %d students, %d staff", students, staff)
	}
	var primary int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM units WHERE legacy_district_id = (SELECT id FROM units WHERE code = '178') AND 'primary' = ANY(school_levels)`).Scan(&primary); err != nil {
		t.Fatal(err)
	}
	if primary != 12 {
		t.Errorf("Thành phố Lạng Sơn: %d schools with primary classes, want 12", primary)
	}
	// The published 2023-2024 results of Thái Bình are public.
	var pub int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM public_results r JOIN campaigns c ON c.id = r.campaign_id
		WHERE c.name = 'Năm học 2023-2024' AND (SELECT id FROM units WHERE code = '34') = ANY(r.path)`).Scan(&pub); err != nil {
		t.Fatal(err)
	}
	if pub == 0 {
		t.Error("no published 2023-2024 result in Thái Bình")
	}
	// The current campaign shows every state.
	rows, err := pool.Query(ctx, `SELECT DISTINCT x.status FROM assessments x JOIN campaigns c ON c.id = x.campaign_id WHERE c.name = 'Năm học 2024-2025'`)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]bool{}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		states[s] = true
	}
	for _, s := range []string{"draft", "submitted", "returned", "approved"} {
		if !states[s] {
			t.Errorf("2024-2025 has no %s assessment", s)
		}
	}
	// The Quỳnh Phụ evaluator, through the survey service, sees 90 schools.
	svc := survey.NewService(pool)
	d, _ := svc.UnitByCode(ctx, "338")
	var uid int64
	pool.QueryRow(ctx, `SELECT id FROM users WHERE username = 'phong.338'`).Scan(&uid)
	var cid int64
	pool.QueryRow(ctx, `SELECT id FROM campaigns WHERE name = 'Năm học 2024-2025'`).Scan(&cid)
	phong := &model.Actor{UserID: uid, Username: "phong.338", Role: model.RoleDistrict, UnitID: d.ID, UnitCode: "338", UnitPath: d.Path}
	queue, err := svc.CampaignAssessments(ctx, phong, cid)
	if err != nil || len(queue) != 90 {
		t.Fatalf("phong.338 sees %d assessments: %v", len(queue), err)
	}
	overdue := 0
	for _, r := range queue {
		if r.Overdue {
			overdue++
		}
	}
	if overdue == 0 {
		t.Error("no overdue assessment in Quỳnh Phụ")
	}
	if _, _, err := svc.Login(ctx, "phong.338", "demo-phong.338", "127.0.0.1", model.SessionWeb); err != nil {
		t.Errorf("demo sign-in: %v", err)
	}
	checkOfficeDemo(t, pool)
	present, err := DemoAccountsPresent(ctx, pool)
	if err != nil || !present {
		t.Errorf("DemoAccountsPresent = %v, %v", present, err)
	}
}

// fingerprint sums what the seed drew: equal seeds, equal fingerprints.
func fingerprint(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var s string
	err := pool.QueryRow(context.Background(), `SELECT concat_ws('/',
		(SELECT string_agg(code || ':' || name || ':' || coalesce(students, 0), ',' ORDER BY code) FROM units),
		(SELECT sum(coalesce(validated_index, 0))::text || ':' || string_agg(status, '' ORDER BY unit_id, campaign_id) FROM assessments),
		(SELECT md5(string_agg(value::text, ',' ORDER BY assessment_id, indicator)) FROM answers))`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDemoDeterministic(t *testing.T) {
	ctx := context.Background()
	var prints []string
	for _, seed := range []uint64{7, 7, 8} {
		pool := pgtest.New(t)
		if _, err := Demo(ctx, pool, DemoOptions{Seed: seed, Provinces: []string{"20"}}); err != nil {
			t.Fatal(err)
		}
		prints = append(prints, fingerprint(t, pool))
	}
	if prints[0] != prints[1] {
		t.Error("the same seed gave different data")
	}
	if prints[0] == prints[2] {
		t.Error("different seeds gave the same data")
	}
}

func equalCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

func TestNationalSmall(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	start := time.Now()
	res, err := National(ctx, pool, NationalOptions{Schools: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("national 2000: %+v in %v", res, time.Since(start))
	if res.Schools != 2000 {
		t.Errorf("schools = %d", res.Schools)
	}
	first := counts(t, pool)
	if again, err := National(ctx, pool, NationalOptions{Schools: 2000, Seed: 1}); err != nil || again.Created {
		t.Fatalf("second run: %+v %v", again, err)
	}
	if second := counts(t, pool); !equalCounts(first, second) {
		t.Fatalf("second run changed counts")
	}
	if _, err := Demo(ctx, pool, DemoOptions{Seed: 1}); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("demo over the national set: %v", err)
	}
	// On the July 2025 tree: 34 provinces, 3,321 communes, no district,
	// every school under a commune.
	var provinces, communes, districts, underCommune int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE kind = 'province'), count(*) FILTER (WHERE kind = 'commune'),
		count(*) FILTER (WHERE kind = 'district'),
		(SELECT count(*) FROM units s JOIN units p ON p.id = s.parent_id WHERE s.kind = 'school' AND p.kind = 'commune') FROM units`).Scan(&provinces, &communes, &districts, &underCommune); err != nil {
		t.Fatal(err)
	}
	if provinces != 34 || communes != 3321 || districts != 0 || underCommune != 2000 {
		t.Errorf("national tree: %d provinces, %d communes, %d districts, %d schools under a commune", provinces, communes, districts, underCommune)
	}
	var published int
	pool.QueryRow(ctx, `SELECT count(*) FROM public_results`).Scan(&published)
	if published != res.Assessments {
		t.Errorf("published %d of %d", published, res.Assessments)
	}
}

func TestNational45000(t *testing.T) {
	if testing.Short() {
		t.Skip("the national-scale load takes about a minute")
	}
	if os.Getenv("DXINDEX_NATIONAL") == "" {
		t.Skip("set DXINDEX_NATIONAL=1 to time the 45,000-school load")
	}
	ctx := context.Background()
	pool := pgtest.New(t)
	start := time.Now()
	res, err := National(ctx, pool, NationalOptions{Schools: 45000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	t.Logf("national 45000: %+v in %v", res, el)
	if el > 2*time.Minute {
		t.Errorf("took %v, want under 2 minutes", el)
	}
}

func TestNationalDeterministic(t *testing.T) {
	ctx := context.Background()
	var prints []string
	for range 2 {
		pool := pgtest.New(t)
		if _, err := National(ctx, pool, NationalOptions{Schools: 1500, Seed: 5}); err != nil {
			t.Fatal(err)
		}
		prints = append(prints, fingerprint(t, pool))
	}
	if prints[0] != prints[1] {
		t.Error("the same seed gave different national data")
	}
}

// BenchmarkNational45000 times the national-scale load (`make bench`);
// the bound is 2 minutes on a 2-core machine.
func BenchmarkNational45000(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		pool := pgtest.New(b)
		b.StartTimer()
		if _, err := National(ctx, pool, NationalOptions{Schools: 45000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
