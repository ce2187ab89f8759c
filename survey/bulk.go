package survey

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// BulkUnit is a unit to bulk-load: Depth orders parents before children
// (0 for a root), Parent is the parent's code.
type BulkUnit struct {
	Code, Name, Kind, Parent  string
	Depth                     int
	Levels                    []string
	Students, Teachers, Staff *int
	// Commune is a school's pre-2025 commune (GSO code): the
	// reorganisation matches it to its new commune by this code.
	Commune string
}

// BulkInsertUnits inserts units with COPY into a staging table and a few
// set-based statements, computing the same parent_id and path as
// CreateUnit: for loaders of whole countries (seed), where one statement
// a unit is too slow. Existing codes are left alone, so a rerun changes
// nothing. It does no authorization: it is for code that owns the
// database (seed, tests), never for a request.
func BulkInsertUnits(ctx context.Context, pool *pgxpool.Pool, rows []BulkUnit) error {
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE seed_units (code text, name text, kind text, parent_code text, depth int,
			school_levels text[], students int, teachers int, staff int, commune_code text) ON COMMIT DROP`); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"seed_units"},
			[]string{"code", "name", "kind", "parent_code", "depth", "school_levels", "students", "teachers", "staff", "commune_code"},
			pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
				r := rows[i]
				var parent *string
				if r.Parent != "" {
					parent = &r.Parent
				}
				levels := r.Levels
				if levels == nil {
					levels = []string{}
				}
				var commune *string
				if r.Commune != "" {
					commune = &r.Commune
				}
				return []any{r.Code, r.Name, r.Kind, parent, r.Depth, levels, r.Students, r.Teachers, r.Staff, commune}, nil
			}))
		if err != nil {
			return fmt.Errorf("copy units: %w", err)
		}
		maxDepth := 0
		for _, r := range rows {
			maxDepth = max(maxDepth, r.Depth)
		}
		for d := 0; d <= maxDepth; d++ {
			if _, err := tx.Exec(ctx, `INSERT INTO units (code, name, kind, parent_id, path, school_levels, students, teachers, staff, commune_code)
				SELECT s.code, s.name, s.kind, p.id, '{}', s.school_levels, s.students, s.teachers, s.staff, s.commune_code
				FROM seed_units s LEFT JOIN units p ON p.code = s.parent_code
				WHERE s.depth = $1 ORDER BY s.code
				ON CONFLICT (code) DO NOTHING`, d); err != nil {
				return fmt.Errorf("insert units: %w", err)
			}
			if _, err := tx.Exec(ctx, `UPDATE units u SET path = coalesce(p.path, '{}'::bigint[]) || u.id
				FROM seed_units s LEFT JOIN units p ON p.code = s.parent_code
				WHERE u.code = s.code AND s.depth = $1 AND u.path = '{}'`, d); err != nil {
				return fmt.Errorf("unit paths: %w", err)
			}
		}
		return nil
	})
	return wrap("bulk insert units", err)
}
