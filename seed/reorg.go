package seed

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// addOtherProvinces creates, under the Ministry, the provinces of the July
// 2025 tree the reorganisation did not make (none of their communes took
// over a demo school), in force since 1 July 2025: the demo's tree has all
// 34 provinces, those without demo schools simply have no schools.
func addOtherProvinces(ctx context.Context, pool *pgxpool.Pool, svc *survey.Service, admin *model.Actor, cw *model.Crosswalk) error {
	rows, err := pool.Query(ctx, `SELECT code FROM units`)
	if err != nil {
		return fmt.Errorf("seed: provinces: %w", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("seed: provinces: %w", err)
	}
	for _, pr := range cw.Provinces {
		if slices.Contains(codes, pr.Code) {
			continue
		}
		u, err := svc.CreateUnit(ctx, admin, model.UnitInput{Code: pr.Code, Name: pr.Name, Kind: "province", ParentCode: MinistryCode})
		if err != nil {
			return fmt.Errorf("seed: province %s: %w", pr.Code, err)
		}
		if _, err := pool.Exec(ctx, `UPDATE units SET valid_from = $2 WHERE id = $1`, u.ID, time.Date(2025, time.July, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			return fmt.Errorf("seed: province %s: %w", pr.Code, err)
		}
	}
	return nil
}
