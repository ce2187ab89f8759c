package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// The routes of units over time: the trend is public; the unit history
// and the reorganisation are for admins; anyone signed in whose scope
// touches the campaign reads its review routing, the Sở or an admin sets it.
func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		switch {
		case path == "/api/v1/units/:code/trend":
			return true, nil, true
		case path == "/api/v1/units/:code/history" || path == "/api/v1/admin/reorganize":
			return false, []model.Role{model.RoleAdmin}, true
		case path == "/api/v1/campaigns/:id/reviewers" && method == http.MethodGet:
			return false, nil, true
		case path == "/api/v1/campaigns/:id/reviewers":
			return false, []model.Role{model.RoleAdmin, model.RoleProvince}, true
		}
		return false, nil, false
	})
}

// govWorld: Thái Bình (34) → Quỳnh Phụ (338) → S1, S2, S3, reorganised on
// 1 July 2025 into Hưng Yên (33) → communes 90001 (S1, S3 upper
// secondary) and 90002 (S2), with a campaign on 33 routed as since 2025,
// every assessment submitted, and a reviewer account per commune and the Sở.
func govWorld(t *testing.T) (*Server, map[string]int64, int64, func(user, method, path, body string) *httptest.ResponseRecorder) {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.New(t)
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)})
	if err != nil {
		t.Fatal(err)
	}
	svc := survey.NewService(pool)
	if _, err := svc.InstallShippedSets(ctx); err != nil {
		t.Fatal(err)
	}
	root := &model.Actor{Role: model.RoleAdmin}
	for _, u := range []model.UnitInput{
		{Code: "BGDDT", Name: "Bộ Giáo dục và Đào tạo", Kind: "ministry"},
		{Code: "34", Name: "Tỉnh Thái Bình", Kind: "province", ParentCode: "BGDDT"},
		{Code: "338", Name: "Huyện Quỳnh Phụ", Kind: "district", ParentCode: "34"},
		{Code: "S1", Name: "Trường THCS An Bài", Kind: "school", ParentCode: "338", SchoolLevels: []string{"lower_secondary"}},
		{Code: "S2", Name: "Trường THCS An Ấp", Kind: "school", ParentCode: "338", SchoolLevels: []string{"lower_secondary"}},
		{Code: "S3", Name: "Trường THPT Quỳnh Côi", Kind: "school", ParentCode: "338", SchoolLevels: []string{"upper_secondary"}},
	} {
		if _, err := svc.CreateUnit(ctx, root, u); err != nil {
			t.Fatal(err)
		}
	}
	for code, commune := range map[string]string{"S1": "12700", "S2": "12701", "S3": "12700"} {
		if _, err := pool.Exec(ctx, `UPDATE units SET commune_code = $2 WHERE code = $1`, code, commune); err != nil {
			t.Fatal(err)
		}
	}
	cw := &model.Crosswalk{
		Provinces: []model.NewProvince{{Code: "33", Name: "Tỉnh Hưng Yên"}},
		Communes:  []model.NewCommune{{Code: "90001", ProvinceCode: "33", Name: "Xã Quỳnh Phụ"}, {Code: "90002", ProvinceCode: "33", Name: "Xã Minh Thọ"}},
		Rows:      []model.CrosswalkRow{{OldCode: "12700", NewCode: "90001"}, {OldCode: "12701", NewCode: "90002"}},
	}
	if _, err := svc.Reorganize(ctx, root, cw, time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), false); err != nil {
		t.Fatal(err)
	}
	c, err := svc.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2026-2027", SetCode: "moet-4725", RootUnitCode: "33"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetReviewRouting(ctx, root, c.ID, survey.DefaultRouting2025()); err != nil {
		t.Fatal(err)
	}
	for name, ru := range map[string][2]string{"xa.90001": {"commune", "90001"}, "xa.90002": {"commune", "90002"}, "so.33": {"province", "33"}, "admin": {"admin", ""}} {
		if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: name, Role: model.Role(ru[0]), UnitCode: ru[1], Password: "password-" + name}); err != nil {
			t.Fatal(err)
		}
	}
	rows, _ := svc.CampaignAssessments(ctx, root, c.ID)
	ids := map[string]int64{}
	for _, r := range rows {
		ids[r.UnitCode] = r.ID
	}
	if _, err := pool.Exec(ctx, `UPDATE assessments SET status = 'submitted', submitted_at = now() WHERE campaign_id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	do := func(user, method, path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if user != "" {
			if tokens[user] == "" {
				_, sess, err := svc.Login(ctx, user, "password-"+user, "127.0.0.1", model.SessionAPI)
				if err != nil {
					t.Fatalf("login %s: %v", user, err)
				}
				tokens[user] = sess.Token
			}
			req.Header.Set("Authorization", "Bearer "+tokens[user])
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	return srv, ids, c.ID, do
}

// TestGovCommuneReviewerMatrix: the commune reviewer reviews its own
// commune's lower-secondary school, is refused another commune's school
// and its own upper-secondary school (routed to the Sở); the Sở takes any
// review over; only the Sở or an admin changes the routing.
func TestGovCommuneReviewerMatrix(t *testing.T) {
	_, ids, campaign, do := govWorld(t)
	ret := func(user, school string) int {
		return do(user, http.MethodPost, fmt.Sprintf("/api/v1/assessments/%d/return", ids[school]), `{"comment":"Đề nghị bổ sung minh chứng."}`).Code
	}
	cases := []struct {
		user, school string
		ok           bool
	}{
		{"xa.90002", "S1", false}, // another commune's school
		{"xa.90001", "S3", false}, // upper secondary: the Sở reviews
		{"xa.90001", "S1", true},  // its own commune's school
		{"so.33", "S2", true},     // the Sở takes over a commune's review
		{"so.33", "S3", true},
	}
	for _, tc := range cases {
		code := ret(tc.user, tc.school)
		if tc.ok != (code == http.StatusOK || code == http.StatusNoContent) {
			t.Errorf("%s returns %s: %d, want ok=%v", tc.user, tc.school, code, tc.ok)
		}
	}
	path := fmt.Sprintf("/api/v1/campaigns/%d/reviewers", campaign)
	if rec := do("xa.90001", http.MethodGet, path, ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"upper_secondary":"province"`) {
		t.Fatalf("the commune reads the routing: %d %s", rec.Code, rec.Body)
	}
	if rec := do("xa.90001", http.MethodPut, path, `{"upper_secondary":"commune"}`); rec.Code != http.StatusForbidden {
		t.Fatalf("a commune changed the routing: %d", rec.Code)
	}
	if rec := do("so.33", http.MethodPut, path, `{"upper_secondary":"xa"}`); rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest {
		t.Fatalf("an unknown office: %d %s", rec.Code, rec.Body)
	}
	if rec := do("so.33", http.MethodPut, path, `{"upper_secondary":"commune","lower_secondary":"commune"}`); rec.Code != 200 {
		t.Fatalf("the Sở routes: %d %s", rec.Code, rec.Body)
	}
}

func TestGovHistoryAndTrendAPI(t *testing.T) {
	_, _, _, do := govWorld(t)
	rec := do("admin", http.MethodGet, "/api/v1/units/S1/history", "")
	var h struct {
		LegacyDistrictCode string `json:"legacy_district_code"`
		Moves              []struct {
			ToParentCode string `json:"to_parent_code"`
			Effective    string `json:"effective"`
		} `json:"moves"`
	}
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &h) != nil || h.LegacyDistrictCode != "338" || len(h.Moves) != 1 ||
		h.Moves[0].ToParentCode != "90001" || h.Moves[0].Effective != "2025-07-01" {
		t.Fatalf("history: %d %s", rec.Code, rec.Body)
	}
	if rec := do("xa.90001", http.MethodGet, "/api/v1/units/S1/history", ""); rec.Code != http.StatusForbidden {
		t.Fatalf("history for a commune: %d", rec.Code)
	}
	if rec := do("", http.MethodGet, "/api/v1/units/338/trend", ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"retired":true`) {
		t.Fatalf("public trend of a retired district: %d %s", rec.Code, rec.Body)
	}
	if rec := do("", http.MethodGet, "/api/v1/units/NOPE/trend", ""); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "NOPE") {
		t.Fatalf("trend of no unit: %d %s", rec.Code, rec.Body)
	}
	// A move into a school is refused with the reason, Vietnamese first.
	rec = do("admin", http.MethodPost, "/api/v1/units/33/move", `{"parent_code":"S1","reason":"thử"}`)
	if rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "Không thể") {
		t.Fatalf("a province under a school: %d %s", rec.Code, rec.Body)
	}
	// The reorganisation on the web: a dry run with the shipped crosswalk.
	rec = do("admin", http.MethodPost, "/api/v1/admin/reorganize", `{"dry_run":true,"effective":"2025-07-01"}`)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"dry_run":true`) {
		t.Fatalf("reorganize dry run: %d %.300s", rec.Code, rec.Body)
	}
	if rec := do("admin", http.MethodPost, "/api/v1/admin/reorganize", `{"effective":"1 July"}`); rec.Code < 400 || rec.Code >= 500 {
		t.Fatalf("a bad date: %d", rec.Code)
	}
}
