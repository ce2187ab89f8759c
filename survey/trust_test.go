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

type trustJourney struct {
	s          *Service
	campaign   int64
	id         int64
	school     *model.Actor
	a, b       *model.Actor // two reviewers of the district office
	now        *time.Time
	booleanInd []string
}

// newTrustJourney opens a four-eyes campaign, fills and submits A1's
// assessment; only reviewer A exists unless second is true.
func newTrustJourney(t *testing.T, second bool) *trustJourney {
	t.Helper()
	ctx := context.Background()
	s := newService(t)
	fixture(t, s)
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, model.Vietnam)
	s.Now = func() time.Time { return now }
	c, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2024-2025", SetCode: "example", RootUnitCode: "34", FourEyes: true})
	if err != nil || !c.FourEyes || c.ReplyDays != DefaultReplyDays {
		t.Fatalf("campaign: %+v %v", c, err)
	}
	actor := func(name, code string, role model.Role) *model.Actor {
		u, _ := s.UnitByCode(ctx, code)
		user, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: name, Role: role, UnitCode: code, Password: "password-" + name})
		if err != nil {
			t.Fatal(err)
		}
		return &model.Actor{UserID: user.ID, Username: name, Role: role, UnitID: u.ID, UnitCode: code, UnitPath: u.Path}
	}
	j := &trustJourney{s: s, campaign: c.ID, now: &now, school: actor("school.a1", "A1", model.RoleSchool), a: actor("reviewer.a", "338", model.RoleDistrict)}
	if second {
		j.b = actor("reviewer.b", "338", model.RoleDistrict)
	}
	rows, err := s.CampaignAssessments(ctx, j.school, c.ID)
	if err != nil || len(rows) != 1 {
		t.Fatalf("assessments: %v %v", rows, err)
	}
	j.id = rows[0].ID
	x, err := s.Assessment(ctx, j.school, j.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range model.ApplicableIndicators(x.Set, x.SchoolLevel) {
		if _, err := s.SaveAnswer(ctx, j.school, j.id, ind.Code, fullAnswer(ind), 0); err != nil {
			t.Fatal(err)
		}
		if ind.Type == indicators.TypeBoolean {
			j.booleanInd = append(j.booleanInd, ind.Code)
		}
		if ind.Evidence == "required" {
			if _, err := s.AddEvidenceLink(ctx, j.school, j.id, ind.Code, "https://example.edu.vn/"+ind.Code); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(j.booleanInd) < 2 {
		t.Fatalf("the example set needs two boolean indicators, has %v", j.booleanInd)
	}
	if err := s.Submit(ctx, j.school, j.id); err != nil {
		t.Fatal(err)
	}
	return j
}

// TestFourEyesAndRightOfReply is the journey of issue 17: evaluator A
// changes two values; the school contests one and accepts the other;
// evaluator B upholds the contest; A cannot approve, B can; the published
// revision records 2 changes, 1 contested, 1 upheld, and both names.
func TestFourEyesAndRightOfReply(t *testing.T) {
	ctx := context.Background()
	j := newTrustJourney(t, true)
	s := j.s
	i1, i2 := j.booleanInd[0], j.booleanInd[1]
	for _, ind := range []string{i1, i2} {
		if _, err := s.Review(ctx, j.a, j.id, ind, json.RawMessage(`false`), "Không có minh chứng cho "+ind); err != nil {
			t.Fatal(err)
		}
	}
	// Before the changes are sent, the school sees nothing of them.
	if st, err := s.Replies(ctx, j.school, j.id); err != nil || len(st.Items) != 0 || st.CanReply {
		t.Fatalf("school before sending: %+v %v", st, err)
	}
	if err := s.SendForReply(ctx, j.a, j.id); err != nil {
		t.Fatal(err)
	}
	// The window is open and nothing is answered: B cannot approve yet.
	if err := s.Approve(ctx, j.b, j.id, ""); !errors.Is(err, errkind.Conflict) || !strings.Contains(err.Error(), "waiting for the school") {
		t.Fatalf("approve while waiting: %v", err)
	}
	st, err := s.Replies(ctx, j.school, j.id)
	if err != nil || !st.CanReply || len(st.Items) != 2 || st.Items[0].Reason == "" || st.Items[0].ChangedBy != "reviewer.a" {
		t.Fatalf("school's view: %+v %v", st, err)
	}
	// Contesting needs a comment; a bad evidence link is refused.
	if err := s.ReplyToChange(ctx, j.school, j.id, i1, model.VerdictContest, "", ""); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("contest without comment: %v", err)
	}
	if err := s.ReplyToChange(ctx, j.school, j.id, i1, model.VerdictContest, "Có minh chứng", "javascript:alert(1)"); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("bad link: %v", err)
	}
	if err := s.ReplyToChange(ctx, j.school, j.id, i1, model.VerdictContest, "Trường đã có hệ thống, xem biên bản", "https://example.edu.vn/bien-ban"); err != nil {
		t.Fatal(err)
	}
	if err := s.ReplyToChange(ctx, j.school, j.id, i2, VerdictAccept, "", ""); err != nil {
		t.Fatal(err)
	}
	// Only the school replies.
	if err := s.ReplyToChange(ctx, j.b, j.id, i2, VerdictAccept, "", ""); !errors.Is(err, errkind.Forbidden) {
		t.Fatalf("reviewer replied for the school: %v", err)
	}
	// The contest waits for a ruling.
	if err := s.Approve(ctx, j.b, j.id, ""); !errors.Is(err, errkind.Conflict) || !strings.Contains(err.Error(), "contested") {
		t.Fatalf("approve with a contest pending: %v", err)
	}
	// A made the change and cannot rule on it.
	if err := s.RuleOnReply(ctx, j.a, j.id, i1, RulingUphold, "Giữ nguyên"); !errors.Is(err, errkind.Forbidden) {
		t.Fatalf("A ruled on own change: %v", err)
	}
	if err := s.RuleOnReply(ctx, j.b, j.id, i1, RulingUphold, ""); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("ruling without reason: %v", err)
	}
	if err := s.RuleOnReply(ctx, j.b, j.id, i1, RulingUphold, "Biên bản không chứng minh hệ thống đang vận hành"); err != nil {
		t.Fatal(err)
	}
	if err := s.RuleOnReply(ctx, j.b, j.id, i2, RulingUphold, "x"); !errors.Is(err, errkind.NotFound) {
		t.Fatalf("ruling on an accepted change: %v", err)
	}
	// Four eyes: A changed values and cannot approve; the refusal names B.
	chk, err := s.CheckApproval(ctx, j.a, j.id)
	if err != nil || chk == nil || chk.FourEyes == nil || len(chk.FourEyes.Eligible) != 1 || chk.FourEyes.Eligible[0].Username != "reviewer.b" {
		t.Fatalf("A's approval check: %+v %v", chk, err)
	}
	err = s.Approve(ctx, j.a, j.id, "")
	var fe *model.FourEyesError
	if !errors.As(err, &fe) || !errors.Is(err, errkind.Conflict) || !strings.Contains(err.Error(), "reviewer.b") {
		t.Fatalf("A approved: %v", err)
	}
	var ke *errkind.Error
	if !errors.As(err, &ke) || !strings.Contains(ke.Msg.VI, "bốn mắt") {
		t.Fatalf("no Vietnamese message: %v", err)
	}
	if chk, err := s.CheckApproval(ctx, j.b, j.id); err != nil || chk != nil {
		t.Fatalf("B's approval check: %+v %v", chk, err)
	}
	if err := s.Approve(ctx, j.b, j.id, "Đồng ý"); err != nil {
		t.Fatal(err)
	}
	x, err := s.Assessment(ctx, j.b, j.id)
	if err != nil {
		t.Fatal(err)
	}
	last := x.History[len(x.History)-1]
	if last.Action != "approve" || last.By != "reviewer.b" || !strings.Contains(last.Comment, "reviewer.a") {
		t.Fatalf("history: %+v", last)
	}
	if _, err := s.Publish(ctx, j.b, j.campaign, ""); err != nil {
		t.Fatal(err)
	}
	res, err := s.PublishedResultOf(ctx, j.campaign, "A1")
	if err != nil {
		t.Fatal(err)
	}
	want := model.ReviewCounts{Changes: 2, Contested: 1, Upheld: 1, ChangedBy: "reviewer.a", ApprovedBy: "reviewer.b"}
	if res.Review != want {
		t.Fatalf("published review = %+v, want %+v", res.Review, want)
	}
}

// TestFourEyesSingleReviewer: an office with one reviewer sees why it
// cannot approve and who can; once the window closes without replies, the
// Sở approves.
func TestFourEyesSingleReviewer(t *testing.T) {
	ctx := context.Background()
	j := newTrustJourney(t, false)
	s := j.s
	if _, err := s.Review(ctx, j.a, j.id, j.booleanInd[0], json.RawMessage(`false`), "Không đạt"); err != nil {
		t.Fatal(err)
	}
	chk, err := s.CheckApproval(ctx, j.a, j.id)
	if err != nil || chk == nil || chk.FourEyes == nil || len(chk.FourEyes.Eligible) != 0 || !strings.Contains(chk.Reason.VI, "Sở GDĐT") {
		t.Fatalf("single reviewer: %+v %v", chk, err)
	}
	u, _ := s.UnitByCode(ctx, "34")
	user, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: "so.thaibinh", DisplayName: "Nguyễn Văn Sở", Role: model.RoleProvince, UnitCode: "34", Password: "password-so.thaibinh"})
	if err != nil {
		t.Fatal(err)
	}
	so := &model.Actor{UserID: user.ID, Username: "so.thaibinh", Role: model.RoleProvince, UnitID: u.ID, UnitCode: "34", UnitPath: u.Path}
	chk, _ = s.CheckApproval(ctx, j.a, j.id)
	if chk == nil || chk.FourEyes == nil || len(chk.FourEyes.Eligible) != 1 || !strings.Contains(chk.Reason.VI, "Nguyễn Văn Sở") {
		t.Fatalf("with the Sở: %+v", chk)
	}
	// Sent for reply, unanswered: approval waits for the window to close.
	if err := s.SendForReply(ctx, j.a, j.id); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(ctx, so, j.id, ""); !errors.Is(err, errkind.Conflict) {
		t.Fatalf("approved inside the window: %v", err)
	}
	*j.now = j.now.Add(5*24*time.Hour + time.Minute)
	if err := s.ReplyToChange(ctx, j.school, j.id, j.booleanInd[0], VerdictAccept, "", ""); !errors.Is(err, errkind.Conflict) {
		t.Fatalf("replied after the window: %v", err)
	}
	if err := s.Approve(ctx, j.a, j.id, ""); !errors.Is(err, errkind.Conflict) {
		t.Fatalf("A approved own change: %v", err)
	}
	if err := s.Approve(ctx, so, j.id, ""); err != nil {
		t.Fatal(err)
	}
}

// TestFourEyesOffKeepsOldBehaviour: a campaign without four eyes (every
// campaign created before issue 17) lets the evaluator approve own changes.
func TestFourEyesOffKeepsOldBehaviour(t *testing.T) {
	ctx := context.Background()
	j := newJourney(t, "example")
	c, err := j.s.Campaign(ctx, root, j.campaign)
	if err != nil || c.FourEyes {
		t.Fatalf("campaign: %+v %v", c, err)
	}
	if _, err := j.s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Sai", SetCode: "example", RootUnitCode: "34", ReplyDays: 90}); !errors.Is(err, errkind.Invalid) {
		t.Fatalf("reply window of 90 days: %v", err)
	}
}
