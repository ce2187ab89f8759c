package survey

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// LateSchools are the rows (of CampaignAssessments) a reminder to every
// late school reaches: not submitted (draft or returned) after their own
// deadline.
func (s *Service) LateSchools(rows []model.AssessmentRow) []model.AssessmentRow {
	var out []model.AssessmentRow
	for _, r := range rows {
		if (r.Status == model.StatusDraft || r.Status == model.StatusReturned) && s.deadlinePassed(r.SelfDue.Time) {
			out = append(out, r)
		}
	}
	return out
}

// Remind sends a reminder to the people of one school (unitCode) or, with
// unitCode empty, of every late school of the campaign in the actor's
// scope (self-assessment not submitted after its deadline). Each
// assessment's history records who was reminded, by whom, when. It
// returns how many schools were reminded.
func (s *Service) Remind(ctx context.Context, a *model.Actor, campaignID int64, unitCode, message string) (int, error) {
	if !a.Role.Evaluator() && a.Role != model.RoleAdmin {
		return 0, model.ErrForbidden
	}
	message = model.CleanText(message)
	if message == "" {
		message = model.DefaultReminder
	}
	if len([]rune(message)) > 2000 {
		return 0, wrap("remind", errkind.Field("message", "Lời nhắc quá dài (tối đa 2000 ký tự).", "the reminder is too long (2000 characters at most)"))
	}
	rows, err := s.CampaignAssessments(ctx, a, campaignID)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for _, r := range rows {
		if unitCode != "" && r.UnitCode == unitCode {
			if r.Status != model.StatusDraft && r.Status != model.StatusReturned {
				return 0, errkind.New(errkind.Conflict, "Đơn vị "+unitCode+" đã nộp bản tự đánh giá: không cần nhắc.", "unit "+unitCode+" has already submitted: no reminder needed")
			}
			ids = append(ids, r.ID)
		}
	}
	if unitCode == "" {
		for _, r := range s.LateSchools(rows) {
			ids = append(ids, r.ID)
		}
	}
	if unitCode != "" && len(ids) == 0 {
		return 0, errkind.New(errkind.NotFound, fmt.Sprintf("Đợt đánh giá không có đơn vị %s trong phạm vi của bạn.", unitCode), "no such unit in your scope")
	}
	n := 0
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		for _, id := range ids {
			var unitID int64
			if err := tx.QueryRow(ctx, `SELECT unit_id FROM assessments WHERE id = $1`, id).Scan(&unitID); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, `SELECT username FROM users WHERE unit_id = $1 AND role IN ('school', 'office') AND locked_at IS NULL ORDER BY id`, unitID)
			if err != nil {
				return err
			}
			names, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			if err := s.notifySchool(ctx, tx, id, model.NoticeReminder, map[string]string{"message": message}, nil); err != nil {
				return err
			}
			who := strings.Join(names, ", ")
			if who == "" {
				who = "(không có tài khoản / no account)"
			}
			if err := s.event(ctx, tx, id, a, "remind", "", "", fmt.Sprintf("Nhắc nhở %s: %s", who, message)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, wrap("remind", err)
}

// SendScheduledReminders sends the reminders the calendar calls for today
// (Vietnamese date): to the schools that have not submitted, 7, 3 and 1
// days before their deadline; to the reviewing offices' evaluators, 3 days
// before a campaign's review (publication) date while reviews are open.
// Each is keyed by its date, so running it again — on another instance,
// or twice a day — sends nothing twice. It returns how many notices it
// recorded.
func (s *Service) SendScheduledReminders(ctx context.Context) (int, error) {
	now := s.Now().In(model.Vietnam)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	n := 0
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// Only schools with an account: most of a national campaign has none.
		rows, err := tx.Query(ctx, `SELECT x.id, coalesce(x.self_due, c.self_due) FROM assessments x JOIN campaigns c ON c.id = x.campaign_id
			WHERE c.status = 'open' AND x.status IN ('draft', 'returned') AND coalesce(x.self_due, c.self_due) - $1::date IN (7, 3, 1)
			AND EXISTS (SELECT 1 FROM users u WHERE u.unit_id = x.unit_id AND u.role IN ('school', 'office') AND u.locked_at IS NULL)
			ORDER BY x.id`, today)
		if err != nil {
			return err
		}
		type due struct {
			id  int64
			day time.Time
		}
		list, err := postgres.Collect(rows, func(d *due) []any { return []any{&d.id, &d.day} })
		if err != nil {
			return err
		}
		for _, d := range list {
			days := int(d.day.Sub(today).Hours() / 24)
			key := fmt.Sprintf("deadline:%d:%s", d.id, d.day.Format("2006-01-02"))
			keyDays := fmt.Sprintf("%s:%d", key, days)
			k, err := s.notifySchoolN(ctx, tx, d.id, model.NoticeDeadline, map[string]string{"days": fmt.Sprint(days), "due": d.day.Format("02/01/2006")},
				func(int64) string { return keyDays })
			if err != nil {
				return err
			}
			n += k
		}
		// Reviews still open 3 days before the publication (review) date:
		// for each submitted assessment, the evaluators above it of the
		// office the campaign routes its school level to (routing.go: the
		// commune, the district or the Sở), each counting the assessments
		// it is to review. A level routed nowhere (and an office's own
		// assessment) goes to every evaluator above, as before routing.
		rows, err = tx.Query(ctx, `SELECT c.id, c.name, c.review_due, u.id, count(DISTINCT x.id)
			FROM campaigns c
			JOIN assessments x ON x.campaign_id = c.id AND x.status = 'submitted'
			JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
			LEFT JOIN campaign_reviewers r ON r.campaign_id = x.campaign_id AND r.school_level = x.school_level
			JOIN users u ON u.unit_id = ANY(cu.path) AND u.locked_at IS NULL
				AND u.role = ANY (CASE r.office_kind WHEN 'commune' THEN '{commune}'::text[] WHEN 'district' THEN '{district}'::text[]
					WHEN 'province' THEN '{province}'::text[] ELSE '{province,district,commune}'::text[] END)
			WHERE c.status = 'open' AND c.review_due - $1::date = 3
			GROUP BY c.id, c.name, c.review_due, u.id ORDER BY c.id, u.id`, today)
		if err != nil {
			return err
		}
		type rd struct {
			campaign int64
			name     string
			day      time.Time
			user     int64
			open     int
		}
		rds, err := postgres.Collect(rows, func(v *rd) []any { return []any{&v.campaign, &v.name, &v.day, &v.user, &v.open} })
		if err != nil {
			return err
		}
		for _, v := range rds {
			ok, err := s.record(ctx, tx, Notice{UserID: v.user, Kind: model.NoticeReviewsDue, Link: fmt.Sprintf("/campaigns/%d?status=submitted", v.campaign),
				Params:    map[string]string{"campaign": v.name, "open": fmt.Sprint(v.open), "due": v.day.Format("02/01/2006")},
				DedupeKey: fmt.Sprintf("reviews_due:%d:%s", v.campaign, v.day.Format("2006-01-02"))})
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		return nil
	})
	return n, wrap("scheduled reminders", err)
}
