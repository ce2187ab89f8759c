package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// What-if routes: the campaign's owners (admin, Sở in scope).
func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		if path == "/campaigns/:id/set-version" || path == "/api/v1/campaigns/:id/set-version" || path == "/api/v1/campaigns/:id/set-version/preview" {
			return false, []model.Role{model.RoleAdmin, model.RoleProvince}, true
		}
		return false, nil, false
	})
}

// TestSetMovePageAndAPI (issue 13): the Sở previews its campaign under
// version 2 of the example set (page and API agree, nothing changes), a
// principal may not, the page refuses to apply without confirmation, and
// the API applies with a reason.
func TestSetMovePageAndAPI(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	svc := survey.NewService(pool)
	testfix.Units(t, svc, testfix.QuynhPhu...)
	testfix.Users(t, svc,
		model.UserInput{Username: "so.34", Role: model.RoleProvince, UnitCode: "34", Password: "province-password"},
		model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: "school-password"})
	c, _ := testfix.OpenCampaign(t, svc, "example", "34") // version 1, before version 2 is stored
	raw, err := os.ReadFile("../../indicators/sets/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	y := strings.Replace(string(raw), `version: "1"`, `version: "2"`, 1)
	y = strings.Replace(y, "code: a.lms\n", "code: a.lms2\n", 1)
	v2, err := indicators.Parse("example-2.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := setstore.Save(ctx, pool, v2); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)})
	if err != nil {
		t.Fatal(err)
	}
	client := func(user, pass string) *importClient {
		_, sess, err := svc.Login(ctx, user, pass, "127.0.0.1", model.SessionWeb)
		if err != nil {
			t.Fatal(err)
		}
		return &importClient{t: t, srv: srv, token: sess.Token, tok: sess.CSRFToken}
	}
	so, ht := client("so.34", "province-password"), client("ht.a1", "school-password")

	page := fmt.Sprintf("/campaigns/%d/set-version", c.ID)
	rr := so.do(http.MethodGet, page+"?version=2", "", nil)
	body := rr.Body.String()
	if rr.Code != 200 || !strings.Contains(body, `id="setmove-preview"`) || !strings.Contains(body, "Trường THCS An Bài") || !strings.Contains(body, "<code>a.lms2</code>") {
		t.Fatalf("preview page: %d %s", rr.Code, body)
	}
	rr = so.do(http.MethodGet, fmt.Sprintf("/api/v1/campaigns/%d/set-version/preview?version=2", c.ID), "", nil)
	var p model.SetMove
	if rr.Code != 200 || json.Unmarshal(rr.Body.Bytes(), &p) != nil || len(p.Rows) != 1 || p.ToVersion != "2" || p.Applied {
		t.Fatalf("preview API: %d %s", rr.Code, rr.Body)
	}
	if rr := ht.do(http.MethodGet, page+"?version=2", "", nil); rr.Code != http.StatusForbidden && rr.Code != http.StatusNotFound {
		t.Fatalf("a principal previews: %d", rr.Code)
	}
	// An unknown version: said on the page.
	if rr := so.do(http.MethodGet, page+"?version=9", "", nil); rr.Code != http.StatusUnprocessableEntity || !strings.Contains(rr.Body.String(), "không có phiên bản 9") {
		t.Fatalf("unknown version: %d %s", rr.Code, rr.Body)
	}
	// The page refuses to apply without the confirmation.
	form := url.Values{"version": {"2"}, "reason": {"Sửa đổi"}, "_csrf": {so.tok}}
	if rr := so.do(http.MethodPost, page, "application/x-www-form-urlencoded", strings.NewReader(form.Encode())); rr.Code != http.StatusUnprocessableEntity {
		t.Fatalf("apply without confirmation: %d", rr.Code)
	}
	if cc, _ := svc.Campaign(ctx, testfix.Root, c.ID); cc.SetVersion != "1" {
		t.Fatalf("moved to %s without confirmation", cc.SetVersion)
	}
	rr = so.do(http.MethodPost, fmt.Sprintf("/api/v1/campaigns/%d/set-version", c.ID), "application/json", strings.NewReader(`{"version":"2","reason":"Bộ chỉ số sửa đổi"}`))
	if rr.Code != 200 {
		t.Fatalf("apply API: %d %s", rr.Code, rr.Body)
	}
	if cc, _ := svc.Campaign(ctx, testfix.Root, c.ID); cc.SetVersion != "2" {
		t.Fatalf("campaign on %s after applying", cc.SetVersion)
	}
}
