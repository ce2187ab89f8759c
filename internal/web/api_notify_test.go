package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// The notifications API: anyone signed in, for their own notices and
// switches only (the handlers read the caller, never a parameter).
func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		switch path {
		case "/api/v1/notifications", "/api/v1/notifications/:nid/read", "/api/v1/me/notice-prefs":
			return false, nil, true
		}
		return false, nil, false
	})
}

// TestNotificationsAPI: a school pages through its notices with the
// unread count, marks one read, cannot read another's; switches e-mail
// off for one kind and keeps the others; bad pages and unknown kinds are
// refused (422) with the field named. Every response matches the OpenAPI
// document.
func TestNotificationsAPI(t *testing.T) {
	w := newDashWorld(t)
	call := openAPICaller(t, w)
	var page apiNoticePage
	decode := func(b []byte, v any) {
		t.Helper()
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
	}

	code, body := call("sch.a1", "GET", "/api/v1/notifications?per_page=1", nil)
	decode(body, &page)
	if code != 200 || len(page.Items) != 1 || page.Total < 2 || page.Unread != page.Total || page.Page != 1 || page.PerPage != 1 {
		t.Fatalf("first page: %d %s", code, body)
	}
	first := page.Items[0]
	if first.Subject == "" || first.Link == "" || first.Read {
		t.Fatalf("notice: %+v", first)
	}
	total := page.Total
	code, body = call("sch.a1", "GET", "/api/v1/notifications?per_page=1&page=2", nil)
	page = apiNoticePage{}
	decode(body, &page)
	if code != 200 || len(page.Items) != 1 || page.Items[0].ID >= first.ID {
		t.Fatalf("second page: %d %s", code, body)
	}
	code, body = call("sch.a1", "GET", fmt.Sprintf("/api/v1/notifications?page=%d", total+1), nil)
	page = apiNoticePage{}
	decode(body, &page)
	if code != 200 || len(page.Items) != 0 || page.Total != total {
		t.Fatalf("past the end: %d %s", code, body)
	}

	// Another account cannot mark it read; its owner can, once or twice.
	if code, body := call("phong338", "POST", fmt.Sprintf("/api/v1/notifications/%d/read", first.ID), nil); code != 404 {
		t.Fatalf("another account read it: %d %s", code, body)
	}
	for range 2 {
		code, body = call("sch.a1", "POST", fmt.Sprintf("/api/v1/notifications/%d/read", first.ID), nil)
		var n apiNotice
		decode(body, &n)
		if code != 200 || !n.Read || n.ID != first.ID {
			t.Fatalf("read: %d %s", code, body)
		}
	}
	_, body = call("sch.a1", "GET", "/api/v1/notifications", nil)
	page = apiNoticePage{}
	decode(body, &page)
	if page.Unread != total-1 || len(page.Items) != total {
		t.Fatalf("after reading one: %s", body)
	}

	for _, bad := range []string{"per_page=0", "per_page=101", "page=0", "page=abc"} {
		if code, body := call("sch.a1", "GET", "/api/v1/notifications?"+bad, nil); code != 422 {
			t.Errorf("%s: %d %s", bad, code, body)
		}
	}
	if code, _ := call("", "GET", "/api/v1/notifications", nil); code != 401 {
		t.Errorf("anonymous: %d", code)
	}

	// The e-mail switches.
	var prefs apiNoticePrefs
	code, body = call("sch.a1", "GET", "/api/v1/me/notice-prefs", nil)
	decode(body, &prefs)
	if code != 200 || len(prefs.Kinds) != len(model.NoticeKinds) || !prefs.Kinds["approved"] {
		t.Fatalf("prefs: %d %s", code, body)
	}
	code, body = call("sch.a1", "PUT", "/api/v1/me/notice-prefs", map[string]any{"kinds": map[string]bool{"approved": false}})
	prefs = apiNoticePrefs{}
	decode(body, &prefs)
	if code != 200 || prefs.Kinds["approved"] || !prefs.Kinds["returned"] || !prefs.Kinds["changed"] {
		t.Fatalf("approved off: %d %s", code, body)
	}
	code, body = call("sch.a1", "PUT", "/api/v1/me/notice-prefs", map[string]any{"kinds": map[string]bool{"returned": false, "password_reset": false, "nope": true}})
	if code != 422 || !bytes.Contains(body, []byte(`"kinds":"Loại thông báo không tồn tại hoặc không tắt được: nope, password_reset"`)) {
		t.Fatalf("unknown kinds: %d %s", code, body)
	}
	_, body = call("sch.a1", "GET", "/api/v1/me/notice-prefs", nil)
	prefs = apiNoticePrefs{}
	decode(body, &prefs)
	if !prefs.Kinds["returned"] || prefs.Kinds["approved"] {
		t.Fatalf("a refused change changed something: %s", body)
	}
	if code, body := call("sch.a1", "PUT", "/api/v1/me/notice-prefs", map[string]any{}); code != 422 {
		t.Fatalf("no kinds: %d %s", code, body)
	}
	// The other account's switches are its own.
	_, body = call("phong338", "GET", "/api/v1/me/notice-prefs", nil)
	prefs = apiNoticePrefs{}
	decode(body, &prefs)
	if !prefs.Kinds["approved"] {
		t.Fatalf("another account's switch moved: %s", body)
	}
}
