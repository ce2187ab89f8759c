package survey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
)

// reorgFixture: the Ministry, Thái Bình (34) with district 338 (schools
// S1, S2 on old commune 12700 by attribute), district 339 holding the old
// commune unit 12800 (school S3 under it), and district 340 with S4 (old
// commune 12900, split by the crosswalk) and S5 (old commune 99999, not in
// it). The new tree: Hưng Yên (33) with communes 90001, 90002 and 12800.
func reorgFixture(t *testing.T, s *Service) *model.Crosswalk {
	t.Helper()
	mustUnit(t, s, "BGDDT", "Bộ Giáo dục và Đào tạo", "ministry", "")
	mustUnit(t, s, "34", "Tỉnh Thái Bình", "province", "BGDDT")
	mustUnit(t, s, "338", "Huyện Quỳnh Phụ", "district", "34")
	mustUnit(t, s, "339", "Huyện Hưng Hà", "district", "34")
	mustUnit(t, s, "340", "Huyện Đông Hưng", "district", "34")
	mustUnit(t, s, "12800", "Xã An Bài", "commune", "339")
	mustUnit(t, s, "S1", "Trường THCS An Ấp", "school", "338", "lower_secondary")
	mustUnit(t, s, "S2", "Trường THPT Quỳnh Côi", "school", "338", "upper_secondary")
	mustUnit(t, s, "S3", "Trường Tiểu học An Bài", "school", "12800", "primary")
	mustUnit(t, s, "S4", "Trường THCS Đông Hà", "school", "340", "lower_secondary")
	mustUnit(t, s, "S5", "Trường THCS Đông Xá", "school", "340", "lower_secondary")
	ctx := context.Background()
	for code, commune := range map[string]string{"S1": "12700", "S2": "12700", "S4": "12900", "S5": "99999"} {
		if _, err := s.pool.Exec(ctx, `UPDATE units SET commune_code = $2 WHERE code = $1`, code, commune); err != nil {
			t.Fatal(err)
		}
	}
	return &model.Crosswalk{
		Provinces: []model.NewProvince{{Code: "33", Name: "Tỉnh Hưng Yên"}},
		Communes:  []model.NewCommune{{Code: "90001", ProvinceCode: "33", Name: "Xã Quỳnh Phụ"}, {Code: "90002", ProvinceCode: "33", Name: "Xã Đông Hưng"}, {Code: "12800", ProvinceCode: "33", Name: "Xã An Bài"}},
		Rows: []model.CrosswalkRow{
			{OldCode: "12700", NewCode: "90001"},
			{OldCode: "12800", NewCode: "12800"},
			{OldCode: "12900", NewCode: "90001"},
			{OldCode: "12900", NewCode: "90002"},
			{OldName: "Xã Cũ", OldDistrict: "Huyện Đông Hưng", NewCode: "90002"},
		},
	}
}

// treeDump is every unit with its place and validity, and every
// campaign_units row, as text: what must not change when nothing should.
func treeDump(t *testing.T, s *Service) string {
	t.Helper()
	var out string
	err := s.pool.QueryRow(context.Background(), `SELECT
		(SELECT string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s', code, name, kind, parent_id, path, valid_from, valid_to, legacy_district_id), E'\n' ORDER BY id) FROM units)
		|| E'\n--\n' || coalesce((SELECT string_agg(format('%s|%s|%s|%s', campaign_id, unit_id, parent_id, path), E'\n' ORDER BY campaign_id, unit_id) FROM campaign_units), '')`).Scan(&out)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReorgDryRunThenApplyThenNothing(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	cw := reorgFixture(t, s)
	past, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2024-2025", SetCode: "moet-4725", RootUnitCode: "34",
		OpensOn: time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	pastUnits := func() string {
		var s2 string
		_ = s.pool.QueryRow(ctx, `SELECT string_agg(format('%s|%s|%s', unit_id, parent_id, path), ';' ORDER BY unit_id) FROM campaign_units WHERE campaign_id = $1`, past.ID).Scan(&s2)
		return s2
	}
	beforePast := pastUnits()
	eff := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	before := treeDump(t, s)

	// Only a system-wide admin reorganises.
	if _, err := s.Reorganize(ctx, &model.Actor{Role: model.RoleProvince, UnitID: 1}, cw, eff, true); !errors.Is(err, errkind.Forbidden) {
		t.Fatalf("a province reorganised: %v", err)
	}
	dry, err := s.Reorganize(ctx, root, cw, eff, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := treeDump(t, s); got != before {
		t.Fatalf("the dry run wrote:\n%s", got)
	}
	moved := map[string]string{}
	for _, m := range dry.Moves {
		moved[m.Code] = m.To
	}
	// S3 stays under its commune, which the new tree keeps and which moves.
	want := map[string]string{"S1": "90001", "S2": "90001", "12800": "33"}
	if fmt.Sprint(moved) != fmt.Sprint(want) {
		t.Fatalf("moves %v, want %v", moved, want)
	}
	var newCodes []string
	for _, n := range dry.New {
		newCodes = append(newCodes, n.Code)
	}
	if fmt.Sprint(newCodes) != "[33 90001 90002]" {
		t.Fatalf("new units %v", newCodes)
	}
	if len(dry.ToDecide) != 1 || dry.ToDecide[0].Code != "S4" || fmt.Sprint(dry.ToDecide[0].Candidates) != "[90001 90002]" {
		t.Fatalf("to decide: %+v", dry.ToDecide)
	}
	unmatched := map[string]string{}
	for _, u := range dry.Unmatched {
		unmatched[u.Code] = u.Reason
	}
	if !strings.Contains(unmatched["S5"], "99999 is not in the crosswalk") || unmatched["340"] == "" || unmatched["34"] == "" {
		t.Fatalf("unmatched: %v", unmatched)
	}
	var retired []string
	for _, r := range dry.Retired {
		retired = append(retired, r.Code)
	}
	slices.Sort(retired)
	if fmt.Sprint(retired) != "[338 339]" {
		t.Fatalf("retired %v (340 and 34 still hold S4, S5)", retired)
	}

	rep, err := s.Reorganize(ctx, root, cw, eff, false)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(rep.Moves) != fmt.Sprint(dry.Moves) || fmt.Sprint(rep.Retired) != fmt.Sprint(dry.Retired) {
		t.Fatalf("the run did not do what the dry run said:\n%+v\n%+v", rep, dry)
	}
	s1, _ := s.UnitByCode(ctx, "S1")
	c1, _ := s.UnitByCode(ctx, "90001")
	p33, _ := s.UnitByCode(ctx, "33")
	bg, _ := s.UnitByCode(ctx, "BGDDT")
	if fmt.Sprint(s1.Path) != fmt.Sprint([]int64{bg.ID, p33.ID, c1.ID, s1.ID}) {
		t.Fatalf("S1's path %v", s1.Path)
	}
	h, err := s.History(ctx, "S1")
	if err != nil || h.LegacyDistrictCode != "338" || h.CommuneCode != "12700" || len(h.Moves) != 1 || h.Moves[0].FromParentCode != "338" ||
		h.Moves[0].ToParentCode != "90001" || h.Moves[0].Effective == nil || h.Moves[0].Reason == "" {
		t.Fatalf("S1's history: %+v %v", h, err)
	}
	if h, _ := s.History(ctx, "S3"); h.LegacyDistrictCode != "339" || h.CommuneCode != "12800" {
		t.Fatalf("S3 (under a kept commune) keeps district 339: %+v", h)
	}
	if h, _ := s.History(ctx, "338"); !h.Retired || h.ValidTo.Format("2006-01-02") != "2025-07-01" {
		t.Fatalf("338 not retired on the day: %+v", h)
	}
	if h, _ := s.History(ctx, "33"); h.ValidFrom == nil || h.Retired {
		t.Fatalf("33 not valid from the day: %+v", h)
	}
	var schools int
	_ = s.pool.QueryRow(ctx, `SELECT count(*) FROM units WHERE kind = 'school'`).Scan(&schools)
	if schools != 5 {
		t.Fatalf("%d schools, want 5: none lost", schools)
	}
	if got := pastUnits(); got != beforePast {
		t.Fatalf("the past campaign's tree changed:\n%s\n%s", beforePast, got)
	}
	// A new campaign stands on the new tree and leaves retired units out.
	now, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2025-2026", SetCode: "moet-4725", RootUnitCode: "BGDDT",
		OpensOn: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var retiredIn int
	_ = s.pool.QueryRow(ctx, `SELECT count(*) FROM campaign_units cu JOIN units u ON u.id = cu.unit_id WHERE cu.campaign_id = $1 AND u.valid_to IS NOT NULL`, now.ID).Scan(&retiredIn)
	if retiredIn != 0 {
		t.Fatalf("%d retired units in the new campaign's tree", retiredIn)
	}

	// A second run changes nothing.
	after := treeDump(t, s)
	again, err := s.Reorganize(ctx, root, cw, eff, false)
	if err != nil {
		t.Fatal(err)
	}
	if again.Changes() || again.InPlace != 3 {
		t.Fatalf("the second run changes things: %+v", again)
	}
	if got := treeDump(t, s); got != after {
		t.Fatal("the second run wrote")
	}
	// A person decides S4 (a move with a reason), and a third run retires
	// 340 once only S5 holds it... no: S5 is still unmatched, so 340 stays.
	if _, err := s.MoveUnit(ctx, root, "S4", "90002", "Địa chỉ trường thuộc xã Đông Hưng mới"); err != nil {
		t.Fatal(err)
	}
	third, err := s.Reorganize(ctx, root, cw, eff, false)
	if err != nil || len(third.ToDecide) != 1 || third.ToDecide[0].Code != "S4" || len(third.Retired) != 0 {
		// S4's old commune is still split: it stays listed, but is not moved back.
		t.Fatalf("third run: %+v %v", third, err)
	}
	if s4, _ := s.UnitByCode(ctx, "S4"); s4.ParentCode != "90002" {
		t.Fatalf("the reorganisation undid a person's decision: S4 under %s", s4.ParentCode)
	}
}

func TestReorgRefusesACodeTakenByAnotherKind(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	cw := reorgFixture(t, s)
	cw.Communes = append(cw.Communes, model.NewCommune{Code: "338", ProvinceCode: "33", Name: "Xã Trùng Mã"})
	cw.Rows = append(cw.Rows, model.CrosswalkRow{OldCode: "12700", NewCode: "338"})
	before := treeDump(t, s)
	_, err := s.Reorganize(ctx, root, cw, time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), false)
	if !errors.Is(err, errkind.Conflict) || !strings.Contains(err.Error(), "338") {
		t.Fatalf("a commune code taken by a district: %v", err)
	}
	if treeDump(t, s) != before {
		t.Fatal("a failed reorganisation left changes behind")
	}
}

func TestReorgParsesCrosswalkAndRefusesBadFiles(t *testing.T) {
	rows, err := model.ParseCrosswalk(strings.NewReader("old_commune_code,old_commune_name,old_district_name,old_province_name,new_commune_code,new_commune_name,new_province_name\n" +
		",Xã Chiềng Bôm,Huyện Thuận Châu,Tỉnh Sơn La,03721,Xã Thuận Châu,Sơn La\n12700,Xã An Ấp,Huyện Quỳnh Phụ,Tỉnh Thái Bình,90001,Xã Quỳnh Phụ,Hưng Yên\n"))
	if err != nil || len(rows) != 2 || rows[0].OldCode != "" || rows[1].NewCode != "90001" {
		t.Fatalf("%+v %v", rows, err)
	}
	if _, err := model.ParseCrosswalk(strings.NewReader("a,b\n1,2\n")); !errors.Is(err, errkind.Invalid) || !strings.Contains(err.Error(), "old_commune_code") {
		t.Fatalf("a file without the columns: %v", err)
	}
	if _, err := model.ParseCrosswalk(strings.NewReader("old_commune_code,old_commune_name,old_district_name,new_commune_code\n1,a,b,\n")); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("a row without a new code: %v", err)
	}
}

func TestReorgMoveChecksKindsAndReason(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	reorgFixture(t, s)
	mustUnit(t, s, "20", "Tỉnh Lạng Sơn", "province", "BGDDT")
	_, err := s.MoveUnit(ctx, root, "20", "S1", "thử")
	var ke *errkind.Error
	if !errors.As(err, &ke) || !errors.Is(err, errkind.Invalid) || ke.Msg.VI != "Không thể đặt một tỉnh/thành phố dưới một trường." ||
		ke.Msg.EN != "a province cannot stand under a school" {
		t.Fatalf("a province under a school: %v", err)
	}
	if _, err := s.MoveUnit(ctx, root, "S1", "339", "  "); !errors.Is(err, errkind.Invalid) || !strings.Contains(err.Error(), "reason") {
		t.Fatalf("a move without a reason: %v", err)
	}
	if _, err := s.CreateUnit(ctx, root, model.UnitInput{Code: "X1", Name: "Huyện lạ", Kind: "district", ParentCode: "S1"}); err == nil {
		t.Fatal("a district was created under a school")
	}
	if _, err := s.MoveUnit(ctx, root, "S1", "339", "Điều chỉnh địa giới"); err != nil {
		t.Fatal(err)
	}
	h, _ := s.History(ctx, "S1")
	if len(h.Moves) != 1 || h.Moves[0].Reason != "Điều chỉnh địa giới" || h.LegacyDistrictCode != "338" {
		t.Fatalf("history %+v", h)
	}
}

// TestReorgCommuneReviewerRouting: after the reorganisation a commune
// reviewer reviews the primary and lower-secondary schools of its commune,
// not another commune's, not an upper-secondary school (routed to the
// Sở), and the Sở can take any review over.
func TestReorgCommuneReviewerRouting(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	cw := reorgFixture(t, s)
	if _, err := s.Reorganize(ctx, root, cw, time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), false); err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2025-2026", SetCode: "moet-4725", RootUnitCode: "33"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetReviewRouting(ctx, root, c.ID, map[string]string{"lower_secondary": "nowhere"}); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("an unknown office: %v", err)
	}
	if _, err := s.SetReviewRouting(ctx, root, c.ID, DefaultRouting2025()); err != nil {
		t.Fatal(err)
	}
	actor := func(code string, role model.Role) *model.Actor {
		u, _ := s.UnitByCode(ctx, code)
		name := string(role) + "." + strings.ToLower(code)
		user, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: name, Role: role, UnitCode: code, Password: "password-" + name})
		if err != nil {
			t.Fatal(err)
		}
		return &model.Actor{UserID: user.ID, Username: name, Role: role, UnitID: u.ID, UnitCode: code, UnitPath: u.Path}
	}
	if _, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: "xa.bad", Role: model.RoleCommune, UnitCode: "33", Password: "password-xa.bad"}); err == nil {
		t.Fatal("a commune reviewer was attached to a province")
	}
	xa, other, so := actor("90001", model.RoleCommune), actor("12800", model.RoleCommune), actor("33", model.RoleProvince)
	if _, err := s.SetReviewRouting(ctx, so, c.ID, DefaultRouting2025()); err != nil {
		t.Fatalf("the Sở of the campaign's province routes: %v", err)
	}
	if _, err := s.SetReviewRouting(ctx, xa, c.ID, map[string]string{}); !errors.Is(err, errkind.Forbidden) {
		t.Fatalf("a commune changed the routing: %v", err)
	}
	ids := map[string]int64{}
	rows, _ := s.CampaignAssessments(ctx, root, c.ID)
	for _, r := range rows {
		ids[r.UnitCode] = r.ID
	}
	if _, err := s.pool.Exec(ctx, `UPDATE assessments SET status = 'submitted', submitted_at = now() WHERE campaign_id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	// Its own commune's lower-secondary school: yes.
	if err := s.Return(ctx, xa, ids["S1"], "Đề nghị bổ sung minh chứng."); err != nil {
		t.Fatalf("the commune could not review its school: %v", err)
	}
	// Its own commune's upper-secondary school: routed to the Sở.
	if err := s.Return(ctx, xa, ids["S2"], "Đề nghị bổ sung minh chứng."); !errors.Is(err, errkind.Forbidden) && !errors.Is(err, errkind.NotFound) {
		t.Fatalf("the commune reviewed an upper-secondary school: %v", err)
	}
	// Another commune's school: outside its scope.
	if err := s.Return(ctx, other, ids["S1"], "Đề nghị bổ sung minh chứng."); err == nil {
		t.Fatal("another commune reviewed S1")
	}
	if err := s.Return(ctx, xa, ids["S3"], "Đề nghị bổ sung minh chứng."); err == nil {
		t.Fatal("commune 90001 reviewed 12800's school")
	}
	// The Sở takes over a commune's review.
	if err := s.Return(ctx, so, ids["S3"], "Sở thẩm định thay xã."); err != nil {
		t.Fatalf("the Sở could not take over: %v", err)
	}
	if err := s.Return(ctx, so, ids["S2"], "Sở thẩm định."); err != nil {
		t.Fatal(err)
	}
	// The commune reads its queue.
	q, err := s.CampaignAssessments(ctx, xa, c.ID)
	if err != nil || len(q) != 2 {
		t.Fatalf("the commune's queue: %+v %v", q, err)
	}
}
