package survey

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// Office campaigns (issue 13): a campaign on an agency set assesses the
// education offices of its scope (the Sở; before July 2025 the Phòng too).
//
// Who does what:
//   - the office's own staff (RoleOffice, scoped to the office's unit) fill
//     its self-assessment, with evidence, autosave and submit, exactly as a
//     school's people fill the school's; they read their own assessment only;
//   - the level above reviews it: the Ministry (RoleMinistry) for a Sở, the
//     Sở (RoleProvince) for a Phòng; nobody reviews their own office's
//     assessment (the Sở's evaluators do not approve the Sở).
//
// Filling and reviewing are kept in different roles so that the rights
// stay disjoint, as they are for schools: an evaluator's account never
// writes a self-assessment, and a self-assessor never reviews.

// Rollups returns the roll-up values of an office's assessment, by
// indicator, with their provenance (read rule of the assessment).
func (s *Service) Rollups(ctx context.Context, a *model.Actor, id int64) (map[string]model.RollupView, error) {
	if _, err := s.header(ctx, nil, a, id, false); err != nil {
		return nil, err
	}
	return s.rollupViews(ctx, id)
}

func (s *Service) rollupViews(ctx context.Context, id int64) (map[string]model.RollupView, error) {
	rows, err := s.pool.Query(ctx, `SELECT r.indicator, r.value, r.counted, r.schools, r.school_campaign_id, c.name, r.revision, r.computed_at, r.frozen_at
		FROM rollup_values r JOIN campaigns c ON c.id = r.school_campaign_id WHERE r.assessment_id = $1`, id)
	if err != nil {
		return nil, wrap("roll-ups", err)
	}
	defer rows.Close()
	out := map[string]model.RollupView{}
	for rows.Next() {
		var code string
		var v model.RollupView
		if err := rows.Scan(&code, &v.Value, &v.Counted, &v.Schools, &v.SchoolCampaignID, &v.SchoolCampaignName, &v.Revision, &v.ComputedAt, &v.FrozenAt); err != nil {
			return nil, wrap("roll-ups", err)
		}
		out[code] = v
	}
	return out, wrap("roll-ups", rows.Err())
}

// schoolCampaignOf checks the school campaign an agency campaign reads:
// it exists, the actor sees it, it is on a school set, and its tree holds
// units under the agency campaign's root.
func (s *Service) schoolCampaignOf(ctx context.Context, a *model.Actor, id int64, root *model.Unit, fe errkind.FieldErrors) {
	c, err := s.Campaign(ctx, a, id)
	if err != nil {
		fe.Add("school_campaign_id", fmt.Sprintf("Không có đợt đánh giá trường học số %d.", id), fmt.Sprintf("no school campaign %d", id))
		return
	}
	set, err := s.set(ctx, s.pool, c.SetCode, c.SetVersion)
	if err != nil || set.Assessed == indicators.AssessedAgency {
		fe.Add("school_campaign_id", "Đợt đánh giá được chọn không phải đợt đánh giá trường học.", "the campaign chosen does not assess schools")
		return
	}
	if root != nil {
		var n int
		_ = s.pool.QueryRow(ctx, `SELECT count(*) FROM campaign_units WHERE campaign_id = $1 AND $2 = ANY(path)`, id, root.ID).Scan(&n)
		if n == 0 {
			fe.Add("school_campaign_id", "Đợt đánh giá trường học không có đơn vị nào thuộc "+root.Code+".",
				"the school campaign holds no unit under "+root.Code)
		}
	}
}

// officeHeader locks an assessment for the system's own write (no actor)
// and loads its set.
func (s *Service) officeHeader(ctx context.Context, tx pgx.Tx, id int64) (*model.Assessment, error) {
	x, err := scanHeader(tx.QueryRow(ctx, headerSQL(true), id), id)
	if err != nil {
		return nil, err
	}
	if x.Set, err = s.set(ctx, tx, x.SetCode, x.SetVersion); err != nil {
		return nil, err
	}
	return x, nil
}

// errNoSchoolCampaign: an office's roll-ups need the school campaign.
var errNoSchoolCampaign = errkind.New(errkind.Conflict,
	"Đợt đánh giá này chưa gắn với đợt đánh giá trường học nên chưa tính được các chỉ số tổng hợp từ kết quả của trường.",
	"this campaign names no school campaign, so the roll-up indicators cannot be computed from the schools' results")

// refreshRollups recomputes the roll-up indicators of the office's
// assessment x (locked by the caller) from the validated published results
// of its schools in the linked school campaign, and stores them as its
// answers and as rollup_values, rescoring when anything changed. A frozen
// assessment (submitted once) is left alone. It reports whether the
// campaign names a school campaign.
func (s *Service) refreshRollups(ctx context.Context, tx pgx.Tx, x *model.Assessment) (bool, error) {
	rollups := x.Set.Rollups()
	if !x.IsOffice() || len(rollups) == 0 {
		return true, nil
	}
	var frozen bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM rollup_values WHERE assessment_id = $1 AND frozen_at IS NOT NULL)`, x.ID).Scan(&frozen); err != nil {
		return false, err
	}
	if frozen {
		return true, nil
	}
	var schoolCampaign *int64
	if err := tx.QueryRow(ctx, `SELECT school_campaign_id FROM campaigns WHERE id = $1`, x.CampaignID).Scan(&schoolCampaign); err != nil {
		return false, err
	}
	if schoolCampaign == nil {
		return false, nil
	}
	schools, revision, err := officeSchools(ctx, tx, *schoolCampaign, x.UnitID)
	if err != nil {
		return true, err
	}
	changed := false
	for _, ind := range rollups {
		v, err := indicators.ComputeRollup(*ind.Rollup, schools)
		if err != nil {
			return true, err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO rollup_values (assessment_id, indicator, value, counted, schools, school_campaign_id, revision, computed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (assessment_id, indicator) DO UPDATE SET value = EXCLUDED.value, counted = EXCLUDED.counted, schools = EXCLUDED.schools,
				school_campaign_id = EXCLUDED.school_campaign_id, revision = EXCLUDED.revision, computed_at = EXCLUDED.computed_at
			WHERE rollup_values.frozen_at IS NULL AND (rollup_values.value, rollup_values.counted, rollup_values.schools, rollup_values.school_campaign_id, rollup_values.revision)
				IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.counted, EXCLUDED.schools, EXCLUDED.school_campaign_id, EXCLUDED.revision)`,
			x.ID, ind.Code, v.Value, v.Counted, v.Schools, *schoolCampaign, revision, s.Now())
		if err != nil {
			return true, err
		}
		if tag.RowsAffected() == 0 {
			continue
		}
		changed = true
		raw, err := json.Marshal(indicators.NumberAnswer(v.Value))
		if err != nil {
			return true, err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO answers (assessment_id, indicator, value, version, updated_by, updated_at) VALUES ($1, $2, $3, 1, NULL, $4)
			ON CONFLICT (assessment_id, indicator) DO UPDATE SET value = EXCLUDED.value, version = answers.version + 1, updated_by = NULL, updated_at = EXCLUDED.updated_at`,
			x.ID, ind.Code, raw, s.Now()); err != nil {
			return true, err
		}
	}
	if changed {
		if _, _, err := s.rescore(ctx, tx, x); err != nil {
			return true, err
		}
	}
	return true, nil
}

// officeSchools reads, for an office's unit, its assessed schools in the
// school campaign (by the campaign's own tree, campaign_units) with their
// latest published validated result, and the campaign's latest revision.
func officeSchools(ctx context.Context, tx pgx.Tx, schoolCampaignID, unitID int64) ([]indicators.SchoolResult, int, error) {
	var revision int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(revision), 0) FROM publications WHERE campaign_id = $1`, schoolCampaignID).Scan(&revision); err != nil {
		return nil, 0, err
	}
	rows, err := tx.Query(ctx, `SELECT u.code, pr.assessment_id IS NOT NULL, coalesce(pr.index, 0), coalesce(pr.level, 0)
		FROM assessments x
		JOIN units u ON u.id = x.unit_id
		JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		LEFT JOIN LATERAL (SELECT r.assessment_id, r.index, r.level FROM published_results r JOIN publications p ON p.id = r.publication_id
			WHERE r.campaign_id = x.campaign_id AND r.assessment_id = x.id ORDER BY p.revision DESC LIMIT 1) pr ON true
		WHERE x.campaign_id = $1 AND $2 = ANY(cu.path) ORDER BY u.code`, schoolCampaignID, unitID)
	if err != nil {
		return nil, 0, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indicators.SchoolResult, error) {
		var sr indicators.SchoolResult
		err := r.Scan(&sr.Unit, &sr.Validated, &sr.Index, &sr.Level)
		// Published means approved: a publication holds approved
		// assessments only.
		sr.Approved = sr.Validated
		return sr, err
	})
	return out, revision, err
}

// freezeRollups is the submission's part: the roll-ups are computed one
// last time and frozen, so the value the office is judged on never moves
// afterwards.
func (s *Service) freezeRollups(ctx context.Context, tx pgx.Tx, x *model.Assessment) error {
	if !x.IsOffice() || len(x.Set.Rollups()) == 0 {
		return nil
	}
	linked, err := s.refreshRollups(ctx, tx, x)
	if err != nil {
		return err
	}
	if !linked {
		return errNoSchoolCampaign
	}
	_, err = tx.Exec(ctx, `UPDATE rollup_values SET frozen_at = $2 WHERE assessment_id = $1 AND frozen_at IS NULL`, x.ID, s.Now())
	return err
}

// refreshCampaignRollups refreshes the roll-ups of every office
// assessment, not yet frozen, of the agency campaigns that read
// schoolCampaignID (or of campaign agencyID itself when not 0), inside
// the caller's transaction, in id order (the lock order of saves).
func (s *Service) refreshCampaignRollups(ctx context.Context, tx pgx.Tx, schoolCampaignID, agencyID int64) error {
	rows, err := tx.Query(ctx, `SELECT x.id FROM assessments x JOIN campaigns c ON c.id = x.campaign_id
		WHERE (c.school_campaign_id = $1 OR c.id = $2) AND c.school_campaign_id IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM rollup_values r WHERE r.assessment_id = x.id AND r.frozen_at IS NOT NULL)
		ORDER BY x.id`, schoolCampaignID, agencyID)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	for _, id := range ids {
		x, err := s.officeHeader(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := s.refreshRollups(ctx, tx, x); err != nil {
			return err
		}
	}
	return nil
}

// RefreshRollups recomputes the roll-ups of an agency campaign's office
// assessments that are not yet frozen (admins, or the campaign's owners:
// publication refreshes them too).
func (s *Service) RefreshRollups(ctx context.Context, a *model.Actor, campaignID int64) error {
	if !a.Is(model.RoleAdmin, model.RoleProvince, model.RoleMinistry) {
		return model.ErrForbidden
	}
	if _, err := s.Campaign(ctx, a, campaignID); err != nil {
		return err
	}
	return wrap("refresh roll-ups", s.inTx(ctx, func(tx pgx.Tx) error {
		return s.refreshCampaignRollups(ctx, tx, -1, campaignID)
	}))
}
