package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/compositecmd"
)

// TestCompositeEarlyIsTheCommand: `dxindex composite …` run before main
// (compositecmd.Early, from its package's init) writes the same results,
// the same errors and warnings and exits with the same status as the
// command dispatched by main; what main must answer itself (--help, bad
// flags or settings, usage errors) it declines without writing anything.
func TestCompositeEarlyIsTheCommand(t *testing.T) {
	ref := compositeRef(t)
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	meta := filepath.Join(ref, "iMeta_K40.csv")
	data := filepath.Join(ref, "iData_N200_na5.csv")
	badData := write("bad.csv", "uCode,a,b\nU1,1,2\nU2,3,x4\n")
	flatMeta := write("flat-meta.csv", "iCode,iName,Level,Parent,Direction,Weight,Type\na,,1,IDX,1,1,Indicator\nb,,1,IDX,-1,1,Indicator\nIDX,,2,,1,1,Aggregate\n")
	flatData := write("flat.csv", "uCode,a,b\nU1,1,2\nU2,1,4\n") // a has no spread: a warning
	stamp := regexp.MustCompile(`time=\S+ `)
	env := map[string]string{"DXINDEX_LOG_FORMAT": "text"}
	getenv := func(k string) string { return env[k] }
	for _, c := range []struct {
		name string
		args []string // after "composite"; OUT is replaced by an output path
	}{
		{"file", []string{"--data", data, "--meta", meta, "--group", "Group_district", "--out", "OUT"}},
		{"stdout", []string{"--data", data, "--meta", meta, "--out", "-"}},
		{"robustness", []string{"--data", data, "--meta", meta, "--robustness", "20", "--seed", "7", "--out", "OUT"}},
		{"zscore", []string{"--data", data, "--meta", meta, "--normalise", "zscore", "--aggregate", "amean", "--log-level", "warn", "--out", "OUT"}},
		{"warning", []string{"--data", flatData, "--meta", flatMeta, "--out", "OUT"}},
		{"bad data", []string{"--data", badData, "--meta", flatMeta, "--out", "OUT"}},
		{"missing file", []string{"--data", filepath.Join(dir, "none.csv"), "--meta", meta, "--out", "OUT"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := func(out string) []string {
				a := append([]string(nil), c.args...)
				for i := range a {
					if a[i] == "OUT" {
						a[i] = out
					}
				}
				return a
			}
			outMain, outEarly := filepath.Join(dir, c.name+"-main.csv"), filepath.Join(dir, c.name+"-early.csv")
			var so, se bytes.Buffer
			codeMain := run(context.Background(), append([]string{"composite"}, args(outMain)...), getenv, strings.NewReader(""), &so, &se)
			var eo, ee bytes.Buffer
			codeEarly, done := compositecmd.Early(context.Background(), args(outEarly), getenv, &eo, &ee)
			if !done {
				t.Fatalf("Early declined a command main runs (main: exit %d, %s)", codeMain, se.String())
			}
			mainErr := strings.ReplaceAll(stamp.ReplaceAllString(se.String(), ""), outMain, "OUT")
			earlyErr := strings.ReplaceAll(stamp.ReplaceAllString(ee.String(), ""), outEarly, "OUT")
			if codeEarly != codeMain || earlyErr != mainErr || eo.String() != so.String() {
				t.Fatalf("early: exit %d, stderr %q, %d bytes out; main: exit %d, stderr %q, %d bytes out", codeEarly, earlyErr, eo.Len(), codeMain, mainErr, so.Len())
			}
			switch c.name {
			case "warning":
				if !strings.Contains(mainErr, "level=WARN") || codeMain != 0 {
					t.Fatalf("no warning: exit %d, %q", codeMain, mainErr)
				}
			case "bad data", "missing file":
				if codeMain != 1 || !strings.Contains(mainErr, "dxindex composite: ") {
					t.Fatalf("exit %d, %q; want 1 and the error", codeMain, mainErr)
				}
			default:
				if codeMain != 0 {
					t.Fatalf("exit %d: %s", codeMain, mainErr)
				}
			}
			a, errA := os.ReadFile(outMain)
			b, errB := os.ReadFile(outEarly)
			if (errA == nil) != (errB == nil) || !bytes.Equal(a, b) {
				t.Fatalf("results differ: main %d bytes (%v), early %d bytes (%v)", len(a), errA, len(b), errB)
			}
		})
	}
	for _, args := range [][]string{
		{"--help"},
		{"--data", data, "--meta", meta, "--bogus"},
		{"--data", data, "--meta", meta, "--normalise", "median"},
		{"--meta", meta},
		{"--data", data, "--meta", meta, "--log-level", "loud"},
		{"--data", data, "--meta", meta, "extra"},
	} {
		var eo, ee bytes.Buffer
		if _, done := compositecmd.Early(context.Background(), args, getenv, &eo, &ee); done || eo.Len() > 0 || ee.Len() > 0 {
			t.Errorf("Early took %q (done %v, wrote %q %q); main must answer it", args, done, eo.String(), ee.String())
		}
	}
}

// TestCompositeStartsBeforeMain runs this test binary as `dxindex composite
// …`: the command runs from compositecmd's init, so the packages of the web
// application (excelize, internal/web) are never initialised, and the
// results are those of the command run in process.
func TestCompositeStartsBeforeMain(t *testing.T) {
	ref := compositeRef(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "early.csv")
	cmd := exec.Command(exe, "composite", "--data", filepath.Join(ref, "iData_N200_na5.csv"), "--meta", filepath.Join(ref, "iMeta_K40.csv"), "--out", out)
	cmd.Env = append(os.Environ(), "DXINDEX_TEST_BE_MAIN=1", "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("dxindex composite: %v\n%s", err, stderr.String())
	}
	for _, pkg := range []string{"github.com/xuri/excelize", "github.com/dxindex/dxindex/internal/web", "github.com/go-playground/validator"} {
		if strings.Contains(stderr.String(), "init "+pkg) {
			t.Errorf("%s was initialised before the composite ran", pkg)
		}
	}
	if !strings.Contains(stderr.String(), "init github.com/dxindex/dxindex/indicators/composite") {
		t.Fatalf("no init trace: %s", stderr.String())
	}
	want := filepath.Join(dir, "main.csv")
	if code, _, errs := runCLI(t, nil, "composite", "--data", filepath.Join(ref, "iData_N200_na5.csv"), "--meta", filepath.Join(ref, "iMeta_K40.csv"), "--out", want); code != 0 {
		t.Fatalf("in process: exit %d %s", code, errs)
	}
	a, _ := os.ReadFile(want)
	b, _ := os.ReadFile(out)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatalf("results differ: in process %d bytes, early %d bytes", len(a), len(b))
	}
}
