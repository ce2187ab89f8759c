package survey_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/pgtest"
	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// TestDeadlineLocksAndTheOfficeUnlocks: after its deadline a draft is
// locked (saves 409, the page not editable); a Phòng extends it for one
// school with a reason in the history; the Sở extends the whole campaign
// and edits it; a Phòng may not; a submitted assessment is reopened.
func TestDeadlineLocksAndTheOfficeUnlocks(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	svc := survey.NewService(pool)
	testfix.Units(t, svc, testfix.QuynhPhu...)
	c, rows := testfix.OpenCampaign(t, svc, "moet-4725", "34")
	if len(rows) != 1 || rows[0].Applicable == 0 {
		t.Fatalf("an untouched draft must count its indicators (0/28, not 0/0): %+v", rows)
	}
	testfix.Users(t, svc, model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: "password-ht-123"},
		model.UserInput{Username: "phong", Role: model.RoleDistrict, UnitCode: "338", Password: "password-phong-1"},
		model.UserInput{Username: "so34", Role: model.RoleProvince, UnitCode: "34", Password: "password-so-1234"})
	actor := func(name string) *model.Actor {
		a, _, err := svc.Login(ctx, name, map[string]string{"ht.a1": "password-ht-123", "phong": "password-phong-1", "so34": "password-so-1234"}[name], "127.0.0.1", model.SessionAPI)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	ht, phong, so := actor("ht.a1"), actor("phong"), actor("so34")
	id := rows[0].ID
	save := func() error {
		_, err := svc.SaveAnswer(ctx, ht, id, "1.1", json.RawMessage(`true`), 0)
		return err
	}
	// Two months after the deadline.
	svc.Now = func() time.Time { return c.SelfDue.AddDate(0, 2, 0) }
	if err := save(); !errors.Is(err, errkind.Conflict) {
		t.Fatalf("an overdue draft saved: %v", err)
	}
	list, _ := svc.CampaignAssessments(ctx, phong, c.ID)
	if !list[0].Overdue {
		t.Error("the overdue draft is not marked")
	}
	until := svc.Now().AddDate(0, 0, 7)
	if _, err := svc.ExtendDeadline(ctx, phong, c.ID, "A1", until, ""); err == nil {
		t.Error("an extension without a reason")
	}
	if _, err := svc.ExtendDeadline(ctx, phong, c.ID, "", until, "bão"); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a Phòng extended a province's campaign: %v", err)
	}
	if n, err := svc.ExtendDeadline(ctx, phong, c.ID, "A1", until, "Mất điện do bão"); err != nil || n != 1 {
		t.Fatalf("extend: %d %v", n, err)
	}
	if err := save(); err != nil {
		t.Fatalf("the extended draft is still locked: %v", err)
	}
	list, _ = svc.CampaignAssessments(ctx, phong, c.ID)
	if list[0].Overdue || !list[0].SelfDue.Equal(time.Date(until.Year(), until.Month(), until.Day(), 0, 0, 0, 0, time.UTC)) {
		t.Errorf("after the extension: %+v", list[0])
	}
	var comment string
	if err := pool.QueryRow(ctx, `SELECT comment FROM assessment_events WHERE assessment_id = $1 AND action = 'extend'`, id).Scan(&comment); err != nil || comment == "" {
		t.Errorf("the history lacks the extension: %q %v", comment, err)
	}
	// The whole campaign, by its owner; then edit its name.
	later := until.AddDate(0, 1, 0)
	if _, err := svc.ExtendDeadline(ctx, so, c.ID, "", later, "Kéo dài cả tỉnh"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateCampaign(ctx, phong, c.ID, model.CampaignEdit{Name: "x"}); !errors.Is(err, model.ErrForbidden) {
		t.Errorf("a Phòng edited the campaign: %v", err)
	}
	cp, err := svc.UpdateCampaign(ctx, so, c.ID, model.CampaignEdit{Name: "Năm học 2025-2026 (sửa)"})
	if err != nil || cp.Name != "Năm học 2025-2026 (sửa)" || cp.SelfDue.Format("2006-01-02") != later.Format("2006-01-02") {
		t.Fatalf("update: %+v %v", cp, err)
	}
	// Past every deadline again: reopen.
	svc.Now = func() time.Time { return later.AddDate(0, 1, 0) }
	if err := save(); !errors.Is(err, errkind.Conflict) {
		t.Fatalf("locked again: %v", err)
	}
	if err := svc.Reopen(ctx, phong, id, svc.Now().AddDate(0, 0, 3), "Bổ sung minh chứng"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveAnswer(ctx, ht, id, "1.1", json.RawMessage(`false`), 1); err != nil {
		t.Fatalf("reopened but locked: %v", err)
	}
}
