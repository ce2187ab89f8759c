package survey

// Bulk imports of units and users (issue 19): package imports reads a
// file into rows and reports what is wrong with the file itself; the
// checks against the data, the authorization and the writes are here, so
// that survey stays the one writer of units and users.

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

type existingUnit struct {
	id         int64
	kind       string
	parentCode string
	path       []int64
}

// ImportUnits checks rows against the data, then creates or updates (by
// code) every unit in one transaction. Parents may come from the
// database or from the same rows, in any order. A unit's kind and parent
// do not change on re-import (moving a unit is a separate, audited
// action). read are the problems the reader found in the file; they are
// reported with those found here, and any problem means *InvalidFile and
// nothing written.
func (s *Service) ImportUnits(ctx context.Context, a *model.Actor, rows []model.UnitRow, read []model.RowError) (*model.ImportReport, error) {
	if err := model.MayImport(a); err != nil {
		return nil, err
	}
	errs := slices.Clone(read)
	bad := func(row int, col, vi, en string) {
		errs = append(errs, model.RowError{Row: row, Column: col, VI: vi, EN: en})
	}
	kinds := map[string]bool{}
	kindSort := map[string]int{}
	dbRows, err := s.pool.Query(ctx, `SELECT code, sort FROM unit_kinds`)
	if err != nil {
		return nil, wrap("import units", err)
	}
	for dbRows.Next() {
		var k string
		var n int
		if err := dbRows.Scan(&k, &n); err != nil {
			dbRows.Close()
			return nil, wrap("import units", err)
		}
		kinds[k], kindSort[k] = true, n
	}
	dbRows.Close()
	var codes []string
	for _, u := range rows {
		if !kinds[u.Kind] {
			bad(u.Row, "kind", "Loại đơn vị không hợp lệ: "+u.Kind+".", "unknown kind of unit: "+u.Kind)
		}
		if len(u.Levels) > 0 && u.Kind != "school" && kinds[u.Kind] {
			bad(u.Row, "school_levels", "Chỉ trường học mới có cấp học.", "only schools have school levels")
		}
		codes = append(codes, u.Code)
		if u.Parent != "" {
			codes = append(codes, u.Parent)
		}
	}
	// What the database already holds.
	existing := map[string]*existingUnit{}
	dbRows, err = s.pool.Query(ctx, `SELECT u.code, u.id, u.kind, coalesce(p.code, ''), u.path FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.code = ANY($1)`, codes)
	if err != nil {
		return nil, wrap("import units", err)
	}
	for dbRows.Next() {
		var code string
		var e existingUnit
		if err := dbRows.Scan(&code, &e.id, &e.kind, &e.parentCode, &e.path); err != nil {
			dbRows.Close()
			return nil, wrap("import units", err)
		}
		existing[code] = &e
	}
	dbRows.Close()
	inFile := map[string]*model.UnitRow{}
	for i := range rows {
		if _, dup := inFile[rows[i].Code]; !dup {
			inFile[rows[i].Code] = &rows[i]
		}
	}
	for _, u := range rows {
		if e, ok := existing[u.Code]; ok {
			if e.kind != u.Kind && kinds[u.Kind] {
				bad(u.Row, "kind", fmt.Sprintf("Đơn vị %s đã có với loại %s; không đổi loại khi nhập lại.", u.Code, e.kind),
					fmt.Sprintf("unit %s exists as a %s; a re-import does not change the kind", u.Code, e.kind))
			}
			if e.parentCode != u.Parent {
				bad(u.Row, "parent_code", fmt.Sprintf("Đơn vị %s đang thuộc %s; chuyển đơn vị bằng chức năng Chuyển đơn vị.", u.Code, orNone(e.parentCode)),
					fmt.Sprintf("unit %s is under %s; move units with the move action, not by import", u.Code, orNone(e.parentCode)))
			}
			continue
		}
		if u.Parent == "" {
			continue
		}
		parentKind := ""
		if e := existing[u.Parent]; e != nil {
			parentKind = e.kind
		} else if f := inFile[u.Parent]; f != nil {
			parentKind = f.Kind
		} else {
			bad(u.Row, "parent_code", "Không có đơn vị cấp trên mã "+u.Parent+" (trong hệ thống hay trong tệp).",
				"no parent unit with code "+u.Parent+" (in dxindex or in the file)")
			continue
		}
		if kinds[u.Kind] && kinds[parentKind] && kindSort[parentKind] >= kindSort[u.Kind] {
			bad(u.Row, "parent_code", fmt.Sprintf("Đơn vị loại %s không thể thuộc đơn vị %s (loại %s).", u.Kind, u.Parent, parentKind),
				fmt.Sprintf("a %s cannot be under %s, a %s", u.Kind, u.Parent, parentKind))
		}
	}
	// New units whose parents never resolve (a cycle inside the file).
	order, cyc := orderUnits(rows, existing)
	for _, u := range cyc {
		bad(u.Row, "parent_code", "Các đơn vị cấp trên trong tệp tạo thành vòng lặp.", "the parents in the file form a cycle")
	}
	if len(errs) > 0 {
		model.SortRowErrors(errs)
		return nil, &model.InvalidFile{Errors: errs}
	}
	rep := &model.ImportReport{}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		for _, u := range order {
			if e, ok := existing[u.Code]; ok {
				if _, err := tx.Exec(ctx, `UPDATE units SET name = $2, school_levels = $3, students = $4, teachers = $5, staff = $6, updated_at = now() WHERE id = $1`,
					e.id, u.Name, nonNilStrings(u.Levels), u.Students, u.Teachers, u.Staff); err != nil {
					return fmt.Errorf("row %d: %w", u.Row, err)
				}
				rep.Updated++
				continue
			}
			var id int64
			var parentID *int64
			var parentPath []int64
			if u.Parent != "" {
				var pid int64
				if err := tx.QueryRow(ctx, `SELECT id, path FROM units WHERE code = $1`, u.Parent).Scan(&pid, &parentPath); err != nil {
					return fmt.Errorf("row %d: parent: %w", u.Row, err)
				}
				parentID = &pid
			}
			if err := tx.QueryRow(ctx, `INSERT INTO units (code, name, kind, parent_id, path, school_levels, students, teachers, staff)
				VALUES ($1, $2, $3, $4, '{}', $5, $6, $7, $8) RETURNING id`, u.Code, u.Name, u.Kind, parentID, nonNilStrings(u.Levels), u.Students, u.Teachers, u.Staff).Scan(&id); err != nil {
				return fmt.Errorf("row %d: %w", u.Row, err)
			}
			if _, err := tx.Exec(ctx, `UPDATE units SET path = $2 WHERE id = $1`, id, append(slices.Clone(parentPath), id)); err != nil {
				return fmt.Errorf("row %d: %w", u.Row, err)
			}
			rep.Created++
		}
		return nil
	})
	if err != nil {
		return nil, wrap("import units", err)
	}
	return rep, nil
}

func orNone(s string) string {
	if s == "" {
		return "(không có / none)"
	}
	return s
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// orderUnits puts every unit after its parent; it returns the new units
// whose parents never resolve.
func orderUnits(ins []model.UnitRow, existing map[string]*existingUnit) (order, unresolved []model.UnitRow) {
	placed := map[string]bool{}
	for code := range existing {
		placed[code] = true
	}
	inFile := map[string]bool{}
	for _, u := range ins {
		inFile[u.Code] = true
	}
	pending := ins
	for len(pending) > 0 {
		var next []model.UnitRow
		for _, u := range pending {
			if u.Parent == "" || placed[u.Parent] || existing[u.Code] != nil {
				order = append(order, u)
				placed[u.Code] = true
			} else {
				next = append(next, u)
			}
		}
		if len(next) == len(pending) {
			// Only parents missing everywhere or cycles remain; missing
			// parents were reported already.
			for _, u := range next {
				if inFile[u.Parent] {
					unresolved = append(unresolved, u)
				}
			}
			return order, unresolved
		}
		pending = next
	}
	return order, nil
}

// kindForRole is the kind of unit each imported role belongs to (admin:
// any or none).
var kindForRole = map[model.Role]string{model.RoleProvince: "province", model.RoleDistrict: "district", model.RoleSchool: "school"}

// ImportUsers checks rows against the data, then creates or updates (by
// username) every user in one transaction. New users get generated
// passwords, returned in row order; existing users keep theirs. read
// are the problems the reader found in the file (see ImportUnits).
func (s *Service) ImportUsers(ctx context.Context, a *model.Actor, rows []model.UserRow, read []model.RowError) (*model.ImportReport, []model.Credential, error) {
	if err := model.MayImport(a); err != nil {
		return nil, nil, err
	}
	errs := slices.Clone(read)
	bad := func(row int, col, vi, en string) {
		errs = append(errs, model.RowError{Row: row, Column: col, VI: vi, EN: en})
	}
	var unitCodes, usernames []string
	emails, phones := make([]*string, len(rows)), make([]*string, len(rows))
	for i, u := range rows {
		fe := errkind.FieldErrors{}
		emails[i], phones[i] = checkContacts(fe, u.Email, u.Phone)
		for _, col := range []string{"email", "phone"} {
			if m, ok := fe[col]; ok {
				bad(u.Row, col, m.VI, m.EN)
			}
		}
		usernames = append(usernames, u.Username)
		if u.UnitCode != "" {
			unitCodes = append(unitCodes, u.UnitCode)
		}
	}
	type unitInfo struct {
		id   int64
		kind string
	}
	units := map[string]unitInfo{}
	dbRows, err := s.pool.Query(ctx, `SELECT code, id, kind FROM units WHERE code = ANY($1)`, unitCodes)
	if err != nil {
		return nil, nil, wrap("import users", err)
	}
	for dbRows.Next() {
		var code string
		var ui unitInfo
		if err := dbRows.Scan(&code, &ui.id, &ui.kind); err != nil {
			dbRows.Close()
			return nil, nil, wrap("import users", err)
		}
		units[code] = ui
	}
	dbRows.Close()
	existing := map[string]int64{}
	dbRows, err = s.pool.Query(ctx, `SELECT username, id FROM users WHERE username = ANY($1)`, usernames)
	if err != nil {
		return nil, nil, wrap("import users", err)
	}
	for dbRows.Next() {
		var name string
		var id int64
		if err := dbRows.Scan(&name, &id); err != nil {
			dbRows.Close()
			return nil, nil, wrap("import users", err)
		}
		existing[name] = id
	}
	dbRows.Close()
	unitIDs := make([]*int64, len(rows))
	for i, u := range rows {
		if u.UnitCode == "" {
			continue
		}
		ui, ok := units[u.UnitCode]
		if !ok {
			bad(u.Row, "unit_code", "Không có đơn vị mã "+u.UnitCode+".", "no unit with code "+u.UnitCode)
			continue
		}
		unitIDs[i] = &ui.id
		if want := kindForRole[u.Role]; want != "" && ui.kind != want {
			bad(u.Row, "unit_code", fmt.Sprintf("Vai trò %s cần đơn vị loại %s, đơn vị %s là %s.", u.Role, want, u.UnitCode, ui.kind),
				fmt.Sprintf("role %s belongs to a %s; unit %s is a %s", u.Role, want, u.UnitCode, ui.kind))
		}
	}
	if len(errs) > 0 {
		model.SortRowErrors(errs)
		return nil, nil, &model.InvalidFile{Errors: errs}
	}
	// Hash the new users' passwords before the transaction, on every core:
	// argon2id takes tens of milliseconds a hash by design.
	var creds []model.Credential
	hashes := map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	var hashErr error
	for _, u := range rows {
		if _, ok := existing[u.Username]; ok {
			continue
		}
		pw, err := OneTimePassword()
		if err != nil {
			return nil, nil, err
		}
		creds = append(creds, model.Credential{Username: u.Username, Password: pw})
		wg.Add(1)
		sem <- struct{}{}
		go func(name, pw string) {
			defer wg.Done()
			defer func() { <-sem }()
			h, err := hashPassword(pw)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				hashErr = err
			}
			hashes[name] = h
		}(u.Username, pw)
	}
	wg.Wait()
	if hashErr != nil {
		return nil, nil, hashErr
	}
	rep := &model.ImportReport{}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		for i, u := range rows {
			if id, ok := existing[u.Username]; ok {
				if _, err := tx.Exec(ctx, `UPDATE users SET display_name = $2, role = $3, unit_id = $4, email = coalesce($5, email), phone = coalesce($6, phone)
					WHERE id = $1`, id, u.Name, u.Role, unitIDs[i], emails[i], phones[i]); err != nil {
					return fmt.Errorf("row %d: %w", u.Row, err)
				}
				rep.Updated++
				continue
			}
			// The generated password is a one-time one: changed at the
			// first sign-in, before anything else.
			if _, err := tx.Exec(ctx, `INSERT INTO users (username, display_name, role, unit_id, password_hash, email, phone, must_change_password)
				VALUES ($1, $2, $3, $4, $5, $6, $7, true)`,
				u.Username, u.Name, u.Role, unitIDs[i], hashes[u.Username], emails[i], phones[i]); err != nil {
				return fmt.Errorf("row %d: %w", u.Row, err)
			}
			rep.Created++
		}
		return nil
	})
	if err != nil {
		return nil, nil, wrap("import users", err)
	}
	return rep, creds, nil
}
