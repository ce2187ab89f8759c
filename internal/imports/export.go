package imports

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/numfmt"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/dxindex/dxindex/internal/sheet"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Template returns the downloadable template of an import file: the
// header row and one example row (units, users, as csv or xlsx), or the
// moet-4725 set in the workbook layout (indicators, xlsx only).
func Template(kind, format string) (string, []byte, error) {
	var rows [][]string
	switch kind {
	case "units":
		rows = [][]string{UnitColumns, {"338001", "Trường Tiểu học An Bài", "school", "338", "primary", "520", "24", "29"}}
	case "users":
		rows = [][]string{UserColumns, {"ht.338001", "Nguyễn Thị Hoa", "school", "338001", "hoa.nt@thcs-quynhphu.edu.vn", "0912345678"}}
	case "indicators":
		if format != "xlsx" {
			return "", nil, fmt.Errorf("imports: the indicator-set template is an .xlsx workbook")
		}
		set, err := indicators.ShippedSet("moet-4725")
		if err != nil {
			return "", nil, err
		}
		b, err := SetToXLSX(set)
		return "dxindex-indicators-moet-4725.xlsx", b, err
	default:
		return "", nil, fmt.Errorf("imports: no template %q (units, users, indicators)", kind)
	}
	b, err := Write(format, kind, rows)
	return "dxindex-" + kind + "-template." + format, b, err
}

// Export is a campaign's data for a province's own analysis: one row per
// assessment (results) and one per answer (raw answers, with the
// evaluator's value where it differs).
type Export struct {
	Campaign string
	Results  [][]string
	Answers  [][]string
}

// Exporter reads campaigns for export from one database; the web layer
// is handed one (cmd/dxindex builds it).
type Exporter struct {
	pool *pgxpool.Pool
}

// NewExporter returns the exporter of the campaigns in pool.
func NewExporter(pool *pgxpool.Pool) *Exporter { return &Exporter{pool: pool} }

// Campaign is ExportCampaign on the exporter's database.
func (x *Exporter) Campaign(ctx context.Context, campaignID int64, unitCode string) (*Export, error) {
	return ExportCampaign(ctx, x.pool, campaignID, unitCode)
}

// ExportCampaign reads a campaign's results and raw answers, within the
// subtree of unitCode (every unit when empty), by where each unit stood
// in the campaign.
func ExportCampaign(ctx context.Context, pool *pgxpool.Pool, campaignID int64, unitCode string) (*Export, error) {
	var name, setCode, setVersion string
	err := pool.QueryRow(ctx, `SELECT name, set_code, set_version FROM campaigns WHERE id = $1`, campaignID).Scan(&name, &setCode, &setVersion)
	if err == pgx.ErrNoRows {
		return nil, fmt.Errorf("imports: no campaign %d", campaignID)
	}
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	st, err := setstore.Get(ctx, pool, setCode, setVersion)
	if err != nil {
		return nil, err
	}
	var scope *int64
	if unitCode != "" {
		var id int64
		if err := pool.QueryRow(ctx, `SELECT id FROM units WHERE code = $1`, unitCode).Scan(&id); err != nil {
			return nil, fmt.Errorf("imports: no unit %s", unitCode)
		}
		scope = &id
	}
	groups := make([]string, 0, len(st.Set.Groups))
	for _, g := range st.Set.Groups {
		groups = append(groups, g.Code)
	}
	ex := &Export{Campaign: name}
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
		return nil, fmt.Errorf("imports: export: %w", err)
	}
	for rows.Next() {
		var pc, pn, dc, dn, uc, un, level, status string
		var answered, applicable, rev int
		var si, vi *float64
		var sl, vl *int
		var result []byte
		if err := rows.Scan(&pc, &pn, &dc, &dn, &uc, &un, &level, &status, &answered, &applicable, &si, &sl, &vi, &vl, &result, &rev); err != nil {
			rows.Close()
			return nil, fmt.Errorf("imports: export: %w", err)
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
		return nil, fmt.Errorf("imports: export: %w", err)
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
		return nil, fmt.Errorf("imports: export: %w", err)
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
			return nil, fmt.Errorf("imports: export: %w", err)
		}
		answers = append(answers, []string{uc, un, ind, val, rv, reason, strconv.Itoa(ev), at.t.In(vietnam).Format("2006-01-02 15:04")})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("imports: export: %w", err)
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

// XLSX writes the export as a workbook with a results sheet and an
// answers sheet.
func (ex *Export) XLSX() ([]byte, error) {
	return writeXLSX([]sheetData{ex.results(), ex.answers()})
}

// CSV writes the results (or the raw answers) as CSV, through the same
// writer as every other file: names and reasons that begin like a formula
// are neutralised.
func (ex *Export) CSV(answers bool) ([]byte, error) {
	s := ex.results()
	if answers {
		s = ex.answers()
	}
	return sheet.CSVBytes(sheet.FromStrings(s.name, s.rows, s.numeric), true)
}

func (ex *Export) results() sheetData {
	numeric := map[int]bool{}
	if len(ex.Results) > 0 {
		for i := 8; i < len(ex.Results[0]); i++ {
			numeric[i] = true
		}
	}
	return sheetData{name: "results", rows: ex.Results, numeric: numeric}
}

func (ex *Export) answers() sheetData {
	return sheetData{name: "answers", rows: ex.Answers, numeric: map[int]bool{6: true}}
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
