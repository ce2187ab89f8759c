package survey

import (
	"context"
	"errors"
	"fmt"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// Publish freezes the validated results of the approved assessments in
// the actor's scope as a new revision of the campaign's published results.
// Revisions are numbered per campaign; the public sees, per assessment,
// the latest revision that holds it.
func (s *Service) Publish(ctx context.Context, a *model.Actor, campaignID int64, note string) (*model.Publication, error) {
	return s.publish(ctx, a, campaignID, note, -1)
}

// PublishConfirmed publishes as Publish, once the evaluator has seen the
// coverage (PublishCoverage) and confirmed it: approved is the number of
// approved assessments they were shown. If it changed meanwhile (another
// approval, a reopening) nothing is published and the conflict says so,
// so what is published is what was confirmed.
func (s *Service) PublishConfirmed(ctx context.Context, a *model.Actor, campaignID int64, note string, approved int) (*model.Publication, error) {
	if approved < 0 {
		return nil, wrap("publish", errkind.New(errkind.Invalid, "Thiếu xác nhận độ phủ.", "the coverage confirmation is missing"))
	}
	return s.publish(ctx, a, campaignID, note, approved)
}

// PublishCoverage tells an evaluator what publishing now would publish.
func (s *Service) PublishCoverage(ctx context.Context, a *model.Actor, campaignID int64) (*model.Coverage, error) {
	if !a.Is(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune) {
		return nil, model.ErrForbidden
	}
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return nil, err
	}
	scopeID := publishScope(a, c)
	cov := &model.Coverage{}
	if err := s.pool.QueryRow(ctx, `SELECT code, name FROM units WHERE id = $1`, scopeID).Scan(&cov.ScopeCode, &cov.ScopeName); err != nil {
		return nil, wrap("publish coverage", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT coalesce(u.code, ''), coalesce(u.name, ''), count(*) FILTER (WHERE x.status = 'approved'), count(*)
		FROM assessments x
		JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		LEFT JOIN units u ON u.id = cu.path[array_position(cu.path, $2::bigint) + 1]
		WHERE x.campaign_id = $1 AND $2 = ANY(cu.path)
		GROUP BY 1, 2`, campaignID, scopeID)
	if err != nil {
		return nil, wrap("publish coverage", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u model.CoverageUnit
		if err := rows.Scan(&u.Code, &u.Name, &u.Approved, &u.Total); err != nil {
			return nil, wrap("publish coverage", err)
		}
		cov.Approved += u.Approved
		cov.Total += u.Total
		cov.Units = append(cov.Units, u)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("publish coverage", err)
	}
	model.SortByName(cov.Units, func(u model.CoverageUnit) string { return u.Name })
	return cov, nil
}

// publishScope is the unit a publication covers: the actor's unit, or the
// whole campaign for an admin (or an evaluator above the campaign's root).
func publishScope(a *model.Actor, c *model.Campaign) int64 {
	if a.UnitID != 0 {
		return a.UnitID
	}
	return c.RootPath[len(c.RootPath)-1]
}

// publish publishes; expect ≥ 0 is the confirmed number of approved
// assessments, checked under the campaign's lock.
func (s *Service) publish(ctx context.Context, a *model.Actor, campaignID int64, note string, expect int) (*model.Publication, error) {
	if !a.Is(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune) {
		return nil, model.ErrForbidden
	}
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return nil, err
	}
	// The scope published: the actor's unit, or the whole campaign for an
	// admin (or an evaluator above the campaign's root).
	scopeID := a.UnitID
	if scopeID == 0 {
		scopeID = c.RootPath[len(c.RootPath)-1]
	}
	pub := &model.Publication{CampaignID: campaignID, PublishedBy: a.Username, Note: model.CleanText(note)}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		// Serialise publications of one campaign: revisions must not collide.
		if _, err := tx.Exec(ctx, `SELECT id FROM campaigns WHERE id = $1 FOR UPDATE`, campaignID); err != nil {
			return err
		}
		var approved int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM assessments x JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
			WHERE x.campaign_id = $1 AND $2 = ANY(cu.path) AND x.status = 'approved'`, campaignID, scopeID).Scan(&approved); err != nil {
			return err
		}
		if approved == 0 {
			return errkind.New(errkind.Conflict, "Chưa có bản đánh giá nào được duyệt trong phạm vi này để công bố.", "no approved assessment in this scope to publish")
		}
		if expect >= 0 && approved != expect {
			return errkind.New(errkind.Conflict,
				fmt.Sprintf("Số bản đã duyệt vừa thay đổi (%d, không phải %d như đã xác nhận). Hãy xem lại độ phủ rồi xác nhận lại.", approved, expect),
				fmt.Sprintf("the approved assessments changed (%d, not the %d confirmed); check the coverage and confirm again", approved, expect))
		}
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(revision), 0) + 1 FROM publications WHERE campaign_id = $1`, campaignID).Scan(&pub.Revision); err != nil {
			return err
		}
		var by *int64
		if a.UserID != 0 {
			by = &a.UserID
		}
		var pubID int64
		if err := tx.QueryRow(ctx, `INSERT INTO publications (campaign_id, revision, scope_unit_id, note, published_by, published_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, published_at`, campaignID, pub.Revision, scopeID, pub.Note, by, s.Now()).Scan(&pubID, &pub.PublishedAt); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO published_results (publication_id, assessment_id, campaign_id, unit_id, unit_code, unit_name, path, school_level, index, level, result)
			SELECT $1, x.id, x.campaign_id, u.id, u.code, u.name, cu.path, x.school_level, x.validated_index, x.validated_level, x.validated_result
			FROM assessments x
			JOIN units u ON u.id = x.unit_id
			JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
			WHERE x.campaign_id = $2 AND $3 = ANY(cu.path) AND x.status = 'approved'`, pubID, campaignID, scopeID)
		if err != nil {
			return err
		}
		pub.Published = int(tag.RowsAffected())
		if err := s.notifyPublished(ctx, tx, pubID, pub.Revision); err != nil {
			return err
		}
		if err := publishReviews(ctx, tx, pubID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE campaigns SET published_revision = $2 WHERE id = $1`, campaignID, pub.Revision); err != nil {
			return err
		}
		// The offices whose roll-ups read this campaign follow the new
		// revision (until they submit: then their values are frozen).
		if err := s.refreshCampaignRollups(ctx, tx, campaignID, 0); err != nil {
			return err
		}
		if s.OnPublish != nil {
			if err := s.OnPublish(ctx, tx, campaignID); err != nil {
				return err
			}
		}
		return tx.QueryRow(ctx, `SELECT code FROM units WHERE id = $1`, scopeID).Scan(&pub.ScopeCode)
	})
	if err != nil {
		return nil, wrap("publish", err)
	}
	rows, err := s.CampaignAssessments(ctx, a, campaignID)
	if err != nil {
		return nil, err
	}
	pub.NotPublished = []model.AssessmentRow{}
	for _, r := range rows {
		if r.Status != model.StatusApproved {
			pub.NotPublished = append(pub.NotPublished, r)
		}
	}
	return pub, nil
}

// PublishedResultOf returns the published result of one unit in a
// campaign, for anyone (published results are public).
func (s *Service) PublishedResultOf(ctx context.Context, campaignID int64, unitCode string) (*model.PublishedResult, error) {
	var r model.PublishedResult
	var raw []byte
	err := s.pool.QueryRow(ctx, `SELECT assessment_id, unit_code, unit_name, school_level, index, level, revision, published_at, result
		FROM public_results WHERE campaign_id = $1 AND unit_code = $2`, campaignID, unitCode).Scan(
		&r.AssessmentID, &r.UnitCode, &r.UnitName, &r.SchoolLevel, &r.Index, &r.Level, &r.Revision, &r.PublishedAt, &raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errkind.New(errkind.NotFound, fmt.Sprintf("Chưa công bố kết quả của đơn vị %s.", unitCode), fmt.Sprintf("no published result for %s", unitCode))
	}
	if err != nil {
		return nil, wrap("published result", err)
	}
	res, err := decodeResult(raw)
	if err != nil {
		return nil, wrap("published result", err)
	}
	if res != nil {
		r.Groups = res.Groups
	}
	if r.Review, err = s.publishedReviewOf(ctx, campaignID, r.AssessmentID); err != nil {
		return nil, wrap("published result", err)
	}
	if r.NotSampled, err = s.publishedNotSampled(ctx, campaignID, r.AssessmentID); err != nil {
		return nil, wrap("published result", err)
	}
	return &r, nil
}
