package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// TestOfficeAccountsOnNewRoutes (issue 13): the matrix of authz_test.go
// has no office staff or Ministry reviewer; here they meet the routes of
// this change (set files, what-if): an office's staff and the Ministry's
// reviewer are refused, nothing changes; the owners get through.
func TestOfficeAccountsOnNewRoutes(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	svc := survey.NewService(pool)
	testfix.Units(t, svc,
		model.UnitInput{Code: "BGDDT", Name: "Bộ Giáo dục và Đào tạo", Kind: "ministry"},
		model.UnitInput{Code: "34", Name: "Thái Bình", Kind: "province", ParentCode: "BGDDT"},
		model.UnitInput{Code: "A1", Name: "Trường THCS An Bài", Kind: "school", ParentCode: "34", SchoolLevels: []string{"lower_secondary"}})
	testfix.Users(t, svc,
		model.UserInput{Username: "admin", Role: model.RoleAdmin, Password: "admin-password"},
		model.UserInput{Username: "so.34", Role: model.RoleProvince, UnitCode: "34", Password: "province-password"},
		model.UserInput{Username: "cb.34", Role: model.RoleOffice, UnitCode: "34", Password: "office-password"},
		model.UserInput{Username: "bo.gddt", Role: model.RoleMinistry, UnitCode: "BGDDT", Password: "ministry-password"})
	c, _ := testfix.OpenCampaign(t, svc, "example", "34")
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
	clients := map[string]*importClient{
		"admin": client("admin", "admin-password"), "so.34": client("so.34", "province-password"),
		"cb.34": client("cb.34", "office-password"), "bo.gddt": client("bo.gddt", "ministry-password"),
	}
	set := []byte("code: x\n")
	type req struct {
		method, path string
		upload       bool
		json         string
		allowed      []string
	}
	reqs := []req{
		{http.MethodGet, "/admin/sets", false, "", []string{"admin"}},
		{http.MethodPost, "/admin/sets", true, "", []string{"admin"}},
		{http.MethodGet, fmt.Sprintf("/campaigns/%d/set-version", c.ID), false, "", []string{"admin", "so.34"}},
		{http.MethodGet, fmt.Sprintf("/api/v1/campaigns/%d/set-version/preview?version=1", c.ID), false, "", []string{"admin", "so.34"}},
		{http.MethodPost, fmt.Sprintf("/api/v1/campaigns/%d/set-version", c.ID), false, `{"version":"9","reason":"thử"}`, []string{"admin", "so.34"}},
	}
	for _, r := range reqs {
		for name, cl := range clients {
			var code int
			switch {
			case r.upload:
				code = cl.upload(r.path, "x.yaml", set).Code
			case r.json != "":
				code = cl.do(r.method, r.path, "application/json", strings.NewReader(r.json)).Code
			default:
				code = cl.do(r.method, r.path, "", nil).Code
			}
			denied := code == http.StatusForbidden || code == http.StatusNotFound
			allowed := false
			for _, a := range r.allowed {
				allowed = allowed || a == name
			}
			if allowed == denied {
				t.Errorf("%s %s as %s: %d (allowed %v)", r.method, r.path, name, code, allowed)
			}
		}
	}
	if cc, _ := svc.Campaign(ctx, testfix.Root, c.ID); cc.SetVersion != "1" {
		t.Fatalf("the campaign moved to %s", cc.SetVersion)
	}
}
