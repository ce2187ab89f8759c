package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// Who may post the review-trust page forms (issue 17): evaluators send the
// changes to the school and rule on contests; the school replies.
func init() {
	evaluators := []model.Role{model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune}
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		if method == http.MethodGet && path == "/api/v1/assessments/:aid/trail" {
			return false, nil, true // whoever reads the assessment
		}
		if method != http.MethodPost {
			return false, nil, false
		}
		switch path {
		case "/assessments/:aid/send-for-reply", "/assessments/:aid/replies/:indicator/ruling":
			return false, evaluators, true
		case "/assessments/:aid/replies/:indicator":
			return false, []model.Role{model.RoleSchool, model.RoleOffice}, true
		}
		return false, nil, false
	})
}

// TestTrustPagesJourney walks issue 17 through the pages only: the Sở
// turns four eyes on in the campaign form; the commune reviewer (A)
// changes two values and sends them to the school; the school sees each
// change with its reason and the due date, contests one (a contest without
// a comment is refused beside its form) and accepts the other; A is told
// on the page why it cannot approve and who can, and has no ruling form;
// the Sở (B) rules and approves; the trail shows every step in order; the
// public page counts 2 changes, 1 contested, 1 upheld.
func TestTrustPagesJourney(t *testing.T) {
	srv, ids, campaign, do := govWorld(t)
	ctx := context.Background()
	svc := surveyOf(srv)
	if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.s1", Role: model.RoleSchool, UnitCode: "S1", Password: "password-ht.s1"}); err != nil {
		t.Fatal(err)
	}
	callers := map[string]func(method, path string, form url.Values) *httptest.ResponseRecorder{}
	page := func(user, method, path string, form url.Values) *httptest.ResponseRecorder {
		t.Helper()
		if callers[user] == nil {
			callers[user] = pageAs(t, srv, user)
		}
		return callers[user](method, path, form)
	}
	post := func(user, path string, form url.Values, want int) string {
		t.Helper()
		rec := page(user, http.MethodPost, path, form)
		if rec.Code != want {
			t.Fatalf("%s POST %s: %d, want %d: %s", user, path, rec.Code, want, rec.Body)
		}
		return rec.Body.String()
	}
	get := func(user, path string) string {
		t.Helper()
		rec := page(user, http.MethodGet, path, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s GET %s: %d", user, path, rec.Code)
		}
		return rec.Body.String()
	}
	// The campaign form: the edit form shows both controls; four eyes on, 3 days.
	cp := fmt.Sprintf("/campaigns/%d", campaign)
	if body := get("so.33", cp); !strings.Contains(body, `name="four_eyes"`) || !strings.Contains(body, `name="reply_days"`) {
		t.Fatal("the campaign edit form has no four-eyes or reply-days control")
	}
	post("so.33", cp+"/edit", url.Values{"name": {"Năm học 2026-2027"}, "four_eyes": {"on", "off"}, "reply_days": {"3"}}, http.StatusSeeOther)
	so := &model.Actor{Role: model.RoleAdmin}
	c, err := svc.Campaign(ctx, so, campaign)
	if err != nil || !c.FourEyes || c.ReplyDays != 3 {
		t.Fatalf("campaign after the form: %+v %v", c, err)
	}
	id := ids["S1"]
	bools := booleanIndicators(t, svc, id)
	i1, i2 := bools[0], bools[1]
	a := fmt.Sprintf("/assessments/%d", id)
	for _, ind := range bools {
		post("xa.90001", a+"/review/"+ind, url.Values{"v." + ind: {"false"}, "reason": {"Không có minh chứng " + ind}}, http.StatusSeeOther)
	}
	if body := get("ht.s1", a); strings.Contains(body, `id="replies"`) {
		t.Fatal("the school sees the changes before they are sent")
	}
	if body := get("xa.90001", a); !strings.Contains(body, `id="send-for-reply"`) {
		t.Fatal("no send-for-reply button")
	}
	post("xa.90001", a+"/send-for-reply", nil, http.StatusSeeOther)
	// Sending again while the window is open is refused beside the box.
	if body := post("xa.90001", a+"/send-for-reply", nil, http.StatusUnprocessableEntity); !strings.Contains(body, "đã được gửi nhà trường") {
		t.Fatalf("second send: %.300s", body)
	}
	due := svc.Now().Add(3 * 24 * time.Hour).In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006 15:04")
	body := get("ht.s1", a)
	for _, want := range []string{`id="replies"`, `id="reply-` + i1 + `"`, `id="reply-` + i2 + `"`, "Không có minh chứng " + i1, `<b id="reply-due">` + due} {
		if !strings.Contains(body, want) {
			t.Fatalf("the school's page lacks %q", want)
		}
	}
	if body := post("ht.s1", a+"/replies/"+i1, url.Values{"verdict": {"contest"}}, http.StatusUnprocessableEntity); !strings.Contains(body, "Hãy ghi lý do nhà trường không đồng ý.") {
		t.Fatalf("a contest without comment: %.300s", body)
	}
	post("ht.s1", a+"/replies/"+i1, url.Values{"verdict": {"contest"}, "comment": {"Trường có hệ thống, xem biên bản"}, "evidence_url": {"https://example.edu.vn/bien-ban"}}, http.StatusSeeOther)
	post("ht.s1", a+"/replies/"+i2, url.Values{"verdict": {"accept"}}, http.StatusSeeOther)
	// A changed the values: the page says why it cannot approve and who can; no ruling form.
	body = get("xa.90001", a)
	if !strings.Contains(body, `id="cannot-approve"`) || !strings.Contains(body, "bốn mắt") || !regexp.MustCompile(`id="eligible"><li>[^<]*so\.33`).MatchString(body) {
		t.Fatalf("A's page: no four-eyes box naming so.33")
	}
	if strings.Contains(body, `id="ruling-`+i1+`"`) {
		t.Fatal("A is offered to rule on its own change")
	}
	if body := post("xa.90001", a+"/approve", nil, http.StatusUnprocessableEntity); !strings.Contains(body, "bốn mắt") {
		t.Fatalf("A approved: %.300s", body)
	}
	body = get("so.33", a)
	if !strings.Contains(body, `id="ruling-`+i1+`"`) || strings.Contains(body, `id="ruling-`+i2+`"`) {
		t.Fatal("B's page: the ruling form is not on the contested change only")
	}
	post("so.33", a+"/replies/"+i1+"/ruling", url.Values{"ruling": {"uphold"}, "reason": {"Biên bản không chứng minh hệ thống vận hành"}}, http.StatusSeeOther)
	post("so.33", a+"/approve", nil, http.StatusSeeOther)
	if _, err := svc.Publish(ctx, &model.Actor{Role: model.RoleAdmin}, campaign, ""); err != nil {
		t.Fatal(err)
	}
	// The trail: changes, send, replies, ruling, approval, publication in that order.
	body = get("so.33", a)
	trail := body[strings.Index(body, `id="trail"`):]
	last := -1
	for _, want := range []string{`trail-change`, `trail-event`, `trail-reply`, `trail-ruling`, "Biên bản không chứng minh", `trail-publication`} {
		i := strings.Index(trail, want)
		if i < 0 || i < last {
			t.Fatalf("trail: %q missing or out of order:\n%s", want, trail)
		}
		last = i
	}
	if !strings.Contains(trail, "https://example.edu.vn/bien-ban") {
		t.Fatal("the trail lacks the school's evidence link")
	}
	// The same trail through the API.
	var entries []model.TrailEntry
	rec := do("so.33", http.MethodGet, fmt.Sprintf("/api/v1/assessments/%d/trail", id), "")
	if err := json.Unmarshal(rec.Body.Bytes(), &entries); rec.Code != http.StatusOK || err != nil {
		t.Fatalf("API trail: %d %v", rec.Code, err)
	}
	kinds := map[string]int{}
	for _, e := range entries {
		kinds[e.Kind]++
	}
	if kinds[model.TrailChange] != 2 || kinds[model.TrailReply] != 2 || kinds[model.TrailRuling] != 1 || kinds[model.TrailPublication] != 1 {
		t.Fatalf("API trail kinds: %v", kinds)
	}
	res, err := svc.PublishedResultOf(ctx, campaign, "S1")
	if err != nil || res.Review.Changes != 2 || res.Review.Contested != 1 || res.Review.Upheld != 1 {
		t.Fatalf("published review: %+v %v", res, err)
	}
	// The public school page, its export, and the commune's ranking export.
	public := func(path string) string {
		t.Helper()
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %.300s", path, rec.Code, rec.Body)
		}
		return rec.Body.String()
	}
	d := fmt.Sprintf("/dashboard/%d/units/", campaign)
	if body := public(d + "S1"); !regexp.MustCompile(`id="review-counts">Số thay đổi khi thẩm định: <b>2</b> · Bị nhà trường phản đối: <b>1</b> · Giữ nguyên sau xem xét: <b>1</b>`).MatchString(body) {
		t.Fatalf("the public page lacks the review counts")
	}
	if body := public(d + "S1/export.csv"); !strings.Contains(body, "Số thay đổi khi thẩm định,2") || !strings.Contains(body, "Giữ nguyên sau xem xét,1") {
		t.Fatalf("the school export lacks the review counts:\n%s", body)
	}
	body = public(d + "90001/export.csv")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if !strings.HasSuffix(strings.TrimSpace(lines[0]), "Số thay đổi khi thẩm định,Bị nhà trường phản đối,Giữ nguyên sau xem xét") {
		t.Fatalf("ranking export head: %s", lines[0])
	}
	found := false
	for _, l := range lines[1:] {
		if strings.Contains(l, "S1") {
			found = strings.HasSuffix(strings.TrimSpace(l), ",2,1,1")
		}
	}
	if !found {
		t.Fatalf("ranking export: S1 without 2,1,1:\n%s", body)
	}
}

// booleanIndicators returns two yes/no indicators of assessment id.
func booleanIndicators(t *testing.T, svc *survey.Service, id int64) []string {
	t.Helper()
	ctx := context.Background()
	x, err := svc.Assessment(ctx, &model.Actor{Role: model.RoleAdmin}, id)
	if err != nil {
		t.Fatal(err)
	}
	set, err := svc.Set(ctx, x.SetCode, x.SetVersion)
	if err != nil {
		t.Fatal(err)
	}
	var bools []string
	for _, g := range set.Groups {
		for _, cr := range g.Criteria {
			for _, ind := range cr.Indicators {
				if ind.Type == "boolean" && ind.AppliesToLevel(x.SchoolLevel) && len(bools) < 2 {
					bools = append(bools, ind.Code)
				}
			}
		}
	}
	if len(bools) < 2 {
		t.Fatalf("two yes/no indicators needed, found %v", bools)
	}
	return bools
}

// TestCampaignFormTrustControls: the new-campaign form offers four eyes
// (ticked) and the reply window; unticking and 7 days are kept; a window
// of 90 days is refused beside its field and nothing is created.
func TestCampaignFormTrustControls(t *testing.T) {
	srv, _, _, _ := govWorld(t)
	ctx := context.Background()
	page := pageAs(t, srv, "so.33")
	body := page(http.MethodGet, "/campaigns", nil).Body.String()
	if !regexp.MustCompile(`name="four_eyes" value="on" checked`).MatchString(body) || !strings.Contains(body, `name="reply_days"`) {
		t.Fatal("the new-campaign form lacks four eyes (ticked) or the reply window")
	}
	form := url.Values{"name": {"Đợt thử"}, "set": {"moet-4725"}, "root_unit_code": {"33"}, "four_eyes": {"off"}, "reply_days": {"90"}}
	rec := page(http.MethodPost, "/campaigns", form)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Thời hạn phản hồi phải từ 1 đến 60 ngày.") ||
		regexp.MustCompile(`name="four_eyes" value="on" checked`).MatchString(rec.Body.String()) {
		t.Fatalf("90 days: %d %.300s", rec.Code, rec.Body)
	}
	form.Set("reply_days", "7")
	if rec := page(http.MethodPost, "/campaigns", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %.500s", rec.Code, rec.Body)
	}
	list, err := srv.survey.ListCampaigns(ctx, &model.Actor{Role: model.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range list {
		if c.Name == "Đợt thử" {
			n++
			if c.FourEyes || c.ReplyDays != 7 {
				t.Fatalf("created: four eyes %v, reply days %d", c.FourEyes, c.ReplyDays)
			}
		}
	}
	if n != 1 {
		t.Fatalf("%d campaigns named Đợt thử", n)
	}
}
