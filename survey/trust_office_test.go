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
	"github.com/dxindex/dxindex/survey/model"
)

// TestOfficeRepliesToChanges (Decision 3806): the Ministry's reviewer
// changes a value of the Sở's own assessment and sends it for reply; the
// Sở's own staff are told and reply under the school's rules (a contest
// needs a comment; within the window); nobody else may reply for it — not
// another office's staff, not the Sở's evaluators, not a school.
func TestOfficeRepliesToChanges(t *testing.T) {
	ctx := context.Background()
	w := newOfficeWorld(t)
	s := w.s
	id, ind := w.submittedOffice(t)
	// Before the changes are sent the office has nothing to reply to.
	if err := s.ReplyToChange(ctx, w.staff34, id, ind.Code, VerdictAccept, "", ""); !errors.Is(err, errkind.Conflict) {
		t.Fatalf("reply before anything was sent: %v", err)
	}
	if _, err := s.Review(ctx, w.ministry, id, ind.Code, json.RawMessage(`false`), "Chưa có văn bản ban hành"); err != nil {
		t.Fatal(err)
	}
	if err := s.SendForReply(ctx, w.ministry, id); err != nil {
		t.Fatal(err)
	}
	list, err := s.Notifications(ctx, w.staff34, 20)
	if err != nil || len(list) == 0 || list[0].Kind != model.NoticeReplyDue || list[0].AssessmentID != id {
		t.Fatalf("the Sở's staff were not asked to reply: %+v %v", list, err)
	}
	if b := list[0].Body(); !strings.Contains(b.VI, "1 thay đổi chờ đơn vị phản hồi") || !strings.Contains(b.EN, "await the unit's reply") {
		t.Fatalf("the office's notice speaks of a school: %q / %q", b.VI, b.EN)
	}
	// The approval waits for the office's reply, and says so of the unit.
	var ke *errkind.Error
	if err := s.Approve(ctx, w.ministry, id, ""); !errors.As(err, &ke) || !strings.HasPrefix(ke.Msg.VI, "Đang chờ đơn vị phản hồi 1 thay đổi") ||
		!strings.Contains(ke.Msg.EN, "waiting for the unit's reply") {
		t.Fatalf("approval before the office replied: %v", err)
	}
	st, err := s.Replies(ctx, w.staff34, id)
	if err != nil || !st.Open || !st.CanReply || len(st.Items) != 1 || st.Items[0].Indicator != ind.Code {
		t.Fatalf("the Sở's staff's reply view: %+v %v", st, err)
	}
	// Nobody but the office's own staff replies for it.
	for _, who := range []*model.Actor{w.staff338, w.so34, w.principal["A1"], w.d338, w.ministry} {
		err := s.ReplyToChange(ctx, who, id, ind.Code, VerdictAccept, "", "")
		if !errors.Is(err, errkind.Forbidden) && !errors.Is(err, errkind.NotFound) {
			t.Fatalf("%s replied for the Sở: %v", who.Username, err)
		}
	}
	// The school's rules: a contest says why.
	if err := s.ReplyToChange(ctx, w.staff34, id, ind.Code, model.VerdictContest, "", ""); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("a contest without a comment: %v", err)
	}
	if err := s.ReplyToChange(ctx, w.staff34, id, ind.Code, model.VerdictContest, "Kế hoạch đã ban hành, xem văn bản", "https://so.example.gov.vn/ke-hoach"); err != nil {
		t.Fatal(err)
	}
	st, err = s.Replies(ctx, w.ministry, id)
	if err != nil || len(st.Items) != 1 || st.Items[0].Verdict != model.VerdictContest || st.Items[0].EvidenceURL != "https://so.example.gov.vn/ke-hoach" {
		t.Fatalf("the reviewer's view of the reply: %+v %v", st, err)
	}
	// After the window closes the office can no longer reply.
	now := s.Now().Add(time.Duration(DefaultReplyDays)*24*time.Hour + time.Minute)
	s.Now = func() time.Time { return now }
	if err := s.ReplyToChange(ctx, w.staff34, id, ind.Code, VerdictAccept, "", ""); !errors.Is(err, errkind.Conflict) {
		t.Fatalf("a reply after the window: %v", err)
	}
	// The contest waits for a ruling; whoever made the change may not give
	// it. Both messages speak of the unit and the office above, not of a
	// school and the Sở.
	if err := s.RuleOnReply(ctx, w.ministry, id, ind.Code, RulingUphold, "Đúng quy định"); !errors.As(err, &ke) || !errors.Is(err, errkind.Forbidden) ||
		ke.Msg.VI != "Người đã thay đổi giá trị không tự xem xét phản đối của đơn vị; một cán bộ khác (hoặc cơ quan cấp trên) xem xét." ||
		!strings.Contains(ke.Msg.EN, "the unit's contest") {
		t.Fatalf("the changer rules on the office's contest: %v", err)
	}
	if err := s.RuleOnReply(ctx, w.ministry, id, "khong.co", RulingUphold, "Đúng quy định"); !errors.As(err, &ke) || !strings.HasPrefix(ke.Msg.VI, "Đơn vị không phản đối") {
		t.Fatalf("a ruling on no contest: %v", err)
	}
}

// submittedOffice opens an office campaign under the published school
// campaign and has the Sở (34) answer and submit its own assessment; it
// returns that assessment and a boolean indicator the Sở answered, for an
// evaluator to change.
func (w *officeWorld) submittedOffice(t *testing.T) (int64, *indicators.Indicator) {
	t.Helper()
	ctx, s := context.Background(), w.s
	w.approveAndPublish(t, "A1")
	oc, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Sở, Phòng 2024-2025", SetCode: "moet-agency", RootUnitCode: "BGD", SchoolCampaignID: w.schoolCampaign})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.CampaignAssessments(ctx, root, oc.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		w.office[r.UnitCode] = r.ID
	}
	id := w.office["34"]
	fillAll(t, s, w.staff34, id)
	if err := s.Submit(ctx, w.staff34, id); err != nil {
		t.Fatal(err)
	}
	x, err := s.Assessment(ctx, w.staff34, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range model.ApplicableIndicators(x.Set, "") {
		if !i.IsRollup() && i.Type == indicators.TypeBoolean {
			return id, i
		}
	}
	t.Fatal("the agency set has no boolean indicator the office answers")
	return 0, nil
}
