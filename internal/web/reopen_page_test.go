package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestReopenFromTheAssessmentPage: the reviewer finds the reopen form on
// the assessment it reviews, and reopening there gives the school its
// draft back with the new deadline and the reason in the history.
func TestReopenFromTheAssessmentPage(t *testing.T) {
	srv, ids, _, do := govWorld(t)
	page := pageAs(t, srv, "xa.90001")
	id := ids["S1"]
	if rec := page(http.MethodGet, fmt.Sprintf("/assessments/%d", id), nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `id="reopen-form"`) {
		t.Fatalf("no reopen form on the reviewed assessment: %d", rec.Code)
	}
	due := surveyOf(srv).Now().AddDate(0, 0, 20).Format("02/01/2006")
	rec := page(http.MethodPost, fmt.Sprintf("/assessments/%d/reopen", id), url.Values{"self_due": {due}, "reason": {"Trường xin bổ sung minh chứng."}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("reopen: %d %s", rec.Code, rec.Body)
	}
	body := do("xa.90001", http.MethodGet, fmt.Sprintf("/api/v1/assessments/%d", id), "").Body.String()
	if !strings.Contains(body, `"status":"draft"`) || !strings.Contains(body, "Trường xin bổ sung minh chứng.") {
		t.Fatalf("not reopened with its reason: %.400s", body)
	}
}
