package imports

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/dxindex/dxindex/survey/model"
)

// Columns of a users file. There is no password column on purpose:
// passwords written in a spreadsheet travel by e-mail and stay in
// download folders. A new user gets a generated one-time password,
// returned once by ImportUsers (printed by the command, shown once on
// the admin page), to be handed over and changed at first sign-in. An
// existing user's password is never touched by an import.
var (
	UserColumns         = []string{"username", "display_name", "role", "unit_code", "email", "phone"}
	userRequiredColumns = []string{"username", "role"}
)

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

var roleAliases = map[string]string{"admin": "admin", "quản trị": "admin", "province": "province", "sở": "province",
	"district": "district", "phòng": "district", "school": "school", "trường": "school", "viewer": "viewer", "lãnh đạo": "viewer"}

// UserImporter is the part of the survey service (*survey.Service) that
// writes imported users.
type UserImporter interface {
	ImportUsers(ctx context.Context, a *model.Actor, rows []model.UserRow, read []model.RowError) (*model.ImportReport, []model.Credential, error)
}

// ImportUsers reads every row of a users table and hands the rows to
// svc.ImportUsers, which checks them against the data, authorizes a and
// creates or updates (by username) every user in one transaction. New
// users get generated passwords, returned in file order; existing users
// keep theirs.
func ImportUsers(ctx context.Context, svc UserImporter, a *model.Actor, t *Table) (*model.ImportReport, []model.Credential, error) {
	rows, errs := ReadUsers(t)
	return svc.ImportUsers(ctx, a, rows, errs)
}

// ReadUsers turns a users table into rows, with what is wrong with the
// file itself (a header problem: no rows at all).
func ReadUsers(t *Table) ([]model.UserRow, []model.RowError) {
	if errs := checkHeader(t, userRequiredColumns, UserColumns); len(errs) > 0 {
		return nil, errs
	}
	var errs []model.RowError
	bad := func(row int, col, vi, en string) {
		errs = append(errs, model.RowError{Row: row, Column: col, VI: vi, EN: en})
	}
	ins := []model.UserRow{}
	seen := map[string]int{}
	for _, r := range t.Rows {
		u := model.UserRow{Row: r.Num, Username: strings.ToLower(t.Get(r, "username")), Name: strings.Join(strings.Fields(t.Get(r, "display_name")), " "),
			UnitCode: t.Get(r, "unit_code"), Email: t.Get(r, "email"), Phone: t.Get(r, "phone")}
		role := strings.ToLower(t.Get(r, "role"))
		if v, ok := roleAliases[role]; ok {
			u.Role = model.Role(v)
		} else {
			bad(r.Num, "role", "Vai trò không hợp lệ: "+role+" (admin, province, district, school, viewer).", "unknown role "+role+" (admin, province, district, school, viewer)")
		}
		switch {
		case !usernamePattern.MatchString(u.Username):
			bad(r.Num, "username", "Tên đăng nhập gồm 3–64 chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.",
				"a username is 3–64 lowercase letters without diacritics, digits, dots, dashes or underscores")
		case seen[u.Username] != 0:
			bad(r.Num, "username", fmt.Sprintf("Tên đăng nhập %s trùng với dòng %d.", u.Username, seen[u.Username]), fmt.Sprintf("username %s repeats row %d", u.Username, seen[u.Username]))
		default:
			seen[u.Username] = r.Num
		}
		if len([]rune(u.Name)) > 200 {
			bad(r.Num, "display_name", "Họ tên dài quá 200 ký tự.", "the name is longer than 200 characters")
		}
		if u.UnitCode == "" && u.Role != "" && u.Role != model.RoleAdmin {
			bad(r.Num, "unit_code", "Cần mã đơn vị cho vai trò này.", "this role needs a unit")
		}
		ins = append(ins, u)
	}
	return ins, errs
}
