package seed

import (
	"context"
	"testing"

	"github.com/dxindex/dxindex/seed/crosswalk"
	"github.com/jackc/pgx/v5/pgxpool"
)

// checkOfficeDemo: the demo's office campaigns (issue 13), called by
// TestDemo on its database. 2025-2026: every Sở of the 34-province tree
// has an assessment, several are approved and published (Hưng Yên's, its
// roll-ups frozen from the 2025-2026 school campaign), at three levels or
// more; 2024-2025: Quỳnh Phụ's Phòng filled its own, approved by Thái
// Bình's Sở.
func checkOfficeDemo(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	var sos, published int
	var status, school string
	var frozen, rollups int
	err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM assessments x JOIN units u ON u.id = x.unit_id WHERE x.campaign_id = c.id AND u.kind = 'province'),
			(SELECT count(*) FROM published_results r WHERE r.campaign_id = c.id),
			(SELECT x.status FROM assessments x JOIN units u ON u.id = x.unit_id WHERE x.campaign_id = c.id AND u.code = '33'),
			(SELECT s.name FROM campaigns s WHERE s.id = c.school_campaign_id),
			(SELECT count(*) FILTER (WHERE r.frozen_at IS NOT NULL) FROM rollup_values r JOIN assessments x ON x.id = r.assessment_id JOIN units u ON u.id = x.unit_id WHERE x.campaign_id = c.id AND u.code = '33'),
			(SELECT count(*) FROM rollup_values r JOIN assessments x ON x.id = r.assessment_id JOIN units u ON u.id = x.unit_id WHERE x.campaign_id = c.id AND u.code = '33')
		FROM campaigns c WHERE c.name = 'Sở GDĐT – năm học 2025-2026'`).Scan(&sos, &published, &status, &school, &frozen, &rollups)
	if err != nil {
		t.Fatal(err)
	}
	var provinces int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM units WHERE kind = 'province' AND valid_to IS NULL`).Scan(&provinces); err != nil {
		t.Fatal(err)
	}
	if sos != provinces || sos < 34 || published < 8 || status != "approved" || school != "Năm học 2025-2026" || rollups == 0 || frozen != rollups {
		t.Errorf("2025-2026 office campaign: %d Sở, %d published, Hưng Yên %s, school campaign %q, %d of %d roll-ups frozen", sos, published, status, school, frozen, rollups)
	}
	// Every province of the July 2025 tree (the shipped crosswalk's 34)
	// is there with its Sở assessed; those the Ministry did not publish
	// were never started (not submitted), and the published ones reach
	// three levels at least.
	cw, err := crosswalk.July2025(nil)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, p := range cw.Provinces {
		codes = append(codes, p.Code)
	}
	var assessed, approved, untouched, levels int
	err = pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE x.status = 'approved'),
			count(*) FILTER (WHERE x.status = 'draft' AND x.submitted_at IS NULL),
			(SELECT count(DISTINCT r.level) FROM published_results r WHERE r.campaign_id = c.id)
		FROM campaigns c JOIN assessments x ON x.campaign_id = c.id JOIN units u ON u.id = x.unit_id
		WHERE c.name = 'Sở GDĐT – năm học 2025-2026' AND u.code = ANY($1) AND u.kind = 'province' AND u.valid_to IS NULL
		GROUP BY c.id`, codes).Scan(&assessed, &approved, &untouched, &levels)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT u.code, r.index, r.level FROM published_results r JOIN campaigns c ON c.id = r.campaign_id JOIN units u ON u.id = r.unit_id
		WHERE c.name = 'Sở GDĐT – năm học 2025-2026' ORDER BY r.index DESC`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		var index float64
		var level int
		if err := rows.Scan(&code, &index, &level); err != nil {
			t.Fatal(err)
		}
		t.Logf("2025-2026 Sở %s: index %.2f, level %d", code, index, level)
	}
	rows.Close()
	if len(codes) != 34 || assessed != 34 || approved != published || untouched != 34-approved || levels < 3 {
		t.Errorf("2025-2026: %d of the %d provinces of the new tree assessed, %d approved (%d published), %d not started, %d levels published",
			assessed, len(codes), approved, published, untouched, levels)
	}
	var phong string
	var reviewer string
	err = pool.QueryRow(ctx, `SELECT x.status, (SELECT u2.username FROM assessment_events e JOIN users u2 ON u2.id = e.actor_id WHERE e.assessment_id = x.id AND e.to_status = 'approved' LIMIT 1)
		FROM assessments x JOIN campaigns c ON c.id = x.campaign_id JOIN units u ON u.id = x.unit_id
		WHERE c.name = 'Sở, Phòng GDĐT – năm học 2024-2025' AND u.code = '338'`).Scan(&phong, &reviewer)
	if err != nil {
		t.Fatal(err)
	}
	if phong != "approved" || reviewer != "so.34" {
		t.Errorf("Quỳnh Phụ's Phòng in 2024-2025: %s by %s", phong, reviewer)
	}
}
