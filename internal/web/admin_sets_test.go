package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// The set files page is for admins.
func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		if path == "/admin/sets" {
			return false, []model.Role{model.RoleAdmin}, true
		}
		return false, nil, false
	})
}

// TestAdminSetUpload (issue 13): an admin uploads set files: a broken one
// gets its problems by line and stores nothing; a new version is stored
// and compared with the previous one; the same file again changes
// nothing; other content under a stored version is refused with the
// difference.
func TestAdminSetUpload(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	srv, err := newServer(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)}, func(s *Server) { s.setRoutes() })
	if err != nil {
		t.Fatal(err)
	}
	svc := survey.NewService(pool)
	if _, err := svc.InstallShippedSets(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "admin", Role: model.RoleAdmin, Password: "admin-password"}); err != nil {
		t.Fatal(err)
	}
	_, sess, err := svc.Login(ctx, "admin", "admin-password", "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	ic := &importClient{t: t, srv: srv, token: sess.Token, tok: sess.CSRFToken}
	versions := func() int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM indicator_sets WHERE code = 'moet-agency'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if rr := ic.do(http.MethodGet, "/admin/sets", "", nil); rr.Code != 200 || !strings.Contains(rr.Body.String(), "2024.1-provisional") {
		t.Fatalf("page: %d %s", rr.Code, rr.Body)
	}
	raw, err := os.ReadFile("../../indicators/sets/moet-agency.yaml")
	if err != nil {
		t.Fatal(err)
	}
	shipped := string(raw)
	next := strings.Replace(shipped, `version: "2024.1-provisional"`, `version: "2025.1"`, 1)
	next = strings.Replace(next, "evidence_max_age_days: 365", "evidence_max_age_days: 180", 1)

	// A typo: the problem on its line, nothing stored.
	broken := strings.Replace(next, "type: boolean", "type: booleen", 1)
	line := strings.Count(broken[:strings.Index(broken, "type: booleen")], "\n") + 1
	rr := ic.upload("/admin/sets", "moet-agency-2025.yaml", []byte(broken))
	body := rr.Body.String()
	if rr.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="sets-problems"`) || !strings.Contains(body, fmt.Sprintf("<td>%d</td>", line)) ||
		!strings.Contains(body, "booleen") {
		t.Fatalf("broken file (line %d): %d %s", line, rr.Code, body)
	}
	if versions() != 1 {
		t.Fatal("a broken file stored a version")
	}
	// Not a set file at all.
	if rr := ic.upload("/admin/sets", "notes.txt", []byte("x")); rr.Code != http.StatusUnprocessableEntity || !strings.Contains(rr.Body.String(), ".yaml, .yml, .json hoặc .xlsx") {
		t.Fatalf("a .txt file: %d", rr.Code)
	}

	// A new version: stored, compared with 2024.1-provisional.
	rr = ic.upload("/admin/sets", "moet-agency-2025.yaml", []byte(next))
	body = rr.Body.String()
	if rr.Code != 200 || !strings.Contains(body, "moet-agency 2025.1: đã lưu thành phiên bản mới.") ||
		!strings.Contains(body, "Thay đổi so với phiên bản 2024.1-provisional") || !strings.Contains(body, `id="sets-diff"`) ||
		!strings.Contains(body, "<code>LD.1.1</code>") || !strings.Contains(body, "180") {
		t.Fatalf("new version: %d %s", rr.Code, body)
	}
	if versions() != 2 {
		t.Fatalf("%d versions stored, want 2", versions())
	}
	// The same file again: nothing changes.
	rr = ic.upload("/admin/sets", "moet-agency-2025.yaml", []byte(next))
	if rr.Code != 200 || !strings.Contains(rr.Body.String(), "không có gì thay đổi") || versions() != 2 {
		t.Fatalf("the same file again: %d, %d versions", rr.Code, versions())
	}
	// Other content under 2025.1: refused, with the difference.
	other := strings.Replace(next, "evidence_max_age_days: 180", "evidence_max_age_days: 90", 1)
	rr = ic.upload("/admin/sets", "moet-agency-2025b.yaml", []byte(other))
	body = rr.Body.String()
	if rr.Code != http.StatusConflict || !strings.Contains(body, "không bao giờ thay đổi") || !strings.Contains(body, "Khác biệt so với phiên bản đã lưu") ||
		!strings.Contains(body, "<code>LD.1.1</code>") {
		t.Fatalf("other content under a stored version: %d %s", rr.Code, body)
	}
	st, err := svc.SetVersions(ctx, &model.Actor{Role: model.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st {
		if s.Code == "moet-agency" && s.Version == "2025.1" {
			got, _ := svc.Set(ctx, "moet-agency", "2025.1")
			if ind, _ := got.Indicator("LD.1.1"); ind.EvidenceMaxAgeDays != 180 {
				t.Fatalf("stored 2025.1 has evidence age %d", ind.EvidenceMaxAgeDays)
			}
		}
	}
}
