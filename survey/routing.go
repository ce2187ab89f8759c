package survey

import (
	"context"
	"slices"
	"sort"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// Office kinds a campaign may route a school level's review to.
const (
	OfficeProvince = "province" // Sở GDĐT
)

// reviewOfficeSQL reads, inside headerSQL, the office the assessment's
// campaign routes its school level to.
const reviewOfficeSQL = `coalesce((SELECT r.office_kind FROM campaign_reviewers r
	WHERE r.campaign_id = x.campaign_id AND r.school_level = x.school_level), '')`

// DefaultRouting2025 is who reviews since 1 July 2025 (Thông tư
// 10/2025/TT-BGDĐT, Nghị định 142–143/2025): the commune for the schools
// the Phòng GDĐT used to manage, the Sở for upper-secondary and continuing
// education.
func DefaultRouting2025() map[string]string {
	return map[string]string{
		"primary":         model.OfficeCommune,
		"lower_secondary": model.OfficeCommune,
		"multi_level":     model.OfficeCommune,
		"upper_secondary": OfficeProvince,
		"continuing":      OfficeProvince,
	}
}

// ReviewRouting returns the campaign's routing: school level → office kind.
func (s *Service) ReviewRouting(ctx context.Context, a *model.Actor, campaignID int64) (map[string]string, error) {
	if _, err := s.Campaign(ctx, a, campaignID); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT school_level, office_kind FROM campaign_reviewers WHERE campaign_id = $1`, campaignID)
	if err != nil {
		return nil, wrap("review routing", err)
	}
	out := map[string]string{}
	for rows.Next() {
		var l, o string
		if err := rows.Scan(&l, &o); err != nil {
			rows.Close()
			return nil, wrap("review routing", err)
		}
		out[l] = o
	}
	return out, wrap("review routing", rows.Err())
}

// SetReviewRouting replaces the campaign's routing in one transaction. The
// Sở whose province holds the campaign's root, or an admin, decides it.
func (s *Service) SetReviewRouting(ctx context.Context, a *model.Actor, campaignID int64, routing map[string]string) (map[string]string, error) {
	if !a.Is(model.RoleAdmin, model.RoleProvince) {
		return nil, model.ErrForbidden
	}
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return nil, err
	}
	if !a.Covers(c.RootPath) {
		return nil, errkind.New(errkind.Forbidden, "Chỉ Sở quản lý toàn bộ đợt đánh giá mới được phân công thẩm định.",
			"only the Sở whose province holds the whole campaign may route its reviews")
	}
	fe := errkind.FieldErrors{}
	levels := make([]string, 0, len(routing))
	for l := range routing {
		levels = append(levels, l)
	}
	sort.Strings(levels)
	for _, l := range levels {
		if !slices.Contains(append(slices.Clone(model.SchoolLevelsAll), "multi_level"), l) {
			fe.Add("school_level", "Cấp học không hợp lệ: "+l, "unknown school level: "+l)
		}
		if o := routing[l]; o != model.OfficeDistrict && o != model.OfficeCommune && o != OfficeProvince {
			fe.Add("office_kind", "Đơn vị thẩm định phải là xã, huyện hoặc Sở: "+o,
				"the reviewing office must be commune, district or province: "+o)
		}
	}
	if err := fe.Err(); err != nil {
		return nil, wrap("set review routing", err)
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM campaign_reviewers WHERE campaign_id = $1`, campaignID); err != nil {
			return err
		}
		for _, l := range levels {
			if _, err := tx.Exec(ctx, `INSERT INTO campaign_reviewers (campaign_id, school_level, office_kind) VALUES ($1, $2, $3)`,
				campaignID, l, routing[l]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("set review routing", err)
	}
	return s.ReviewRouting(ctx, a, campaignID)
}
