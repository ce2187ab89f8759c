package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dxindex/dxindex/dashboard"
)

var cmdExport = &command{
	name:    "export",
	summary: "export a campaign's results and raw answers (.csv, .xlsx)",
	run:     runExport,
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("export", "--campaign ID [--unit CODE] [--answers] --out FILE.xlsx|FILE.csv")
	campaign := fs.Int64("campaign", 0, "campaign id (see the campaigns page)")
	unit := fs.String("unit", "", "only the subtree of this unit (e.g. a province's code)")
	answers := fs.Bool("answers", false, "CSV only: write the raw answers instead of the results (an .xlsx holds both sheets)")
	out := fs.String("out", "", "file to write: .xlsx (results and answers sheets) or .csv")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *campaign <= 0 || *out == "" {
		return usageErrorf("--campaign and --out are required")
	}
	ext := strings.ToLower(filepath.Ext(*out))
	if ext != ".csv" && ext != ".xlsx" {
		return usageErrorf("--out must end in .csv or .xlsx")
	}
	db, err := e.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ex, err := dashboard.ExportCampaign(ctx, db.Pool, *campaign, *unit)
	if err != nil {
		return err
	}
	// One writer for every file the product produces (internal/sheet):
	// unit names and reviewers' reasons that begin like a formula are
	// neutralised here as in the web exports.
	var data []byte
	if ext == ".xlsx" {
		data, err = ex.XLSX()
	} else {
		data, err = ex.CSV(*answers)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d assessments, %d answers; wrote %s\n", ex.Campaign, len(ex.Results)-1, len(ex.Answers)-1, *out)
	return nil
}
