package survey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/dxindex/dxindex/internal/setstore/setview"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
	"golang.org/x/text/unicode/norm"
)

const campaignColumns = `c.id, c.name, c.set_code, c.set_version, r.code, r.name, r.path, c.status,
	c.opens_on, c.self_due, c.review_due, c.published_revision, c.created_at, c.four_eyes, c.reply_days, c.school_campaign_id`

func scanCampaign(row pgx.Row) (*model.Campaign, error) {
	var c model.Campaign
	err := row.Scan(&c.ID, &c.Name, &c.SetCode, &c.SetVersion, &c.RootUnitCode, &c.RootUnitName, &c.RootPath, &c.Status,
		&c.OpensOn.Time, &c.SelfDue.Time, &c.ReviewDue.Time, &c.PublishedRevision, &c.CreatedAt, &c.FourEyes, &c.ReplyDays, &c.SchoolCampaignID)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// defaultDates fills the sector's calendar: self-assessment due 31 May,
// review due 20 June (Decision 4725's practice).
func defaultDates(in *model.CampaignInput, today time.Time) {
	if in.OpensOn.IsZero() {
		in.OpensOn = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	}
	if in.SelfDue.IsZero() {
		d := time.Date(in.OpensOn.Year(), time.May, 31, 0, 0, 0, 0, time.UTC)
		if d.Before(in.OpensOn) {
			d = d.AddDate(1, 0, 0)
		}
		in.SelfDue = d
	}
	if in.ReviewDue.IsZero() {
		d := time.Date(in.SelfDue.Year(), time.June, 20, 0, 0, 0, 0, time.UTC)
		if d.Before(in.SelfDue) {
			d = d.AddDate(1, 0, 0)
		}
		in.ReviewDue = d
	}
}

// CreateCampaign creates a campaign and opens it: in one transaction it
// locks the set version, records where every unit of the subtree stands,
// and creates one assessment per unit the set applies to (schools of the
// set's school levels, or education offices for an agency set).
func (s *Service) CreateCampaign(ctx context.Context, a *model.Actor, in model.CampaignInput) (*model.Campaign, error) {
	if !a.Is(model.RoleAdmin, model.RoleProvince) {
		return nil, model.ErrForbidden
	}
	in.Name = norm.NFC.String(strings.Join(strings.Fields(in.Name), " "))
	in.SetCode = strings.TrimSpace(in.SetCode)
	in.SetVersion = strings.TrimSpace(in.SetVersion)
	in.RootUnitCode = strings.TrimSpace(in.RootUnitCode)
	defaultDates(&in, s.Now().In(model.Vietnam))
	fe := errkind.FieldErrors{}
	if in.Name == "" {
		fe.Add("name", "Cần nhập tên đợt đánh giá.", "the name is required")
	} else if len([]rune(in.Name)) > 200 {
		fe.Add("name", "Tên dài quá 200 ký tự.", "the name is longer than 200 characters")
	}
	var set *setview.Stored
	if in.SetCode == "" {
		fe.Add("set_code", "Cần chọn bộ chỉ số.", "choose an indicator set")
	} else {
		var err error
		if in.SetVersion == "" {
			set, err = setstore.Latest(ctx, s.pool, in.SetCode)
		} else {
			set, err = setstore.Get(ctx, s.pool, in.SetCode, in.SetVersion)
		}
		if errors.Is(err, errkind.NotFound) {
			name := strings.TrimSpace(in.SetCode + " " + in.SetVersion)
			fe.Add("set_code", "Không có bộ chỉ số "+name+".", "no indicator set "+name)
		} else if err != nil {
			return nil, wrap("create campaign", err)
		}
	}
	var root *model.Unit
	if in.RootUnitCode == "" {
		fe.Add("root_unit_code", "Cần chọn đơn vị (phạm vi đánh giá).", "choose the unit whose subtree is assessed")
	} else {
		u, err := s.UnitByCode(ctx, in.RootUnitCode)
		switch {
		case errors.Is(err, errkind.NotFound):
			fe.Add("root_unit_code", "Không có đơn vị mã "+in.RootUnitCode+".", "no unit with code "+in.RootUnitCode)
		case err != nil:
			return nil, wrap("create campaign", err)
		case !a.Covers(u.Path):
			fe.Add("root_unit_code", "Đơn vị nằm ngoài phạm vi của bạn.", "the unit is outside your scope")
		default:
			root = u
		}
	}
	if in.SelfDue.Before(in.OpensOn) {
		fe.Add("self_due", "Hạn tự đánh giá phải sau ngày mở.", "the self-assessment deadline must not be before the opening")
	}
	if in.ReviewDue.Before(in.SelfDue) {
		fe.Add("review_due", "Hạn thẩm định phải sau hạn tự đánh giá.", "the review deadline must not be before the self-assessment deadline")
	}
	if in.ReplyDays == 0 {
		in.ReplyDays = DefaultReplyDays
	}
	if in.ReplyDays < 1 || in.ReplyDays > 60 {
		fe.Add("reply_days", "Thời hạn phản hồi phải từ 1 đến 60 ngày.", "the reply window is 1 to 60 days")
	}
	if in.SchoolCampaignID != 0 {
		if set != nil && set.Assessed != indicators.AssessedAgency {
			fe.Add("school_campaign_id", "Chỉ đợt đánh giá cơ quan quản lý mới đọc kết quả của một đợt đánh giá trường học.",
				"only a campaign on an agency set reads a school campaign")
		} else {
			s.schoolCampaignOf(ctx, a, in.SchoolCampaignID, root, fe)
		}
	}
	if err := fe.Err(); err != nil {
		return nil, wrap("create campaign", err)
	}
	var schoolCampaign *int64
	if in.SchoolCampaignID != 0 {
		schoolCampaign = &in.SchoolCampaignID
	}

	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := setstore.Lock(ctx, tx, set.Code, set.Version); err != nil {
			return err
		}
		const q = `INSERT INTO campaigns (name, set_code, set_version, root_unit_id, opens_on, self_due, review_due, created_by, four_eyes, reply_days, school_campaign_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`
		var by *int64
		if a.UserID != 0 {
			by = &a.UserID
		}
		if err := tx.QueryRow(ctx, q, in.Name, set.Code, set.Version, root.ID, in.OpensOn, in.SelfDue, in.ReviewDue, by, in.FourEyes, in.ReplyDays, schoolCampaign).Scan(&id); err != nil {
			return err
		}
		const snap = `INSERT INTO campaign_units (campaign_id, unit_id, parent_id, path)
			SELECT $1, id, parent_id, path FROM units WHERE $2 = ANY(path) AND valid_to IS NULL`
		if _, err := tx.Exec(ctx, snap, id, root.ID); err != nil {
			return err
		}
		if err := s.createAssessments(ctx, tx, id, root.ID, set); err != nil {
			return err
		}
		// An office campaign starts with its schools' published results.
		return s.refreshCampaignRollups(ctx, tx, -1, id)
	})
	if err != nil {
		return nil, wrap("create campaign", err)
	}
	return s.Campaign(ctx, a, id)
}

// createAssessments inserts one draft assessment per unit the set applies to.
func (s *Service) createAssessments(ctx context.Context, tx pgx.Tx, campaignID, rootID int64, set *setview.Stored) error {
	if set.Assessed == indicators.AssessedAgency {
		const q = `INSERT INTO assessments (campaign_id, unit_id, applicable)
			SELECT $1, u.id, $3 FROM units u JOIN unit_kinds k ON k.code = u.kind
			WHERE $2 = ANY(u.path) AND k.assessed = 'agency' AND u.valid_to IS NULL`
		_, err := tx.Exec(ctx, q, campaignID, rootID, len(model.ApplicableIndicators(set.Set, "")))
		return err
	}
	rows, err := tx.Query(ctx, `SELECT u.id, u.school_levels FROM units u JOIN unit_kinds k ON k.code = u.kind
		WHERE $1 = ANY(u.path) AND k.assessed = 'school' AND u.valid_to IS NULL ORDER BY u.id`, rootID)
	if err != nil {
		return err
	}
	type pick struct {
		id    int64
		level string
	}
	var picks []pick
	for rows.Next() {
		var id int64
		var levels []string
		if err := rows.Scan(&id, &levels); err != nil {
			rows.Close()
			return err
		}
		if level, ok := appliesTo(set.Set, levels); ok {
			picks = append(picks, pick{id, level})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	batch := &pgx.Batch{}
	// applicable is known from the start, so progress reads 0/N, not 0/0.
	applicable := map[string]int{}
	for _, p := range picks {
		if _, ok := applicable[p.level]; !ok {
			applicable[p.level] = len(model.ApplicableIndicators(set.Set, p.level))
		}
		batch.Queue(`INSERT INTO assessments (campaign_id, unit_id, school_level, applicable) VALUES ($1, $2, $3, $4)`, campaignID, p.id, p.level, applicable[p.level])
	}
	return tx.SendBatch(ctx, batch).Close()
}

// appliesTo decides whether a school set assesses a school with levels,
// and as which level. Preschool classes are not assessed by the school
// sets (4725 covers general and continuing education), so a school that is
// only a preschool gets no assessment.
func appliesTo(set *indicators.Set, levels []string) (string, bool) {
	var assessed []string
	for _, l := range levels {
		if l != "preschool" {
			assessed = append(assessed, l)
		}
	}
	level := AssessedLevel(assessed)
	if level == "" {
		return "", false
	}
	if set == nil || len(set.SchoolLevels) == 0 {
		return level, true
	}
	return level, slices.Contains(set.SchoolLevels, level)
}

// Campaign returns a campaign the actor may see, with its assessments
// counted by status within the actor's scope.
func (s *Service) Campaign(ctx context.Context, a *model.Actor, id int64) (*model.Campaign, error) {
	if a == nil {
		return nil, model.ErrForbidden
	}
	const q = `SELECT ` + campaignColumns + ` FROM campaigns c JOIN units r ON r.id = c.root_unit_id WHERE c.id = $1`
	c, err := scanCampaign(s.pool.QueryRow(ctx, q, id))
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !a.Overlaps(c.RootPath)) {
		return nil, errkind.New(errkind.NotFound, fmt.Sprintf("Không có đợt đánh giá số %d.", id), fmt.Sprintf("no campaign %d", id))
	}
	if err != nil {
		return nil, wrap("campaign", err)
	}
	counts, err := s.countAssessments(ctx, a, []int64{c.ID})
	if err != nil {
		return nil, err
	}
	c.Assessments = counts[c.ID]
	return c, nil
}

// CampaignScope returns the root path of a campaign, for scope checks.
func (s *Service) CampaignScope(ctx context.Context, id int64) ([]int64, error) {
	var path []int64
	err := s.pool.QueryRow(ctx, `SELECT r.path FROM campaigns c JOIN units r ON r.id = c.root_unit_id WHERE c.id = $1`, id).Scan(&path)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errkind.New(errkind.NotFound, fmt.Sprintf("Không có đợt đánh giá số %d.", id), fmt.Sprintf("no campaign %d", id))
	}
	return path, wrap("campaign", err)
}

// ListCampaigns lists the campaigns that touch the actor's scope, newest first.
func (s *Service) ListCampaigns(ctx context.Context, a *model.Actor) ([]*model.Campaign, error) {
	if a == nil {
		return nil, model.ErrForbidden
	}
	q := `SELECT ` + campaignColumns + ` FROM campaigns c JOIN units r ON r.id = c.root_unit_id`
	var args []any
	if !(a.Role == model.RoleAdmin && a.UnitID == 0) {
		q += ` WHERE $1 = ANY(r.path) OR r.id = ANY($2)`
		args = append(args, a.UnitID, a.UnitPath)
	}
	q += ` ORDER BY c.opens_on DESC, c.id DESC`
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, wrap("list campaigns", err)
	}
	var out []*model.Campaign
	var ids []int64
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			rows.Close()
			return nil, wrap("list campaigns", err)
		}
		out = append(out, c)
		ids = append(ids, c.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("list campaigns", err)
	}
	counts, err := s.countAssessments(ctx, a, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range out {
		c.Assessments = counts[c.ID]
	}
	return out, nil
}

// countAssessments counts assessments by campaign and status, within the
// actor's scope (by where the unit stood in each campaign).
func (s *Service) countAssessments(ctx context.Context, a *model.Actor, ids []int64) (map[int64]map[string]int, error) {
	q := `SELECT x.campaign_id, x.status, count(*) FROM assessments x
		JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		WHERE x.campaign_id = ANY($1)`
	args := []any{ids}
	if !(a.Role == model.RoleAdmin && a.UnitID == 0) {
		q += ` AND $2 = ANY(cu.path)`
		args = append(args, a.UnitID)
		if a.Role == model.RoleOffice { // an office's staff: their own assessment only
			q += ` AND x.unit_id = $2`
		}
	}
	q += ` GROUP BY 1, 2`
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, wrap("count assessments", err)
	}
	defer rows.Close()
	out := map[int64]map[string]int{}
	for rows.Next() {
		var id int64
		var status string
		var n int
		if err := rows.Scan(&id, &status, &n); err != nil {
			return nil, wrap("count assessments", err)
		}
		if out[id] == nil {
			out[id] = map[string]int{}
		}
		out[id][status] = n
	}
	return out, wrap("count assessments", rows.Err())
}

// CampaignAssessments lists a campaign's assessments inside the actor's
// scope, by where each unit stood in the campaign. Leaders (viewers) see
// no unpublished assessment.
func (s *Service) CampaignAssessments(ctx context.Context, a *model.Actor, campaignID int64, f ...model.QueueFilter) ([]model.AssessmentRow, error) {
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return nil, err
	}
	if a.Role == model.RoleViewer {
		return []model.AssessmentRow{}, nil
	}
	q := `SELECT x.id, u.code, u.name, coalesce(p.code, ''), coalesce(p.name, ''), x.school_level, x.status, x.submitted_at,
			x.self_index, x.self_level, x.validated_index, x.validated_level, x.answered, x.applicable,
			coalesce(x.self_due, c.self_due)
		FROM assessments x
		JOIN campaigns c ON c.id = x.campaign_id
		JOIN units u ON u.id = x.unit_id
		JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		LEFT JOIN units p ON p.id = cu.parent_id
		WHERE x.campaign_id = $1`
	args := []any{campaignID}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if !(a.Role == model.RoleAdmin && a.UnitID == 0) {
		q += ` AND ` + arg(a.UnitID) + ` = ANY(cu.path)`
		if a.Role == model.RoleOffice { // an office's staff: their own assessment only
			q += ` AND x.unit_id = $` + strconv.Itoa(len(args))
		}
	}
	if len(f) > 0 {
		if f[0].Status != "" {
			q += ` AND x.status = ` + arg(f[0].Status)
		}
		if f[0].ParentCode != "" {
			q += ` AND p.code = ` + arg(f[0].ParentCode)
		}
		if f[0].SchoolLevel != "" {
			q += ` AND x.school_level = ` + arg(f[0].SchoolLevel)
		}
	}
	q += ` ORDER BY p.name COLLATE "vi-x-icu", u.name COLLATE "vi-x-icu", u.code`
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, wrap("campaign assessments", err)
	}
	reviewLate := s.deadlinePassed(c.ReviewDue.Time)
	set, err := s.set(ctx, s.pool, c.SetCode, c.SetVersion)
	if err != nil {
		return nil, wrap("campaign assessments", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.AssessmentRow, error) {
		var x model.AssessmentRow
		err := r.Scan(&x.ID, &x.UnitCode, &x.UnitName, &x.ParentCode, &x.ParentName, &x.SchoolLevel, &x.Status, &x.SubmittedAt,
			&x.SelfIndex, &x.SelfLevel, &x.ValidatedIndex, &x.ValidatedLevel, &x.Answered, &x.Applicable, &x.SelfDue.Time)
		// Each school's own deadline (an extension), the lock's rule.
		x.Overdue = (s.deadlinePassed(x.SelfDue.Time) && x.Status == model.StatusDraft) || (reviewLate && x.Status == model.StatusSubmitted)
		if x.Applicable == 0 {
			// Untouched: nothing stored yet; "0/28", not "0/0".
			x.Applicable = len(model.ApplicableIndicators(set, x.SchoolLevel))
		}
		return x, err
	})
	if out == nil {
		out = []model.AssessmentRow{}
	}
	return out, wrap("campaign assessments", err)
}

// InstallShippedSets stores the sets dxindex ships (moet-4725,
// moet-agency, example) so campaigns can use them. Unchanged sets are left
// alone; a shipped set whose version a campaign locked but whose content
// changed is reported, not overwritten.
func (s *Service) InstallShippedSets(ctx context.Context) ([]string, error) {
	var notes []string
	for _, set := range indicators.Shipped() {
		_, outcome, err := setstore.Save(ctx, s.pool, set)
		if err != nil {
			if errors.Is(err, errkind.Conflict) {
				notes = append(notes, fmt.Sprintf("%s %s: %v", set.Code, set.Version, err))
				continue
			}
			return notes, wrap("install shipped sets", err)
		}
		if outcome != setview.SaveUnchanged {
			notes = append(notes, fmt.Sprintf("%s %s: %s", set.Code, set.Version, outcome))
		}
	}
	return notes, nil
}

// MyAssessments lists the assessments of the actor's own unit (a school's
// people), newest campaign first.
func (s *Service) MyAssessments(ctx context.Context, a *model.Actor) ([]model.MyAssessment, error) {
	if a == nil || (a.Role != model.RoleSchool && a.Role != model.RoleOffice) {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT x.id, c.id, c.name, x.status, coalesce(x.self_due, c.self_due), x.self_index, x.self_level, x.answered, x.applicable,
			c.set_code, c.set_version, x.school_level
		FROM assessments x JOIN campaigns c ON c.id = x.campaign_id WHERE x.unit_id = $1 ORDER BY c.opens_on DESC, c.id DESC`, a.UnitID)
	if err != nil {
		return nil, wrap("my assessments", err)
	}
	type row struct {
		model.MyAssessment
		setCode, setVersion, level string
	}
	got, err := postgres.Collect(rows, func(m *row) []any {
		return []any{&m.ID, &m.CampaignID, &m.CampaignName, &m.Status, &m.SelfDue.Time, &m.SelfIndex, &m.SelfLevel, &m.Answered, &m.Applicable,
			&m.setCode, &m.setVersion, &m.level}
	})
	if err != nil {
		return nil, wrap("my assessments", err)
	}
	out := make([]model.MyAssessment, len(got))
	for i, m := range got {
		if m.Applicable == 0 {
			// Untouched: nothing stored yet; "0/28", not "0/0" (as the
			// campaign's list says).
			set, err := s.set(ctx, s.pool, m.setCode, m.setVersion)
			if err != nil {
				return nil, wrap("my assessments", err)
			}
			m.Applicable = len(model.ApplicableIndicators(set, m.level))
		}
		out[i] = m.MyAssessment
	}
	return out, nil
}
