package seed

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// checkOfficeDemo: the demo's office campaigns (issue 13), called by
// TestDemo on its database. 2025-2026: every Sở of the demo's part of the
// 34-province tree has an assessment, Hưng Yên's is approved, published, its roll-ups frozen
// from the 2025-2026 school campaign; 2024-2025: Quỳnh Phụ's Phòng filled
// its own, approved by Thái Bình's Sở.
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
	if sos != provinces || sos < 2 || published != 1 || status != "approved" || school != "Năm học 2025-2026" || rollups == 0 || frozen != rollups {
		t.Errorf("2025-2026 office campaign: %d Sở, %d published, Hưng Yên %s, school campaign %q, %d of %d roll-ups frozen", sos, published, status, school, frozen, rollups)
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
