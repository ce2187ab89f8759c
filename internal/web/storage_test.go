package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestEvidenceStorageFull: when the database cannot store an evidence file
// (disk full, as PostgreSQL reports it), the user gets a clear 507, no
// half-written evidence row is left, and the rest keeps working.
func TestEvidenceStorageFull(t *testing.T) {
	hs, svc, _, aid := journeyWorld(t)
	_ = svc
	school := login(t, hs.URL, "ht.anbai", "school-password")
	a := fmt.Sprintf("/api/v1/assessments/%d", aid)
	school.do("PUT", a+"/answers/a.lms", map[string]any{"value": true, "version": 0}, 200)

	pool := journeyPool(t, hs)
	ctx := context.Background()
	// PostgreSQL's own words when a table cannot grow.
	if _, err := pool.Exec(ctx, `
		CREATE FUNCTION test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'could not extend file "base/1/2": No space left on device' USING ERRCODE = 'disk_full'; END $$;
		CREATE TRIGGER test_disk_full BEFORE INSERT ON evidence FOR EACH ROW EXECUTE FUNCTION test_disk_full()`); err != nil {
		t.Fatal(err)
	}
	r := school.upload(a+"/evidence/a.plan", "ke-hoach.pdf", []byte("%PDF-1.4\n%%EOF\n"), 507)
	e := r["error"].(map[string]any)
	if e["code"] != "storage_full" || !strings.Contains(e["message"].(string), "hết chỗ lưu trữ") {
		t.Fatalf("storage full: %v", r)
	}
	school.do("POST", a+"/evidence/a.plan", map[string]string{"url": "https://example.edu.vn/ke-hoach"}, 507)
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM evidence`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d evidence rows after failed writes (%v)", n, err)
	}
	// Answers still save, and once there is room again evidence does too.
	school.do("PUT", a+"/answers/a.lms", map[string]any{"value": false, "version": 1}, 200)
	if _, err := pool.Exec(ctx, `DROP TRIGGER test_disk_full ON evidence`); err != nil {
		t.Fatal(err)
	}
	school.upload(a+"/evidence/a.plan", "ke-hoach.pdf", []byte("%PDF-1.4\n%%EOF\n"), 201)
}
