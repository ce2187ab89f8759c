package indicators

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"
)

func TestShipped(t *testing.T) {
	var codes []string
	for _, s := range Shipped() {
		codes = append(codes, s.Code)
		if s.plan == nil {
			t.Errorf("%s is not compiled", s.Code)
		}
	}
	if d := cmp.Diff([]string{"example", "moet-4725", "moet-agency"}, codes); d != "" {
		t.Fatalf("shipped (-want +got):\n%s", d)
	}
	_, err := ShippedSet("moet-9999")
	if !errors.Is(err, ErrNotFound) || !errors.Is(err, errkind.NotFound) || !strings.Contains(err.Error(), "example, moet-4725, moet-agency") {
		t.Errorf("err = %v, want ErrNotFound listing the shipped codes", err)
	}
}

// Every text of the shipped sets, files included, is in NFC, so that
// Vietnamese compares and searches the same everywhere.
func TestShippedNFC(t *testing.T) {
	entries, err := shippedFS.ReadDir("sets")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, _ := shippedFS.ReadFile("sets/" + e.Name())
		if !norm.NFC.IsNormal(data) {
			t.Errorf("%s is not in NFC", e.Name())
		}
	}
	for _, s := range Shipped() {
		walkStrings(reflect.ValueOf(s).Elem(), func(v string) {
			if !norm.NFC.IsNormalString(v) {
				t.Errorf("%s: %q is not NFC", s.Code, v)
			}
		})
	}
}

func walkStrings(v reflect.Value, f func(string)) {
	switch v.Kind() {
	case reflect.String:
		f(v.String())
	case reflect.Pointer:
		if !v.IsNil() {
			walkStrings(v.Elem(), f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkStrings(v.Field(i), f)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkStrings(v.Index(i), f)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			f(k.String())
			walkStrings(v.MapIndex(k), f)
		}
	}
}

func TestMoet4725(t *testing.T) {
	s := mustShipped(t, "moet-4725")
	if s.Version == "" || !strings.Contains(s.Source, "4725/QĐ-BGDĐT") || s.EffectiveAssessed() != AssessedSchool {
		t.Errorf("version %q source %q assessed %q", s.Version, s.Source, s.Assessed)
	}
	var groups []string
	for _, g := range s.Groups {
		groups = append(groups, g.Code)
		if g.Max != 100 {
			t.Errorf("group %s max %v, want 100", g.Code, g.Max)
		}
	}
	if d := cmp.Diff([]string{"DH", "QT"}, groups); d != "" {
		t.Errorf("groups (-want +got):\n%s", d)
	}
	if s.Groups[0].Name.VI != "Chuyển đổi số trong dạy, học" || s.Groups[1].Name.VI != "Chuyển đổi số trong quản trị cơ sở giáo dục" {
		t.Errorf("group names %q, %q", s.Groups[0].Name.VI, s.Groups[1].Name.VI)
	}
	var mandatory []string
	for _, ind := range s.Indicators() {
		if ind.Mandatory {
			mandatory = append(mandatory, ind.Code)
		}
		// Every row tells administrators how far it is confirmed.
		if ind.Note == nil || ind.Note.VI == "" || ind.Note.EN == "" {
			t.Errorf("%s has no note in both languages", ind.Code)
			continue
		}
		if ind.Unconfirmed && !strings.Contains(ind.Note.EN, "verify against the decision") {
			t.Errorf("%s is unconfirmed but its note does not ask to verify: %q", ind.Code, ind.Note.EN)
		}
		if ind.Name.EN == "" {
			t.Errorf("%s has no English name", ind.Code)
		}
	}
	if d := cmp.Diff([]string{"1.1", "1.2", "2.1", "2.2"}, mandatory); d != "" {
		t.Errorf("mandatory conditions (-want +got):\n%s", d)
	}
	if ind, _ := s.Indicator("1.3.1"); ind.MaxPoints() != 6 {
		t.Errorf("1.3.1 (confirmed: up to 6 points) has %v", ind.MaxPoints())
	}
	// The level rule of the issue: 3 above 75, 2 at least 50, both with
	// every mandatory condition; otherwise 1.
	want := []Level{
		{Level: 3, Name: Text{VI: "Mức đáp ứng tốt", EN: "Good"}, Mandatory: "all", EveryGroup: &Threshold{Above: ptr(75.0)}},
		{Level: 2, Name: Text{VI: "Mức đáp ứng cơ bản", EN: "Basic"}, Mandatory: "all", EveryGroup: &Threshold{AtLeast: ptr(50.0)}},
		{Level: 1, Name: Text{VI: "Mức chưa đáp ứng", EN: "Not yet meeting"}},
	}
	if d := cmp.Diff(want, s.Levels); d != "" {
		t.Errorf("levels (-want +got):\n%s", d)
	}
}

func TestMoetAgency(t *testing.T) {
	s := mustShipped(t, "moet-agency")
	if !s.Provisional || s.EffectiveAssessed() != AssessedAgency || !strings.Contains(s.Source, "3806/QĐ-BGDĐT") || s.Note == nil {
		t.Errorf("provisional %v assessed %q source %q note %v", s.Provisional, s.Assessed, s.Source, s.Note)
	}
	// Decision 3806: one total of 100 points over two groups, the index is
	// that total, and the levels are conditions on it (< 50, 50–75, > 75).
	if len(s.Groups) != 2 || s.Groups[0].Max+s.Groups[1].Max != 100 || s.Index.EffectiveMethod() != MethodSum {
		t.Errorf("%d groups, max %v + %v, index %s", len(s.Groups), s.Groups[0].Max, s.Groups[1].Max, s.Index.EffectiveMethod())
	}
	want := []Level{
		{Level: 3, Name: Text{VI: "Mức đáp ứng tốt", EN: "Good"}, Index: &Threshold{Above: ptr(75.0)}},
		{Level: 2, Name: Text{VI: "Mức đáp ứng cơ bản", EN: "Basic"}, Index: &Threshold{AtLeast: ptr(50.0)}},
		{Level: 1, Name: Text{VI: "Mức chưa đáp ứng", EN: "Not yet meeting"}},
	}
	if d := cmp.Diff(want, s.Levels); d != "" {
		t.Errorf("levels (-want +got):\n%s", d)
	}
	for _, ind := range s.Indicators() {
		if !ind.Unconfirmed || ind.Note == nil {
			t.Errorf("%s is not marked as a provisional proposal", ind.Code)
		}
	}
	// The schools' results (group KQ) are roll-ups, and only they are.
	for _, ind := range s.Indicators() {
		if inKQ := strings.HasPrefix(ind.Code, "KQ."); inKQ != ind.IsRollup() {
			t.Errorf("%s: roll-up %v", ind.Code, ind.IsRollup())
		}
	}
	if len(s.Rollups()) != 4 {
		t.Errorf("%d roll-ups", len(s.Rollups()))
	}
	// Graded on the total: a strong KQ does not save a weak total, and a
	// weak group does not sink a strong total.
	all := func(pct float64, yes bool) map[string]Answer {
		a := map[string]Answer{}
		for _, ind := range s.Indicators() {
			if ind.Type == TypeBoolean {
				a[ind.Code] = BoolAnswer(yes)
			} else {
				a[ind.Code] = NumberAnswer(pct)
			}
		}
		return a
	}
	for _, tc := range []struct {
		pct   float64
		yes   bool
		index float64
		level int
	}{
		{0, false, 0, 1}, {100, true, 100, 3}, {50, true, 24 + 18 + 20, 2}, {100, false, 100 - 24, 3}, {0, true, 24, 1},
	} {
		res, err := Score(s, "", all(tc.pct, tc.yes))
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res.Index-tc.index) > 1e-9 || res.Level != tc.level {
			t.Errorf("%v%%, booleans %v: index %v level %d, want %v level %d", tc.pct, tc.yes, res.Index, res.Level, tc.index, tc.level)
		}
	}
}

// The example set shows every feature of the format.
func TestExampleSetCoverage(t *testing.T) {
	s := mustShipped(t, "example")
	types := map[string]bool{}
	var appliesTo, mandatory, bands, prop, capped bool
	for _, ind := range s.Indicators() {
		types[ind.Type] = true
		appliesTo = appliesTo || len(ind.AppliesTo) > 0
		mandatory = mandatory || ind.Mandatory
		bands = bands || len(ind.Bands) > 0
		prop = prop || ind.Proportional != nil
		capped = capped || (ind.Type == TypeMulti && ind.Max > 0)
	}
	if len(types) != 5 || !appliesTo || !mandatory || !bands || !prop || !capped {
		t.Errorf("types %v applies_to %v mandatory %v bands %v proportional %v capped multi %v", types, appliesTo, mandatory, bands, prop, capped)
	}
	if s.Groups[0].Weight == 0 || len(s.Levels[0].Groups) == 0 || s.Levels[1].EveryGroup == nil {
		t.Errorf("weights or level conditions missing")
	}
}
