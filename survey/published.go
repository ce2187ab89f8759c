package survey

import (
	"context"
	"github.com/dxindex/dxindex/survey/model"
	"time"
)

// PublishedCampaigns lists the campaigns with published results, newest
// opening first: the open-data list anyone may read (issue 15).
func (s *Service) PublishedCampaigns(ctx context.Context) ([]model.PublishedCampaign, error) {
	const q = `SELECT c.id, c.name, c.set_code, c.set_version, r.code, r.name, c.status, c.opens_on, c.self_due, c.review_due,
			c.published_revision, c.created_at,
			(SELECT p.published_at FROM publications p WHERE p.campaign_id = c.id AND p.revision = c.published_revision)
		FROM campaigns c JOIN units r ON r.id = c.root_unit_id
		WHERE c.published_revision > 0 ORDER BY c.opens_on DESC, c.id DESC`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, wrap("published campaigns", err)
	}
	defer rows.Close()
	var out []model.PublishedCampaign
	for rows.Next() {
		var x model.PublishedCampaign
		var opens, self, review time.Time
		if err := rows.Scan(&x.ID, &x.Name, &x.SetCode, &x.SetVersion, &x.RootUnitCode, &x.RootUnitName, &x.Status, &opens, &self, &review,
			&x.PublishedRevision, &x.CreatedAt, &x.PublishedAt); err != nil {
			return nil, wrap("published campaigns", err)
		}
		x.OpensOn, x.SelfDue, x.ReviewDue = model.Date{Time: opens}, model.Date{Time: self}, model.Date{Time: review}
		out = append(out, x)
	}
	return out, wrap("published campaigns", rows.Err())
}

// CampaignEvidence lists the evidence of a campaign's assessments within
// the subtree of unitCode (every unit when empty), by where each unit
// stood in the campaign, in the order it was given.
func (s *Service) CampaignEvidence(ctx context.Context, campaignID int64, unitCode string) ([]model.EvidenceRef, error) {
	const q = `SELECT u.code, e.indicator, e.id, e.assessment_id, e.kind, coalesce(e.url, ''), coalesce(e.filename, '')
		FROM evidence e JOIN assessments x ON x.id = e.assessment_id JOIN units u ON u.id = x.unit_id
		JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		WHERE x.campaign_id = $1 AND ($2 = '' OR (SELECT id FROM units WHERE code = $2) = ANY(cu.path))
		ORDER BY e.id`
	rows, err := s.pool.Query(ctx, q, campaignID, unitCode)
	if err != nil {
		return nil, wrap("campaign evidence", err)
	}
	defer rows.Close()
	var out []model.EvidenceRef
	for rows.Next() {
		var e model.EvidenceRef
		if err := rows.Scan(&e.UnitCode, &e.Indicator, &e.ID, &e.AssessmentID, &e.Kind, &e.URL, &e.Filename); err != nil {
			return nil, wrap("campaign evidence", err)
		}
		out = append(out, e)
	}
	return out, wrap("campaign evidence", rows.Err())
}
