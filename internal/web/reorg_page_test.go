package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/seed/crosswalk"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// The reorganisation page is for admins (a scoped admin is refused by the
// service: only a system-wide admin reorganises).
func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		if path == "/admin/reorganize" {
			return false, []model.Role{model.RoleAdmin}, true
		}
		return false, nil, false
	})
}

// TestReorgPageAndMoveLog: an admin runs the reorganisation on the web,
// a dry run first (nothing written), then for real once confirmed; the
// school's admin page shows its move log and legacy district; the Sở is
// refused the page.
func TestReorgPageAndMoveLog(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	svc := survey.NewService(pool)
	cw, err := crosswalk.July2025(nil)
	if err != nil {
		t.Fatal(err)
	}
	// A Quỳnh Phụ commune the crosswalk gives to exactly one new commune.
	to := map[string][]string{}
	var old string
	for _, r := range cw.Rows {
		if r.OldCode != "" {
			to[r.OldCode] = append(to[r.OldCode], r.NewCode)
		}
	}
	for _, r := range cw.Rows {
		if r.OldDistrict == "Huyện Quỳnh Phụ" && r.OldCode != "" && len(to[r.OldCode]) == 1 {
			old = r.OldCode
			break
		}
	}
	if old == "" {
		t.Fatal("no Quỳnh Phụ commune in the crosswalk")
	}
	newCode := to[old][0]
	testfix.Units(t, svc,
		model.UnitInput{Code: "BGDDT", Name: "Bộ Giáo dục và Đào tạo", Kind: "ministry"},
		model.UnitInput{Code: "34", Name: "Tỉnh Thái Bình", Kind: "province", ParentCode: "BGDDT"},
		model.UnitInput{Code: "338", Name: "Huyện Quỳnh Phụ", Kind: "district", ParentCode: "34"},
		model.UnitInput{Code: "Q1", Name: "Trường THCS Quỳnh Côi", Kind: "school", ParentCode: "338", SchoolLevels: []string{"lower_secondary"}})
	if _, err := pool.Exec(ctx, `UPDATE units SET commune_code = $1 WHERE code = 'Q1'`, old); err != nil {
		t.Fatal(err)
	}
	testfix.Users(t, svc,
		model.UserInput{Username: "admin", DisplayName: "Quản trị", Role: model.RoleAdmin, Password: "password-admin"},
		model.UserInput{Username: "so34", DisplayName: "Sở Thái Bình", Role: model.RoleProvince, UnitCode: "34", Password: "password-so34"})
	login := func(name string) (string, string) {
		_, sess, err := svc.Login(ctx, name, "password-"+name, "127.0.0.1", model.SessionWeb)
		if err != nil {
			t.Fatal(err)
		}
		return sess.Token, sess.CSRFToken
	}
	tok, csrf := login("admin")
	parent := func() string {
		var p string
		_ = pool.QueryRow(ctx, `SELECT p.code FROM units u JOIN units p ON p.id = u.parent_id WHERE u.code = 'Q1'`).Scan(&p)
		return p
	}

	if code, body := getPage(t, hs, tok, "/admin/units"); code != http.StatusOK || !strings.Contains(body, `href="/admin/reorganize"`) {
		t.Fatalf("units page does not lead to the reorganisation: %d", code)
	}
	if code, body := getPage(t, hs, tok, "/admin/reorganize"); code != http.StatusOK || !strings.Contains(body, "Sắp xếp đơn vị hành chính") {
		t.Fatalf("page: %d", code)
	}
	code, body := postForm(t, hs, tok, csrf, "/admin/reorganize", url.Values{"effective": {"01/07/2025"}, "dry_run": {"1"}})
	if code != http.StatusOK || !strings.Contains(body, "Kết quả chạy thử") || !strings.Contains(body, "Q1") || parent() != "338" {
		t.Fatalf("dry run: %d, Q1 under %s", code, parent())
	}
	if code, body := postForm(t, hs, tok, csrf, "/admin/reorganize", url.Values{"effective": {"01/07/2025"}, "run": {"1"}}); code != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Hãy xác nhận") || parent() != "338" {
		t.Fatalf("run without confirmation: %d, Q1 under %s", code, parent())
	}
	if code, _ := postForm(t, hs, tok, csrf, "/admin/reorganize", url.Values{"effective": {"31/02/2025"}, "dry_run": {"1"}}); code != http.StatusUnprocessableEntity {
		t.Fatalf("a day that does not exist: %d", code)
	}
	code, body = postForm(t, hs, tok, csrf, "/admin/reorganize", url.Values{"effective": {"01/07/2025"}, "run": {"1"}, "confirm": {"yes"}})
	if code != http.StatusOK || strings.Contains(body, "Kết quả chạy thử") || parent() != newCode {
		t.Fatalf("run: %d, Q1 under %s, want %s", code, parent(), newCode)
	}
	// The move log on the school's admin page.
	code, body = getPage(t, hs, tok, "/admin/units/Q1")
	if code != http.StatusOK {
		t.Fatalf("unit page: %d", code)
	}
	for _, want := range []string{"Nhật ký điều chuyển", "Huyện Quỳnh Phụ (338)", "(" + newCode + ")", "Huyện cũ", "01/07/2025"} {
		if !strings.Contains(body, want) {
			t.Errorf("unit page does not show %q", want)
		}
	}
	if code, body := getPage(t, hs, tok, "/admin/units/338"); code != http.StatusOK || !strings.Contains(body, "Chấm dứt từ") {
		t.Errorf("retired district page: %d", code)
	}
	// Admins only.
	stok, _ := login("so34")
	if code, _ := getPage(t, hs, stok, "/admin/reorganize"); code != http.StatusForbidden {
		t.Errorf("the Sở reads the reorganisation page: %d", code)
	}
}
