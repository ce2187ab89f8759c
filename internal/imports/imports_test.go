package imports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/dashboard"
	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// unitsFile writes a units file: a province, a district and n-2 schools.
func unitsFile(t *testing.T, format string, n int, breakRows map[int]func([]string)) []byte {
	t.Helper()
	rows := [][]string{UnitColumns,
		{"34", "Tỉnh Thái Bình", "province", "", "", "", "", ""},
		{"338", "Huyện Quỳnh Phụ", "district", "34", "", "", "", ""}}
	for i := 0; len(rows) < n+1; i++ {
		rows = append(rows, []string{fmt.Sprintf("338%03d", i+1), fmt.Sprintf("Trường Tiểu học Quỳnh Hải số %d", i+1), "school", "338", "primary", "47.000", "24", "29"})
	}
	for num, f := range breakRows {
		f(rows[num-1]) // spreadsheet row num is rows[num-1]
	}
	b, err := Write(format, "units", rows)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportUnits500(t *testing.T) {
	for _, format := range []string{"xlsx", "csv"} {
		t.Run(format, func(t *testing.T) {
			ctx := context.Background()
			pool := pgtest.New(t)
			bad := map[int]func([]string){
				17:  func(r []string) { r[3] = "999" },       // unknown parent
				240: func(r []string) { r[4] = "đại học" },   // unknown level
				488: func(r []string) { r[5] = "nhiều lắm" }, // not a number
			}
			tab, err := ReadTable("units."+format, bytes.NewReader(unitsFile(t, format, 500, bad)))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = ImportUnits(ctx, survey.NewService(pool), importer, tab)
			var inv *model.InvalidFile
			if !errors.As(err, &inv) {
				t.Fatalf("want *InvalidFile, got %v", err)
			}
			if got := inv.BadRows(); !slices.Equal(got, []int{17, 240, 488}) {
				t.Fatalf("bad rows %v, want [17 240 488]: %v", got, inv.Errors)
			}
			cols := []string{inv.Errors[0].Column, inv.Errors[1].Column, inv.Errors[2].Column}
			if !slices.Equal(cols, []string{"parent_code", "school_levels", "students"}) {
				t.Errorf("columns %v", cols)
			}
			for _, e := range inv.Errors {
				if e.VI == "" || e.EN == "" {
					t.Errorf("error without both languages: %+v", e)
				}
			}
			var n int
			pool.QueryRow(ctx, `SELECT count(*) FROM units`).Scan(&n)
			if n != 0 {
				t.Fatalf("%d units imported from a bad file", n)
			}
			tab, _ = ReadTable("units."+format, bytes.NewReader(unitsFile(t, format, 500, nil)))
			rep, err := ImportUnits(ctx, survey.NewService(pool), importer, tab)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: 500 rows validated (bad file) and imported (corrected file) in %v", format, time.Since(start))
			if rep.Created != 500 {
				t.Fatalf("created %d", rep.Created)
			}
			svc := survey.NewService(pool)
			u, err := svc.UnitByCode(ctx, "338017")
			if err != nil || u.ParentCode != "338" || len(u.Path) != 3 || *u.Students != 47000 || u.Name != "Trường Tiểu học Quỳnh Hải số 17" {
				t.Fatalf("unit 338017: %+v %v", u, err)
			}
			// Re-import updates by code.
			tab, _ = ReadTable("units."+format, bytes.NewReader(unitsFile(t, format, 500, map[int]func([]string){4: func(r []string) { r[1] = "Trường TH Quỳnh Hải" }})))
			rep, err = ImportUnits(ctx, survey.NewService(pool), importer, tab)
			if err != nil || rep.Updated != 500 || rep.Created != 0 {
				t.Fatalf("re-import: %+v %v", rep, err)
			}
			if u, _ := svc.UnitByCode(ctx, "338001"); u.Name != "Trường TH Quỳnh Hải" {
				t.Errorf("renamed: %q", u.Name)
			}
		})
	}
}

func TestImportUsers(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	units, _ := ReadTable("u.csv", bytes.NewReader(unitsFile(t, "csv", 4, nil)))
	if _, err := ImportUnits(ctx, survey.NewService(pool), importer, units); err != nil {
		t.Fatal(err)
	}
	rows := [][]string{UserColumns,
		{"so.34", "Sở GDĐT Thái Bình", "province", "34", "so34@thaibinh.edu.vn", ""},
		{"phong.338", "Phòng GDĐT Quỳnh Phụ", "phòng", "338", "", ""},
		{"ht.338001", "Nguyễn Thị Hoa", "school", "338001", "", "0912 345 678"},
		{"Bad Name", "", "school", "338001", "", ""},
		{"ht.338002", "", "school", "338", "", ""},
		{"ht.338001", "", "school", "338001", "", ""},
		{"ht.338003", "", "school", "338001", "hoa@", "12"}}
	b, _ := Write("csv", "users", rows)
	tab, _ := ReadTable("users.csv", bytes.NewReader(b))
	_, _, err := ImportUsers(ctx, survey.NewService(pool), importer, tab)
	var inv *model.InvalidFile
	if !errors.As(err, &inv) || !slices.Equal(inv.BadRows(), []int{5, 6, 7, 8}) {
		t.Fatalf("want rows 5, 6, 7, 8 bad: %v", err)
	}
	for _, col := range []string{"email", "phone"} {
		if !slices.ContainsFunc(inv.Errors, func(e model.RowError) bool { return e.Row == 8 && e.Column == col }) {
			t.Errorf("row 8: no message on its %s: %+v", col, inv.Errors)
		}
	}
	b, _ = Write("xlsx", "users", rows[:4])
	tab, _ = ReadTable("users.xlsx", bytes.NewReader(b))
	rep, creds, err := ImportUsers(ctx, survey.NewService(pool), importer, tab)
	if err != nil || rep.Created != 3 || len(creds) != 3 {
		t.Fatalf("%+v %v %v", rep, creds, err)
	}
	svc := survey.NewService(pool)
	a, _, err := svc.Login(ctx, creds[2].Username, creds[2].Password, "127.0.0.1", "web")
	if err != nil || a.Role != model.RoleSchool || a.UnitCode != "338001" {
		t.Fatalf("sign in with the generated password: %+v %v", a, err)
	}
	// The generated password is a one-time one; the contacts came along.
	if !a.MustChangePassword {
		t.Error("an imported account's generated password need not be changed")
	}
	root := &model.Actor{Role: model.RoleAdmin}
	if u, err := svc.UserByUsername(ctx, root, "ht.338001"); err != nil || u.Phone != "0912345678" || u.Email != "" {
		t.Errorf("imported contacts of ht.338001: %+v %v", u, err)
	}
	if u, err := svc.UserByUsername(ctx, root, "so.34"); err != nil || u.Email != "so34@thaibinh.edu.vn" {
		t.Errorf("imported contacts of so.34: %+v %v", u, err)
	}
	// Re-import: updated, no new password.
	rep, creds, err = ImportUsers(ctx, survey.NewService(pool), importer, tab)
	if err != nil || rep.Updated != 3 || len(creds) != 0 {
		t.Fatalf("re-import: %+v %v %v", rep, creds, err)
	}
}

// answersFor draws random valid answers for a set.
func answersFor(r *rand.Rand, set *indicators.Set) map[string]indicators.Answer {
	out := map[string]indicators.Answer{}
	for _, ind := range set.Indicators() {
		switch ind.Type {
		case indicators.TypeBoolean:
			out[ind.Code] = indicators.BoolAnswer(r.IntN(2) == 0)
		case indicators.TypeChoice:
			out[ind.Code] = indicators.ChoiceAnswer(ind.Options[r.IntN(len(ind.Options))].Code)
		case indicators.TypeMulti:
			var codes []string
			for _, o := range ind.Options {
				if r.IntN(2) == 0 {
					codes = append(codes, o.Code)
				}
			}
			out[ind.Code] = indicators.MultiAnswer(codes...)
		default:
			out[ind.Code] = indicators.NumberAnswer(float64(r.IntN(101)))
		}
	}
	return out
}

func TestIndicatorSetRoundTrip(t *testing.T) {
	// The shipped sets, and the valid examples of format v1.1 (index
	// conditions, roll-ups, fresh evidence).
	v11, _ := filepath.Glob("../../indicators/testdata/v1.1/valid/*.yaml")
	if len(v11) == 0 {
		t.Fatal("no v1.1 examples")
	}
	for _, code := range append([]string{"moet-4725", "moet-agency", "example"}, v11...) {
		t.Run(filepath.Base(code), func(t *testing.T) {
			set, err := indicators.ShippedSet(code)
			if strings.HasSuffix(code, ".yaml") {
				set, err = indicators.LoadFile(code)
			}
			if err != nil {
				t.Fatal(err)
			}
			x, err := SetToXLSX(set)
			if err != nil {
				t.Fatal(err)
			}
			yml, back, err := SetFromXLSX(x)
			if err != nil {
				t.Fatalf("%v\n%s", err, yml)
			}
			a, _, _ := indicators.Canonical(set)
			b, _, _ := indicators.Canonical(back)
			if !bytes.Equal(a, b) {
				t.Errorf("canonical forms differ (%d and %d bytes)", len(a), len(b))
			}
			r := rand.New(rand.NewPCG(1, 2))
			levels := set.EffectiveSchoolLevels()
			if len(levels) == 0 {
				levels = []string{""}
			}
			for i := 0; i < 200; i++ {
				ans := answersFor(r, set)
				lvl := levels[i%len(levels)]
				s1, err1 := indicators.Score(set, lvl, ans)
				s2, err2 := indicators.Score(back, lvl, ans)
				if (err1 == nil) != (err2 == nil) || (err1 == nil && (math.Abs(s1.Index-s2.Index) > 1e-12 || s1.Level != s2.Level)) {
					t.Fatalf("scores differ: %v %v / %v %v", s1, err1, s2, err2)
				}
			}
		})
	}
}

func TestSetFromXLSXErrors(t *testing.T) {
	set, _ := indicators.ShippedSet("moet-4725")
	x, _ := SetToXLSX(set)
	tab, _ := ReadTable("s.xlsx", bytes.NewReader(x))
	if tab.Header[0] != "group" {
		t.Fatalf("first sheet is %v", tab.Header)
	}
	rows := [][]string{tab.Header}
	for _, r := range tab.Rows {
		rows = append(rows, r.Cells)
	}
	rows[3][12] = "sáu" // row 4, column points
	metaRows, _ := readXLSX(x, "set")
	levRows, _ := readXLSX(x, "levels")
	b, _ := writeXLSX([]sheetData{{name: "indicators", rows: rows}, {name: "levels", rows: levRows}, {name: "set", rows: metaRows}})
	_, _, err := SetFromXLSX(b)
	var inv *model.InvalidFile
	if !errors.As(err, &inv) || inv.Errors[0].Row != 4 || !strings.Contains(inv.Errors[0].Column, "points") {
		t.Fatalf("want row 4 points: %v", err)
	}
}

func TestExport(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	svc := survey.NewService(pool)
	if _, err := svc.InstallShippedSets(ctx); err != nil {
		t.Fatal(err)
	}
	units, _ := ReadTable("u.csv", bytes.NewReader(unitsFile(t, "csv", 5, nil)))
	if _, err := ImportUnits(ctx, survey.NewService(pool), importer, units); err != nil {
		t.Fatal(err)
	}
	id := campaignWithAnswers(t, pool, svc)
	ex, err := dashboard.ExportCampaign(ctx, pool, id, "338")
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Results) != 4 || ex.Results[1][4] != "338001" || ex.Results[1][1] != "Tỉnh Thái Bình" || ex.Results[1][7] != "draft" {
		t.Fatalf("results: %v", ex.Results)
	}
	if len(ex.Answers) != 2 || ex.Answers[1][2] != "1.1" || ex.Answers[1][3] != "true" {
		t.Fatalf("answers: %v", ex.Answers)
	}
	x, err := ex.XLSX()
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ReadTable("e.xlsx", bytes.NewReader(x))
	if err != nil || len(tab.Rows) != 3 || tab.Get(tab.Rows[0], "unit_name") != "Trường Tiểu học Quỳnh Hải số 1" {
		t.Fatalf("xlsx: %+v %v", tab, err)
	}
}

func campaignWithAnswers(t *testing.T, pool *pgxpool.Pool, svc *survey.Service) int64 {
	t.Helper()
	ctx := context.Background()
	svc.Now = func() time.Time { return time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC) }
	c, err := svc.CreateCampaign(ctx, &model.Actor{Role: model.RoleAdmin}, model.CampaignInput{Name: "Năm học 2024-2025", SetCode: "moet-4725", RootUnitCode: "34"})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := svc.UnitByCode(ctx, "338001")
	user, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.338001", Role: model.RoleSchool, UnitCode: "338001", Password: "password-ht"})
	if err != nil {
		t.Fatal(err)
	}
	a := &model.Actor{UserID: user.ID, Role: model.RoleSchool, UnitID: u.ID, UnitCode: u.Code, UnitPath: u.Path}
	rows, err := svc.CampaignAssessments(ctx, a, c.ID)
	if err != nil || len(rows) != 1 {
		t.Fatalf("%v %v", rows, err)
	}
	if _, err := svc.SaveAnswer(ctx, a, rows[0].ID, "1.1", []byte("true"), 0); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// importer is who runs the imports of these tests: an admin of everything.
var importer = &model.Actor{Role: model.RoleAdmin, Username: "test"}

// TestImportRefusedBelowSystemAdmin: the check of who may import lives
// beside the data (survey), so every way in (web, command, a future API)
// gets it: an admin with a unit, or anyone else, is refused and nothing
// is written.
func TestImportRefusedBelowSystemAdmin(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	svc := survey.NewService(pool)
	units, err := ReadTable("u.csv", bytes.NewReader(unitsFile(t, "csv", 2, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []*model.Actor{nil, {Role: model.RoleProvince, UnitID: 1}, {Role: model.RoleAdmin, UnitID: 1}} {
		if _, err := ImportUnits(ctx, svc, a, units); !errors.Is(err, errkind.Forbidden) {
			t.Fatalf("import by %+v: %v, want forbidden", a, err)
		}
		if _, _, err := ImportUsers(ctx, svc, a, units); !errors.Is(err, errkind.Forbidden) {
			t.Fatalf("users import by %+v: %v, want forbidden", a, err)
		}
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM units`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportUnits(ctx, svc, importer, units); err != nil {
		t.Fatal(err)
	}
	var after int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM units`).Scan(&after); err != nil || after <= n {
		t.Fatalf("units before %d, after the admin's import %d (%v)", n, after, err)
	}
}

// TestUnreadableFileIsInvalid: a file that is not a table is the
// reader's mistake (errkind.Invalid, said to them), not a server error.
func TestUnreadableFileIsInvalid(t *testing.T) {
	for name, data := range map[string]string{"a.txt": "x", "a.csv": "\xff\xfe", "b.csv": "", "a.xlsx": "not a zip"} {
		_, err := ReadTable(name, strings.NewReader(data))
		if !errors.Is(err, errkind.Invalid) {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
}
