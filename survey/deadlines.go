package survey

import (
	"context"
	"fmt"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// Deadlines: a draft locks at the end of its self-assessment due day
// (the workflow table in survey/model/status.go, through Assessment.Can), the school's own due date
// when the office extended it (assessments.self_due), else the campaign's.
// The office unlocks by extending (one school, or the whole campaign) or by
// reopening an assessment; each leaves its reason in the history.

func reasonRequired(reason string) error {
	if model.CleanText(reason) == "" {
		return errkind.Field("reason", "Hãy ghi lý do.", "give a reason")
	}
	return nil
}

func (s *Service) futureDate(until time.Time) error {
	if until.IsZero() || s.deadlinePassed(until) {
		return errkind.Field("self_due", "Hạn mới phải từ hôm nay trở đi.", "the new deadline must be today or later")
	}
	return nil
}

// ExtendDeadline gives one school (unitCode) or, with unitCode empty, the
// whole campaign a new self-assessment deadline. A Phòng, Sở or admin
// extends for a school in its scope; only the campaign's owner extends the
// whole campaign. Each draft or returned assessment concerned records the
// extension and its reason in its history.
func (s *Service) ExtendDeadline(ctx context.Context, a *model.Actor, campaignID int64, unitCode string, until time.Time, reason string) (int, error) {
	if !a.Is(model.RoleAdmin, model.RoleProvince, model.RoleDistrict, model.RoleCommune) {
		return 0, model.ErrForbidden
	}
	if err := reasonRequired(reason); err != nil {
		return 0, wrap("extend deadline", err)
	}
	if err := s.futureDate(until); err != nil {
		return 0, wrap("extend deadline", err)
	}
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return 0, err
	}
	comment := fmt.Sprintf("Gia hạn tự đánh giá đến %s: %s", until.Format("02/01/2006"), model.CleanText(reason))
	n := 0
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if unitCode == "" {
			if !c.OwnedBy(a) {
				return model.ErrForbidden
			}
			if _, err := tx.Exec(ctx, `SELECT id FROM campaigns WHERE id = $1 FOR UPDATE`, campaignID); err != nil {
				return err
			}
			// The campaign's review deadline follows when it would fall
			// before the new self-assessment deadline.
			if _, err := tx.Exec(ctx, `UPDATE campaigns SET self_due = $2, review_due = greatest(review_due, $2) WHERE id = $1`, campaignID, until); err != nil {
				return err
			}
			// A school's earlier extension gives way to a later one for all.
			if _, err := tx.Exec(ctx, `UPDATE assessments SET self_due = NULL WHERE campaign_id = $1 AND self_due <= $2`, campaignID, until); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `INSERT INTO assessment_events (assessment_id, action, from_status, to_status, comment, actor_id, at)
				SELECT x.id, 'extend', x.status, x.status, $2, $3, $4 FROM assessments x
				WHERE x.campaign_id = $1 AND x.status IN ('draft', 'returned')`, campaignID, comment, actorID(a), s.Now())
			n = int(tag.RowsAffected())
			if err != nil {
				return err
			}
			return s.notifyOpen(ctx, tx, campaignID, model.NoticeExtended, map[string]string{"due": until.Format("02/01/2006"), "reason": model.CleanText(reason)})
		}
		var id int64
		var path []int64
		var status model.Status
		err := tx.QueryRow(ctx, `SELECT x.id, cu.path, x.status FROM assessments x JOIN units u ON u.id = x.unit_id
			JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
			WHERE x.campaign_id = $1 AND u.code = $2 FOR UPDATE OF x`, campaignID, unitCode).Scan(&id, &path, &status)
		if err == pgx.ErrNoRows || (err == nil && !a.Covers(path)) {
			return errkind.New(errkind.NotFound, fmt.Sprintf("Đợt đánh giá không có đơn vị %s trong phạm vi của bạn.", unitCode), "no such unit in your scope")
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assessments SET self_due = $2 WHERE id = $1`, id, until); err != nil {
			return err
		}
		n = 1
		if err := s.notifySchool(ctx, tx, id, model.NoticeExtended, map[string]string{"due": until.Format("02/01/2006"), "reason": model.CleanText(reason)}, nil); err != nil {
			return err
		}
		return s.event(ctx, tx, id, a, "extend", status, status, comment)
	})
	return n, wrap("extend deadline", err)
}

// Reopen sends a submitted (not yet approved) or overdue assessment back
// to the school as a draft due on until, with the reason in its history.
// An approved assessment is not reopened: its validated result may be
// published; the evaluator returns it through the review instead.
func (s *Service) Reopen(ctx context.Context, a *model.Actor, id int64, until time.Time, reason string) error {
	if err := reasonRequired(reason); err != nil {
		return wrap("reopen", err)
	}
	if err := s.futureDate(until); err != nil {
		return wrap("reopen", err)
	}
	return wrap("reopen", s.inTx(ctx, func(tx pgx.Tx) error {
		x, to, err := s.transition(ctx, tx, a, id, model.ActionReopen)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assessments SET status = $3, self_due = $2 WHERE id = $1`, id, until, to); err != nil {
			return err
		}
		if err := s.notifySchool(ctx, tx, id, model.NoticeReopened, map[string]string{"due": until.Format("02/01/2006"), "reason": model.CleanText(reason)}, nil); err != nil {
			return err
		}
		return s.event(ctx, tx, id, a, string(model.ActionReopen), x.Status, to,
			fmt.Sprintf("Mở lại, hạn mới %s: %s", until.Format("02/01/2006"), model.CleanText(reason)))
	}))
}

// UpdateCampaign changes a campaign's name and dates, by its owner.
func (s *Service) UpdateCampaign(ctx context.Context, a *model.Actor, id int64, in model.CampaignEdit) (*model.Campaign, error) {
	c, err := s.Campaign(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !c.OwnedBy(a) {
		return nil, model.ErrForbidden
	}
	name := model.CleanText(in.Name)
	if name == "" {
		name = c.Name
	}
	pick := func(t time.Time, old model.Date) time.Time {
		if t.IsZero() {
			return old.Time
		}
		return t
	}
	opens, self, review := pick(in.OpensOn, c.OpensOn), pick(in.SelfDue, c.SelfDue), pick(in.ReviewDue, c.ReviewDue)
	fe := errkind.FieldErrors{}
	if len([]rune(name)) > 200 {
		fe.Add("name", "Tên quá dài.", "the name is too long")
	}
	if self.Before(opens) {
		fe.Add("self_due", "Hạn tự đánh giá phải sau ngày mở.", "the self-assessment deadline must not be before the opening")
	}
	if review.Before(self) {
		fe.Add("review_due", "Hạn thẩm định phải sau hạn tự đánh giá.", "the review deadline must not be before the self-assessment deadline")
	}
	fourEyes, replyDays := c.FourEyes, c.ReplyDays
	if in.FourEyes != nil {
		fourEyes = *in.FourEyes
	}
	if in.ReplyDays != 0 {
		replyDays = in.ReplyDays
	}
	if replyDays < 1 || replyDays > 60 {
		fe.Add("reply_days", "Thời hạn phản hồi phải từ 1 đến 60 ngày.", "the reply window is 1 to 60 days")
	}
	if len(fe) > 0 {
		return nil, wrap("update campaign", fe)
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE campaigns SET name = $2, opens_on = $3, self_due = $4, review_due = $5, four_eyes = $6, reply_days = $7 WHERE id = $1`,
			id, name, opens, self, review, fourEyes, replyDays)
		return err
	})
	if err != nil {
		return nil, wrap("update campaign", err)
	}
	return s.Campaign(ctx, a, id)
}

func actorID(a *model.Actor) *int64 {
	if a != nil && a.UserID != 0 {
		return &a.UserID
	}
	return nil
}

// Editable reports whether the actor may change the assessment now: the
// same rule the saves apply (Can, ActionEdit), so a page never offers a
// form the server would refuse.
func (s *Service) Editable(x *model.Assessment, a *model.Actor) bool {
	return s.checkEditable(x, a) == nil
}
