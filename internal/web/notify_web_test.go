package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// Notifications (issue 16): a person's own notices and e-mail switches
// for anyone signed in (each reads only their own); the mail page for
// admins; reminders for reviewers whose scope touches the campaign.
func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		switch path {
		case "/notifications", "/notifications/:nid", "/notifications/read", "/account/notifications":
			return false, nil, true
		case "/admin/mail":
			return false, []model.Role{model.RoleAdmin}, true
		case "/campaigns/:id/remind":
			return false, []model.Role{model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune}, true
		}
		return false, nil, false
	})
}

// TestBellListAndReminder: a reviewer previews and sends a reminder from
// the campaign; the principal's bell counts it, the list shows it, opening
// it goes to the assessment and clears the bell; someone else cannot open
// it; the admin's mail page says mail is queued without SMTP.
func TestBellListAndReminder(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.pool.Exec(ctx, `UPDATE users SET email = 'ht.a1@truong.edu.vn' WHERE username = 'ht.a1'`); err != nil {
		t.Fatal(err)
	}
	cid := w.campaigns["338"]
	rec := w.request(t, "phong338", http.MethodGet, fmt.Sprintf("/campaigns/%d", cid), "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), fmt.Sprintf("/campaigns/%d/remind?unit=A1", cid)) {
		t.Fatalf("campaign page: %d, no reminder link", rec.Code)
	}
	rec = w.request(t, "phong338", http.MethodGet, fmt.Sprintf("/campaigns/%d/remind?unit=A1", cid), "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Nhắc nhở: hoàn thành tự đánh giá của Trường THCS An Bài") {
		t.Fatalf("preview: %d\n%s", rec.Code, rec.Body.String())
	}
	// Another district's school is not in phong338's campaign.
	if rec := w.request(t, "phong338", http.MethodGet, fmt.Sprintf("/campaigns/%d/remind?unit=B1", cid), ""); rec.Code != http.StatusNotFound {
		t.Fatalf("preview for B1: %d", rec.Code)
	}
	n, err := w.svc.Remind(ctx, actorFor(t, w, "phong338"), cid, "A1", "Đề nghị nộp trước thứ Sáu.")
	if err != nil || n != 1 {
		t.Fatalf("remind: %d %v", n, err)
	}
	rec = w.request(t, "ht.a1", http.MethodGet, "/", "")
	if !strings.Contains(rec.Body.String(), `class="count">1<`) {
		t.Fatalf("no bell count on the home page:\n%s", rec.Body.String())
	}
	rec = w.request(t, "ht.a1", http.MethodGet, "/notifications", "")
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "Đề nghị nộp trước thứ Sáu.") {
		t.Fatalf("list: %d\n%s", rec.Code, body)
	}
	list, _ := w.svc.Notifications(ctx, actorFor(t, w, "ht.a1"), 5)
	if len(list) != 1 {
		t.Fatalf("notices %+v", list)
	}
	if rec := w.request(t, "phong338", http.MethodGet, fmt.Sprintf("/notifications/%d", list[0].ID), ""); rec.Code != http.StatusNotFound {
		t.Fatalf("someone else opened it: %d", rec.Code)
	}
	rec = w.request(t, "ht.a1", http.MethodGet, fmt.Sprintf("/notifications/%d", list[0].ID), "")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != fmt.Sprintf("/assessments/%d", w.assessments["A1"]) {
		t.Fatalf("open: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if rec := w.request(t, "ht.a1", http.MethodGet, "/", ""); strings.Contains(rec.Body.String(), `class="count"`) {
		t.Fatal("the bell still counts a read notice")
	}
	rec = w.request(t, "admin", http.MethodGet, "/admin/mail", "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="no-smtp"`) || !strings.Contains(rec.Body.String(), `<strong id="n-queued">1</strong>`) {
		t.Fatalf("mail page: %d\n%s", rec.Code, rec.Body.String())
	}
	// History records who was reminded.
	x, err := w.svc.Assessment(ctx, actorFor(t, w, "phong338"), w.assessments["A1"])
	if err != nil {
		t.Fatal(err)
	}
	if h := x.History[len(x.History)-1]; h.Action != "remind" || !strings.Contains(h.Comment, "ht.a1") {
		t.Fatalf("history: %+v", x.History)
	}
}

func actorFor(t *testing.T, w *world, name string) *model.Actor {
	t.Helper()
	tok, _ := w.session(t, name, "web")
	a, _, err := w.svc.SessionByToken(context.Background(), tok, "web")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// postForm posts form fields to a page as name.
func (w *world) postForm(t *testing.T, name, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	tok, csrf := w.session(t, name, model.SessionWeb)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
	req.Header.Set(csrfHeader, csrf)
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// TestNoticePrefsAndRemindForm: the switches page keeps what is ticked;
// the reminder form sends the typed message to every late school of the
// reviewer's scope, and an over-long message is refused with a clear
// reason and sends nothing.
func TestNoticePrefsAndRemindForm(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	rec := w.postForm(t, "ht.a1", "/account/notifications", url.Values{"email": {"returned", "reminder"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save prefs: %d %s", rec.Code, rec.Body.String())
	}
	on, _, err := w.svc.NoticePrefs(ctx, actorFor(t, w, "ht.a1"))
	if err != nil || !on[model.NoticeReturned] || !on[model.NoticeReminder] || on[model.NoticeApproved] || on[model.NoticePublished] {
		t.Fatalf("prefs: %v %v", on, err)
	}
	if rec := w.request(t, "ht.a1", http.MethodGet, "/account/notifications", ""); !strings.Contains(rec.Body.String(), `value="returned" checked`) || strings.Contains(rec.Body.String(), `value="approved" checked`) {
		t.Fatalf("prefs page:\n%s", rec.Body.String())
	}
	// The deadline has passed for campaign 338's schools (A1, A2).
	cid := w.campaigns["338"]
	if _, err := w.pool.Exec(ctx, `UPDATE campaigns SET opens_on = current_date - 30, self_due = current_date - 2 WHERE id = $1`, cid); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/campaigns/%d/remind", cid)
	rec = w.postForm(t, "phong338", path, url.Values{"message": {strings.Repeat("a", 2001)}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("long message: %d", rec.Code)
	}
	if list, _ := w.svc.Notifications(ctx, actorFor(t, w, "ht.a1"), 5); len(list) != 0 {
		t.Fatalf("a refused reminder was sent: %+v", list)
	}
	rec = w.postForm(t, "phong338", path, url.Values{"message": {"Hạn đã qua, đề nghị nộp ngay."}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != fmt.Sprintf("/campaigns/%d", cid) {
		t.Fatalf("remind all: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	list, _ := w.svc.Notifications(ctx, actorFor(t, w, "ht.a1"), 5)
	if len(list) != 1 || list[0].Params["message"] != "Hạn đã qua, đề nghị nộp ngay." {
		t.Fatalf("principal's notices: %+v", list)
	}
	// A school cannot send reminders.
	if rec := w.postForm(t, "ht.a1", path, url.Values{"message": {"x"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("school reminded: %d", rec.Code)
	}
}
