package survey

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/dxindex/dxindex/survey/model"
	"slices"
	"strings"
	"testing"
)

// TestEnlargementTellsTheSchool: a school approved on its self-assessment
// and then drawn into the enlarged sample goes back to "submitted"; in the
// same transaction each of its accounts gets a notice saying it is being
// verified (Vietnamese and English), e-mailed when it has an address and
// its switch for the kind is on, in-app only when it is off. The schools
// not drawn, and the sampled school whose approval caused it, are not told.
func TestEnlargementTellsTheSchool(t *testing.T) {
	ctx := context.Background()
	w := newSampleWorld(t)
	s, c := w.s, w.campaigns[0]
	m, err := s.DrawSample(ctx, w.phong, c, model.SampleInput{Seed: "quynh-phu", Size: 2, EnlargeBy: 2})
	if err != nil {
		t.Fatal(err)
	}
	var next []string
	var sampledID int64
	for _, u := range m.Units {
		if !u.Drawn && len(next) < 2 {
			next = append(next, u.UnitCode)
		}
		if u.Drawn && sampledID == 0 {
			sampledID = u.AssessmentID
		}
	}
	if len(next) != 2 {
		t.Fatalf("the draw leaves %v to enlarge with", next)
	}
	// Both schools to be added have an address; the second switched the
	// e-mail of this kind off.
	for _, code := range next {
		if _, err := s.pool.Exec(ctx, `UPDATE users SET email = $2 WHERE id = $1`, w.school[code].UserID, strings.ToLower(code)+"@truong.edu.vn"); err != nil {
			t.Fatal(err)
		}
	}
	on := map[model.NoticeKind]bool{}
	for _, k := range model.NoticeKinds {
		on[k] = k != model.NoticeVerifying
	}
	if err := s.SetNoticePrefs(ctx, w.school[next[1]], on); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApproveUnsampled(ctx, w.phong, c, "vi"); err != nil {
		t.Fatal(err)
	}
	mailsBefore := jobCount(t, s, "notice_mail")
	verifying := func(code string) []model.Notification {
		t.Helper()
		list, err := s.Notifications(ctx, w.school[code], 50)
		if err != nil {
			t.Fatal(err)
		}
		var out []model.Notification
		for _, n := range list {
			if n.Kind == model.NoticeVerifying {
				out = append(out, n)
			}
		}
		return out
	}
	for code := range w.school {
		if got := verifying(code); len(got) != 0 {
			t.Fatalf("%s told before any enlargement: %+v", code, got)
		}
	}
	// The sampled school's level drops on verification: two more drawn.
	if _, err := s.Review(ctx, w.phong, sampledID, "a.plan", json.RawMessage(`false`), "Không có kế hoạch được phê duyệt"); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(ctx, w.phong, sampledID, ""); err != nil {
		t.Fatal(err)
	}
	m, _ = s.SampleOf(ctx, w.phong, c)
	if len(m.Enlargements) != 1 || !slices.Equal(m.Enlargements[0].Added, next) {
		t.Fatalf("enlargement %+v, want %v", m.Enlargements, next)
	}
	ids := map[string]int64{}
	for _, u := range m.Units {
		ids[u.UnitCode] = u.AssessmentID
	}
	for i, code := range next {
		got := verifying(code)
		if len(got) != 1 {
			t.Fatalf("%s: %d verifying notices, want 1: %+v", code, len(got), got)
		}
		n := got[0]
		if n.Link != fmt.Sprintf("/assessments/%d", ids[code]) || n.AssessmentID != ids[code] {
			t.Fatalf("%s: notice link %q (assessment %d), want assessment %d", code, n.Link, n.AssessmentID, ids[code])
		}
		subj, body := n.Subject(), n.Body()
		if !strings.Contains(subj.VI, "Trường thử "+code) || !strings.Contains(subj.VI, "được rút vào mẫu kiểm tra") ||
			!strings.Contains(subj.EN, "was drawn for verification") ||
			!strings.Contains(body.VI, "trở lại trạng thái đã nộp") || !strings.Contains(body.VI, "Đợt đánh giá: Năm học 2024-2025.") ||
			!strings.Contains(body.EN, "back to submitted") {
			t.Fatalf("%s: text %q / %q / %q / %q", code, subj.VI, subj.EN, body.VI, body.EN)
		}
		wantMail := i == 0 // the second switched e-mail off for this kind
		if (n.EmailStatus == "queued") != wantMail || (n.EmailTo != "") != wantMail {
			t.Fatalf("%s: e-mail %q to %q, want mailed %v", code, n.EmailStatus, n.EmailTo, wantMail)
		}
	}
	if got := jobCount(t, s, "notice_mail") - mailsBefore; got != 1 {
		t.Fatalf("mail jobs for the enlargement: %d, want 1", got)
	}
	for code := range w.school {
		if slices.Contains(next, code) {
			continue
		}
		if got := verifying(code); len(got) != 0 {
			t.Fatalf("%s told though not drawn in: %+v", code, got)
		}
	}
}
