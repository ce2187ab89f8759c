package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey"
)

// Notifications (issue 16): a person's own notices and e-mail switches
// for anyone signed in (each reads only their own); the mail page for
// admins; reminders for reviewers whose scope touches the campaign.
func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []survey.Role, bool) {
		switch path {
		case "/notifications", "/notifications/:nid", "/notifications/read", "/account/notifications":
			return false, nil, true
		case "/admin/mail":
			return false, []survey.Role{survey.RoleAdmin}, true
		case "/campaigns/:id/remind":
			return false, []survey.Role{survey.RoleAdmin, survey.RoleMinistry, survey.RoleProvince, survey.RoleDistrict, survey.RoleCommune}, true
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

func actorFor(t *testing.T, w *world, name string) *survey.Actor {
	t.Helper()
	tok, _ := w.session(t, name, "web")
	a, _, err := w.svc.SessionByToken(context.Background(), tok, "web")
	if err != nil {
		t.Fatal(err)
	}
	return a
}
