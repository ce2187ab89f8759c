package survey

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/dxindex/dxindex/survey/model"
)

// TestFreshEvidenceOnSubmit: on a set with evidence_max_age_days (365 for
// 1.1.1, 730 for 1.1.2), a link checked too long before the deadline and
// an undated file each stop the submission with their own message; newer
// dated evidence lets it through; reviewers see each item's age.
func TestFreshEvidenceOnSubmit(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, model.Vietnam)
	s.Now = func() time.Time { return now }
	set, err := indicators.LoadFile("../indicators/testdata/v1.1/valid/fresh-evidence.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := setstore.Save(ctx, s.pool, set); err != nil {
		t.Fatal(err)
	}
	fixture(t, s)
	c, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2024-2025", SetCode: set.Code, RootUnitCode: "338",
		SelfDue: time.Date(2025, 5, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := s.UnitByCode(ctx, "A1")
	user, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: "password-ht.a1"})
	if err != nil {
		t.Fatal(err)
	}
	school := &model.Actor{UserID: user.ID, Username: "ht.a1", Role: model.RoleSchool, UnitID: u.ID, UnitCode: "A1", UnitPath: u.Path}
	rows, err := s.CampaignAssessments(ctx, school, c.ID)
	if err != nil || len(rows) != 1 {
		t.Fatalf("%v %v", rows, err)
	}
	id := rows[0].ID
	for _, ind := range []string{"1.1.1", "1.1.2"} {
		if _, err := s.SaveAnswer(ctx, school, id, ind, json.RawMessage(`true`), 0); err != nil {
			t.Fatal(err)
		}
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	// A date in the future is refused.
	_, err = s.AddDatedEvidenceLink(ctx, school, id, "1.1.1", "https://example.edu.vn/ke-hoach", day(2025, 3, 2))
	fieldErr(t, err, "checked_on")
	if _, err := s.AddDatedEvidenceLink(ctx, school, id, "1.1.1", "https://example.edu.vn/ke-hoach-2023", day(2024, 1, 10)); err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
	if _, err := s.AddEvidenceFile(ctx, school, id, "1.1.2", "quy-che.pdf", pdf); err != nil {
		t.Fatal(err)
	}
	err = s.Submit(ctx, school, id)
	var fe errkind.FieldErrors
	if !errors.As(err, &fe) || len(fe) != 2 ||
		!strings.Contains(fe["1.1.1"].VI, "10/01/2024") || !strings.Contains(fe["1.1.1"].EN, "365 days") || !strings.Contains(fe["1.1.1"].VI, "31/05/2024") ||
		!strings.Contains(fe["1.1.2"].EN, "no date") {
		t.Fatalf("submit with stale evidence: %v", err)
	}
	// Newer evidence: the newest item counts.
	if _, err := s.AddDatedEvidenceLink(ctx, school, id, "1.1.1", "https://example.edu.vn/ke-hoach-2025", day(2025, 2, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddDatedEvidenceFile(ctx, school, id, "1.1.2", "quy-che-2023.pdf", pdf, day(2023, 6, 1)); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(ctx, school, id); err != nil {
		t.Fatal(err)
	}
	x, err := s.Assessment(ctx, root, id)
	if err != nil {
		t.Fatal(err)
	}
	ev := x.Answers["1.1.1"].Evidence
	if len(ev) != 2 || ev[0].AgeDays == nil || *ev[0].AgeDays != 416 || !ev[0].Stale || *ev[1].AgeDays != 28 || ev[1].Stale {
		t.Fatalf("ages of 1.1.1's evidence: %+v", ev)
	}
	if ev := x.Answers["1.1.2"].Evidence; ev[0].AgeDays != nil || !ev[0].Stale || ev[1].Stale {
		t.Fatalf("1.1.2's evidence: %+v", ev)
	}
}
