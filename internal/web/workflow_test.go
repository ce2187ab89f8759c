package web

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/survey/model"
)

// TestAssessmentOffersWhatTheWorkflowAllows: the API's allowed_actions
// and the page's forms come from the workflow (Assessment.Can), the
// deadline included: an approved assessment offers its evaluator only the
// revocation, a draft offers its school editing and submitting until the
// end of its due day, nothing after it.
func TestAssessmentOffersWhatTheWorkflowAllows(t *testing.T) {
	w := newDashWorld(t)
	ctx := context.Background()
	root := &model.Actor{Role: model.RoleAdmin}
	idOf := func(campaign int64, code string) int64 {
		t.Helper()
		rows, err := w.svc.CampaignAssessments(ctx, root, campaign)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.UnitCode == code {
				return r.ID
			}
		}
		t.Fatalf("no assessment of %s", code)
		return 0
	}
	allowed := func(who string, id int64) []model.Action {
		t.Helper()
		rec := w.get(t, who, fmt.Sprintf("/api/v1/assessments/%d", id))
		if rec.Code != 200 {
			t.Fatalf("GET assessment %d as %s: %d %s", id, who, rec.Code, rec.Body)
		}
		var x struct {
			Allowed []model.Action `json:"allowed_actions"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &x); err != nil {
			t.Fatal(err)
		}
		return x.Allowed
	}

	approved := idOf(w.campaign, "A1")
	if got := allowed("admin", approved); !slices.Equal(got, []model.Action{model.ActionRevoke}) {
		t.Errorf("admin on an approved assessment: %v, want [revoke]", got)
	}
	page := w.get(t, "admin", fmt.Sprintf("/assessments/%d", approved)).Body.String()
	if !strings.Contains(page, "/revoke") || strings.Contains(page, `id="approve-assessment"`) || strings.Contains(page, "/reopen") {
		t.Error("the approved assessment's page offers other than the revocation")
	}

	draft := idOf(w.draft, "A1")
	if got := allowed("sch.a1", draft); !slices.Equal(got, []model.Action{model.ActionEdit, model.ActionSubmit}) {
		t.Errorf("school on its draft: %v, want [edit submit]", got)
	}
	if page := w.get(t, "sch.a1", fmt.Sprintf("/assessments/%d", draft)).Body.String(); !strings.Contains(page, `id="submit-assessment"`) {
		t.Error("the draft's page offers no submission")
	}
	// Past the due day (Vietnam time) the same draft offers nothing, and
	// its evaluator may reopen it.
	// (The school's own due date, as an extension sets it, put in the past.)
	vn := time.Now().In(time.FixedZone("ICT", 7*3600))
	yesterday := time.Date(vn.Year(), vn.Month(), vn.Day()-1, 0, 0, 0, 0, time.UTC)
	if _, err := w.pool.Exec(ctx, `UPDATE assessments SET self_due = $2 WHERE id = $1`, draft, yesterday); err != nil {
		t.Fatal(err)
	}
	if got := allowed("sch.a1", draft); len(got) != 0 {
		t.Errorf("school on its draft past the deadline: %v, want none", got)
	}
	page = w.get(t, "sch.a1", fmt.Sprintf("/assessments/%d", draft)).Body.String()
	if strings.Contains(page, `id="submit-assessment"`) || strings.Contains(page, `id="assessment"`) {
		t.Error("past the deadline the page still offers the form")
	}
	if got := allowed("admin", draft); !slices.Equal(got, []model.Action{model.ActionReopen}) {
		t.Errorf("admin on a late draft: %v, want [reopen]", got)
	}
}
