package survey

import (
	"context"
	"errors"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// kindName is how people call a kind of unit in messages.
var kindName = map[string]errkind.Msg{
	"ministry": {VI: "Bộ", EN: "ministry"},
	"province": {VI: "tỉnh/thành phố", EN: "province"},
	"district": {VI: "quận/huyện", EN: "district"},
	"commune":  {VI: "xã/phường", EN: "commune"},
	"school":   {VI: "trường", EN: "school"},
}

func nameOfKind(k string) errkind.Msg {
	if m, ok := kindName[k]; ok {
		return m
	}
	return errkind.Msg{VI: k, EN: k}
}

// kindRule says why a unit of kind may not stand under a unit of
// parentKind (unit_kind_parents), or nil when it may. A kind without rules
// may stand anywhere: kinds are data and a deployment may add its own.
func kindRule(ctx context.Context, tx pgx.Tx, kind, parentKind string) (*errkind.Msg, error) {
	var ruled, allowed bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM unit_kind_parents WHERE kind = $1),
		EXISTS (SELECT 1 FROM unit_kind_parents WHERE kind = $1 AND parent_kind = $2)`, kind, parentKind).Scan(&ruled, &allowed)
	if err != nil || !ruled || allowed {
		return nil, err
	}
	k, p := nameOfKind(kind), nameOfKind(parentKind)
	return &errkind.Msg{
		VI: "Không thể đặt một " + k.VI + " dưới một " + p.VI + ".",
		EN: "a " + k.EN + " cannot stand under a " + p.EN,
	}, nil
}

// checkMove refuses a move that breaks the kinds or touches a retired unit.
func checkMove(ctx context.Context, tx pgx.Tx, u, np *model.Unit) error {
	var uRetired, pRetired bool
	if err := tx.QueryRow(ctx, `SELECT (SELECT valid_to IS NOT NULL FROM units WHERE id = $1), (SELECT valid_to IS NOT NULL FROM units WHERE id = $2)`,
		u.ID, np.ID).Scan(&uRetired, &pRetired); err != nil {
		return err
	}
	if uRetired {
		return errkind.New(errkind.Invalid, "Đơn vị "+u.Code+" đã giải thể, không chuyển được.", "the unit "+u.Code+" has been retired and cannot move")
	}
	if pRetired {
		return errkind.New(errkind.Invalid, "Đơn vị "+np.Code+" đã giải thể, không nhận thêm đơn vị.", "the unit "+np.Code+" has been retired and takes no units")
	}
	if u.ParentID != nil && *u.ParentID == np.ID {
		return errkind.New(errkind.Invalid, "Đơn vị "+u.Code+" đã ở dưới "+np.Code+".", "the unit "+u.Code+" is already under "+np.Code)
	}
	m, err := kindRule(ctx, tx, u.Kind, np.Kind)
	if err != nil {
		return err
	}
	if m != nil {
		return errkind.New(errkind.Invalid, m.VI, m.EN)
	}
	return nil
}

// moveInTx puts unit id (with its subtree) under newParent, rewriting the
// paths, keeps a school's legacy district when it leaves a district, and
// logs the move. The caller has checked the move and locked the subtree.
func moveInTx(ctx context.Context, tx pgx.Tx, a *model.Actor, id int64, from *int64, newParent int64, newParentPath []int64, reason string, effective *time.Time) error {
	// A school that leaves its district (moved itself, or with its commune)
	// keeps it as its legacy district (the district on its path), unless it
	// already has one.
	const legacy = `UPDATE units u SET legacy_district_id = d.id
		FROM units d WHERE $1 = ANY(u.path) AND u.kind = 'school' AND u.legacy_district_id IS NULL
		AND d.id = ANY(u.path) AND d.kind = 'district' AND NOT (d.id = ANY($2::bigint[]))`
	if _, err := tx.Exec(ctx, legacy, id, newParentPath); err != nil {
		return err
	}
	const q = `UPDATE units SET path = $2::bigint[] || path[array_position(path, $1):], updated_at = now()
		WHERE $1 = ANY(path)`
	if _, err := tx.Exec(ctx, q, id, newParentPath); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE units SET parent_id = $2 WHERE id = $1`, id, newParent); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO unit_moves (unit_id, from_parent_id, to_parent_id, moved_by, reason, effective) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, from, newParent, actorUserID(a), reason, effective)
	return err
}

func actorUserID(a *model.Actor) *int64 {
	if a == nil || a.UserID == 0 {
		return nil
	}
	id := a.UserID
	return &id
}

// History returns a unit's validity, legacy district and move log. Unit
// codes, names and moves are public facts of the administrative tree, so
// any signed-in person may read them; the web layer decides who reaches it.
func (s *Service) History(ctx context.Context, code string) (*model.UnitHistory, error) {
	var h model.UnitHistory
	var id int64
	var from, to *time.Time
	err := s.pool.QueryRow(ctx, `SELECT u.id, u.code, u.name, u.kind, u.valid_from, u.valid_to, coalesce(u.commune_code, ''),
			coalesce(d.code, ''), coalesce(d.name, '')
		FROM units u LEFT JOIN units d ON d.id = u.legacy_district_id WHERE u.code = $1`, code).Scan(
		&id, &h.Code, &h.Name, &h.Kind, &from, &to, &h.CommuneCode, &h.LegacyDistrictCode, &h.LegacyDistrictName)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errkind.New(errkind.NotFound, "Không có đơn vị mã "+code+".", "no unit with code "+code)
	}
	if err != nil {
		return nil, wrap("unit history", err)
	}
	if from != nil {
		h.ValidFrom = &model.Date{Time: *from}
	}
	if to != nil {
		h.ValidTo = &model.Date{Time: *to}
		h.Retired = true
	}
	rows, err := s.pool.Query(ctx, `SELECT m.id, coalesce(f.code, ''), coalesce(f.name, ''), coalesce(t.code, ''), coalesce(t.name, ''),
			m.reason, coalesce(b.username, ''), m.moved_at, m.effective
		FROM unit_moves m LEFT JOIN units f ON f.id = m.from_parent_id LEFT JOIN units t ON t.id = m.to_parent_id
		LEFT JOIN users b ON b.id = m.moved_by
		WHERE m.unit_id = $1 ORDER BY m.id`, id)
	if err != nil {
		return nil, wrap("unit history", err)
	}
	h.Moves, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.UnitMove, error) {
		var m model.UnitMove
		var eff *time.Time
		err := r.Scan(&m.ID, &m.FromParentCode, &m.FromParentName, &m.ToParentCode, &m.ToParentName, &m.Reason, &m.MovedBy, &m.MovedAt, &eff)
		if eff != nil {
			m.Effective = &model.Date{Time: *eff}
		}
		return m, err
	})
	if h.Moves == nil {
		h.Moves = []model.UnitMove{}
	}
	return &h, wrap("unit history", err)
}
