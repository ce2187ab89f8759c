package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/numfmt"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Exporter reads campaigns for export from one database; the web layer
// is handed one (cmd/dxindex builds it).
type Exporter struct {
	pool *pgxpool.Pool
}

// NewExporter returns the exporter of the campaigns in pool.
func NewExporter(pool *pgxpool.Pool) *Exporter { return &Exporter{pool: pool} }

// Campaign is ExportCampaign on the exporter's database.
func (x *Exporter) Campaign(ctx context.Context, campaignID int64, unitCode string) (*dashview.Export, error) {
	return ExportCampaign(ctx, x.pool, campaignID, unitCode)
}

// ExportCampaign reads a campaign's results and raw answers, within the
// subtree of unitCode (every unit when empty), by where each unit stood
// in the campaign.
func ExportCampaign(ctx context.Context, pool *pgxpool.Pool, campaignID int64, unitCode string) (*dashview.Export, error) {
	var name, setCode, setVersion string
	err := pool.QueryRow(ctx, `SELECT name, set_code, set_version FROM campaigns WHERE id = $1`, campaignID).Scan(&name, &setCode, &setVersion)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("dashboard: export: no campaign %d: %w", campaignID, errkind.NotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("dashboard: export: %w", postgres.MapError(err))
	}
	st, err := setstore.Get(ctx, pool, setCode, setVersion)
	if err != nil {
		return nil, err
	}
	var scope *int64
	if unitCode != "" {
		var id int64
		if err := pool.QueryRow(ctx, `SELECT id FROM units WHERE code = $1`, unitCode).Scan(&id); err != nil {
			return nil, fmt.Errorf("dashboard: export: no unit %s: %w", unitCode, postgres.MapError(err))
		}
		scope = &id
	}
	groups := make([]string, 0, len(st.Set.Groups))
	for _, g := range st.Set.Groups {
		groups = append(groups, g.Code)
	}
	ex := &dashview.Export{Campaign: name}
	head := []string{"province_code", "province", "district_code", "district", "unit_code", "unit_name", "school_level", "status",
		"answered", "applicable", "self_index", "self_level", "validated_index", "validated_level"}
	for _, g := range groups {
		head = append(head, "group_"+g)
	}
	head = append(head, "published_revision")
	ex.Results = append(ex.Results, head)
	rows, err := pool.Query(ctx, `SELECT coalesce(pp.code, ''), coalesce(pp.name, ''), coalesce(p.code, ''), coalesce(p.name, ''), u.code, u.name,
			x.school_level, x.status, x.answered, x.applicable, x.self_index, x.self_level, x.validated_index, x.validated_level,
			x.validated_result, coalesce((SELECT max(r.revision) FROM public_results r WHERE r.assessment_id = x.id), 0)
		FROM assessments x
		JOIN units u ON u.id = x.unit_id
		JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		LEFT JOIN units p ON p.id = cu.parent_id
		LEFT JOIN units pp ON pp.id = p.parent_id
		WHERE x.campaign_id = $1 AND ($2::bigint IS NULL OR $2 = ANY(cu.path))
		ORDER BY pp.code, p.code, u.code`, campaignID, scope)
	if err != nil {
		return nil, fmt.Errorf("dashboard: export: %w", postgres.MapError(err))
	}
	for rows.Next() {
		var pc, pn, dc, dn, uc, un, level, status string
		var answered, applicable, rev int
		var si, vi *float64
		var sl, vl *int
		var result []byte
		if err := rows.Scan(&pc, &pn, &dc, &dn, &uc, &un, &level, &status, &answered, &applicable, &si, &sl, &vi, &vl, &result, &rev); err != nil {
			rows.Close()
			return nil, fmt.Errorf("dashboard: export: %w", postgres.MapError(err))
		}
		row := []string{pc, pn, dc, dn, uc, un, level, status, strconv.Itoa(answered), strconv.Itoa(applicable), fnum(si), inum(sl), fnum(vi), inum(vl)}
		var res struct {
			Groups []indicators.GroupScore `json:"groups"`
		}
		_ = json.Unmarshal(result, &res)
		byCode := map[string]float64{}
		for _, g := range res.Groups {
			byCode[g.Code] = g.Score
		}
		for _, g := range groups {
			if v, ok := byCode[g]; ok && result != nil {
				row = append(row, numfmt.Data(v, numfmt.Decimals))
			} else {
				row = append(row, "")
			}
		}
		if rev > 0 {
			row = append(row, strconv.Itoa(rev))
		} else {
			row = append(row, "")
		}
		ex.Results = append(ex.Results, row)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("dashboard: export: %w", postgres.MapError(err))
	}

	ex.Answers = append(ex.Answers, []string{"unit_code", "unit_name", "indicator", "value", "reviewed_value", "review_reason", "evidence", "updated_at"})
	rows, err = pool.Query(ctx, `SELECT u.code, u.name, a.indicator, a.value::text, coalesce(r.value::text, ''), coalesce(r.reason, ''),
			(SELECT count(*) FROM evidence e WHERE e.assessment_id = x.id AND e.indicator = a.indicator), a.updated_at
		FROM assessments x
		JOIN units u ON u.id = x.unit_id
		JOIN campaign_units cu ON cu.campaign_id = x.campaign_id AND cu.unit_id = x.unit_id
		JOIN answers a ON a.assessment_id = x.id
		LEFT JOIN reviews r ON r.assessment_id = x.id AND r.indicator = a.indicator
		WHERE x.campaign_id = $1 AND ($2::bigint IS NULL OR $2 = ANY(cu.path))
		ORDER BY u.code`, campaignID, scope)
	if err != nil {
		return nil, fmt.Errorf("dashboard: export: %w", postgres.MapError(err))
	}
	order := map[string]int{}
	for i, ind := range st.Set.Indicators() {
		order[ind.Code] = i
	}
	var answers [][]string
	for rows.Next() {
		var uc, un, ind, val, rv, reason string
		var ev int
		var at pgTime
		if err := rows.Scan(&uc, &un, &ind, &val, &rv, &reason, &ev, &at.t); err != nil {
			rows.Close()
			return nil, fmt.Errorf("dashboard: export: %w", postgres.MapError(err))
		}
		answers = append(answers, []string{uc, un, ind, val, rv, reason, strconv.Itoa(ev), at.t.In(vietnam).Format("2006-01-02 15:04")})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("dashboard: export: %w", postgres.MapError(err))
	}
	sort.SliceStable(answers, func(i, j int) bool {
		if answers[i][0] != answers[j][0] {
			return answers[i][0] < answers[j][0]
		}
		return order[answers[i][2]] < order[answers[j][2]]
	})
	ex.Answers = append(ex.Answers, answers...)
	return ex, nil
}

// fnum writes an index as every export does (numfmt: 2 decimals, half up
// from the printed value; %.2f would round 86.255 down).
func fnum(f *float64) string {
	if f == nil {
		return ""
	}
	return numfmt.Data(*f, numfmt.Decimals)
}

func inum(i *int) string {
	if i == nil {
		return ""
	}
	return strconv.Itoa(*i)
}

type pgTime struct{ t time.Time }

// vietnam is UTC+7: times in exports are Vietnamese wall-clock times.
var vietnam = time.FixedZone("ICT", 7*3600)
