package survey

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// AssessedLevel is the one school level an assessment of a school uses:
// its level, or multi_level when it teaches several.
func AssessedLevel(levels []string) string {
	switch len(levels) {
	case 0:
		return ""
	case 1:
		return levels[0]
	}
	return "multi_level"
}

const unitColumns = `u.id, u.code, u.name, u.kind, u.parent_id, coalesce(p.code, ''), u.path,
	u.school_levels, u.students, u.teachers, u.staff, u.updated_at`

func scanUnit(row pgx.Row) (*model.Unit, error) {
	var u model.Unit
	err := row.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.ParentID, &u.ParentCode, &u.Path,
		&u.SchoolLevels, &u.Students, &u.Teachers, &u.Staff, &u.UpdatedAt)
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// UnitByCode returns a unit by its code, if the actor may see it (anonymous
// visitors may: unit names and codes are public).
func (s *Service) UnitByCode(ctx context.Context, code string) (*model.Unit, error) {
	const q = `SELECT ` + unitColumns + ` FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.code = $1`
	u, err := scanUnit(s.pool.QueryRow(ctx, q, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errkind.New(errkind.NotFound, "Không có đơn vị mã "+code+".", "no unit with code "+code)
	}
	return u, wrap("unit "+code, err)
}

// UnitByID returns a unit by id.
func (s *Service) UnitByID(ctx context.Context, id int64) (*model.Unit, error) {
	const q = `SELECT ` + unitColumns + ` FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.id = $1`
	u, err := scanUnit(s.pool.QueryRow(ctx, q, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, model.ErrNotFound
	}
	return u, wrap("unit", err)
}

// ListUnits lists the units inside the actor's scope, ordered by kind and
// Vietnamese name.
func (s *Service) ListUnits(ctx context.Context, a *model.Actor, f model.UnitFilter) ([]*model.Unit, error) {
	if a == nil {
		return nil, model.ErrForbidden
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if !(a.Role == model.RoleAdmin && a.UnitID == 0) {
		where = append(where, arg(a.UnitID)+" = ANY(u.path)")
	}
	if f.ParentCode != "" {
		where = append(where, "p.code = "+arg(f.ParentCode))
	}
	if f.Kind != "" {
		where = append(where, "u.kind = "+arg(f.Kind))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, "(u.code ILIKE "+arg("%"+q+"%")+" OR u.name ILIKE $"+strconv.Itoa(len(args))+")")
	}
	if f.Limit <= 0 || f.Limit > 5000 {
		f.Limit = 5000
	}
	q := `SELECT ` + unitColumns + ` FROM units u LEFT JOIN units p ON p.id = u.parent_id JOIN unit_kinds k ON k.code = u.kind`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY k.sort, u.name COLLATE "vi-x-icu", u.code LIMIT ` + arg(f.Limit)
	if f.Offset > 0 {
		q += ` OFFSET ` + arg(f.Offset)
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, wrap("list units", err)
	}
	defer rows.Close()
	var out []*model.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, wrap("list units", err)
		}
		out = append(out, u)
	}
	return out, wrap("list units", rows.Err())
}

// CreateUnit adds a unit under its parent. Admins only.
func (s *Service) CreateUnit(ctx context.Context, a *model.Actor, in model.UnitInput) (*model.Unit, error) {
	if !a.Is(model.RoleAdmin) {
		return nil, model.ErrForbidden
	}
	fe := in.Validate()
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkKindAndParent(ctx, tx, &in, fe); err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		var parentID *int64
		var parentPath []int64
		if in.ParentCode != "" {
			var pid int64
			// FOR SHARE: the parent cannot move out of the actor's scope
			// between this check and the insert.
			if err := tx.QueryRow(ctx, `SELECT id, path FROM units WHERE code = $1 FOR SHARE`, in.ParentCode).Scan(&pid, &parentPath); err != nil {
				return err
			}
			parentID = &pid
		}
		if err := checkParentInScope(a, in.ParentCode, parentPath); err != nil {
			return err
		}
		const q = `INSERT INTO units (code, name, kind, parent_id, path, school_levels, students, teachers, staff)
			VALUES ($1, $2, $3, $4, '{}', $5, $6, $7, $8) RETURNING id`
		if err := tx.QueryRow(ctx, q, in.Code, in.Name, in.Kind, parentID, nonNil(in.SchoolLevels), in.Students, in.Teachers, in.Staff).Scan(&id); err != nil {
			if postgres.IsUniqueViolation(err, "units_code_key") {
				fe.Add("code", "Mã "+in.Code+" đã được dùng.", "the code "+in.Code+" is taken")
				return fe
			}
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE units SET path = $2 WHERE id = $1`, id, append(slices.Clone(parentPath), id))
		return err
	})
	if err != nil {
		return nil, wrap("create unit", err)
	}
	return s.UnitByID(ctx, id)
}

// checkParentInScope: an admin whose scope is a subtree (a province's
// admin) creates and moves units only under a unit of that subtree; a
// unit without a parent is a new root, outside every subtree.
func checkParentInScope(a *model.Actor, parentCode string, parentPath []int64) error {
	if !a.Scoped() {
		return nil
	}
	if parentCode == "" {
		return errkind.New(errkind.Forbidden, "Bạn chỉ tạo được đơn vị thuộc phạm vi của mình (cần đơn vị cấp trên trong phạm vi).",
			"you can only create units inside your scope (a parent inside it is needed)")
	}
	if !a.Covers(parentPath) {
		return errkind.New(errkind.Forbidden, "Đơn vị cấp trên "+parentCode+" nằm ngoài phạm vi của bạn.",
			"the parent unit "+parentCode+" is outside your scope")
	}
	return nil
}

// checkKindAndParent checks the kind exists and the parent is a unit; a
// school needs a parent.
func checkKindAndParent(ctx context.Context, tx pgx.Tx, in *model.UnitInput, fe errkind.FieldErrors) error {
	var kindOK bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM unit_kinds WHERE code = $1)`, in.Kind).Scan(&kindOK); err != nil {
		return err
	}
	if !kindOK {
		fe.Add("kind", "Loại đơn vị không hợp lệ.", "unknown kind of unit")
	}
	if in.ParentCode == "" {
		if in.Kind == "school" || in.Kind == "district" || in.Kind == "commune" {
			fe.Add("parent_code", "Đơn vị này cần đơn vị cấp trên.", "this kind of unit needs a parent")
		}
		return nil
	}
	var parentKind string
	var retired bool
	err := tx.QueryRow(ctx, `SELECT kind, valid_to IS NOT NULL FROM units WHERE code = $1`, in.ParentCode).Scan(&parentKind, &retired)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		fe.Add("parent_code", "Không có đơn vị cấp trên mã "+in.ParentCode+".", "no parent unit with code "+in.ParentCode)
		return nil
	case err != nil:
		return err
	case retired:
		fe.Add("parent_code", "Đơn vị cấp trên "+in.ParentCode+" đã giải thể.", "the parent unit "+in.ParentCode+" has been retired")
		return nil
	}
	if kindOK {
		m, err := kindRule(ctx, tx, in.Kind, parentKind)
		if err != nil {
			return err
		}
		if m != nil {
			fe.Add("parent_code", m.VI, m.EN)
		}
	}
	return nil
}

// UpdateUnit edits a unit's name, levels and headcounts (not its code or
// place in the tree: see MoveUnit). Admins only.
func (s *Service) UpdateUnit(ctx context.Context, a *model.Actor, code string, in model.UnitInput) (*model.Unit, error) {
	if !a.Is(model.RoleAdmin) {
		return nil, model.ErrForbidden
	}
	cur, err := s.UnitByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if !a.Covers(cur.Path) {
		return nil, model.ErrNotFound
	}
	in.Code, in.Kind = cur.Code, cur.Kind
	fe := in.Validate()
	if err := fe.Err(); err != nil {
		return nil, wrap("update unit", err)
	}
	const q = `UPDATE units SET name = $2, school_levels = $3, students = $4, teachers = $5, staff = $6, updated_at = now() WHERE id = $1`
	if _, err := s.pool.Exec(ctx, q, cur.ID, in.Name, nonNil(in.SchoolLevels), in.Students, in.Teachers, in.Staff); err != nil {
		return nil, wrap("update unit", err)
	}
	return s.UnitByID(ctx, cur.ID)
}

// MoveUnit puts a unit (and its subtree) under another parent, as when the
// 2025 reorganisation abolished districts. Campaigns keep the parent a
// school had in them (campaign_units), so history is not rewritten.
func (s *Service) MoveUnit(ctx context.Context, a *model.Actor, code, newParentCode, reason string) (*model.Unit, error) {
	if !a.Is(model.RoleAdmin) {
		return nil, model.ErrForbidden
	}
	// The reason is checked after the scope: a unit or parent outside the
	// admin's scope is refused as such, whatever the form holds.
	reason = model.CleanText(reason)
	u, err := s.UnitByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if !a.Covers(u.Path) {
		return nil, model.ErrNotFound
	}
	np, err := s.UnitByCode(ctx, newParentCode)
	if err != nil {
		return nil, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		// Lock the moved subtree so a concurrent move cannot interleave.
		if _, err := tx.Exec(ctx, `SELECT id FROM units WHERE $1 = ANY(path) FOR UPDATE`, u.ID); err != nil {
			return err
		}
		// The new parent's path as it is now, held until commit: the
		// checks below and the new paths are computed from it.
		if err := tx.QueryRow(ctx, `SELECT path FROM units WHERE id = $1 FOR SHARE`, np.ID).Scan(&np.Path); err != nil {
			return err
		}
		if slices.Contains(np.Path, u.ID) {
			return errkind.New(errkind.Invalid, "Không thể chuyển một đơn vị vào chính nó hay đơn vị cấp dưới của nó.",
				"a unit cannot move under itself or one of its own units")
		}
		if err := checkParentInScope(a, np.Code, np.Path); err != nil {
			return err
		}
		if reason == "" {
			return errkind.New(errkind.Invalid, "Cần ghi lý do chuyển đơn vị.", "a move needs a reason")
		}
		if err := checkMove(ctx, tx, u, np); err != nil {
			return err
		}
		return moveInTx(ctx, tx, a, u.ID, u.ParentID, np.ID, np.Path, reason, nil)
	})
	if err != nil {
		return nil, wrap("move unit", err)
	}
	return s.UnitByID(ctx, u.ID)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
