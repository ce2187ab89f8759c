package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// The routes of sampled verification: the evaluators (and admins) whose
// scope touches the campaign.
func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		switch path {
		case "/campaigns/:id/sample", "/campaigns/:id/sample/approve-rest",
			"/api/v1/campaigns/:id/sample", "/api/v1/campaigns/:id/sample/approve-rest":
			return false, []model.Role{model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune}, true
		}
		return false, nil, false
	})
}

// TestSampleAPIAndPages: the Sở draws 1 of its 3 submitted schools with a
// seed; the draw reads back with the seed and the list; a second draw is
// refused; the page shows the seed and marks the sampled school in the
// campaign's list; approving the rest approves the two others, marked
// not sampled; a commune reviewer sees no draw of its own.
func TestSampleAPIAndPages(t *testing.T) {
	srv, ids, campaign, do := govWorld(t)
	base := fmt.Sprintf("/api/v1/campaigns/%d/sample", campaign)
	rec := do("so.33", http.MethodPost, base, `{"size": 1, "seed": "hung-yen-2026", "indicators": 3}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("draw: %d %s", rec.Code, rec.Body)
	}
	var m model.Sample
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if m.Seed != "hung-yen-2026" || len(m.Units) != 3 || len(m.Drawn()) != 1 {
		t.Fatalf("sample %+v", m)
	}
	if rec := do("so.33", http.MethodPost, base, `{"size": 1}`); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "không rút lại được") {
		t.Fatalf("second draw: %d %s", rec.Code, rec.Body)
	}
	if rec := do("xa.90001", http.MethodGet, base, ""); rec.Code != http.StatusNotFound {
		t.Fatalf("commune's own draw: %d %s", rec.Code, rec.Body)
	}
	if rec := do("so.33", http.MethodPost, base, `{"size": -1}`); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"size"`) {
		t.Fatalf("bad size: %d %s", rec.Code, rec.Body)
	}
	// The commune has drawn nothing: its page shows the form.
	if rec := do("xa.90001", http.MethodGet, fmt.Sprintf("/campaigns/%d/sample", campaign), ""); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="sample-form"`) {
		t.Fatalf("the commune's sample page: %d", rec.Code)
	}
	// …and draws through it: a share with a decimal comma, stratified by
	// level; a bad number stays beside the form.
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	token, csrf := webSession(t, surveyOf(srv), "xa.90001", "password-xa.90001")
	pagePath := fmt.Sprintf("/campaigns/%d/sample", campaign)
	if code, body := postForm(t, hs, token, csrf, pagePath, url.Values{"share": {"mười"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "12,5") {
		t.Fatalf("a bad share: %d", code)
	}
	if code, _ := postForm(t, hs, token, csrf, pagePath, url.Values{"share": {"50,5"}, "by_level": {"on"}, "seed": {"xã-90001"}}); code != http.StatusSeeOther {
		t.Fatalf("draw through the page: %d", code)
	}
	if code, body := getPage(t, hs, token, pagePath); code != http.StatusOK || !strings.Contains(body, "xã-90001") || !strings.Contains(body, "50,50 %") {
		t.Fatalf("the commune's draw: %d", code)
	}
	// Its list holds only what it reviews: S1 (S2 is another commune's,
	// S3 is upper secondary, routed to the Sở).
	var cm model.Sample
	if rec := do("xa.90001", http.MethodGet, base, ""); rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &cm) != nil ||
		len(cm.Units) != 1 || cm.Units[0].UnitCode != "S1" || !cm.Units[0].Drawn {
		t.Fatalf("the commune's list: %d %s", rec.Code, rec.Body)
	}
	page := do("so.33", http.MethodGet, fmt.Sprintf("/campaigns/%d/sample", campaign), "")
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "hung-yen-2026") {
		t.Fatalf("sample page: %d", page.Code)
	}
	list := do("so.33", http.MethodGet, fmt.Sprintf("/campaigns/%d", campaign), "")
	if list.Code != http.StatusOK || strings.Count(list.Body.String(), `class="badge sampled"`) != 1 {
		t.Fatalf("campaign page marks %d sampled (status %d)", strings.Count(list.Body.String(), `class="badge sampled"`), list.Code)
	}
	rec = do("so.33", http.MethodPost, base+"/approve-rest", "")
	var res []model.BulkResult
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != http.StatusOK || len(res) != 2 || !res[0].OK || !res[1].OK {
		t.Fatalf("approve rest: %d %s", rec.Code, rec.Body)
	}
	rec = do("so.33", http.MethodGet, base, "")
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, u := range m.Units {
		if u.Drawn == u.NotSampled || u.Drawn != (u.Status == model.StatusSubmitted) {
			t.Fatalf("after approving the rest: %+v", u)
		}
	}
	// Published: the public page of a school approved unsampled says so,
	// and the ranking export counts it.
	if rec := do("so.33", http.MethodPost, fmt.Sprintf("/api/v1/campaigns/%d/publish", campaign), `{"note": "Đợt 1"}`); rec.Code != http.StatusOK && rec.Code != http.StatusCreated {
		t.Fatalf("publish: %d %s", rec.Code, rec.Body)
	}
	for _, u := range m.Units {
		if u.Drawn {
			continue
		}
		rec := do("", http.MethodGet, fmt.Sprintf("/dashboard/%d/units/%s", campaign, u.UnitCode), "")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="not-sampled"`) {
			t.Fatalf("public page of %s: %d", u.UnitCode, rec.Code)
		}
		rec = do("", http.MethodGet, fmt.Sprintf("/dashboard/%d/units/%s/export.csv", campaign, u.UnitCode), "")
		if !strings.Contains(rec.Body.String(), "không thuộc mẫu (số trường),1") {
			t.Fatalf("school export of %s:\n%s", u.UnitCode, rec.Body)
		}
	}
	rec = do("", http.MethodGet, fmt.Sprintf("/dashboard/%d/units/33/export.csv", campaign), "")
	if head := strings.SplitN(rec.Body.String(), "\n", 2)[0]; !strings.Contains(head, "không thuộc mẫu (số trường),Số thay đổi khi thẩm định") {
		t.Fatalf("ranking export head: %s", head)
	}
	// The reviewer sees, on the sampled assessment, that it is sampled and
	// which 3 indicators to verify.
	for _, u := range m.Units {
		rec := do("so.33", http.MethodGet, fmt.Sprintf("/assessments/%d", u.AssessmentID), "")
		if has := strings.Contains(rec.Body.String(), `id="sampled-note"`); rec.Code != http.StatusOK || has != u.Drawn ||
			u.Drawn && !strings.Contains(rec.Body.String(), strings.Join(u.Indicators, ", ")) || u.Drawn && len(u.Indicators) != 3 {
			t.Fatalf("assessment page of %s (drawn %v): %d", u.UnitCode, u.Drawn, rec.Code)
		}
	}
	_ = ids
}

// TestEvidenceDatesAPI: a link carries the day it was checked (a bad or
// future date is refused with a field error); the assessment shows its
// age to the reviewer.
func TestEvidenceDatesAPI(t *testing.T) {
	hs, _, _, aid := journeyWorld(t)
	school := login(t, hs.URL, "ht.anbai", "school-password")
	district := login(t, hs.URL, "phong.qp", "district-password")
	a := fmt.Sprintf("/api/v1/assessments/%d", aid)
	m := school.do("POST", a+"/evidence/a.plan", map[string]string{"url": "https://example.edu.vn/ke-hoach", "checked_on": "31/02/2025"}, 422)
	if !strings.Contains(fmt.Sprint(m), "checked_on") {
		t.Fatalf("bad date: %v", m)
	}
	school.do("POST", a+"/evidence/a.plan", map[string]string{"url": "https://example.edu.vn/ke-hoach", "checked_on": "2999-01-01"}, 422)
	ev := school.do("POST", a+"/evidence/a.plan", map[string]string{"url": "https://example.edu.vn/ke-hoach", "checked_on": "2024-09-05"}, 201)
	if !strings.HasPrefix(fmt.Sprint(ev["dated_on"]), "2024-09-05") {
		t.Fatalf("dated evidence: %v", ev)
	}
	x := district.do("GET", a, nil, 200)
	items := x["answers"].(map[string]any)["a.plan"].(map[string]any)["evidence"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["age_days"] == nil {
		t.Fatalf("reviewer's view of the evidence: %v", items)
	}
}

// TestEvidenceDateOnThePage: the evidence form takes the day a link was
// checked (a date input's yyyy-mm-dd), refuses a bad one beside the form,
// and the page shows the date as dd/mm/yyyy with the item's age.
func TestEvidenceDateOnThePage(t *testing.T) {
	hs, svc, _, aid := journeyWorld(t)
	token, csrf := webSession(t, svc, "ht.anbai", "school-password")
	path := fmt.Sprintf("/assessments/%d/evidence", aid)
	code, body := postForm(t, hs, token, csrf, path, url.Values{"indicator": {"a.lms"}, "url": {"https://lms.example.edu.vn"}, "dated_on": {"hôm qua"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "dd/mm/yyyy") {
		t.Fatalf("bad date: %d", code)
	}
	if code, _ := postForm(t, hs, token, csrf, path, url.Values{"indicator": {"a.lms"}, "url": {"https://lms.example.edu.vn"}, "dated_on": {"2024-09-05"}}); code != http.StatusSeeOther {
		t.Fatalf("dated link: %d", code)
	}
	code, body = getPage(t, hs, token, fmt.Sprintf("/assessments/%d", aid))
	if code != http.StatusOK || !strings.Contains(body, `name="dated_on" type="date"`) || !strings.Contains(body, "05/09/2024 · ") || !strings.Contains(body, "ngày tuổi") {
		t.Fatalf("the page: %d", code)
	}
}
