package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/dxindex/dxindex/internal/imports"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

var cmdImport = &command{
	name:    "import",
	summary: "import units, users or an indicator set from .xlsx/.csv (import help)",
	run:     runImport,
}

const importUsage = `Usage: dxindex import <units|users|indicators|template> [flags] FILE

  units FILE        create or update units (by code) from a .xlsx or .csv file
  users FILE        create or update users (by username); new users get a
                    generated password, printed once
  indicators FILE   turn an indicator-set workbook (.xlsx) into a set file
                    (YAML, format v1), validated as any set; --out writes it
                    (default: FILE with .yaml), then 'dxindex indicators load'
  template KIND     write the template of units, users (--format csv|xlsx)
                    or indicators (the moet-4725 workbook) to --out

Every row is validated first: if any row is bad, nothing is imported and
every bad row is listed (row number as the spreadsheet shows it, column,
reason). Otherwise everything is imported in one transaction.
`

func runImport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fmt.Fprint(e.stdout, importUsage)
		if len(args) == 0 {
			return exitCode(2, nil)
		}
		return nil
	}
	kind := args[0]
	fs := e.flagSet("import "+kind, "[flags] FILE")
	out := fs.String("out", "", "file to write (indicators, template)")
	format := fs.String("format", "", "csv or xlsx (template; default from --out)")
	lang := fs.String("lang", "en", "language of the row errors: en or vi")
	if err := e.parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("want exactly one FILE (or KIND for template)")
	}
	arg := fs.Arg(0)
	switch kind {
	case "template":
		f := *format
		if f == "" {
			f = strings.TrimPrefix(filepath.Ext(*out), ".")
		}
		if f == "" {
			f = "xlsx"
		}
		name, data, err := imports.Template(arg, f)
		if err != nil {
			return usageErrorf("%v", err)
		}
		dst := *out
		if dst == "" {
			dst = name
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", dst)
		return nil
	case "indicators":
		data, err := os.ReadFile(arg)
		if err != nil {
			return err
		}
		yml, set, err := imports.SetFromXLSX(data)
		if err != nil {
			return importFailed(e, err, *lang)
		}
		dst := *out
		if dst == "" {
			dst = strings.TrimSuffix(arg, filepath.Ext(arg)) + ".yaml"
		}
		if err := os.WriteFile(dst, yml, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s %s: %d groups, %d indicators, valid; wrote %s (load it with 'dxindex indicators load %s')\n",
			set.Code, set.Version, len(set.Groups), len(set.Indicators()), dst, dst)
		return nil
	case "units", "users":
	default:
		return usageErrorf("unknown import %q: want units, users, indicators or template", kind)
	}
	data, err := os.ReadFile(arg)
	if err != nil {
		return err
	}
	tab, err := imports.ReadTable(arg, bytes.NewReader(data))
	if err != nil {
		return err
	}
	db, err := e.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if kind == "units" {
		rep, err := imports.ImportUnits(ctx, survey.NewService(db.Pool), cliActor, tab)
		if err != nil {
			return importFailed(e, err, *lang)
		}
		fmt.Fprintf(e.stdout, "imported %d rows: %d units created, %d updated\n", len(tab.Rows), rep.Created, rep.Updated)
		return nil
	}
	rep, creds, err := imports.ImportUsers(ctx, survey.NewService(db.Pool), cliActor, tab)
	if err != nil {
		return importFailed(e, err, *lang)
	}
	fmt.Fprintf(e.stdout, "imported %d rows: %d users created, %d updated\n", len(tab.Rows), rep.Created, rep.Updated)
	if len(creds) > 0 {
		fmt.Fprintln(e.stdout, "\nOne-time passwords of the new users (shown only now; hand each over privately and have it changed at first sign-in):")
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  USERNAME\tPASSWORD")
		for _, c := range creds {
			fmt.Fprintf(tw, "  %s\t%s\n", c.Username, c.Password)
		}
		tw.Flush()
	}
	return nil
}

// importFailed lists every bad row and exits 1.
func importFailed(e *env, err error, lang string) error {
	var inv *model.InvalidFile
	if !errors.As(err, &inv) {
		return err
	}
	fmt.Fprintf(e.stderr, "nothing imported: %d bad row(s)\n", len(inv.BadRows()))
	for _, re := range inv.Errors {
		if re.Row == 0 {
			fmt.Fprintf(e.stderr, "  %s: %s\n", re.Column, re.Message(lang))
			continue
		}
		fmt.Fprintf(e.stderr, "  row %d, %s: %s\n", re.Row, re.Column, re.Message(lang))
	}
	return exitCode(1, nil)
}

// cliActor is who runs imports from the command line: whoever may run
// the command has the database already, so an admin of everything.
var cliActor = &model.Actor{Role: model.RoleAdmin, Username: "cli"}
