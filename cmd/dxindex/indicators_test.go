package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runSub runs one subcommand's function the way dispatch does, so these
// tests do not depend on the command table.
func runSub(t *testing.T, cmd *command, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
		g: globals{logLevel: "info", logFormat: "text"}}
	err := cmd.run(context.Background(), e, args)
	var xe *exitError
	code := 0
	switch {
	case err == nil, errors.Is(err, errHelp):
	case errors.As(err, &xe):
		code = xe.code
		if xe.err != nil {
			errb.WriteString(xe.err.Error() + "\n")
		}
	default:
		code = 1
		errb.WriteString(err.Error() + "\n")
	}
	return code, out.String(), errb.String()
}

const setsDir = "../../indicators/sets"

func TestIndicatorsValidate(t *testing.T) {
	code, out, _ := runSub(t, cmdIndicators, "", "validate", filepath.Join(setsDir, "moet-4725.yaml"), filepath.Join(setsDir, "example.yaml"))
	if code != 0 || !strings.Contains(out, "moet-4725.yaml: ok (moet-4725 version 2022.1: 2 groups, 28 indicators)") || !strings.Contains(out, "example.yaml: ok") {
		t.Fatalf("valid files: exit %d\n%s", code, out)
	}

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(`code: bad
version: "1"
name: {en: "no Vietnamese"}
groups:
  - code: G
    name: {vi: "Nhóm"}
    max: 10
    criteria:
      - code: C
        name: {vi: "Tiêu chí"}
        indicators:
          - code: x
            name: {vi: "x"}
            type: percent
            bands: [{min: 50, points: 10}, {min: 60, points: 0}]
levels:
  - level: 1
    name: {vi: "Một"}
    mandatory: all
`), 0o644)
	badJSON := filepath.Join(dir, "bad.json")
	os.WriteFile(badJSON, []byte("{\n  \"code\": \"x\",\n  \"version\": 1,\n}"), 0o644)
	code, out, _ = runSub(t, cmdIndicators, "", "validate", bad, filepath.Join(setsDir, "example.yaml"), badJSON, filepath.Join(dir, "missing.yaml"))
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{
		bad + ":3: name.vi: a Vietnamese text (vi) is required for name",
		bad + ":15: groups[0].criteria[0].indicators[0].bands: bands must have strictly decreasing min",
		bad + ":15: groups[0].criteria[0].indicators[0].bands: the last band's min must be 0",
		bad + ":17: levels[0]: the last level must have no conditions",
		badJSON + ":4: invalid JSON:",
		"missing.yaml: indicators: open",
		"example.yaml: ok",
		"6 problems in 3 of 4 files",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := runSub(t, cmdIndicators, "", "validate"); code != 2 || !strings.Contains(errs, "no file to validate") {
		t.Errorf("validate without files: exit %d, %q", code, errs)
	}
	if code, _, errs := runSub(t, cmdIndicators, "", "frob"); code != 2 || !strings.Contains(errs, `unknown subcommand "frob"`) {
		t.Errorf("unknown subcommand: exit %d, %q", code, errs)
	}
	if code, out, _ := runSub(t, cmdIndicators, "", "--help"); code != 0 || !strings.Contains(out, "Usage: dxindex indicators validate FILE...") {
		t.Errorf("--help: exit %d, %q", code, out)
	}
}

func TestIndicatorsShow(t *testing.T) {
	code, out, errs := runSub(t, cmdIndicators, "", "show", "moet-4725")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"moet-4725 2022.1 — Bộ chỉ số đánh giá mức độ chuyển đổi số của cơ sở giáo dục phổ thông và giáo dục thường xuyên\n",
		"assesses: school (primary, lower_secondary, upper_secondary, multi_level, continuing); index: weighted_mean\n",
		"\nDH Chuyển đổi số trong dạy, học (max 100, weight 1)\n",
		"├─ 1.1 Có ban hành kế hoạch tổ chức dạy học trực tuyến (max 0)\n│  └─ 1.1 Có ban hành kế hoạch",
		"│     boolean, mandatory condition (no points); evidence required\n",
		"├─ 1.3 Triển khai phần mềm dạy học trực tuyến (max 30)\n",
		"│  ├─ 1.3.1 Triển khai phần mềm dạy học trực tuyến trực tiếp (có đăng ký, bản quyền)\n│  │  boolean, 6 points if true; evidence required; [unconfirmed]\n",
		"multi, max 24: assign 6 + answer 6 + assess 6 + parents 6; [unconfirmed]",
		"percent, max 10: 10 × min(value ÷ 100, 1); [unconfirmed]",
		"choice, max 7: full 7 | partial 3 | none 0; [unconfirmed]",
		"└─ 2.5 Quản lý văn bản, hồ sơ công việc trên môi trường mạng (max 10)\n",
		"  3 Mức đáp ứng tốt: every mandatory condition met; every group > 75\n",
		"  2 Mức đáp ứng cơ bản: every mandatory condition met; every group ≥ 50\n",
		"  1 Mức chưa đáp ứng: otherwise\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}

	code, out, _ = runSub(t, cmdIndicators, "", "show", "--lang", "en", "--notes", filepath.Join(setsDir, "example.yaml"))
	for _, want := range []string{
		"example 1 — Example set\n",
		"\nA Teaching and learning (max 100, weight 2)\n",
		"multi, max 20, capped: assign 8 + quiz 8 + forum 6 + parents 6; no evidence",
		"percent, max 25: ≥80 → 25, ≥50 → 15, ≥20 → 5, ≥0 → 0",
		"percent, max 15: 15 × min(value ÷ 100, 1); only lower_secondary, upper_secondary",
		"  3 Good: every mandatory condition met; A ≥ 80; B > 35\n",
		"  2 Fair: every mandatory condition met; every group ≥ 25\n",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d; output lacks %q", code, want)
		}
	}
	if code, out, _ := runSub(t, cmdIndicators, "", "show", "--notes", "moet-agency"); code != 0 || !strings.Contains(out, "PROVISIONAL") || !strings.Contains(out, "note: Đề xuất tạm thời") {
		t.Errorf("moet-agency: exit %d\n%s", code, out)
	}
	if code, _, errs := runSub(t, cmdIndicators, "", "show", "moet-9999"); code != 1 || !strings.Contains(errs, `no shipped set "moet-9999"`) {
		t.Errorf("unknown set: exit %d, %q", code, errs)
	}
	if code, _, errs := runSub(t, cmdIndicators, "", "show", "--lang", "fr", "moet-4725"); code != 2 || !strings.Contains(errs, "--lang") {
		t.Errorf("--lang fr: exit %d, %q", code, errs)
	}
}
