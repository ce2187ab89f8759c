package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"
)

const formulaUnit = `=HYPERLINK("http://evil.example","bấm")`

// TestExportNeutralisesFormulas: `dxindex export` goes through the same
// writer as the web exports, so an imported unit name that a spreadsheet
// would run is written as text: an apostrophe in CSV, a string cell (the
// exact name, never a formula) in XLSX. On old main both were raw.
func TestExportNeutralisesFormulas(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	svc := survey.NewService(pool)
	testfix.Units(t, svc, append(testfix.QuynhPhu[:2:2],
		model.UnitInput{Code: "F1", Name: formulaUnit, Kind: "school", ParentCode: "338", SchoolLevels: []string{"primary"}})...)
	c, _ := testfix.OpenCampaign(t, svc, "moet-4725", "34")
	pool.Close()
	id := strconv.FormatInt(c.ID, 10)

	dir := t.TempDir()
	out := filepath.Join(dir, "x.csv")
	if code, _, errs := runCLI(t, nil, "export", "--database-url", url, "--campaign", id, "--out", out); code != 0 {
		t.Fatalf("export csv: %d %s", code, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\xef\xbb\xbf"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range recs {
		for _, v := range r {
			if v != "" && strings.ContainsRune("=+@", rune(v[0])) {
				t.Errorf("a formula cell in the CSV: %q", v)
			}
			found = found || v == "'"+formulaUnit
		}
	}
	if !found {
		t.Errorf("the neutralised name is missing: %v", recs)
	}

	out = filepath.Join(dir, "x.xlsx")
	if code, _, errs := runCLI(t, nil, "export", "--database-url", url, "--campaign", id, "--out", out); code != 0 {
		t.Fatalf("export xlsx: %d %s", code, errs)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("results")
	if err != nil {
		t.Fatal(err)
	}
	found = false
	for ri, r := range rows {
		for ci, v := range r {
			ref, _ := excelize.CoordinatesToCellName(ci+1, ri+1)
			if fm, _ := f.GetCellFormula("results", ref); fm != "" {
				t.Errorf("a formula at %s: %q", ref, fm)
			}
			if v == formulaUnit {
				found = true
				if typ, _ := f.GetCellType("results", ref); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
					t.Errorf("the name at %s is not a string cell: %v", ref, typ)
				}
			}
		}
	}
	if !found {
		t.Errorf("the unit name is missing or changed: %v", rows)
	}
}
