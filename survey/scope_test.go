package survey

import (
	"context"
	"errors"
	"testing"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
)

// provinceAdmin is an admin whose scope is province 34 of the fixture,
// with province 01 beside it.
func provinceAdmin(t *testing.T, s *Service) *model.Actor {
	t.Helper()
	ctx := context.Background()
	fixture(t, s)
	mustUnit(t, s, "01", "Hà Nội", "province", "")
	mustUnit(t, s, "001", "Ba Đình", "district", "01")
	if _, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: "admin.34", Role: model.RoleAdmin, UnitCode: "34", Password: "Tq9-Lantern-Orchid-58w"}); err != nil {
		t.Fatal(err)
	}
	a, _, err := s.Login(ctx, "admin.34", "Tq9-Lantern-Orchid-58w", "127.0.0.1", model.SessionAPI)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestScopedAdminCreatesUsersOnlyInScope: a province's admin creates users
// of its province, never an unscoped user (which would see everything)
// nor a user of another province; it locks only users of its province.
func TestScopedAdminCreatesUsersOnlyInScope(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	a := provinceAdmin(t, s)
	pw := "Vq7-Rainbow-Kettle-41z"

	// The probe of issue 18: a system-wide admin from a province's admin.
	_, err := s.CreateUser(ctx, a, model.UserInput{Username: "root2", Role: model.RoleAdmin, UnitCode: "", Password: pw})
	fieldErr(t, err, "unit_code")
	_, err = s.CreateUser(ctx, a, model.UserInput{Username: "root3", Role: model.RoleAdmin, UnitCode: "  ", Password: pw})
	fieldErr(t, err, "unit_code")
	_, err = s.CreateUser(ctx, a, model.UserInput{Username: "so01", Role: model.RoleProvince, UnitCode: "01", Password: pw})
	fieldErr(t, err, "unit_code")
	_, err = s.CreateUser(ctx, a, model.UserInput{Username: "admin01", Role: model.RoleAdmin, UnitCode: "01", Password: pw})
	fieldErr(t, err, "unit_code")
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE username IN ('root2', 'root3', 'so01', 'admin01')`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d refused users exist (%v)", n, err)
	}

	// Inside the province: a district evaluator and an admin of a district.
	if _, err := s.CreateUser(ctx, a, model.UserInput{Username: "phong.338", Role: model.RoleDistrict, UnitCode: "338", Password: pw}); err != nil {
		t.Fatalf("in scope: %v", err)
	}
	if _, err := s.CreateUser(ctx, a, model.UserInput{Username: "admin.338", Role: model.RoleAdmin, UnitCode: "338", Password: pw}); err != nil {
		t.Fatalf("a district's admin in scope: %v", err)
	}
	// A system-wide admin still creates both.
	if _, err := s.CreateUser(ctx, root, model.UserInput{Username: "root4", Role: model.RoleAdmin, Password: pw}); err != nil {
		t.Fatalf("root creates an unscoped admin: %v", err)
	}
	if _, err := s.CreateUser(ctx, root, model.UserInput{Username: "so.01", Role: model.RoleProvince, UnitCode: "01", Password: pw}); err != nil {
		t.Fatal(err)
	}

	// Locking: inside yes, an unscoped admin or another province's user no.
	if _, err := s.SetLocked(ctx, a, "phong.338", true); err != nil {
		t.Fatalf("lock in scope: %v", err)
	}
	for _, name := range []string{"root4", "so.01"} {
		if _, err := s.SetLocked(ctx, a, name, true); !errors.Is(err, errkind.NotFound) {
			t.Fatalf("a province's admin locked %s: %v", name, err)
		}
	}
	if _, err := s.UserByUsername(ctx, a, "root4"); !errors.Is(err, errkind.NotFound) {
		t.Fatalf("a province's admin reads an unscoped admin: %v", err)
	}
}

// TestScopedAdminUnitsOnlyInScope: a province's admin creates, edits and
// moves units inside its province only.
func TestScopedAdminUnitsOnlyInScope(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	a := provinceAdmin(t, s)

	// Create under another province, or as a new root: refused.
	for _, in := range []model.UnitInput{
		{Code: "X1", Name: "Trường X1", Kind: "school", ParentCode: "001", SchoolLevels: []string{"primary"}},
		{Code: "X2", Name: "Huyện X2", Kind: "district", ParentCode: "01"},
		{Code: "X3", Name: "Tỉnh X3", Kind: "province"},
	} {
		if _, err := s.CreateUnit(ctx, a, in); !errors.Is(err, errkind.Forbidden) {
			t.Fatalf("create %s under %q: %v, want Forbidden", in.Code, in.ParentCode, err)
		}
		if _, err := s.UnitByCode(ctx, in.Code); err == nil {
			t.Fatalf("refused unit %s exists", in.Code)
		}
	}
	// Inside: allowed.
	if _, err := s.CreateUnit(ctx, a, model.UnitInput{Code: "A9", Name: "Trường A9", Kind: "school", ParentCode: "338", SchoolLevels: []string{"primary"}}); err != nil {
		t.Fatalf("create in scope: %v", err)
	}

	// Move a unit of the province to another province: refused, nothing moved.
	if _, err := s.MoveUnit(ctx, a, "A1", "001", "probe"); !errors.Is(err, errkind.Forbidden) {
		t.Fatalf("move A1 under 001: %v, want Forbidden", err)
	}
	if _, err := s.MoveUnit(ctx, a, "338", "01", "probe"); !errors.Is(err, errkind.Forbidden) {
		t.Fatalf("move 338 under 01: %v, want Forbidden", err)
	}
	if u, _ := s.UnitByCode(ctx, "A1"); u.ParentCode != "338" {
		t.Fatalf("A1 moved to %s", u.ParentCode)
	}
	// Move or edit a unit of another province: not found.
	if _, err := s.MoveUnit(ctx, a, "001", "34", "probe"); !errors.Is(err, errkind.NotFound) {
		t.Fatalf("move 001 into 34: %v, want NotFound", err)
	}
	if _, err := s.UpdateUnit(ctx, a, "001", model.UnitInput{Name: "Đổi tên"}); !errors.Is(err, errkind.NotFound) {
		t.Fatalf("edit 001: %v, want NotFound", err)
	}
	if u, _ := s.UnitByCode(ctx, "001"); u.Name != "Ba Đình" || u.ParentCode != "01" {
		t.Fatalf("001 changed: %+v", u)
	}
	var moves int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM unit_moves`).Scan(&moves); err != nil || moves != 0 {
		t.Fatalf("%d moves recorded (%v)", moves, err)
	}
	// Inside: allowed.
	if u, err := s.MoveUnit(ctx, a, "A1", "339", "sáp nhập"); err != nil || u.ParentCode != "339" {
		t.Fatalf("move in scope: %+v %v", u, err)
	}
	if _, err := s.UpdateUnit(ctx, a, "A1", model.UnitInput{Name: "Trường THCS An Bài mới"}); err != nil {
		t.Fatalf("edit in scope: %v", err)
	}
}
