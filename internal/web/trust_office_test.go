package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// signedInActor is the actor of a fresh web session of user (password
// "password-"+user), for driving the service directly in a test.
func signedInActor(t *testing.T, svc *survey.Service, user string) *survey.Actor {
	t.Helper()
	ctx := context.Background()
	_, sess, err := svc.Login(ctx, user, "password-"+user, "127.0.0.1", survey.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := svc.SessionByToken(ctx, sess.Token, survey.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// answerBest answers every indicator of the assessment a person types at
// its best, with a dated evidence link where one is required.
func answerBest(t *testing.T, svc *survey.Service, a *survey.Actor, id int64) *indicators.Set {
	t.Helper()
	ctx := context.Background()
	x, err := svc.Assessment(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	set, err := svc.Set(ctx, x.SetCode, x.SetVersion)
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range model.ApplicableIndicators(set, x.SchoolLevel) {
		if ind.IsRollup() {
			continue
		}
		var v string
		switch ind.Type {
		case indicators.TypeBoolean:
			v = "true"
		case indicators.TypePercent:
			v = "100"
		default:
			t.Fatalf("answerBest: indicator %s of type %s", ind.Code, ind.Type)
		}
		if _, err := svc.SaveAnswer(ctx, a, id, ind.Code, json.RawMessage(v), 0); err != nil {
			t.Fatalf("save %s: %v", ind.Code, err)
		}
		if ind.Evidence == "required" {
			if _, err := svc.AddDatedEvidenceLink(ctx, a, id, ind.Code, "https://so.example.gov.vn/minh-chung/"+ind.Code, svc.Now()); err != nil {
				t.Fatalf("evidence %s: %v", ind.Code, err)
			}
		}
	}
	return set
}

// TestOfficeReplyForm (Decision 3806): the Sở's own staff, on their
// office's assessment sent for reply, get the same reply form a school
// gets — worded for a unit, not a school — and their reply is recorded
// through it; the Sở's reviewer does not get the form on that page, and
// another office's staff cannot post a reply for it.
func TestOfficeReplyForm(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	svc := survey.NewService(pool)
	testfix.Units(t, svc,
		survey.UnitInput{Code: "BGDDT", Name: "Bộ Giáo dục và Đào tạo", Kind: "ministry"},
		survey.UnitInput{Code: "33", Name: "Tỉnh Hưng Yên", Kind: "province", ParentCode: "BGDDT"},
		survey.UnitInput{Code: "34", Name: "Tỉnh Thái Bình", Kind: "province", ParentCode: "BGDDT"},
		survey.UnitInput{Code: "A1", Name: "Trường THCS An Bài", Kind: "school", ParentCode: "33", SchoolLevels: []string{"lower_secondary"}})
	testfix.Users(t, svc,
		survey.UserInput{Username: "cb.33", Role: survey.RoleOffice, UnitCode: "33", Password: "password-cb.33"},
		survey.UserInput{Username: "cb.34", Role: survey.RoleOffice, UnitCode: "34", Password: "password-cb.34"},
		survey.UserInput{Username: "so.33", Role: survey.RoleProvince, UnitCode: "33", Password: "password-so.33"},
		survey.UserInput{Username: "bo.gddt", Role: survey.RoleMinistry, UnitCode: "BGDDT", Password: "password-bo.gddt"})
	school, _ := testfix.OpenCampaign(t, svc, "moet-4725", "33")
	oc, err := svc.CreateCampaign(ctx, testfix.Root, survey.CampaignInput{Name: "Sở GDĐT thử nghiệm", SetCode: "moet-agency", RootUnitCode: "BGDDT",
		OpensOn: school.OpensOn.Time, SelfDue: school.SelfDue.Time, SchoolCampaignID: school.ID})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := svc.CampaignAssessments(ctx, testfix.Root, oc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, r := range rows {
		if r.UnitCode == "33" {
			id = r.ID
		}
	}
	if id == 0 {
		t.Fatalf("no assessment of the Sở 33 in %+v", rows)
	}
	staff := signedInActor(t, svc, "cb.33")
	set := answerBest(t, svc, staff, id)
	if err := svc.Submit(ctx, staff, id); err != nil {
		t.Fatal(err)
	}
	var ind *indicators.Indicator
	for _, i := range model.ApplicableIndicators(set, "") {
		if !i.IsRollup() && i.Type == indicators.TypeBoolean {
			ind = i
			break
		}
	}
	ministry := signedInActor(t, svc, "bo.gddt")
	if _, err := svc.Review(ctx, ministry, id, ind.Code, json.RawMessage(`false`), "Chưa có văn bản ban hành"); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)})
	if err != nil {
		t.Fatal(err)
	}
	a := fmt.Sprintf("/assessments/%d", id)
	office, reviewer := pageAs(t, srv, "cb.33"), pageAs(t, srv, "bo.gddt")
	get := func(call func(string, string, url.Values) *httptest.ResponseRecorder, path string) string {
		t.Helper()
		rec := call(http.MethodGet, path, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		return rec.Body.String()
	}
	if body := get(office, a); strings.Contains(body, `id="replies"`) {
		t.Fatal("the office sees the changes before they are sent")
	}
	if rec := reviewer(http.MethodPost, a+"/send-for-reply", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("send for reply: %d %s", rec.Code, rec.Body)
	}
	body := get(office, a)
	for _, want := range []string{`id="replies"`, `id="reply-` + ind.Code + `"`, "Chưa có văn bản ban hành", "Phản hồi của đơn vị", "đơn vị chọn đồng ý", "Giá trị của đơn vị"} {
		if !strings.Contains(body, want) {
			t.Fatalf("the office's page lacks %q", want)
		}
	}
	if strings.Contains(body, "nhà trường chọn đồng ý") {
		t.Fatal("the office's reply form speaks of a school")
	}
	if body := get(reviewer, a); strings.Contains(body, `id="reply-`+ind.Code+`"`) {
		t.Fatal("the reviewer is offered the office's reply form")
	}
	// Another office's staff: refused, nothing recorded.
	if rec := pageAs(t, srv, "cb.34")(http.MethodPost, a+"/replies/"+ind.Code, url.Values{"verdict": {"accept"}}); rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
		t.Fatalf("another office replied: %d", rec.Code)
	}
	// A contest without a comment is refused beside the form, and kept.
	rec := office(http.MethodPost, a+"/replies/"+ind.Code, url.Values{"verdict": {"contest"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="reply-`+ind.Code+`"`) {
		t.Fatalf("a contest without a comment: %d %.300s", rec.Code, rec.Body)
	}
	rec = office(http.MethodPost, a+"/replies/"+ind.Code, url.Values{"verdict": {"contest"}, "comment": {"Kế hoạch đã ban hành"}, "evidence_url": {"https://so.example.gov.vn/ke-hoach"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("the office's reply: %d %.300s", rec.Code, rec.Body)
	}
	flash := ""
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == flashCookie {
			b, _ := base64.RawURLEncoding.DecodeString(ck.Value)
			flash = string(b)
		}
	}
	if flash != "Đã ghi phản hồi của đơn vị." || rec.Header().Get("Location") != a {
		t.Fatalf("after the reply: flash %q, back to %q", flash, rec.Header().Get("Location"))
	}
	if body := get(office, a); !strings.Contains(body, "Kế hoạch đã ban hành") || !strings.Contains(body, "Sửa phản hồi") {
		t.Fatal("after the reply the office's page lacks its reply")
	}
	st, err := svc.Replies(ctx, ministry, id)
	if err != nil || len(st.Items) != 1 || st.Items[0].Verdict != "contest" || st.Items[0].Comment != "Kế hoạch đã ban hành" {
		t.Fatalf("the recorded reply: %+v %v", st, err)
	}
	// The JSON API takes the office's reply too.
	if rec := office(http.MethodGet, "/api/v1"+a+"/replies", nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"can_reply":true`) {
		t.Fatalf("the office's reply view: %d %s", rec.Code, rec.Body)
	}
}
