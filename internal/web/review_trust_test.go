package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Who may reach the routes of issue 17: the replies are read by whoever
// reads the assessment; the school replies; evaluators send, rule and ask
// why they cannot approve.
func init() {
	evaluators := []model.Role{model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune}
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		switch {
		case path == "/api/v1/assessments/:aid/replies" && method == http.MethodGet:
			return false, nil, true
		case path == "/api/v1/assessments/:aid/replies/:indicator" && method == http.MethodPut:
			return false, []model.Role{model.RoleSchool, model.RoleOffice}, true
		case path == "/api/v1/assessments/:aid/send-for-reply", path == "/api/v1/assessments/:aid/replies/:indicator/ruling",
			path == "/api/v1/assessments/:aid/approval-check":
			return false, evaluators, true
		}
		return false, nil, false
	})
}

// TestAPIRightOfReplyAndFourEyes: the evaluator's change is sent to the
// school, which contests it; the evaluator who made it cannot rule, a
// second one upholds it; under four eyes the first cannot approve and is
// told who can; the public result counts the change, contest and upheld.
func TestAPIRightOfReplyAndFourEyes(t *testing.T) {
	hs, svc, campaignID, aid := journeyWorld(t)
	testfix.Users(t, svc, model.UserInput{Username: "phong.qp2", Role: model.RoleDistrict, UnitCode: "338", Password: "district-password2", DisplayName: "Lê Thị Mai"})
	pool, _ := journeyPools.Load(hs.URL)
	if _, err := pool.(*pgxpool.Pool).Exec(context.Background(), `UPDATE campaigns SET four_eyes = true WHERE id = $1`, campaignID); err != nil {
		t.Fatal(err)
	}
	school := login(t, hs.URL, "ht.anbai", "school-password")
	a1 := login(t, hs.URL, "phong.qp", "district-password")
	b := login(t, hs.URL, "phong.qp2", "district-password2")
	a := fmt.Sprintf("/api/v1/assessments/%d", aid)
	answers := map[string]any{"a.plan": true, "a.lms": true, "a.devices": "all", "a.features": []string{"assign", "quiz"},
		"a.teachers": 85, "a.lab": 70, "b.modules": 5, "b.portal": true, "b.services": 3}
	for code, v := range answers {
		school.do("PUT", a+"/answers/"+code, map[string]any{"value": v, "version": 0}, 200)
	}
	school.do("POST", a+"/evidence/a.plan", map[string]string{"url": "https://example.edu.vn/ke-hoach"}, 201)
	school.do("POST", a+"/evidence/a.lms", map[string]string{"url": "https://lms.example.edu.vn"}, 201)
	school.do("POST", a+"/submit", nil, 200)
	school.do("POST", a+"/send-for-reply", nil, 403)
	a1.do("POST", a+"/send-for-reply", nil, 409) // nothing changed yet
	a1.do("PUT", a+"/review/a.teachers", map[string]any{"value": 55, "reason": "Kiểm tra thực tế"}, 200)
	if r := school.do("GET", a+"/replies", nil, 200); len(r["items"].([]any)) != 0 {
		t.Fatalf("school saw the changes before they were sent: %v", r)
	}
	st := a1.do("POST", a+"/send-for-reply", nil, 200)
	if st["due"] == nil {
		t.Fatalf("no reply window: %v", st)
	}
	st = school.do("GET", a+"/replies", nil, 200)
	items := st["items"].([]any)
	if st["can_reply"] != true || len(items) != 1 || items[0].(map[string]any)["reason"] != "Kiểm tra thực tế" {
		t.Fatalf("school's view: %v", st)
	}
	school.do("PUT", a+"/replies/a.teachers", map[string]any{"verdict": "maybe"}, 422)
	school.do("PUT", a+"/replies/a.teachers", map[string]any{"verdict": "contest"}, 422)
	a1.do("PUT", a+"/replies/a.teachers", map[string]any{"verdict": "accept"}, 403)
	school.do("PUT", a+"/replies/a.teachers", map[string]any{"verdict": "contest", "comment": "Có 85% giáo viên đã tập huấn", "evidence_url": "https://example.edu.vn/tap-huan"}, 200)
	chk := b.do("GET", a+"/approval-check", nil, 200)
	if msg := fmt.Sprint(chk["reason"]); !strings.Contains(msg, "phản đối") {
		t.Fatalf("approval check with a contest pending: %v", chk)
	}
	a1.do("POST", a+"/replies/a.teachers/ruling", map[string]any{"ruling": "uphold", "reason": "Giữ nguyên"}, 403)
	b.do("POST", a+"/replies/a.teachers/ruling", map[string]any{"ruling": "uphold"}, 422)
	b.do("POST", a+"/replies/a.teachers/ruling", map[string]any{"ruling": "uphold", "reason": "Biên bản kiểm tra thực tế"}, 200)
	chk = a1.do("GET", a+"/approval-check", nil, 200)
	if fe, _ := chk["four_eyes"].(map[string]any); fe == nil || !strings.Contains(fmt.Sprint(fe["eligible"]), "phong.qp2") {
		t.Fatalf("A's approval check: %v", chk)
	}
	r := a1.do("POST", a+"/approve", nil, 409)
	if msg := fmt.Sprint(r["error"]); !strings.Contains(msg, "bốn mắt") || !strings.Contains(msg, "Lê Thị Mai") {
		t.Fatalf("four-eyes refusal: %v", r)
	}
	b.do("POST", a+"/approve", map[string]string{"comment": "Đạt"}, 200)
	b.do("POST", fmt.Sprintf("/api/v1/campaigns/%d/publish", campaignID), map[string]string{"note": ""}, 201)
	anon := &apiClient{t: t, base: hs.URL}
	res := anon.do("GET", fmt.Sprintf("/api/v1/campaigns/%d/results/A1", campaignID), nil, 200)
	rv, _ := res["review"].(map[string]any)
	if rv == nil || rv["changes"] != float64(1) || rv["contested"] != float64(1) || rv["upheld"] != float64(1) ||
		rv["changed_by"] != "phong.qp" || rv["approved_by"] != "phong.qp2" {
		t.Fatalf("public result's review: %v", res)
	}
}
