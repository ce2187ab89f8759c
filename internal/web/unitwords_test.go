package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// schoolWords find a school named as the one assessed, in either language.
var schoolWords = regexp.MustCompile(`(?i)nhà trường|của trường|cho trường|\bschool\b|\bschool's\b|HIỆU TRƯỞNG|PRINCIPAL`)

// tags are HTML tags, left out of a page's text.
var tags = regexp.MustCompile(`<[^>]*>`)

// TestUnitWordingKeys: every text a template asks for in the unit's
// words ({{tu … "K"}}) has a school wording K and an office wording
// K_office in both languages, and no office wording names a school; the
// history's and the trail's labels (action.*, trail.*) that name the
// school have an office wording too.
func TestUnitWordingKeys(t *testing.T) {
	re := regexp.MustCompile(`\btu [$.A-Za-z]+ "([a-z0-9_.]+)"`)
	n := 0
	err := fs.WalkDir(templateFiles, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFiles, path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			n++
			for _, k := range []string{string(m[1]), string(m[1]) + officeSuffix} {
				if v, ok := catalog[k]; !ok || v[0] == "" || v[1] == "" {
					t.Errorf("%s: {{tu … %q}}: %q is not in the catalog in both languages", path, m[1], k)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("only %d unit-worded keys found: the pattern no longer matches the templates", n)
	}
	// The same for the Go code's unitKey("K", …).
	code := regexp.MustCompile(`\bunitKey\("([a-z0-9_.]+)", `)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n = 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range code.FindAllSubmatch(b, -1) {
			n++
			for _, k := range []string{string(m[1]), string(m[1]) + officeSuffix} {
				if v, ok := catalog[k]; !ok || v[0] == "" || v[1] == "" {
					t.Errorf("%s: unitKey(%q, …): %q is not in the catalog in both languages", f, m[1], k)
				}
			}
		}
	}
	if n < 3 {
		t.Fatalf("only %d unitKey calls with a literal key found: the pattern no longer matches the code", n)
	}
	for k, v := range catalog {
		if strings.HasSuffix(k, officeSuffix) {
			if schoolWords.MatchString(v[0]) || schoolWords.MatchString(v[1]) {
				t.Errorf("%s names a school: %q / %q", k, v[0], v[1])
			}
			continue
		}
		if (strings.HasPrefix(k, "action.") || strings.HasPrefix(k, "trail.")) && (schoolWords.MatchString(v[0]) || schoolWords.MatchString(v[1])) {
			if _, ok := catalog[k+officeSuffix]; !ok {
				t.Errorf("%s names the school (%q) and has no office wording", k, v[0])
			}
		}
	}
}

// pageIn is pageAs in a language chosen by the switch's cookie.
func pageIn(t *testing.T, srv *Server, user, lang string) func(method, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	_, sess, err := srv.survey.Login(context.Background(), user, "password-"+user, "127.0.0.1", model.SessionWeb)
	if err != nil {
		t.Fatal(err)
	}
	return func(method, path string, form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(csrfHeader, sess.CSRFToken)
		}
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.Token})
		req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		return rec
	}
}

func flashOf(rec *httptest.ResponseRecorder) string {
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == flashCookie {
			b, _ := base64.RawURLEncoding.DecodeString(ck.Value)
			return string(b)
		}
	}
	return ""
}

// mainOf is the page's <main>: what the page says of the assessment,
// without the menus.
func mainOf(t *testing.T, body string) string {
	t.Helper()
	i, j := strings.Index(body, "<main"), strings.LastIndex(body, "</main>")
	if i < 0 || j < i {
		t.Fatalf("no <main> in %.300s", body)
	}
	return body[i:j]
}

// firstBoolean is the first yes/no indicator of set the unit answers.
func firstBoolean(t *testing.T, set *indicators.Set, level string) string {
	t.Helper()
	for _, i := range model.ApplicableIndicators(set, level) {
		if !i.IsRollup() && i.Type == indicators.TypeBoolean {
			return i.Code
		}
	}
	t.Fatal("no yes/no indicator")
	return ""
}

// TestOfficeAssessmentSaysUnit (Decision 3806): on an office's own
// assessment, every part of the review-trust workflow — the reviewer's
// box, the send button and its message, the unit's reply form, the
// history, the trail, the result, the printed form and the reply
// request — speaks of the unit ("đơn vị", "the unit") and the office
// above, never of the school, in Vietnamese and English; a school's
// assessment in the same states still speaks of the school.
func TestOfficeAssessmentSaysUnit(t *testing.T) {
	ctx := context.Background()
	w := newOfficeCampaignWorld(t)
	pool, svc, id := w.pool, w.svc, w.assessments["33"]
	staff := signedInActor(t, svc, "cb.33")
	set := answerBest(t, svc, staff, id)
	if err := svc.Submit(ctx, staff, id); err != nil {
		t.Fatal(err)
	}
	ind := firstBoolean(t, set, "")
	ministry := signedInActor(t, svc, "bo.gddt")
	if _, err := svc.Review(ctx, ministry, id, ind, json.RawMessage(`false`), "Chưa có văn bản ban hành"); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)})
	if err != nil {
		t.Fatal(err)
	}
	a := fmt.Sprintf("/assessments/%d", id)
	callers := map[string]func(string, string, url.Values) *httptest.ResponseRecorder{}
	call := func(user, lang, method, path string, form url.Values) *httptest.ResponseRecorder {
		t.Helper()
		if callers[user+lang] == nil {
			callers[user+lang] = pageIn(t, srv, user, lang)
		}
		return callers[user+lang](method, path, form)
	}
	get := func(user, lang, path string) string {
		t.Helper()
		rec := call(user, lang, http.MethodGet, path, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s GET %s: %d", user, path, rec.Code)
		}
		return rec.Body.String()
	}
	noSchool := func(what, body string) {
		t.Helper()
		body = tags.ReplaceAllString(body, " ") // the text, not class names
		if m := schoolWords.FindAllString(body, 5); m != nil {
			i := schoolWords.FindStringIndex(body)[0]
			t.Errorf("%s names a school %q: …%s…", what, m, body[max(0, i-200):min(len(body), i+100)])
		}
	}
	rec := call("bo.gddt", langVI, http.MethodPost, a+"/send-for-reply", nil)
	if rec.Code != http.StatusSeeOther || flashOf(rec) != "Đã gửi các thay đổi để đơn vị phản hồi." {
		t.Fatalf("send for reply: %d, flash %q", rec.Code, flashOf(rec))
	}
	// Sending again while the window is open: refused, in the unit's words.
	if rec := call("bo.gddt", langVI, http.MethodPost, a+"/send-for-reply", nil); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Các thay đổi đã được gửi đơn vị") {
		t.Fatalf("second send: %d %.300s", rec.Code, rec.Body)
	}
	rec = call("cb.33", langEN, http.MethodPost, a+"/replies/"+ind, url.Values{"verdict": {"contest"}, "comment": {"Kế hoạch đã ban hành"}})
	if rec.Code != http.StatusSeeOther || flashOf(rec) != "The unit's reply was recorded." {
		t.Fatalf("the office's reply: %d, flash %q", rec.Code, flashOf(rec))
	}
	// The administrator reverses the change: the trail says the unit's value was restored.
	testfix.Users(t, svc, model.UserInput{Username: "qt.admin", Role: model.RoleAdmin, Password: "password-qt.admin"})
	admin := signedInActor(t, svc, "qt.admin")
	if err := svc.RuleOnReply(ctx, admin, id, ind, survey.RulingReverse, "Văn bản hợp lệ"); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{langVI, langEN} {
		reviewer := mainOf(t, get("bo.gddt", lang, a))
		for _, want := range []string{`id="trust"`, `id="trail"`, `class="history"`} {
			if !strings.Contains(reviewer, want) {
				t.Fatalf("the reviewer's page (%s) lacks %s", lang, want)
			}
		}
		noSchool("the reviewer's page of an office's assessment ("+lang+")", reviewer)
		office := mainOf(t, get("cb.33", lang, a))
		if !strings.Contains(office, `id="replies"`) {
			t.Fatalf("the office's page (%s) lacks its replies", lang)
		}
		noSchool("the office's own page ("+lang+")", office)
		noSchool("the office's notices ("+lang+")", mainOf(t, get("cb.33", lang, "/notifications")))
	}
	vi := mainOf(t, get("bo.gddt", langVI, a))
	for _, want := range []string{"Thay đổi khi thẩm định và phản hồi của đơn vị", "Đơn vị phản hồi: Không đồng ý", "gửi đơn vị phản hồi các thay đổi", "Gửi đơn vị 1 thay đổi để phản hồi", "Huỷ thay đổi, khôi phục giá trị của đơn vị"} {
		if !strings.Contains(vi, want) {
			t.Errorf("the reviewer's page lacks %q", want)
		}
	}
	// The trail's first change starts from the unit's own answer, not "—".
	if !strings.Contains(vi, "Thay đổi giá trị · "+ind+": Có → Không") {
		t.Errorf("the trail's change of %s does not start from the unit's answer", ind)
	}
	if body := get("cb.33", langVI, "/notifications"); !strings.Contains(body, "chờ đơn vị phản hồi") {
		t.Error("the office's reply request does not name the unit")
	}
	// Its printed form: the unit, signed by its head.
	paper := get("cb.33", langVI, a+"/report")
	if !strings.Contains(paper, "THỦ TRƯỞNG ĐƠN VỊ") || !strings.Contains(paper, "<dt>Đơn vị</dt>") || !strings.Contains(paper, "Tỉnh Hưng Yên, ngày") {
		t.Error("the office's printed form is not the unit's, dated where it is")
	}
	// A percentage answer is one word on the form: it does not break
	// before its sign.
	if !strings.Contains(paper, `<span class="nowrap">100 %</span>`) {
		t.Error("the printed form lets a percentage break before its sign")
	}
	noSchool("the office's printed form", mainOf(t, paper))

	// Returned to the unit: a return without a comment is refused in
	// words that fit a unit too; then the flash names the unit.
	if rec := call("bo.gddt", langVI, http.MethodPost, a+"/return", url.Values{"comment": {" "}}); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Hãy ghi rõ nội dung cần bổ sung.") {
		t.Errorf("a return without a comment: %d", rec.Code)
	}
	if rec := call("bo.gddt", langVI, http.MethodPost, a+"/return", url.Values{"comment": {"Bổ sung văn bản"}}); rec.Code != http.StatusSeeOther || flashOf(rec) != "Đã trả lại cho đơn vị." {
		t.Errorf("return the office's assessment: %d, flash %q", rec.Code, flashOf(rec))
	}

	// The office's staff at home, and the reminders of the office campaign.
	if body := get("cb.33", langVI, "/"); !strings.Contains(body, "Bản đánh giá của đơn vị") {
		t.Error("the office's staff's home calls their assessments the school's")
	}
	oc := fmt.Sprintf("/campaigns/%d", w.office)
	if body := get("bo.gddt", langVI, oc); !strings.Contains(body, "Nhắc nhở các đơn vị trễ hạn") || strings.Contains(body, "Nhắc nhở các trường") {
		t.Error("the office campaign's page offers to remind schools")
	}
	if body := mainOf(t, get("bo.gddt", langVI, oc+"/remind")); !strings.Contains(body, "Không có đơn vị nào cần nhắc.") {
		t.Errorf("the office campaign's reminders (none late): %.600s", body)
	}
	if body := mainOf(t, get("bo.gddt", langVI, oc+"/remind?unit=34")); !strings.Contains(body, "Đề nghị đơn vị hoàn thành") {
		t.Errorf("the office campaign's reminder is addressed to a school: %.600s", body)
	} else {
		noSchool("the office campaign's reminder", body)
	}

	// Sampled verification of the office campaign: units, not schools.
	if body := mainOf(t, get("bo.gddt", langVI, oc+"/sample")); !strings.Contains(body, "Số đơn vị") {
		t.Errorf("the office campaign's sample form: %.300s", body)
	} else {
		noSchool("the office campaign's sample form", body)
	}
	if rec := call("bo.gddt", langVI, http.MethodPost, oc+"/sample/approve-rest", nil); flashOf(rec) != "Hãy đánh dấu ô xác nhận trước khi duyệt các đơn vị ngoài mẫu." {
		t.Errorf("approving the rest unconfirmed: %d, flash %q", rec.Code, flashOf(rec))
	}

	// A school's assessment in the same states speaks of the school.
	if body := get("so.33", langVI, fmt.Sprintf("/campaigns/%d", w.schoolCampaign)); !strings.Contains(body, "Nhắc nhở các trường trễ hạn") {
		t.Error("the school campaign's page no longer offers to remind schools")
	} else if !strings.Contains(body, "Đơn vị cấp trên: Tất cả") || strings.Contains(body, "Quận/Huyện: Tất cả") {
		// Since 07/2025 a school's parent is a commune, not a district.
		t.Error("the queue's filter of parents is called a district filter")
	}
	rows, err := svc.CampaignAssessments(ctx, testfix.Root, w.schoolCampaign)
	if err != nil || len(rows) != 1 {
		t.Fatalf("school assessments %+v: %v", rows, err)
	}
	if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: "password-ht.a1"}); err != nil {
		t.Fatal(err)
	}
	sid := rows[0].ID
	principal := signedInActor(t, svc, "ht.a1")
	sset := answerBest(t, svc, principal, sid)
	if err := svc.Submit(ctx, principal, sid); err != nil {
		t.Fatal(err)
	}
	sind := firstBoolean(t, sset, rows[0].SchoolLevel)
	if _, err := svc.Review(ctx, admin, sid, sind, json.RawMessage(`false`), "Chưa có minh chứng"); err != nil {
		t.Fatal(err)
	}
	s := fmt.Sprintf("/assessments/%d", sid)
	rec = call("so.33", langVI, http.MethodPost, s+"/send-for-reply", nil)
	if rec.Code != http.StatusSeeOther || flashOf(rec) != "Đã gửi các thay đổi để nhà trường phản hồi." {
		t.Fatalf("send the school's changes: %d, flash %q", rec.Code, flashOf(rec))
	}
	if body := get("so.33", langVI, s); !strings.Contains(body, "Thay đổi khi thẩm định và phản hồi của nhà trường") || !strings.Contains(body, "gửi nhà trường phản hồi các thay đổi") {
		t.Error("the reviewer's page of a school's assessment no longer names the school")
	}
	if body := get("ht.a1", langVI, s); !strings.Contains(body, "Phản hồi của nhà trường") || !strings.Contains(body, "nhà trường chọn đồng ý") {
		t.Error("the school's page no longer names the school")
	}
	if body := get("ht.a1", langVI, s+"/report"); !strings.Contains(body, "HIỆU TRƯỞNG") {
		t.Error("the school's printed form is not signed by the principal")
	}
}

// TestOfficeResultPageSaysUnit: the public page of an office's published
// result names the unit in its profile and its review counts, and shows
// the campaign root's mean once (it is both the office's parent and its
// "province").
func TestOfficeResultPageSaysUnit(t *testing.T) {
	ctx := context.Background()
	w := newOfficeCampaignWorld(t)
	svc, id := w.svc, w.assessments["33"]
	staff, ministry := signedInActor(t, svc, "cb.33"), signedInActor(t, svc, "bo.gddt")
	answerBest(t, svc, staff, id)
	if err := svc.Submit(ctx, staff, id); err != nil {
		t.Fatal(err)
	}
	if err := svc.Approve(ctx, ministry, id, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(ctx, ministry, w.office, ""); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(w.pool)})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/dashboard/%d/units/33", w.office), nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("the office's public page: %d", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "<th>Đơn vị</th>") || strings.Contains(body, "<th>Trường</th>") {
		t.Error("the office's profile calls it a school")
	}
	if n := strings.Count(body, "<th>Trung bình Bộ Giáo dục và Đào tạo</th>"); n != 1 {
		t.Errorf("the profile has %d columns of the root's mean, want one", n)
	}
	// A decision's number in a criterion's name stays whole on a phone.
	if !strings.Contains(body, `<span class="nowrap">4725/QĐ-BGDĐT</span>`) {
		t.Error("the profile lets 4725/QĐ-BGDĐT break at its hyphen")
	}
	if strings.Contains(body, `id="review-counts"`) && !strings.Contains(body, "Bị đơn vị phản đối") {
		t.Error("the office's review counts speak of a school")
	}
	// Its export's review lines too.
	rec = httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/dashboard/%d/units/33/export.csv", w.office), nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Bị đơn vị phản đối") || strings.Contains(rec.Body.String(), "số trường") {
		t.Errorf("the office's export: %d %.600s", rec.Code, rec.Body)
	}
	// The office campaign's printed report counts and lists units.
	rec = httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/dashboard/%d/units/BGDDT/report", w.office), nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("the office campaign's report: %d", rec.Code)
	}
	report := mainOf(t, rec.Body.String())
	for _, want := range []string{"Số đơn vị phải đánh giá", "Danh sách đơn vị, chỉ số và mức", "Tổng hợp theo mức</h2>", "các cơ quan quản lý giáo dục", "Tỉnh Hưng Yên"} {
		if !strings.Contains(report, want) {
			t.Errorf("the office campaign's report lacks %q", want)
		}
	}
	for _, bad := range []string{"Số trường", "Danh sách trường", "Cấp học"} {
		if strings.Contains(report, bad) {
			t.Errorf("the office campaign's report says %q", bad)
		}
	}
	// The reviewer's progress page of the office campaign.
	rec = pageAs(t, srv, "bo.gddt")(http.MethodGet, fmt.Sprintf("/review/%d/progress", w.office), nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "số dương là đơn vị tự đánh giá cao hơn") {
		t.Errorf("the office campaign's calibration speaks of schools: %d", rec.Code)
	}
}
