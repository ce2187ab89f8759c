package survey

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
	"golang.org/x/text/unicode/norm"
)

type reorgUnit struct {
	id          int64
	code, name  string
	kind        string
	parentID    *int64
	path        []int64
	validTo     *time.Time
	communeCode string
}

// nameKey compares names across releases: NFC, case and spacing aside.
// It is used only where the crosswalk has no code.
func nameKey(district, commune string) string {
	f := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(s)), " ")) }
	return f(district) + "\x00" + f(commune)
}

// Reorganize brings a new administrative tree into force on effective:
// it creates the new provinces and communes, moves every school to the
// commune that took over its old commune (matched by code, never by name),
// keeps each school's legacy district, and retires the old districts,
// communes and provinces (valid_to = effective; never deleted). All of it
// happens in one transaction, or nothing does. A dry run computes the same
// report and writes nothing. Running it again changes nothing.
//
// Past campaigns are untouched: they read where each unit stood from
// campaign_units and their published rows from published_results.
func (s *Service) Reorganize(ctx context.Context, a *model.Actor, cw *model.Crosswalk, effective time.Time, dryRun bool) (*model.ReorgReport, error) {
	if !a.Is(model.RoleAdmin) || a.UnitID != 0 {
		return nil, errkind.New(errkind.Forbidden, "Chỉ quản trị toàn hệ thống mới được sắp xếp lại đơn vị hành chính.",
			"only a system-wide admin may reorganise the administrative tree")
	}
	if cw == nil || len(cw.Provinces) == 0 || len(cw.Communes) == 0 || len(cw.Rows) == 0 {
		return nil, errkind.New(errkind.Invalid, "Thiếu dữ liệu cây đơn vị mới hoặc bảng đối chiếu.", "the new tree or the crosswalk is empty")
	}
	effective = time.Date(effective.Year(), effective.Month(), effective.Day(), 0, 0, 0, 0, time.UTC)
	rep := &model.ReorgReport{Effective: model.Date{Time: effective}, DryRun: dryRun}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// One reorganisation at a time, and no unit edits meanwhile.
		if _, err := tx.Exec(ctx, `LOCK TABLE units IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		return reorganize(ctx, tx, a, cw, effective, dryRun, rep)
	})
	if err != nil {
		return nil, wrap("reorganize", err)
	}
	return rep, nil
}

func reorganize(ctx context.Context, tx pgx.Tx, a *model.Actor, cw *model.Crosswalk, effective time.Time, dryRun bool, rep *model.ReorgReport) error {
	rows, err := tx.Query(ctx, `SELECT id, code, name, kind, parent_id, path, valid_to, coalesce(commune_code, '') FROM units ORDER BY id`)
	if err != nil {
		return err
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*reorgUnit, error) {
		var u reorgUnit
		err := r.Scan(&u.id, &u.code, &u.name, &u.kind, &u.parentID, &u.path, &u.validTo, &u.communeCode)
		return &u, err
	})
	if err != nil {
		return err
	}
	byCode := map[string]*reorgUnit{}
	byID := map[int64]*reorgUnit{}
	for _, u := range all {
		byCode[u.code], byID[u.id] = u, u
	}
	parentOf := func(u *reorgUnit) *reorgUnit {
		if u.parentID == nil {
			return nil
		}
		return byID[*u.parentID]
	}
	newProv := map[string]model.NewProvince{}
	for _, p := range cw.Provinces {
		newProv[p.Code] = p
	}
	newComm := map[string]model.NewCommune{}
	for _, c := range cw.Communes {
		if _, ok := newProv[c.ProvinceCode]; !ok {
			return errkind.New(errkind.Invalid, "Xã "+c.Code+" thuộc tỉnh "+c.ProvinceCode+" không có trong danh sách tỉnh mới.",
				"commune "+c.Code+" names province "+c.ProvinceCode+", which the new tree lacks")
		}
		newComm[c.Code] = c
	}
	byOld := map[string][]string{}
	byName := map[string][]string{}
	for _, r := range cw.Rows {
		if r.OldCode != "" {
			if !slices.Contains(byOld[r.OldCode], r.NewCode) {
				byOld[r.OldCode] = append(byOld[r.OldCode], r.NewCode)
			}
			continue
		}
		rep.NameOnlyRows++
		k := nameKey(r.OldDistrict, r.OldName)
		if !slices.Contains(byName[k], r.NewCode) {
			byName[k] = append(byName[k], r.NewCode)
		}
	}
	live := func(u *reorgUnit) bool { return u.validTo == nil }

	// 1. Which new commune takes each live school.
	type target struct {
		school  *reorgUnit
		commune string
		oldCode string // the school's pre-reorganisation commune, kept as its attribute
	}
	var targets []target
	touched := map[string]bool{} // new provinces that receive something
	usedName := map[string]bool{}
	for _, u := range all {
		if u.kind != "school" || !live(u) {
			continue
		}
		p := parentOf(u)
		old := u.communeCode
		var oldUnit *reorgUnit
		if old == "" && p != nil && p.kind == "commune" {
			old, oldUnit = p.code, p
		}
		if old == "" {
			if p != nil && p.kind == "province" && newProv[p.code].Code != "" {
				continue // directly under a province of the new tree: nothing to match
			}
			rep.Unmatched = append(rep.Unmatched, model.ReorgIssue{Code: u.code, Name: u.name, Kind: u.kind,
				Reason: "no commune code: the school stands under " + kindCode(p) + " and has no commune_code attribute"})
			continue
		}
		cands, ok := byOld[old]
		if !ok && oldUnit != nil {
			// Only a commune without a code in the crosswalk falls back to
			// its district's name and its own name.
			if d := parentOf(oldUnit); d != nil && d.kind == "district" {
				k := nameKey(d.name, oldUnit.name)
				if cands, ok = byName[k]; ok && !usedName[k] {
					usedName[k] = true
					rep.NameOnlyUsed++
				}
			}
		}
		switch {
		case !ok:
			rep.Unmatched = append(rep.Unmatched, model.ReorgIssue{Code: u.code, Name: u.name, Kind: u.kind,
				Reason: "old commune " + old + " is not in the crosswalk"})
			continue
		case len(cands) > 1:
			sort.Strings(cands)
			rep.ToDecide = append(rep.ToDecide, model.ReorgIssue{Code: u.code, Name: u.name, Kind: u.kind,
				Reason: "old commune " + old + " was split over several new communes", Candidates: cands})
			continue
		}
		nc, ok := newComm[cands[0]]
		if !ok {
			rep.Unmatched = append(rep.Unmatched, model.ReorgIssue{Code: u.code, Name: u.name, Kind: u.kind,
				Reason: "the crosswalk sends old commune " + old + " to " + cands[0] + ", which the new tree lacks"})
			continue
		}
		touched[nc.ProvinceCode] = true
		targets = append(targets, target{school: u, commune: nc.Code, oldCode: old})
	}
	// A live province the new tree keeps by code is touched too.
	for _, u := range all {
		if u.kind == "province" && live(u) && newProv[u.code].Code != "" {
			touched[u.code] = true
		}
	}

	// 2. The new tree's provinces and communes: kept when a live unit of the
	// same kind has the code, created otherwise.
	var provRoot *int64 // where new provinces go: where the live provinces stand
	for _, u := range all {
		if u.kind == "province" && live(u) {
			provRoot = u.parentID
			break
		}
	}
	keepOrNew := func(code, name, kind, parentCode string) (*reorgUnit, error) {
		u := byCode[code]
		switch {
		case u == nil:
			rep.New = append(rep.New, model.ReorgUnit{Code: code, Name: name, Kind: kind, ParentCode: parentCode})
			return nil, nil
		case u.kind != kind || !live(u):
			return nil, errkind.New(errkind.Conflict,
				fmt.Sprintf("Mã %s của %s mới đã được dùng cho %s %s (%s).", code, nameOfKind(kind).VI, nameOfKind(u.kind).VI, u.name, liveVI(u)),
				fmt.Sprintf("the code %s of the new %s is taken by the %s %s (%s)", code, kind, u.kind, u.name, liveEN(u)))
		}
		k := model.ReorgUnit{Code: code, Name: name, Kind: kind, ParentCode: parentCode}
		if u.name != name {
			k.OldName = u.name
		}
		rep.Kept = append(rep.Kept, k)
		return u, nil
	}
	provCodes := sortedKeys(touched)
	for _, pc := range provCodes {
		if _, err := keepOrNew(pc, newProv[pc].Name, "province", ""); err != nil {
			return err
		}
	}
	var communes []model.NewCommune
	for _, c := range cw.Communes {
		if touched[c.ProvinceCode] {
			communes = append(communes, c)
		}
	}
	sort.Slice(communes, func(i, j int) bool { return communes[i].Code < communes[j].Code })
	var keptMoves []*reorgUnit // kept communes that must move under their province
	for _, c := range communes {
		u, err := keepOrNew(c.Code, c.Name, "commune", c.ProvinceCode)
		if err != nil {
			return err
		}
		if u != nil {
			if p := parentOf(u); p == nil || p.code != c.ProvinceCode {
				keptMoves = append(keptMoves, u)
				rep.Moves = append(rep.Moves, model.ReorgMove{Code: u.code, Name: u.name, Kind: u.kind, From: kindCode(p), To: c.ProvinceCode,
					ToName: newProv[c.ProvinceCode].Name, Province: c.ProvinceCode})
			}
		}
	}
	var moves []target
	for _, t := range targets {
		if p := parentOf(t.school); p != nil && p.code == t.commune {
			rep.InPlace++
			continue
		}
		moves = append(moves, t)
		nc := newComm[t.commune]
		rep.Moves = append(rep.Moves, model.ReorgMove{Code: t.school.code, Name: t.school.name, Kind: "school", From: kindCode(parentOf(t.school)),
			To: t.commune, ToName: nc.Name, Province: nc.ProvinceCode})
	}

	// 3. What retires: live districts, and live communes and provinces the
	// new tree does not have, unless they still hold a live school the
	// reorganisation leaves in place (unmatched or to decide).
	stays := map[int64]bool{}
	placed := map[int64]bool{}
	for _, t := range targets {
		placed[t.school.id] = true
	}
	for _, u := range all {
		if u.kind == "school" && live(u) && !placed[u.id] {
			for _, id := range u.path[:len(u.path)-1] {
				stays[id] = true
			}
		}
	}
	var retire []*reorgUnit
	for _, u := range all {
		if !live(u) {
			continue
		}
		old := u.kind == "district" ||
			u.kind == "commune" && newComm[u.code].Code == "" ||
			u.kind == "province" && newProv[u.code].Code == ""
		if !old {
			continue
		}
		if stays[u.id] {
			rep.Unmatched = append(rep.Unmatched, model.ReorgIssue{Code: u.code, Name: u.name, Kind: u.kind,
				Reason: "not retired: it still holds schools the reorganisation leaves in place"})
			continue
		}
		retire = append(retire, u)
		rep.Retired = append(rep.Retired, model.ReorgUnit{Code: u.code, Name: u.name, Kind: u.kind, ParentCode: kindCode(parentOf(u))})
	}
	if dryRun {
		return nil
	}

	// 4. Apply, in this transaction.
	reason := "Sắp xếp đơn vị hành chính hai cấp, hiệu lực " + effective.Format("02/01/2006") +
		" (two-level local government, effective " + effective.Format("2006-01-02") + ")"
	insert := func(code, name, kind string, parent *reorgUnit) (*reorgUnit, error) {
		var parentID *int64
		var path []int64
		if parent != nil {
			parentID, path = &parent.id, parent.path
		} else if provRoot != nil {
			parentID, path = provRoot, byID[*provRoot].path
		}
		u := &reorgUnit{code: code, name: name, kind: kind, parentID: parentID}
		err := tx.QueryRow(ctx, `INSERT INTO units (code, name, kind, parent_id, path, valid_from) VALUES ($1, $2, $3, $4, '{}', $5) RETURNING id`,
			code, name, kind, parentID, effective).Scan(&u.id)
		if err != nil {
			return nil, err
		}
		u.path = append(slices.Clone(path), u.id)
		if _, err := tx.Exec(ctx, `UPDATE units SET path = $2 WHERE id = $1`, u.id, u.path); err != nil {
			return nil, err
		}
		byCode[code], byID[u.id] = u, u
		return u, nil
	}
	for _, k := range rep.Kept {
		if k.OldName != "" {
			if _, err := tx.Exec(ctx, `UPDATE units SET name = $2, updated_at = now() WHERE id = $1`, byCode[k.Code].id, k.Name); err != nil {
				return err
			}
		}
	}
	for _, n := range rep.New {
		var parent *reorgUnit
		if n.ParentCode != "" {
			parent = byCode[n.ParentCode]
		}
		if _, err := insert(n.Code, n.Name, n.Kind, parent); err != nil {
			return err
		}
	}
	eff := &effective
	for _, u := range keptMoves {
		p := byCode[newComm[u.code].ProvinceCode]
		if err := moveInTx(ctx, tx, a, u.id, u.parentID, p.id, p.path, reason, eff); err != nil {
			return err
		}
	}
	// Each school keeps the code of its pre-reorganisation commune: a
	// second run, and people, can still tell where it came from.
	for _, t := range targets {
		if _, err := tx.Exec(ctx, `UPDATE units SET commune_code = $2 WHERE id = $1 AND commune_code IS NULL`, t.school.id, t.oldCode); err != nil {
			return err
		}
	}
	for _, t := range moves {
		c := byCode[t.commune]
		if err := tx.QueryRow(ctx, `SELECT path FROM units WHERE id = $1`, c.id).Scan(&c.path); err != nil {
			return err
		}
		if err := moveInTx(ctx, tx, a, t.school.id, t.school.parentID, c.id, c.path, reason, eff); err != nil {
			return err
		}
	}
	ids := make([]int64, 0, len(retire))
	for _, u := range retire {
		ids = append(ids, u.id)
	}
	_, err = tx.Exec(ctx, `UPDATE units SET valid_to = $2, updated_at = now() WHERE id = ANY($1) AND valid_to IS NULL`, ids, effective)
	return err
}

func kindCode(u *reorgUnit) string {
	if u == nil {
		return ""
	}
	return u.code
}

func liveVI(u *reorgUnit) string {
	if u.validTo != nil {
		return "đã giải thể"
	}
	return "đang hoạt động"
}

func liveEN(u *reorgUnit) string {
	if u.validTo != nil {
		return "retired"
	}
	return "live"
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
