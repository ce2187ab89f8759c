package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/dashboard"
	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/sheet"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"
)

func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		switch {
		case path == "/dashboard" || strings.HasPrefix(path, "/dashboard/") || strings.HasPrefix(path, "/trend/") ||
			strings.HasPrefix(path, "/api/v1/campaigns/:id/rankings"):
			return true, nil, true
		case strings.HasPrefix(path, "/review/:id/progress"):
			return false, []model.Role{model.RoleAdmin, model.RoleProvince, model.RoleDistrict}, true
		}
		return false, nil, false
	})
}

// newDashServer builds the server with the dashboard's routes. Once
// routes() calls s.dashboardRoutes(), this is New(cfg).
func newDashServer(t testing.TB, pool *pgxpool.Pool) *Server {
	t.Helper()
	srv, err := newServer(Config{Logger: slog.New(slog.NewTextHandler(dashLogOut, nil)), Services: servicesOn(pool)}, func(s *Server) {
		if _, ok := s.rules["GET /dashboard/:id"]; !ok {
			s.dashboardRoutes()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// dashWorld is a published campaign on the example set:
//
//	34 Thái Bình ── 338 Quỳnh Phụ ── A1…A4 (A3's name is an XSS attempt,
//	             │                    A4's a spreadsheet formula)
//	             ├─ 339 Hưng Hà ──── B1, B2 (B2 approved after publication)
//	             └─ H1 (a school directly under the province)
type dashWorld struct {
	pool     *pgxpool.Pool
	srv      *Server
	svc      *survey.Service
	campaign int64
	draft    int64 // a campaign with nothing published
}

const xssName = `Trường </script><script>alert(1)</script> "x"`
const formulaName = `=HYPERLINK("http://evil.example","bấm")`

func newDashWorld(t testing.TB) *dashWorld {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.New(t)
	svc := survey.NewService(pool)
	svc.OnPublish = dashboard.BuildReadModel
	if _, err := svc.InstallShippedSets(ctx); err != nil {
		t.Fatal(err)
	}
	root := &model.Actor{Role: model.RoleAdmin}
	lower := []string{"lower_secondary"}
	for _, u := range []model.UnitInput{
		{Code: "34", Name: "Thái Bình", Kind: "province"},
		{Code: "338", Name: "Quỳnh Phụ", Kind: "district", ParentCode: "34"},
		{Code: "339", Name: "Hưng Hà", Kind: "district", ParentCode: "34"},
		{Code: "A1", Name: "Trường THCS An Bài", Kind: "school", ParentCode: "338", SchoolLevels: lower},
		{Code: "A2", Name: "Trường THCS An Ấp", Kind: "school", ParentCode: "338", SchoolLevels: lower},
		{Code: "A3", Name: xssName, Kind: "school", ParentCode: "338", SchoolLevels: []string{"primary"}},
		{Code: "A4", Name: formulaName, Kind: "school", ParentCode: "338", SchoolLevels: lower},
		{Code: "B1", Name: "Trường THCS Hưng Hà", Kind: "school", ParentCode: "339", SchoolLevels: lower},
		{Code: "B2", Name: "Trường THCS Hưng Nhân", Kind: "school", ParentCode: "339", SchoolLevels: lower},
		{Code: "H1", Name: "Trường THPT Quỳnh Côi", Kind: "school", ParentCode: "34", SchoolLevels: []string{"upper_secondary"}},
	} {
		if _, err := svc.CreateUnit(ctx, root, u); err != nil {
			t.Fatal(err)
		}
	}
	for name, ru := range actors {
		if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: name, Role: model.Role(ru[0]), UnitCode: ru[1], Password: "password-" + name}); err != nil {
			t.Fatal(err)
		}
	}
	c, err := svc.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2024-2025", SetCode: "example", RootUnitCode: "34"})
	if err != nil {
		t.Fatal(err)
	}
	draft, err := svc.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2025-2026", SetCode: "example", RootUnitCode: "338"})
	if err != nil {
		t.Fatal(err)
	}
	adminUser, err := svc.UserByUsername(ctx, root, "admin")
	if err != nil {
		t.Fatal(err)
	}
	admin := &model.Actor{UserID: adminUser.ID, Username: "admin", Role: model.RoleAdmin}
	set, err := indicators.ShippedSet("example")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := svc.CampaignAssessments(ctx, root, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]model.AssessmentRow{}
	for _, r := range rows {
		byCode[r.UnitCode] = r
	}
	// Answers that differ by school (k); A1 and A2 tie.
	answerAll := func(code string, k int) int64 {
		r := byCode[code]
		name := "sch." + strings.ToLower(code)
		user, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: name, Role: model.RoleSchool, UnitCode: code, Password: "password-" + name})
		if err != nil {
			t.Fatal(err)
		}
		u, _ := svc.UnitByCode(ctx, code)
		school := &model.Actor{UserID: user.ID, Username: name, Role: model.RoleSchool, UnitID: u.ID, UnitCode: code, UnitPath: u.Path}
		for _, ind := range set.Indicators() {
			if !ind.AppliesToLevel(r.SchoolLevel) {
				continue
			}
			if _, err := svc.SaveAnswer(ctx, school, r.ID, ind.Code, dashAnswer(ind, k), 0); err != nil {
				t.Fatalf("%s %s: %v", code, ind.Code, err)
			}
			if ind.Evidence == "required" {
				if _, err := svc.AddEvidenceLink(ctx, school, r.ID, ind.Code, "https://example.edu.vn/"+code); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := svc.Submit(ctx, school, r.ID); err != nil {
			t.Fatalf("submit %s: %v", code, err)
		}
		return r.ID
	}
	for code, k := range map[string]int{"A1": 3, "A2": 3, "A3": 1, "A4": 2, "B1": 4, "H1": 0} {
		id := answerAll(code, k)
		if code == "B1" { // the evaluator lowers a value: a calibration gap
			if _, err := svc.Review(ctx, admin, id, "a.teachers", json.RawMessage(`10`), "Biên bản kiểm tra"); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.Approve(ctx, admin, id, ""); err != nil {
			t.Fatalf("approve %s: %v", code, err)
		}
	}
	if _, err := svc.Publish(ctx, admin, c.ID, ""); err != nil {
		t.Fatal(err)
	}
	// B2 is approved after the publication: live only.
	if err := svc.Approve(ctx, admin, answerAll("B2", 5), ""); err != nil {
		t.Fatal(err)
	}
	return &dashWorld{pool: pool, srv: newDashServer(t, pool), svc: svc, campaign: c.ID, draft: draft.ID}
}

// dashAnswer is an answer of level k (0 lowest) for an indicator.
func dashAnswer(ind *indicators.Indicator, k int) json.RawMessage {
	switch ind.Type {
	case indicators.TypeBoolean:
		return json.RawMessage(strconv.FormatBool(ind.Mandatory || k%2 == 1 || k >= 3))
	case indicators.TypeChoice:
		return json.RawMessage(strconv.Quote(ind.Options[k%len(ind.Options)].Code))
	case indicators.TypeMulti:
		var codes []string
		for i := 0; i <= k%len(ind.Options); i++ {
			codes = append(codes, ind.Options[i].Code)
		}
		b, _ := json.Marshal(codes)
		return b
	case indicators.TypePercent:
		return json.RawMessage(strconv.Itoa(min(100, 15+k*20)))
	default:
		full := 10.0
		if ind.Proportional != nil {
			full = ind.Proportional.FullAt
		} else if len(ind.Bands) > 0 {
			full = ind.Bands[0].Min
		}
		return json.RawMessage(strconv.FormatFloat(math.Round(full*float64(k+1)/5), 'f', -1, 64))
	}
}

func (w *dashWorld) get(t *testing.T, who, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if who != "" {
		_, sess, err := w.svc.Login(context.Background(), who, "password-"+who, "127.0.0.1", model.SessionAPI)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+sess.Token)
		if !strings.HasPrefix(path, "/api/") {
			_, sess, _ = w.svc.Login(context.Background(), who, "password-"+who, "127.0.0.1", model.SessionWeb)
			req.Header.Del("Authorization")
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: sess.Token})
		}
	}
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func TestDashboardPages(t *testing.T) {
	w := newDashWorld(t)
	id := w.campaign
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/dashboard", []string{"Năm học 2024-2025"}},
		{fmt.Sprintf("/dashboard/%d", id), []string{"Quỳnh Phụ", "Hưng Hà", "Trường THPT Quỳnh Côi", `data-chart="chart-heatmap"`, `id="chart-means"`}},
		{fmt.Sprintf("/dashboard/%d/units/338", id), []string{"Trường THCS An Bài", `data-chart="chart-hist"`, "Khoảng hạng"}},
		{fmt.Sprintf("/dashboard/%d/units/338?school_level=lower_secondary", id), []string{"Trường THCS An Bài"}},
		{fmt.Sprintf("/dashboard/%d/units/A1", id), []string{"Trường THCS An Bài", `data-chart="chart-radar"`, "Khoảng cách đến mức tiếp theo", "a.lms"}},
		// A district's printable report is the office's báo cáo (issue 15),
		// no longer one school profile per page; a school's is its profile.
		{fmt.Sprintf("/dashboard/%d/units/338/report", id), []string{"BÁO CÁO KẾT QUẢ ĐÁNH GIÁ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "print.css", "Trường THCS An Bài", "THỦ TRƯỞNG ĐƠN VỊ", "summary.xlsx"}},
		{fmt.Sprintf("/dashboard/%d/units/A1/report", id), []string{"report-page", "print.css"}},
		{fmt.Sprintf("/dashboard/%d/methodology", id), []string{"Trung bình có trọng số", "a.teachers", "1, 2, 2, 4"}},
		{"/trend/338", []string{"Năm học 2024-2025", `data-chart="chart-trend"`}},
		{"/trend/A1", []string{"Năm học 2024-2025"}},
		{"/trend/338/export.csv", []string{"Năm học 2024-2025"}},
	} {
		rec := w.get(t, "", c.path)
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d %s", c.path, rec.Code, rec.Body)
		}
		body := rec.Body.String()
		for _, s := range c.want {
			if !strings.Contains(body, s) {
				t.Errorf("GET %s lacks %q", c.path, s)
			}
		}
		// School names are user data: never raw in the page.
		if strings.Contains(body, "<script>alert(1)") {
			t.Errorf("GET %s: unescaped school name", c.path)
		}
		if strings.Contains(body, "<script>") && strings.Contains(body, "<script>\n") {
			t.Errorf("GET %s has an inline script", c.path)
		}
	}
	// The API's routes are in the OpenAPI document.
	if rec := w.get(t, "", "/api/v1/openapi.json"); rec.Code != 200 || !strings.Contains(rec.Body.String(), "/rankings") {
		t.Errorf("openapi: %d", rec.Code)
	}
	// The B2 school approved after publication is not public.
	if rec := w.get(t, "", fmt.Sprintf("/dashboard/%d/units/339", id)); strings.Contains(rec.Body.String(), "Hưng Nhân") {
		t.Error("an unpublished result is public")
	}
	// Nothing published: 404, for pages, exports and the API.
	for _, p := range []string{"/dashboard/%d", "/dashboard/%d/units/338", "/dashboard/%d/units/338/export.csv", "/api/v1/campaigns/%d/rankings?unit=338", "/dashboard/%d/methodology"} {
		if rec := w.get(t, "", fmt.Sprintf(p, w.draft)); rec.Code != 404 {
			t.Errorf("unpublished %s: %d", p, rec.Code)
		}
	}
	if rec := w.get(t, "", fmt.Sprintf("/dashboard/%d/units/01", id)); rec.Code != 404 {
		t.Errorf("a unit outside the campaign: %d", rec.Code)
	}
}

// TestRankingsAPIMatchesCSV: the ranks the API serves equal an independent
// recomputation from the exported CSV (same ranks, same ties).
func TestRankingsAPIMatchesCSV(t *testing.T) {
	w := newDashWorld(t)
	for _, unit := range []string{"34", "338", "339"} {
		rec := w.get(t, "", fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=%s", w.campaign, unit))
		if rec.Code != 200 {
			t.Fatalf("rankings %s: %d %s", unit, rec.Code, rec.Body)
		}
		var res rankingsResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		if res.Unit.Code != unit || res.Source != "published" || len(res.Rows) == 0 {
			t.Fatalf("rankings %s: %+v", unit, res)
		}
		rec = w.get(t, "", fmt.Sprintf("/api/v1/campaigns/%d/rankings.csv?unit=%s", w.campaign, unit))
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
			t.Fatalf("csv %s: %d", unit, rec.Code)
		}
		recs, err := csv.NewReader(bytes.NewReader(rec.Body.Bytes())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range recs[0] {
			col[h] = i
		}
		recs = recs[1:]
		if len(recs) != len(res.Rows) {
			t.Fatalf("%s: csv has %d rows, json %d", unit, len(recs), len(res.Rows))
		}
		// Independent recomputation: competition ranks over the 2-decimal
		// index, within kind (schools among schools, units among units).
		type item struct {
			code, kind string
			index      float64
		}
		var items []item
		for _, r := range recs {
			x, err := strconv.ParseFloat(r[col["index"]], 64)
			if err != nil {
				t.Fatal(err)
			}
			kind := "unit"
			if r[col["kind"]] == "school" {
				kind = "school"
			}
			items = append(items, item{strings.TrimPrefix(r[col["unit_code"]], "'"), kind, x})
		}
		want := map[string]int{}
		for _, it := range items {
			better := 0
			for _, o := range items {
				if o.kind == it.kind && o.index > it.index {
					better++
				}
			}
			want[it.code] = better + 1
		}
		for i, r := range res.Rows {
			if want[r.Code] != r.Rank {
				t.Errorf("%s: %s API rank %d, recomputed %d", unit, r.Code, r.Rank, want[r.Code])
			}
			if got, _ := strconv.Atoi(recs[i][col["rank"]]); got != r.Rank {
				t.Errorf("%s: %s CSV rank %d, API %d", unit, r.Code, got, r.Rank)
			}
			if r.Robustness == nil || r.Robustness.P05 > float64(r.Rank) || r.Robustness.P95 < float64(r.Rank) {
				t.Errorf("%s: %s robustness %+v does not hold rank %d", unit, r.Code, r.Robustness, r.Rank)
			}
		}
	}
	// A1 and A2 answered alike: a tie.
	rec := w.get(t, "", fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=338", w.campaign))
	var res rankingsResponse
	_ = json.Unmarshal(rec.Body.Bytes(), &res)
	ranks := map[string]int{}
	for _, r := range res.Rows {
		ranks[r.Code] = r.Rank
	}
	if ranks["A1"] != ranks["A2"] {
		t.Errorf("A1 and A2 should tie: %v", ranks)
	}
	sorted := make([]int, 0, len(ranks))
	for _, r := range ranks {
		sorted = append(sorted, r)
	}
	sort.Ints(sorted)
	if sorted[0] != 1 {
		t.Errorf("ranks %v", sorted)
	}
	// A school as the unit: its own result, no rows.
	rec = w.get(t, "", fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=A1", w.campaign))
	res = rankingsResponse{}
	_ = json.Unmarshal(rec.Body.Bytes(), &res)
	if rec.Code != 200 || res.Unit.Index == nil || res.Unit.Level == 0 || len(res.Rows) != 0 {
		t.Errorf("a school's ranking: %d %s", rec.Code, rec.Body)
	}
	// A school-level filter.
	rec = w.get(t, "", fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=338&school_level=primary", w.campaign))
	_ = json.Unmarshal(rec.Body.Bytes(), &res)
	if rec.Code != 200 || len(res.Rows) != 1 || res.Rows[0].Code != "A3" || res.Rows[0].Rank != 1 {
		t.Errorf("primary only: %d %s", rec.Code, rec.Body)
	}
	if rec := w.get(t, "", fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=338&school_level=x", w.campaign)); rec.Code != 422 {
		t.Errorf("bad school level: %d", rec.Code)
	}
}

func TestRankingsLive(t *testing.T) {
	w := newDashWorld(t)
	live := fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=339&validated=live", w.campaign)
	if rec := w.get(t, "", live); rec.Code != 401 {
		t.Errorf("anonymous live: %d", rec.Code)
	}
	if rec := w.get(t, "leader338", live); rec.Code != 403 {
		t.Errorf("viewer live: %d", rec.Code)
	}
	if rec := w.get(t, "phong338", live); rec.Code != 404 {
		t.Errorf("district 338 live on 339: %d", rec.Code)
	}
	rec := w.get(t, "so34", live)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"B2"`) || !strings.Contains(rec.Body.String(), `"source":"live"`) {
		t.Errorf("province live: %d %s", rec.Code, rec.Body)
	}
	// Live on an unpublished campaign works for its evaluators.
	if rec := w.get(t, "phong338", fmt.Sprintf("/api/v1/campaigns/%d/rankings?unit=338&validated=live", w.draft)); rec.Code != 200 {
		t.Errorf("live on an unpublished campaign: %d %s", rec.Code, rec.Body)
	}
}

func TestReviewProgress(t *testing.T) {
	w := newDashWorld(t)
	p := fmt.Sprintf("/review/%d/progress", w.campaign)
	rec := w.get(t, "so34", p)
	if rec.Code != 200 {
		t.Fatalf("progress: %d %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	for _, s := range []string{"Quỳnh Phụ", "Hưng Hà", "Độ lệch", "a.teachers", `data-chart="chart-progress"`} {
		if !strings.Contains(body, s) {
			t.Errorf("progress page lacks %q", s)
		}
	}
	if rec := w.get(t, "phong338", p); rec.Code != 200 || strings.Contains(rec.Body.String(), "Hưng Hà") {
		t.Errorf("district 338's progress shows 339: %d", rec.Code)
	}
	if rec := w.get(t, "phong338", p+"?unit=339"); rec.Code != 404 {
		t.Errorf("district 338 reads 339's progress: %d", rec.Code)
	}
	if rec := w.get(t, "ht.a1", p); rec.Code != 403 {
		t.Errorf("a school reads progress: %d", rec.Code)
	}
	if rec := w.get(t, "so34", p+"/export.csv"); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Quỳnh Phụ") {
		t.Errorf("progress csv: %d", rec.Code)
	}
	if rec := w.get(t, "so34", p+"/export.xlsx"); rec.Code != 200 {
		t.Errorf("progress xlsx: %d", rec.Code)
	}
	// A campaign past its due dates lists its drafts as overdue.
	past, err := w.svc.CreateCampaign(context.Background(), &model.Actor{Role: model.RoleAdmin}, model.CampaignInput{Name: "Năm học 2023-2024",
		SetCode: "example", RootUnitCode: "339", OpensOn: time.Date(2023, 9, 5, 0, 0, 0, 0, time.UTC),
		SelfDue: time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC), ReviewDue: time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	rec = w.get(t, "so34", fmt.Sprintf("/review/%d/progress", past.ID))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Quá hạn (2)") || !strings.Contains(rec.Body.String(), "31/05/2024") {
		t.Errorf("overdue: %d", rec.Code)
	}
	if rec := w.get(t, "so34", fmt.Sprintf("/review/%d/progress/export.csv?table=overdue", past.ID)); !strings.Contains(rec.Body.String(), "Trường THCS Hưng Nhân") {
		t.Errorf("overdue csv: %s", rec.Body)
	}
	for _, table := range []string{"overdue", "calibration", "indicators"} {
		if rec := w.get(t, "so34", p+"/export.csv?table="+table); rec.Code != 200 {
			t.Errorf("%s csv: %d", table, rec.Code)
		}
	}
	if rec := w.get(t, "so34", p+"/export.csv?table=calibration"); !strings.Contains(rec.Body.String(), "8.33") {
		t.Errorf("calibration csv: %s", rec.Body)
	}
}

// TestExportsNeutraliseFormulas: a unit name that a spreadsheet would run
// as a formula is written as text, in CSV and in Excel.
func TestExportsNeutraliseFormulas(t *testing.T) {
	w := newDashWorld(t)
	rec := w.get(t, "", fmt.Sprintf("/dashboard/%d/units/338/export.csv", w.campaign))
	if rec.Code != 200 {
		t.Fatalf("csv: %d", rec.Code)
	}
	// A file for people starts with the UTF-8 BOM (issue 15: Excel on
	// Windows garbles Vietnamese without it); the fields follow it.
	body, ok := strings.CutPrefix(rec.Body.String(), "\ufeff")
	if !ok {
		t.Errorf("the CSV for people has no UTF-8 BOM: %q", rec.Body.String()[:min(20, rec.Body.Len())])
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][0] != "Hạng" || recs[0][2] != "Tên" {
		t.Errorf("csv head: %v", recs[0])
	}
	found := false
	for _, r := range recs[1:] {
		for _, v := range r {
			if strings.HasPrefix(v, "=") || strings.HasPrefix(v, "+") || strings.HasPrefix(v, "@") {
				t.Errorf("formula cell %q", v)
			}
			if v == "'"+formulaName {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("the formula name is missing: %v", recs)
	}
	rec = w.get(t, "", fmt.Sprintf("/dashboard/%d/units/338/export.xlsx", w.campaign))
	if rec.Code != 200 {
		t.Fatalf("xlsx: %d", rec.Code)
	}
	f, err := excelize.OpenReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Hạng" || rows[0][6] != "Chỉ số" {
		t.Errorf("xlsx head: %v", rows[0])
	}
	// In Excel the name is a string cell with its exact value (a string
	// cell is never evaluated; an apostrophe would show as part of the
	// name): internal/sheet, the one writer.
	found = false
	for _, r := range rows[1:] {
		for i, v := range r {
			if v == formulaName {
				found = true
			}
			if f, _ := f.GetCellFormula(f.GetSheetName(0), mustCell(i+1, 2)); f != "" {
				t.Errorf("a formula cell: %q", f)
			}
		}
	}
	if !found {
		t.Errorf("xlsx lacks the neutralised name: %v", rows)
	}
	if got := sheet.Safe("-1+2"); got != "'-1+2" {
		t.Errorf("safeText: %q", got)
	}
	// The school's indicator table.
	if rec := w.get(t, "", fmt.Sprintf("/dashboard/%d/units/A1/export.xlsx", w.campaign)); rec.Code != 200 {
		t.Errorf("school xlsx: %d", rec.Code)
	}
}

func mustCell(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// TestAuthorizationOfDashboardRoutes runs the authorization test's checks
// on the dashboard's routes (until routes() registers them, the main test
// does not see them).
func TestAuthorizationOfDashboardRoutes(t *testing.T) {
	w := newWorld(t)
	w.srv = newDashServer(t, w.pool)
	denied := func(code int) bool { return code == 401 || code == 403 || code == 404 }
	n, seen := 0, map[string]bool{}
	for _, r := range w.srv.Routes() {
		if seen[r.Method+" "+r.Path] {
			continue
		}
		seen[r.Method+" "+r.Path] = true
		if !strings.HasPrefix(r.Path, "/dashboard") && !strings.HasPrefix(r.Path, "/trend") && !strings.HasPrefix(r.Path, "/review/") &&
			!strings.Contains(r.Path, "/rankings") {
			continue
		}
		n++
		public, roles, known := policy(r.Method, r.Path)
		if !known {
			t.Fatalf("%s %s is not in the access policy", r.Method, r.Path)
		}
		for _, name := range []string{"", "admin", "so34", "phong338", "ht.a1", "leader338"} {
			allowed := public || (name != "" && (len(roles) == 0 || contains(roles, model.Role(actors[name][0]))))
			for _, inside := range []bool{true, false} {
				path := fill(r.Path, w.params(name, inside))
				rec := w.request(t, name, r.Method, path, "")
				code := rec.Code
				if code == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/login") {
					code = 401
				}
				switch {
				case !allowed && !denied(code):
					t.Errorf("%s %s as %q: %d, want a denial", r.Method, path, name, code)
				case allowed && r.Rule.scope != nil && !inside && name != "admin" && name != "so34" && !denied(code):
					t.Errorf("%s %s as %q outside scope: %d", r.Method, path, name, code)
				case allowed && (inside || r.Rule.scope == nil) && (code == 401 || code == 403):
					t.Errorf("%s %s as %q: %d, want access: %s", r.Method, path, name, code, rec.Body)
				case code >= 500:
					t.Errorf("%s %s as %q: %d %s", r.Method, path, name, code, rec.Body)
				}
			}
		}
	}
	if n < 15 {
		t.Errorf("%d dashboard routes checked", n)
	}
}

// BenchmarkDashboardPages: server time of the dashboard's pages on the
// small fixture, warm (go test -run '^$' -bench Dashboard ./internal/web/).
func BenchmarkDashboardPages(b *testing.B) {
	w := newDashWorld(b)
	for _, p := range []string{"/dashboard/%d", "/dashboard/%d/units/338", "/dashboard/%d/units/A1", "/api/v1/campaigns/%d/rankings?unit=34"} {
		path := fmt.Sprintf(p, w.campaign)
		b.Run(strings.TrimPrefix(strings.ReplaceAll(path, "/", "_"), "_"), func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				w.srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

// dashLogOut receives the test servers' logs (os.Stderr when debugging).
var dashLogOut io.Writer = io.Discard

// TestExportCSVForVietnameseExcel: ?format=csv-vi (or ?sep=semicolon)
// gives semicolons and decimal commas, with the BOM; the API's CSV stays
// data (no BOM, decimal points).
func TestExportCSVForVietnameseExcel(t *testing.T) {
	w := newDashWorld(t)
	for _, q := range []string{"?format=csv-vi", "?sep=semicolon"} {
		rec := w.get(t, "", fmt.Sprintf("/dashboard/%d/units/338/export.csv%s", w.campaign, q))
		body, ok := strings.CutPrefix(rec.Body.String(), "\ufeff")
		if rec.Code != 200 || !ok {
			t.Fatalf("%s: %d, BOM %v", q, rec.Code, ok)
		}
		r := csv.NewReader(strings.NewReader(body))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil || len(recs) < 2 || recs[0][0] != "Hạng" {
			t.Fatalf("%s: %v %v", q, recs, err)
		}
		col := slices.Index(recs[0], "Chỉ số")
		if col < 0 || !regexp.MustCompile(`^\d+,\d\d$`).MatchString(recs[1][col]) {
			t.Errorf("%s: index %q, want a decimal comma", q, recs[1][max(col, 0)])
		}
	}
	rec := w.get(t, "", fmt.Sprintf("/api/v1/campaigns/%d/rankings.csv?unit=338", w.campaign))
	if strings.HasPrefix(rec.Body.String(), "\ufeff") || !strings.HasPrefix(rec.Body.String(), "rank,") {
		t.Errorf("the API's CSV: %q", rec.Body.String()[:20])
	}
}
