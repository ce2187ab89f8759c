package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
	"github.com/xuri/excelize/v2"
)

// TestDistrictSummaryWorkbook: the summary workbook of a district counts
// its schools by school level × level, lists them with index and level,
// and states the coverage; a school has none.
func TestDistrictSummaryWorkbook(t *testing.T) {
	w := newDashWorld(t)
	rec := w.get(t, "", fmt.Sprintf("/dashboard/%d/units/338/summary.xlsx", w.campaign))
	if rec.Code != 200 {
		t.Fatalf("summary.xlsx: %d %s", rec.Code, rec.Body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, "|") != "Tổng hợp|Danh sách trường|Độ bao phủ" {
		t.Fatalf("sheets %v", got)
	}
	sum, _ := f.GetRows("Tổng hợp")
	// Quỳnh Phụ: A1, A2, A4 lower secondary, A3 primary; all published.
	if len(sum) != 4 || sum[0][0] != "Cấp học" || sum[1][0] != "THCS" || sum[3][0] != "Tổng" {
		t.Fatalf("summary rows %q", sum)
	}
	last := len(sum[3]) - 2
	if sum[1][last] != "3" || sum[2][last] != "1" || sum[3][last] != "4" {
		t.Errorf("counts by school level %q", sum)
	}
	list, _ := f.GetRows("Danh sách trường")
	if len(list) != 5 || list[1][1] != "A1" && list[1][1] != "A2" {
		t.Errorf("school list %q", list)
	}
	for _, r := range list[1:] {
		if r[2] == "'"+formulaName {
			t.Errorf("an apostrophe in an XLSX text cell: %q", r[2])
		}
	}
	cov, _ := f.GetRows("Độ bao phủ")
	if len(cov) != 2 || cov[1][0] != "Quỳnh Phụ" || cov[1][1] != "4" || cov[1][3] != "4" {
		t.Errorf("coverage %q", cov)
	}
	if p, _ := f.GetPanes("Danh sách trường"); !p.Freeze {
		t.Error("the list's header row is not frozen")
	}
	if rec := w.get(t, "", fmt.Sprintf("/dashboard/%d/units/A1/summary.xlsx", w.campaign)); rec.Code != 404 {
		t.Errorf("a school's summary: %d", rec.Code)
	}
	if rec := w.get(t, "", fmt.Sprintf("/dashboard/%d/units/338/summary.xlsx", w.draft)); rec.Code != 404 {
		t.Errorf("an unpublished campaign's summary: %d", rec.Code)
	}
}

func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		if method == http.MethodGet && strings.HasPrefix(path, "/campaigns/:id/export.") {
			return false, []model.Role{model.RoleAdmin, model.RoleProvince, model.RoleDistrict}, true
		}
		return false, nil, false
	})
}

// TestExportAnswersForTheEvaluatorsScope: an evaluator downloads every
// answer with its evidence links, of their own unit only; a school may
// not.
func TestExportAnswersForTheEvaluatorsScope(t *testing.T) {
	w := newDashWorld(t)
	path := fmt.Sprintf("/campaigns/%d/export.csv", w.campaign)
	rec := w.get(t, "phong338", path)
	body, ok := strings.CutPrefix(rec.Body.String(), "\ufeff")
	if rec.Code != 200 || !ok {
		t.Fatalf("%s: %d BOM %v %s", path, rec.Code, ok, rec.Body)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := recs[0]
	if head[0] != "unit_code" || head[len(head)-1] != "evidence_links" {
		t.Fatalf("head %q", head)
	}
	units := map[string]bool{}
	linked := false
	for _, r := range recs[1:] {
		units[r[0]] = true
		if r[0] == "A1" && r[len(r)-1] == "https://example.edu.vn/A1" {
			linked = true
		}
	}
	if !linked {
		t.Error("A1's evidence link is not in the export")
	}
	for u := range units {
		if !strings.HasPrefix(u, "A") {
			t.Errorf("Quỳnh Phụ's evaluator got %s's answers", u)
		}
	}
	rec = w.get(t, "so34", path+"?table=results&format=csv-vi")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "B1;") || !strings.Contains(rec.Body.String(), "H1;") {
		t.Errorf("the province's results: %d %s", rec.Code, rec.Body)
	}
	rec = w.get(t, "so34", fmt.Sprintf("/campaigns/%d/export.xlsx", w.campaign))
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("xlsx: %d %v", rec.Code, err)
	}
	defer f.Close()
	if rows, _ := f.GetRows("answers"); len(rows) < 2 || rows[0][len(rows[0])-1] != "evidence_links" {
		t.Errorf("answers sheet %q", rows)
	}
	if rec := w.get(t, "ht.a1", path); rec.Code != 403 && rec.Code != 404 {
		t.Errorf("a school exported the campaign: %d", rec.Code)
	}
	if rec := w.get(t, "so34", path+"?table=nope"); rec.Code != 404 {
		t.Errorf("?table=nope: %d", rec.Code)
	}
}

func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		if method == http.MethodGet && path == "/api/v1/campaigns" { // open data
			return true, nil, true
		}
		return false, nil, false
	})
}

// TestAdminListsSearchAndPages: /admin/units and /admin/users search on
// the server and show one page of 50 rows with links to the next.
func TestAdminListsSearchAndPages(t *testing.T) {
	w := newDashWorld(t)
	ctx := context.Background()
	root := &model.Actor{Role: model.RoleAdmin}
	for i := 0; i < 60; i++ {
		code := fmt.Sprintf("Q%03d", i)
		if _, err := w.svc.CreateUnit(ctx, root, model.UnitInput{Code: code, Name: fmt.Sprintf("Trường Tiểu học Quỳnh %03d", i), Kind: "school",
			ParentCode: "338", SchoolLevels: []string{"primary"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.CreateUserBootstrap(ctx, model.UserInput{Username: fmt.Sprintf("ht.q%03d", i), Role: model.RoleSchool, UnitCode: code,
			Password: "password-long-enough"}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(body string) int { return strings.Count(body, "Trường Tiểu học Quỳnh ") }
	rec := w.get(t, "admin", "/admin/units?q=Qu%E1%BB%B3nh+0")
	if b := rec.Body.String(); rec.Code != 200 || count(b) != 50 || !strings.Contains(b, `href="/admin/units?page=2&amp;q=Qu%E1%BB%B3nh&#43;0"`) && !strings.Contains(b, `rel="next"`) {
		t.Fatalf("units page 1: %d, %d rows", rec.Code, count(b))
	}
	rec = w.get(t, "admin", "/admin/units?q=Qu%E1%BB%B3nh+0&page=2")
	if b := rec.Body.String(); count(b) != 10 || !strings.Contains(b, `rel="prev"`) || strings.Contains(b, `rel="next"`) {
		t.Errorf("units page 2: %d rows", count(b))
	}
	rec = w.get(t, "admin", "/admin/users?q=ht.q0")
	if b := rec.Body.String(); rec.Code != 200 || strings.Count(b, `<td><a href="/admin/users/ht.q0`) != 50 || !strings.Contains(b, `rel="next"`) {
		t.Errorf("users page 1: %d, %d rows", rec.Code, strings.Count(b, `<td><a href="/admin/users/ht.q0`))
	}
	rec = w.get(t, "admin", "/admin/users?q=HT.Q059&page=1")
	if b := rec.Body.String(); strings.Count(b, `<td><a href="/admin/users/ht.q0`) != 1 || strings.Contains(b, `rel="next"`) {
		t.Errorf("users search: %d rows", strings.Count(b, `<td><a href="/admin/users/ht.q0`))
	}
	if rec := w.get(t, "admin", "/admin/users?page=-3"); rec.Code != 200 {
		t.Errorf("a bad page: %d", rec.Code)
	}
}
