package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/internal/testfix"
	"github.com/dxindex/dxindex/survey/model"
)

// TestCatalogDatesAreDDMMYYYY: a date written into the UI's text is
// dd/mm/yyyy in both languages ("01/07/2025", not "01/7/2025" or "1 July
// 2025"), as the pages write every date.
func TestCatalogDatesAreDDMMYYYY(t *testing.T) {
	short := regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})/(\d{4})\b`)
	month := regexp.MustCompile(`\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December),? \d{4}\b|\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2},? \d{4}\b`)
	for k, v := range catalog {
		for i, s := range v {
			for _, m := range short.FindAllStringSubmatch(s, -1) {
				if len(m[1]) != 2 || len(m[2]) != 2 {
					t.Errorf("%s[%d]: date %q is not dd/mm/yyyy", k, i, m[0])
				}
			}
			if m := month.FindString(s); m != "" {
				t.Errorf("%s[%d]: date %q is not dd/mm/yyyy", k, i, m)
			}
		}
	}
}

// TestOverdueDraftSaysWhy: a unit's own draft past its deadline has no
// form; the page says why and whom to ask (the managing office for a
// school, the office above for an office), and before the deadline it
// says nothing of it.
func TestOverdueDraftSaysWhy(t *testing.T) {
	ctx := context.Background()
	w := newOfficeCampaignWorld(t)
	svc := w.svc
	rows, err := svc.CampaignAssessments(ctx, testfix.Root, w.schoolCampaign)
	if err != nil || len(rows) != 1 {
		t.Fatalf("school assessments %+v: %v", rows, err)
	}
	if _, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: "ht.a1", Role: model.RoleSchool, UnitCode: "A1", Password: "password-ht.a1"}); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: servicesOn(w.pool)})
	if err != nil {
		t.Fatal(err)
	}
	school, office := fmt.Sprintf("/assessments/%d", rows[0].ID), fmt.Sprintf("/assessments/%d", w.assessments["34"])
	page := func(user, path string) string {
		t.Helper()
		rec := pageAs(t, srv, user)(http.MethodGet, path, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s GET %s: %d", user, path, rec.Code)
		}
		return rec.Body.String()
	}
	if body := page("ht.a1", school); strings.Contains(body, `id="overdue"`) {
		t.Fatal("a draft before its deadline is called overdue")
	}
	// Both campaigns' deadlines ten days ago.
	if _, err := w.pool.Exec(ctx, `UPDATE campaigns SET self_due = current_date - 10`); err != nil {
		t.Fatal(err)
	}
	body := page("ht.a1", school)
	if !strings.Contains(body, `id="overdue"`) || !strings.Contains(body, "Hãy đề nghị cơ quan quản lý mở lại hoặc gia hạn.") || !strings.Contains(body, "(quá hạn ") {
		t.Error("the school's overdue draft does not say why it has no form")
	}
	if strings.Contains(body, `id="assessment"`) {
		t.Error("the overdue draft still has its form")
	}
	if body := page("cb.34", office); !strings.Contains(body, `id="overdue"`) || !strings.Contains(body, "Hãy đề nghị cơ quan cấp trên mở lại hoặc gia hạn.") {
		t.Errorf("the office's overdue draft does not say why it has no form")
	}
}
