package web

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/dashboard"
	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
)

// signedInActor is the actor of a fresh web session of user (password
// "password-"+user), for driving the service directly in a test.
func signedInActor(t *testing.T, svc *survey.Service, user string) *model.Actor {
	t.Helper()
	ctx := context.Background()
	_, sess, err := svc.Login(ctx, user, "password-"+user, "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := svc.SessionByToken(ctx, sess.Token, model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// answerBest answers every indicator of the assessment a person types at
// its best, with a dated evidence link where one is required.
func answerBest(t *testing.T, svc *survey.Service, a *model.Actor, id int64) *indicators.Set {
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
		var v any
		switch ind.Type {
		case indicators.TypeBoolean:
			v = true
		case indicators.TypePercent:
			v = 100
		case indicators.TypeChoice:
			best := ind.Options[0]
			for _, o := range ind.Options {
				if o.Points > best.Points {
					best = o
				}
			}
			v = best.Code
		case indicators.TypeMulti:
			var codes []string
			for _, o := range ind.Options {
				codes = append(codes, o.Code)
			}
			v = codes
		default:
			if ind.Proportional != nil {
				v = ind.Proportional.FullAt
			} else {
				v = ind.Bands[0].Min
			}
		}
		raw, _ := json.Marshal(v)
		if _, err := svc.SaveAnswer(ctx, a, id, ind.Code, raw, 0); err != nil {
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

// officeCampaignWorld: the Ministry over Hưng Yên (33, one school, A1)
// and Thái Bình (34); a school campaign on 33 and an office campaign on
// the Ministry reading it; the Sở's own staff (cb.33, cb.34), Hưng Yên's
// Sở (so.33) and the Ministry's reviewer (bo.gddt), passwords
// "password-"+name. The service publishes through the dashboard's read
// model, as serve wires it.
type officeCampaignWorld struct {
	pool                   *pgxpool.Pool
	svc                    *survey.Service
	schoolCampaign, office int64
	assessments            map[string]int64 // the office campaign's, by unit code
}

func newOfficeCampaignWorld(t *testing.T) *officeCampaignWorld {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.New(t)
	svc := survey.NewService(pool)
	svc.OnPublish = dashboard.BuildReadModel
	testfix.Units(t, svc,
		model.UnitInput{Code: "BGDDT", Name: "Bộ Giáo dục và Đào tạo", Kind: "ministry"},
		model.UnitInput{Code: "33", Name: "Tỉnh Hưng Yên", Kind: "province", ParentCode: "BGDDT"},
		model.UnitInput{Code: "34", Name: "Tỉnh Thái Bình", Kind: "province", ParentCode: "BGDDT"},
		model.UnitInput{Code: "A1", Name: "Trường THCS An Bài", Kind: "school", ParentCode: "33", SchoolLevels: []string{"lower_secondary"}})
	testfix.Users(t, svc,
		model.UserInput{Username: "cb.33", Role: model.RoleOffice, UnitCode: "33", Password: "password-cb.33"},
		model.UserInput{Username: "cb.34", Role: model.RoleOffice, UnitCode: "34", Password: "password-cb.34"},
		model.UserInput{Username: "so.33", Role: model.RoleProvince, UnitCode: "33", Password: "password-so.33"},
		model.UserInput{Username: "bo.gddt", Role: model.RoleMinistry, UnitCode: "BGDDT", Password: "password-bo.gddt"})
	school, _ := testfix.OpenCampaign(t, svc, "moet-4725", "33")
	oc, err := svc.CreateCampaign(ctx, testfix.Root, model.CampaignInput{Name: "Sở GDĐT thử nghiệm", SetCode: "moet-agency", RootUnitCode: "BGDDT",
		OpensOn: school.OpensOn.Time, SelfDue: school.SelfDue.Time, SchoolCampaignID: school.ID})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := svc.CampaignAssessments(ctx, testfix.Root, oc.ID)
	if err != nil {
		t.Fatal(err)
	}
	w := &officeCampaignWorld{pool: pool, svc: svc, schoolCampaign: school.ID, office: oc.ID, assessments: map[string]int64{}}
	for _, r := range rows {
		w.assessments[r.UnitCode] = r.ID
	}
	if w.assessments["33"] == 0 {
		t.Fatalf("no assessment of the Sở 33 in %+v", rows)
	}
	return w
}

// TestOfficeReplyForm (Decision 3806): the Sở's own staff, on their
// office's assessment sent for reply, get the same reply form a school
// gets — worded for a unit, not a school — and their reply is recorded
// through it; the Sở's reviewer does not get the form on that page, and
// another office's staff cannot post a reply for it.
func TestOfficeReplyForm(t *testing.T) {
	ctx := context.Background()
	w := newOfficeCampaignWorld(t)
	pool, svc, id := w.pool, w.svc, w.assessments["33"]
	staff := signedInActor(t, svc, "cb.33")
	set := answerBest(t, svc, staff, id)
	if err := svc.Submit(ctx, staff, id); err != nil {
		t.Fatal(err)
	}
	code := firstBoolean(t, set, "")
	ministry := signedInActor(t, svc, "bo.gddt")
	if _, err := svc.Review(ctx, ministry, id, code, json.RawMessage(`false`), "Chưa có văn bản ban hành"); err != nil {
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
	// The reviewer's box speaks of the unit too.
	if body := get(reviewer, a); !strings.Contains(body, `id="send-for-reply"`) || !strings.Contains(body, "Gửi đơn vị phản hồi") ||
		!strings.Contains(body, "Thay đổi khi thẩm định và phản hồi của đơn vị") || strings.Contains(body, "Gửi nhà trường phản hồi") {
		t.Fatal("the reviewer's box does not offer to send the changes to the unit")
	}
	if rec := reviewer(http.MethodPost, a+"/send-for-reply", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("send for reply: %d %s", rec.Code, rec.Body)
	}
	body := get(office, a)
	for _, want := range []string{`id="replies"`, `id="reply-` + code + `"`, "Chưa có văn bản ban hành", "Phản hồi của đơn vị", "đơn vị chọn đồng ý", "Giá trị của đơn vị"} {
		if !strings.Contains(body, want) {
			t.Fatalf("the office's page lacks %q", want)
		}
	}
	if strings.Contains(body, "nhà trường chọn đồng ý") {
		t.Fatal("the office's reply form speaks of a school")
	}
	if body := get(reviewer, a); strings.Contains(body, `id="reply-`+code+`"`) || !strings.Contains(body, "Đã gửi đơn vị lúc") {
		t.Fatal("the reviewer is offered the office's reply form, or not told it was sent to the unit")
	}
	// Another office's staff: refused, nothing recorded.
	if rec := pageAs(t, srv, "cb.34")(http.MethodPost, a+"/replies/"+code, url.Values{"verdict": {"accept"}}); rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
		t.Fatalf("another office replied: %d", rec.Code)
	}
	// A contest without a comment is refused beside the form, and kept.
	rec := office(http.MethodPost, a+"/replies/"+code, url.Values{"verdict": {"contest"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="reply-`+code+`"`) || !strings.Contains(rec.Body.String(), "Hãy ghi lý do đơn vị không đồng ý.") {
		t.Fatalf("a contest without a comment: %d %.300s", rec.Code, rec.Body)
	}
	rec = office(http.MethodPost, a+"/replies/"+code, url.Values{"verdict": {"contest"}, "comment": {"Kế hoạch đã ban hành"}, "evidence_url": {"https://so.example.gov.vn/ke-hoach"}})
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

// TestRankingsAPIUnitsAndSchools: the rankings API's "schools" counts
// schools only — 0 in an office campaign, whose results are offices' —
// and "units" every assessed unit whose result a row holds; in a school
// campaign the two are equal.
func TestRankingsAPIUnitsAndSchools(t *testing.T) {
	ctx := context.Background()
	w := newOfficeCampaignWorld(t)
	svc := w.svc
	staff, ministry := signedInActor(t, svc, "cb.33"), signedInActor(t, svc, "bo.gddt")
	answerBest(t, svc, staff, w.assessments["33"])
	if err := svc.Submit(ctx, staff, w.assessments["33"]); err != nil {
		t.Fatal(err)
	}
	if err := svc.Approve(ctx, ministry, w.assessments["33"], ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(ctx, ministry, w.office, ""); err != nil {
		t.Fatal(err)
	}
	// The school campaign: A1 published too.
	rows, err := svc.CampaignAssessments(ctx, testfix.Root, w.schoolCampaign)
	if err != nil || len(rows) != 1 {
		t.Fatalf("school assessments %+v: %v", rows, err)
	}
	if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: "password-ht.a1"}); err != nil {
		t.Fatal(err)
	}
	principal := signedInActor(t, svc, "ht.a1")
	answerBest(t, svc, principal, rows[0].ID)
	if err := svc.Submit(ctx, principal, rows[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := svc.Approve(ctx, testfix.Root, rows[0].ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(ctx, testfix.Root, w.schoolCampaign, ""); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(w.pool)})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) rankingsResponse {
		t.Helper()
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil || !strings.Contains(string(raw["unit"]), `"units":`) {
			t.Fatalf("GET %s: no units field: %s", path, rec.Body)
		}
		var r rankingsResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	offices := get(fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=BGDDT", w.office))
	if offices.Unit.Schools != 0 || offices.Unit.Units != 1 || offices.Unit.Total != 2 {
		t.Fatalf("the office campaign's aggregate: schools %d units %d total %d, want 0, 1, 2", offices.Unit.Schools, offices.Unit.Units, offices.Unit.Total)
	}
	var hy *rankingRow
	for i, r := range offices.Rows {
		if r.Schools != 0 {
			t.Errorf("office row %s counts %d schools", r.Code, r.Schools)
		}
		if r.Code == "33" {
			hy = &offices.Rows[i]
		}
	}
	if hy == nil || hy.Units != 1 || hy.Index == nil || hy.Rank != 1 {
		t.Fatalf("Hưng Yên's Sở in the office ranking: %+v", hy)
	}
	// The API's CSV has the same two columns.
	csvRec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(csvRec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/campaigns/%d/rankings.csv?unit=BGDDT", w.office), nil))
	recs, err := csv.NewReader(csvRec.Body).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("rankings CSV: %v %v", recs, err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, rec := range recs[1:] {
		if rec[col["unit_code"]] == "33" && (rec[col["schools"]] != "0" || rec[col["units"]] != "1") {
			t.Fatalf("CSV row of Hưng Yên's Sở: schools %q units %q", rec[col["schools"]], rec[col["units"]])
		}
	}
	if _, ok := col["units"]; !ok {
		t.Fatalf("CSV head %v has no units", recs[0])
	}
	schools := get(fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=33", w.schoolCampaign))
	if schools.Unit.Schools != 1 || schools.Unit.Units != 1 || len(schools.Rows) != 1 || schools.Rows[0].Schools != 1 || schools.Rows[0].Units != 1 {
		t.Fatalf("the school campaign: unit %+v rows %+v", schools.Unit, schools.Rows)
	}
}
