package survey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/internal/sampling"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

func stratumOf(in model.SampleInput, level, area string) string {
	var parts []string
	if in.ByLevel {
		parts = append(parts, level)
	}
	if in.ByArea {
		parts = append(parts, area)
	}
	return strings.Join(parts, "/")
}

// sampleScope checks that the actor may draw for the campaign and returns
// the campaign's scope unit for them.
func (s *Service) sampleScope(ctx context.Context, a *model.Actor, campaignID int64) (*model.Campaign, int64, error) {
	if !a.Is(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune) {
		return nil, 0, model.ErrForbidden
	}
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return nil, 0, err
	}
	return c, publishScope(a, c), nil
}

// DrawSample draws the schools the actor's office verifies in a campaign:
// once per campaign and scope, from the assessments submitted in the
// scope that the office reviews (the campaign's routing). The seed, the parameters, the list and the drawn units are
// stored and never changed.
func (s *Service) DrawSample(ctx context.Context, a *model.Actor, campaignID int64, in model.SampleInput) (*model.Sample, error) {
	c, scope, err := s.sampleScope(ctx, a, campaignID)
	if err != nil {
		return nil, wrap("draw sample", err)
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT id FROM campaigns WHERE id = $1 FOR UPDATE`, campaignID); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sample_draws WHERE campaign_id = $1 AND scope_unit_id = $2 AND enlarges IS NULL)`,
			campaignID, scope).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return errkind.New(errkind.Conflict, "Đợt này đã rút mẫu trong phạm vi của bạn; mẫu không rút lại được.", "a sample was already drawn for this campaign in your scope; it cannot be drawn again")
		}
		set, err := s.set(ctx, tx, c.SetCode, c.SetVersion)
		if err != nil {
			return err
		}
		// Eligible: submitted, in the scope, and reviewed by the actor's
		// office under the campaign's routing (the rule of CanReview).
		rows, err := tx.Query(ctx, `SELECT x.id, u.code, x.school_level, coalesce(p.code, ''), x.unit_id, cu.path, `+reviewOfficeSQL+`
			FROM assessments x
			JOIN units u ON u.id = x.unit_id
			JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
			LEFT JOIN units p ON p.id = cu.parent_id
			WHERE x.campaign_id = $1 AND $2 = ANY(cu.path) AND x.status = 'submitted'
			ORDER BY u.code`, campaignID, scope)
		if err != nil {
			return err
		}
		type elig struct {
			id    int64
			level string
		}
		byCode := map[string]elig{}
		var units []sampling.Unit
		for rows.Next() {
			var e elig
			var code, area string
			x := model.Assessment{Set: set}
			if err := rows.Scan(&e.id, &code, &e.level, &area, &x.UnitID, &x.Path, &x.ReviewOffice); err != nil {
				rows.Close()
				return err
			}
			if !x.CanReview(a) {
				continue
			}
			byCode[code] = e
			units = append(units, sampling.Unit{Code: code, Stratum: stratumOf(in, e.level, area)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := in.Check(len(units)); err != nil {
			return err
		}
		if len(units) == 0 {
			return errkind.New(errkind.Conflict, "Chưa có bản tự đánh giá nào đã nộp trong phạm vi này để rút mẫu.", "no submitted assessment in this scope to draw from")
		}
		drawn, order, err := sampling.Draw(in.Seed, units, sampling.Params{Size: in.Size, ShareBP: in.ShareBP})
		if err != nil {
			return errkind.New(errkind.Invalid, "Không rút được mẫu: "+err.Error(), err.Error())
		}
		isDrawn := map[string]bool{}
		for _, r := range drawn {
			isDrawn[r.Code] = true
		}
		var by *int64
		if a.UserID != 0 {
			by = &a.UserID
		}
		var drawID int64
		if err := tx.QueryRow(ctx, `INSERT INTO sample_draws (campaign_id, scope_unit_id, seed, size, share_bp, indicators_per_unit, by_level, by_area, enlarge_by, drawn_by, drawn_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			campaignID, scope, in.Seed, in.Size, in.ShareBP, in.Indicators, in.ByLevel, in.ByArea, in.EnlargeBy, by, s.Now()).Scan(&drawID); err != nil {
			return err
		}
		for _, st := range sampling.Strata(order) {
			for _, r := range order[st] {
				e := byCode[r.Code]
				inds := []string{}
				if isDrawn[r.Code] && in.Indicators > 0 {
					inds = sampling.Indicators(in.Seed, r.Code, indicatorCodes(set, e.level), in.Indicators)
				}
				if _, err := tx.Exec(ctx, `INSERT INTO sample_units (draw_id, assessment_id, unit_code, stratum, key, rank, drawn, indicators) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
					drawID, e.id, r.Code, r.Stratum, r.Key, r.Rank, isDrawn[r.Code], inds); err != nil {
					return err
				}
				if isDrawn[r.Code] {
					if err := s.event(ctx, tx, e.id, a, "sampled", "", "", "seed "+in.Seed); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("draw sample", err)
	}
	return s.SampleOf(ctx, a, campaignID)
}

// SampleOf returns the campaign's draw in the actor's scope (ErrNoSample
// when there is none).
func (s *Service) SampleOf(ctx context.Context, a *model.Actor, campaignID int64) (*model.Sample, error) {
	_, scope, err := s.sampleScope(ctx, a, campaignID)
	if err != nil {
		return nil, wrap("sample", err)
	}
	var m model.Sample
	err = s.pool.QueryRow(ctx, `SELECT d.id, d.campaign_id, su.code, d.seed, d.size, d.share_bp, d.indicators_per_unit, d.by_level, d.by_area, d.enlarge_by,
			coalesce(us.username, ''), d.drawn_at
		FROM sample_draws d JOIN units su ON su.id = d.scope_unit_id LEFT JOIN users us ON us.id = d.drawn_by
		WHERE d.campaign_id = $1 AND d.scope_unit_id = $2 AND d.enlarges IS NULL`, campaignID, scope).Scan(
		&m.ID, &m.CampaignID, &m.ScopeCode, &m.Seed, &m.Size, &m.ShareBP, &m.Indicators, &m.ByLevel, &m.ByArea, &m.EnlargeBy, &m.DrawnBy, &m.DrawnAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, wrap("sample", model.ErrNoSample)
	}
	if err != nil {
		return nil, wrap("sample", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT su.assessment_id, su.unit_code, u.name, su.stratum, su.key, su.rank,
			su.drawn OR e.assessment_id IS NOT NULL, e.assessment_id IS NOT NULL, CASE WHEN su.drawn THEN su.indicators ELSE coalesce(e.indicators, '{}') END,
			x.status, x.approved_unsampled
		FROM sample_units su
		JOIN assessments x ON x.id = su.assessment_id
		JOIN units u ON u.id = x.unit_id
		LEFT JOIN (SELECT eu.assessment_id, eu.indicators FROM sample_units eu JOIN sample_draws ed ON ed.id = eu.draw_id WHERE ed.enlarges = $1) e
			ON e.assessment_id = su.assessment_id
		WHERE su.draw_id = $1
		ORDER BY su.stratum, su.rank`, m.ID)
	if err != nil {
		return nil, wrap("sample", err)
	}
	m.Units, err = postgres.Collect(rows, func(u *model.SampleUnit) []any {
		return []any{&u.AssessmentID, &u.UnitCode, &u.UnitName, &u.Stratum, &u.Key, &u.Rank, &u.Drawn, &u.Enlarged, &u.Indicators, &u.Status, &u.NotSampled}
	})
	if err != nil {
		return nil, wrap("sample", err)
	}
	// Go orders strata by bytes, as the draw did; SQL's collation may not.
	slices.SortStableFunc(m.Units, func(x, y model.SampleUnit) int {
		if c := strings.Compare(x.Stratum, y.Stratum); c != 0 {
			return c
		}
		return x.Rank - y.Rank
	})
	erows, err := s.pool.Query(ctx, `SELECT d.id, t.unit_code, d.drawn_at,
			coalesce((SELECT array_agg(eu.unit_code ORDER BY eu.rank) FROM sample_units eu WHERE eu.draw_id = d.id), '{}')
		FROM sample_draws d JOIN sample_units t ON t.draw_id = $1 AND t.assessment_id = d.trigger_assessment_id
		WHERE d.enlarges = $1 ORDER BY d.id`, m.ID)
	if err != nil {
		return nil, wrap("sample", err)
	}
	m.Enlargements, err = pgx.CollectRows(erows, func(r pgx.CollectableRow) (model.SampleEnlargement, error) {
		var e model.SampleEnlargement
		err := r.Scan(&e.ID, &e.TriggerCode, &e.DrawnAt, &e.Added)
		return e, err
	})
	if err != nil {
		return nil, wrap("sample", err)
	}
	return &m, nil
}

// SampledIndicators returns, for an assessment drawn in the sample of the
// actor's office, the indicators to verify (empty: all of them) and true; false
// when it was not drawn.
func (s *Service) SampledIndicators(ctx context.Context, a *model.Actor, id int64) ([]string, bool, error) {
	if _, err := s.header(ctx, nil, a, id, false); err != nil {
		return nil, false, err
	}
	var inds []string
	// The actor's own office's draw (any draw, for an admin without a unit).
	err := s.pool.QueryRow(ctx, `SELECT su.indicators FROM sample_units su JOIN sample_draws d ON d.id = su.draw_id
		WHERE su.assessment_id = $1 AND su.drawn AND ($2 = 0 OR d.scope_unit_id = $2) ORDER BY su.draw_id LIMIT 1`, id, a.UnitID).Scan(&inds)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, wrap("sampled indicators", err)
	}
	return inds, true, nil
}

// notSampledNote is the note of an approval on self-assessment.
const notSampledNote = "Duyệt theo tự đánh giá (không thuộc mẫu kiểm tra) · approved on self-assessment (not sampled)"

// ApproveUnsampled approves, on their self-assessment, the assessments of
// the draw's list that were not drawn and are still submitted, each in its
// own transaction and marked "approved on self-assessment (not sampled)"
// in its history and in the next publication.
func (s *Service) ApproveUnsampled(ctx context.Context, a *model.Actor, campaignID int64, lang string) ([]model.BulkResult, error) {
	m, err := s.SampleOf(ctx, a, campaignID)
	if err != nil {
		return nil, err
	}
	out := []model.BulkResult{}
	for _, u := range m.Units {
		if u.Drawn || u.Status != model.StatusSubmitted {
			continue
		}
		err := wrap("approve unsampled", s.inTx(ctx, func(tx pgx.Tx) error {
			if err := s.approve(ctx, tx, a, u.AssessmentID, notSampledNote); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE assessments SET approved_unsampled = true WHERE id = $1`, u.AssessmentID); err != nil {
				return err
			}
			return s.event(ctx, tx, u.AssessmentID, a, "approve_unsampled", model.StatusApproved, model.StatusApproved, "seed "+m.Seed)
		}))
		out = append(out, bulkResult(u.AssessmentID, err, lang))
	}
	return out, nil
}

// sampleAfterApprove runs in every approval's transaction: it clears the
// "not sampled" mark (ApproveUnsampled sets it again after), and, when a
// sampled school's validated level differs from its self-assessed level
// and the draw's rule says so, draws EnlargeBy more schools of its stratum,
// continuing the draw's order.
func (s *Service) sampleAfterApprove(ctx context.Context, tx pgx.Tx, a *model.Actor, x *model.Assessment) error {
	var selfLevel, validLevel *int
	if err := tx.QueryRow(ctx, `UPDATE assessments SET approved_unsampled = false WHERE id = $1 RETURNING self_level, validated_level`, x.ID).Scan(&selfLevel, &validLevel); err != nil {
		return err
	}
	if selfLevel == nil || validLevel == nil || *selfLevel == *validLevel {
		return nil
	}
	var rootID int64
	var seed, stratum string
	var enlargeBy, k int
	err := tx.QueryRow(ctx, `SELECT r.id, r.seed, r.enlarge_by, r.indicators_per_unit, l.stratum
		FROM sample_units su JOIN sample_draws d ON d.id = su.draw_id
		JOIN sample_draws r ON r.id = coalesce(d.enlarges, d.id)
		JOIN sample_units l ON l.draw_id = r.id AND l.assessment_id = su.assessment_id
		WHERE su.assessment_id = $1 AND su.drawn
		ORDER BY su.draw_id LIMIT 1 FOR UPDATE OF r`, x.ID).Scan(&rootID, &seed, &enlargeBy, &k, &stratum)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // not sampled
	}
	if err != nil || enlargeBy == 0 {
		return err
	}
	var done bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sample_draws WHERE enlarges = $1 AND trigger_assessment_id = $2)`, rootID, x.ID).Scan(&done); err != nil || done {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT l.assessment_id, l.unit_code, l.stratum, x.school_level,
			l.drawn OR EXISTS (SELECT 1 FROM sample_units eu JOIN sample_draws ed ON ed.id = eu.draw_id WHERE ed.enlarges = l.draw_id AND eu.assessment_id = l.assessment_id)
		FROM sample_units l JOIN assessments x ON x.id = l.assessment_id WHERE l.draw_id = $1`, rootID)
	if err != nil {
		return err
	}
	type listed struct {
		id    int64
		level string
	}
	byCode := map[string]listed{}
	taken := map[string]bool{}
	var units []sampling.Unit
	for rows.Next() {
		var l listed
		var u sampling.Unit
		var drawn bool
		if err := rows.Scan(&l.id, &u.Code, &u.Stratum, &l.level, &drawn); err != nil {
			rows.Close()
			return err
		}
		byCode[u.Code], taken[u.Code] = l, drawn
		units = append(units, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	next := sampling.Next(sampling.Order(seed, units), stratum, taken, enlargeBy)
	var by *int64
	if a.UserID != 0 {
		by = &a.UserID
	}
	var drawID int64
	if err := tx.QueryRow(ctx, `INSERT INTO sample_draws (campaign_id, scope_unit_id, seed, size, indicators_per_unit, by_level, by_area, enlarges, trigger_assessment_id, drawn_by, drawn_at)
		SELECT campaign_id, scope_unit_id, seed, $2, indicators_per_unit, by_level, by_area, id, $3, $4, $5 FROM sample_draws WHERE id = $1 RETURNING id`,
		rootID, len(next), x.ID, by, s.Now()).Scan(&drawID); err != nil {
		return err
	}
	var added []string
	for _, r := range next {
		l := byCode[r.Code]
		inds := []string{}
		if k > 0 {
			inds = sampling.Indicators(seed, r.Code, indicatorCodes(x.Set, l.level), k)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sample_units (draw_id, assessment_id, unit_code, stratum, key, rank, drawn, indicators) VALUES ($1, $2, $3, $4, $5, $6, true, $7)`,
			drawID, l.id, r.Code, r.Stratum, r.Key, r.Rank, inds); err != nil {
			return err
		}
		if err := s.event(ctx, tx, l.id, a, "sampled", "", "", "seed "+seed+" · "+x.UnitCode); err != nil {
			return err
		}
		// Approved on its self-assessment before it was drawn: back to the
		// office, to be verified like the rest of the sample.
		tag, err := tx.Exec(ctx, `UPDATE assessments SET status = 'submitted', approved_at = NULL, approved_by = NULL, approved_unsampled = false, updated_at = now()
			WHERE id = $1 AND status = 'approved' AND approved_unsampled`, l.id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			if err := s.event(ctx, tx, l.id, a, string(model.ActionRevoke), model.StatusApproved, model.StatusSubmitted, "Rút thêm vào mẫu kiểm tra · drawn into the enlarged sample"); err != nil {
				return err
			}
			// Its approval is withdrawn: the school is told why, under its
			// e-mail switch for this kind, like every other notice.
			if err := s.notifySchool(ctx, tx, l.id, model.NoticeVerifying, nil, nil); err != nil {
				return err
			}
		}
		added = append(added, r.Code)
	}
	return s.event(ctx, tx, x.ID, a, "sample_enlarged", "", "", fmt.Sprintf("%d → %d: %s", *selfLevel, *validLevel, strings.Join(added, ", ")))
}

// indicatorCodes lists the codes of the indicators that apply to a level
// and are answered by the school (not the computed roll-ups).
func indicatorCodes(set *indicators.Set, level string) []string {
	var out []string
	for _, ind := range model.ApplicableIndicators(set, level) {
		if ind.Rollup == nil {
			out = append(out, ind.Code)
		}
	}
	return out
}

// publishedNotSampled reads whether a published result was approved on its
// self-assessment, outside the sample (false for older publications).
func (s *Service) publishedNotSampled(ctx context.Context, campaignID, assessmentID int64) (bool, error) {
	var v bool
	err := s.pool.QueryRow(ctx, `SELECT not_sampled FROM published_reviews
		WHERE publication_id = (SELECT publication_id FROM public_results WHERE campaign_id = $1 AND assessment_id = $2) AND assessment_id = $2`,
		campaignID, assessmentID).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return v, err
}
