package survey

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/survey/model"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var root = &model.Actor{Role: model.RoleAdmin, Username: "root"}

func newService(t testing.TB) *Service {
	t.Helper()
	s := NewService(pgtest.New(t))
	if _, err := s.InstallShippedSets(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func ip(n int) *int { return &n }

func mustUnit(t testing.TB, s *Service, code, name, kind, parent string, levels ...string) *model.Unit {
	t.Helper()
	u, err := s.CreateUnit(context.Background(), root, model.UnitInput{Code: code, Name: name, Kind: kind, ParentCode: parent, SchoolLevels: levels, Students: ip(300)})
	if err != nil {
		t.Fatalf("create unit %s: %v", code, err)
	}
	return u
}

// fixture: province 34 with districts 338 (schools A1, A2, preschool MN,
// upper-secondary H1 directly under the province) and 339 (school B1).
func fixture(t testing.TB, s *Service) {
	mustUnit(t, s, "34", "Thái Bình", "province", "")
	mustUnit(t, s, "338", "Quỳnh Phụ", "district", "34")
	mustUnit(t, s, "339", "Hưng Hà", "district", "34")
	mustUnit(t, s, "A1", "Trường THCS An Bài", "school", "338", "lower_secondary")
	mustUnit(t, s, "A2", "Trường Tiểu học và THCS An Ấp", "school", "338", "primary", "lower_secondary")
	mustUnit(t, s, "MN", "Trường Mầm non An Cầu", "school", "338", "preschool")
	mustUnit(t, s, "H1", "Trường THPT Quỳnh Côi", "school", "34", "upper_secondary")
	mustUnit(t, s, "B1", "Trường THCS Hưng Hà", "school", "339", "lower_secondary")
}

func fieldErr(t *testing.T, err error, field string) {
	t.Helper()
	var fe errkind.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("want a field error on %s, got %v", field, err)
	}
	if _, ok := fe[field]; !ok {
		t.Fatalf("want a field error on %s, got %v", field, fe)
	}
}

func TestUnitsTreeAndValidation(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	fixture(t, s)
	a1, _ := s.UnitByCode(ctx, "A1")
	p, _ := s.UnitByCode(ctx, "34")
	d, _ := s.UnitByCode(ctx, "338")
	if len(a1.Path) != 3 || a1.Path[0] != p.ID || a1.Path[1] != d.ID || a1.Path[2] != a1.ID {
		t.Fatalf("path of A1 = %v", a1.Path)
	}
	_, err := s.CreateUnit(ctx, root, model.UnitInput{Code: "A1", Name: "dup", Kind: "school", ParentCode: "338"})
	fieldErr(t, err, "code")
	_, err = s.CreateUnit(ctx, root, model.UnitInput{Code: "X 1", Name: "", Kind: "galaxy", ParentCode: "nope", Students: ip(-1)})
	for _, f := range []string{"code", "name", "kind", "parent_code", "students"} {
		fieldErr(t, err, f)
	}
	_, err = s.CreateUnit(ctx, root, model.UnitInput{Code: "S9", Name: "Trường", Kind: "school"})
	fieldErr(t, err, "parent_code")
	// NFC: a decomposed name is stored composed.
	u, err := s.CreateUnit(ctx, root, model.UnitInput{Code: "NFD", Name: "Tru\u031bo\u031b\u0300ng A", Kind: "school", ParentCode: "338"})
	if err != nil || u.Name != "Trường A" {
		t.Fatalf("NFC: %q, %v", u.Name, err)
	}
	if _, err := s.CreateUnit(ctx, &model.Actor{Role: model.RoleDistrict, UnitID: d.ID}, model.UnitInput{Code: "Z", Name: "Z", Kind: "school", ParentCode: "338"}); !errors.Is(err, errkind.Forbidden) {
		t.Fatalf("a district evaluator created a unit: %v", err)
	}
	// A district evaluator lists only their district.
	list, err := s.ListUnits(ctx, &model.Actor{Role: model.RoleDistrict, UnitID: d.ID}, model.UnitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range list {
		if u.Code == "B1" || u.Code == "339" || u.Code == "34" || u.Code == "H1" {
			t.Fatalf("district 338 sees %s", u.Code)
		}
	}
	if len(list) != 5 { // 338, A1, A2, MN, NFD
		t.Fatalf("district 338 sees %d units", len(list))
	}
}

// TestMoveKeepsCampaignHistory: moving a school to another district
// updates its subtree's scope at once, while a campaign opened before the
// move still places it in its old district.
func TestMoveKeepsCampaignHistory(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	fixture(t, s)
	c, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2024-2025", SetCode: "moet-4725", RootUnitCode: "34"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveUnit(ctx, root, "A1", "339", "sáp nhập"); err != nil {
		t.Fatal(err)
	}
	a1, _ := s.UnitByCode(ctx, "A1")
	d339, _ := s.UnitByCode(ctx, "339")
	d338, _ := s.UnitByCode(ctx, "338")
	if a1.ParentCode != "339" || a1.Path[1] != d339.ID {
		t.Fatalf("after the move: parent %s, path %v", a1.ParentCode, a1.Path)
	}
	rows, err := s.CampaignAssessments(ctx, &model.Actor{Role: model.RoleDistrict, UnitID: d338.ID, UnitPath: d338.Path}, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if r.UnitCode == "A1" {
			found = r.ParentCode == "338"
		}
	}
	if !found {
		t.Fatalf("the campaign no longer lists A1 under 338 for the district: %+v", rows)
	}
	if _, err := s.MoveUnit(ctx, root, "338", "A2", ""); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("moving a district under its own school: %v", err)
	}
	var moves int
	_ = s.pool.QueryRow(ctx, `SELECT count(*) FROM unit_moves`).Scan(&moves)
	if moves != 1 {
		t.Fatalf("%d moves recorded, want 1", moves)
	}
}

// TestCampaignCreatesApplicableAssessments: one assessment per school the
// set applies to (preschools are not assessed by 4725), one per office for
// the agency set; the set version is locked.
func TestCampaignCreatesApplicableAssessments(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	fixture(t, s)
	c, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2024-2025", SetCode: "moet-4725", RootUnitCode: "338",
		OpensOn: time.Date(2024, 9, 5, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if c.SelfDue.Format("02/01/2006") != "31/05/2025" || c.ReviewDue.Format("02/01/2006") != "20/06/2025" {
		t.Fatalf("default dates: %v %v", c.SelfDue, c.ReviewDue)
	}
	rows, err := s.CampaignAssessments(ctx, root, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r.UnitCode] = r.SchoolLevel
	}
	want := map[string]string{"A1": "lower_secondary", "A2": "multi_level"}
	if len(got) != len(want) || got["A1"] != want["A1"] || got["A2"] != want["A2"] {
		t.Fatalf("assessments %v, want %v", got, want)
	}
	var locked bool
	_ = s.pool.QueryRow(ctx, `SELECT locked_at IS NOT NULL FROM indicator_sets WHERE code = 'moet-4725'`).Scan(&locked)
	if !locked {
		t.Fatal("the set version used by a campaign is not locked")
	}
	ag, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Sở, Phòng 2024", SetCode: "moet-agency", RootUnitCode: "34"})
	if err != nil {
		t.Fatal(err)
	}
	if n := ag.Assessments["draft"]; n != 3 { // the province and its two districts
		t.Fatalf("agency campaign: %d assessments, want 3", n)
	}
	_, err = s.CreateCampaign(ctx, root, model.CampaignInput{Name: "x", SetCode: "moet-4725", RootUnitCode: "338",
		OpensOn: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), SelfDue: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)})
	fieldErr(t, err, "self_due")
	// A province evaluator creates campaigns in their province only.
	p34, _ := s.UnitByCode(ctx, "34")
	other := mustUnit(t, s, "01", "Hà Nội", "province", "")
	_ = other
	_, err = s.CreateCampaign(ctx, &model.Actor{Role: model.RoleProvince, UnitID: p34.ID, UnitPath: p34.Path}, model.CampaignInput{Name: "x", SetCode: "moet-4725", RootUnitCode: "01"})
	fieldErr(t, err, "root_unit_code")
	// Scope of reading: a school sees the campaign, counted for itself only.
	a1, _ := s.UnitByCode(ctx, "A1")
	mine, err := s.Campaign(ctx, &model.Actor{Role: model.RoleSchool, UnitID: a1.ID, UnitPath: a1.Path}, c.ID)
	if err != nil || mine.Assessments["draft"] != 1 {
		t.Fatalf("school's view of the campaign: %+v, %v", mine, err)
	}
	b1, _ := s.UnitByCode(ctx, "B1")
	if _, err := s.Campaign(ctx, &model.Actor{Role: model.RoleSchool, UnitID: b1.ID, UnitPath: b1.Path}, c.ID); !errors.Is(err, errkind.NotFound) {
		t.Fatalf("a school outside the campaign sees it: %v", err)
	}
}

func TestLoginThrottleLockAndPassword(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	fixture(t, s)
	now := time.Now()
	s.Now = func() time.Time { return now }
	if _, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: "correct-horse-1"}); err != nil {
		t.Fatal(err)
	}
	_, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: "Bad Name", Role: model.RoleDistrict, UnitCode: "A1", Password: "short"})
	for _, f := range []string{"username", "password", "unit_code"} {
		fieldErr(t, err, f)
	}
	a, sess, err := s.Login(ctx, "HT.A1", "correct-horse-1", "10.0.0.1", model.SessionWeb)
	if err != nil || a.UnitCode != "A1" || a.Role != model.RoleSchool {
		t.Fatalf("login: %+v %v", a, err)
	}
	// Five failures throttle the username, even with the right password.
	for i := 0; i < maxFailuresUser; i++ {
		now = now.Add(time.Second)
		if _, _, err := s.Login(ctx, "ht.a1", "wrong", "10.0.0.2", model.SessionWeb); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, _, err := s.Login(ctx, "ht.a1", "correct-horse-1", "10.0.0.3", model.SessionWeb); !errors.Is(err, errkind.RateLimited) {
		t.Fatalf("after %d failures: %v, want rate limited", maxFailuresUser, err)
	}
	now = now.Add(throttleWindow + time.Second)
	if _, _, err := s.Login(ctx, "ht.a1", "correct-horse-1", "10.0.0.3", model.SessionWeb); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	// Lock ends sessions and refuses sign-in; unlock restores it.
	if _, err := s.SetLocked(ctx, root, "ht.a1", true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionByToken(ctx, sess.Token, model.SessionWeb); !errors.Is(err, errkind.Unauthenticated) {
		t.Fatalf("session of a locked user: %v", err)
	}
	if _, _, err := s.Login(ctx, "ht.a1", "correct-horse-1", "10.0.0.3", model.SessionWeb); !errors.Is(err, ErrLocked) {
		t.Fatalf("login of a locked user: %v", err)
	}
	if _, err := s.SetLocked(ctx, root, "ht.a1", false); err != nil {
		t.Fatal(err)
	}
	a, sess, err = s.Login(ctx, "ht.a1", "correct-horse-1", "10.0.0.3", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	_, other, _ := s.Login(ctx, "ht.a1", "correct-horse-1", "10.0.0.4", model.SessionAPI)
	// Password change: the current password is checked; other sessions end.
	fieldErr(t, s.ChangePassword(ctx, a, sess.TokenHash, "wrong", "new-password-42"), "current_password")
	fieldErr(t, s.ChangePassword(ctx, a, sess.TokenHash, "correct-horse-1", "short"), "new_password")
	if err := s.ChangePassword(ctx, a, sess.TokenHash, "correct-horse-1", "new-password-42"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionByToken(ctx, sess.Token, model.SessionWeb); err != nil {
		t.Fatalf("the session that changed the password ended: %v", err)
	}
	if _, _, err := s.SessionByToken(ctx, other.Token, model.SessionAPI); err == nil {
		t.Fatal("another session survived a password change")
	}
	if _, _, err := s.Login(ctx, "ht.a1", "new-password-42", "10.0.0.3", model.SessionWeb); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
	// Sessions expire.
	now = now.Add(webMaxAge + time.Hour)
	if _, _, err := s.SessionByToken(ctx, sess.Token, model.SessionWeb); !errors.Is(err, errkind.Unauthenticated) {
		t.Fatalf("expired session: %v", err)
	}
	// A web token is not an API token.
	if _, _, err := s.SessionByToken(ctx, other.Token, model.SessionWeb); err == nil {
		t.Fatal("an API token worked as a web session")
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := hashPassword("mật khẩu dài hơn")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := checkPassword(h, "mật khẩu dài hơn"); !ok {
		t.Fatal("the right password does not match")
	}
	if ok, _ := checkPassword(h, "mật khẩu dài hơm"); ok {
		t.Fatal("a wrong password matches")
	}
	h2, _ := hashPassword("mật khẩu dài hơn")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if _, err := checkPassword("$bcrypt$x", "x"); err == nil {
		t.Fatal("a foreign hash format was accepted")
	}
}
