package web

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// TestBrowserAdminJourney: in a real browser, the first admin (created as
// `dxindex user add` does) signs in, creates a district evaluator and a
// principal, and opens a campaign on moet-4725 for a district, which holds
// one assessment per applicable school; the principal then signs in and
// sees the campaign with their own school only.
func TestBrowserAdminJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	ctx := context.Background()
	pool := pgtest.New(t)
	svc := survey.NewService(pool)
	if _, err := svc.InstallShippedSets(ctx); err != nil {
		t.Fatal(err)
	}
	root := &model.Actor{Role: model.RoleAdmin}
	for _, u := range []model.UnitInput{
		{Code: "34", Name: "Thái Bình", Kind: "province"},
		{Code: "338", Name: "Quỳnh Phụ", Kind: "district", ParentCode: "34"},
		{Code: "A1", Name: "Trường THCS An Bài", Kind: "school", ParentCode: "338", SchoolLevels: []string{"lower_secondary"}},
		{Code: "A2", Name: "Trường Tiểu học An Ấp", Kind: "school", ParentCode: "338", SchoolLevels: []string{"primary"}},
		{Code: "MN", Name: "Trường Mầm non An Cầu", Kind: "school", ParentCode: "338", SchoolLevels: []string{"preschool"}},
	} {
		if _, err := svc.CreateUnit(ctx, root, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "admin", Role: model.RoleAdmin, Password: "admin-password-1"}); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(pool)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	b := browsertest.New(t)
	login := func(b context.Context, user, pass string) {
		t.Helper()
		err := chromedp.Do(b,
			chromedp.Navigate(hs.URL+"/login"),
			chromedp.SendKeys(chromedp.CSS(`main input[name=username]`), user),
			chromedp.SendKeys(chromedp.CSS(`main input[name=password]`), pass),
			chromedp.Click(chromedp.CSS(`main button[type=submit]`)),
		)
		if err != nil {
			t.Fatalf("sign in as %s: %v", user, err)
		}
		waitJS(t, b, `location.pathname !== "/login" && document.readyState === "complete" && !!document.querySelector("header .who")`)
	}
	login(b, "admin", "admin-password-1")
	createUser := func(username, role, unit, pass string) {
		t.Helper()
		err := chromedp.Do(b,
			chromedp.Navigate(hs.URL+"/admin/users"),
			chromedp.SendKeys(chromedp.CSS(`form[action="/admin/users"] input[name=username]`), username),
			chromedp.SetValue(chromedp.CSS(`form[action="/admin/users"] select[name=role]`), role),
			chromedp.SendKeys(chromedp.CSS(`form[action="/admin/users"] input[name=unit_code]`), unit),
			chromedp.SendKeys(chromedp.CSS(`form[action="/admin/users"] input[name=password]`), pass),
			chromedp.Click(chromedp.CSS(`form[action="/admin/users"] button[type=submit]`)),
		)
		if err != nil {
			t.Fatalf("create user %s: %v", username, err)
		}
		waitJS(t, b, `document.readyState === "complete" && !!document.querySelector(".flash")`)
	}
	createUser("phong.qp", "district", "338", "district-password")
	createUser("ht.anbai", "school", "A1", "school-password")
	table, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(`main table`)))
	if err != nil || !strings.Contains(table, "phong.qp") || !strings.Contains(table, "Cán bộ Phòng GDĐT") || !strings.Contains(table, "ht.anbai") {
		t.Fatalf("users table after creating two users: %q %v", table, err)
	}
	browsertest.Screenshot(t, b, "admin-users")

	err = chromedp.Do(b,
		chromedp.Navigate(hs.URL+"/campaigns"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/campaigns"] input[name=name]`), "Năm học 2024-2025"),
		chromedp.SetValue(chromedp.CSS(`form[action="/campaigns"] select[name=set]`), "moet-4725@2022.1"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/campaigns"] input[name=root_unit_code]`), "338"),
		chromedp.SendKeys(chromedp.CSS(`form[action="/campaigns"] input[name=opens_on]`), "05/09/2024"),
		chromedp.Click(chromedp.CSS(`form[action="/campaigns"] button[type=submit]`)),
	)
	if err != nil {
		t.Fatalf("create campaign: %v", err)
	}
	waitJS(t, b, `/^\/campaigns\/\d+$/.test(location.pathname) && document.readyState === "complete"`)
	page, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Năm học 2024-2025", "31/05/2025", "20/06/2025", "(2)", "Trường THCS An Bài", "Trường Tiểu học An Ấp"} {
		if !strings.Contains(page, want) {
			t.Errorf("campaign page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "Mầm non") {
		t.Error("the preschool got a 4725 assessment")
	}
	browsertest.Screenshot(t, b, "admin-campaign")

	// The principal, in a browser of their own, sees their school only.
	p := browsertest.New(t)
	login(p, "ht.anbai", "school-password")
	mine, err := chromedp.Run(p, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(mine, "Trường THCS An Bài") {
		t.Errorf("principal's home page: %q", mine)
	}
	if err := chromedp.Do(p, chromedp.Navigate(hs.URL+"/campaigns")); err != nil {
		t.Fatalf("principal opens campaigns: %v", err)
	}
	if err := chromedp.Do(p, chromedp.Click(chromedp.CSS(`main table a`))); err != nil {
		t.Fatalf("principal opens the campaign: %v", err)
	}
	waitJS(t, p, `!!document.querySelector(".facts") && document.readyState === "complete"`)
	mine, _ = chromedp.Run(p, chromedp.Text(chromedp.CSS(`main`)))
	if !strings.Contains(mine, "(1)") || strings.Contains(mine, "An Ấp") {
		t.Errorf("principal's campaign page shows other schools:\n%s", mine)
	}
	// And switches the interface to English, which is remembered.
	if err := chromedp.Do(p, chromedp.Click(chromedp.CSS(`header form[action="/lang"] button`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, p, `document.documentElement.lang === "en" && document.readyState === "complete"`)
	if err := chromedp.Do(p, chromedp.Navigate(hs.URL+"/campaigns")); err != nil {
		t.Fatal(err)
	}
	en, _ := chromedp.Run(p, chromedp.Text(chromedp.CSS(`main h1`)))
	if en != "Campaigns" {
		t.Errorf("after switching to English the heading is %q", en)
	}
	browsertest.Screenshot(t, p, "principal-campaigns-en")
}

// waitJS waits until expr is true in the page: the way to know that a
// click's navigation has finished (waiting for an element can match the old
// page, and a new navigation then aborts the pending one).
func waitJS(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		// Evaluating during a navigation fails; that is expected: try again.
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(25 * time.Millisecond)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Fatalf("waiting for %s at %s: %v", expr, loc, last)
}
