package survey

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
	"golang.org/x/text/unicode/norm"
)

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

const userColumns = `u.id, u.username, u.display_name, u.role, coalesce(n.code, ''), coalesce(n.name, ''),
	u.lang, coalesce(u.email, ''), coalesce(u.phone, ''), u.must_change_password, u.locked_at, u.created_at, coalesce(n.path, '{}')`

func scanUser(row pgx.Row) (*model.User, error) {
	var u model.User
	if err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.UnitCode, &u.UnitName, &u.Lang, &u.Email, &u.Phone, &u.MustChangePassword, &u.LockedAt, &u.CreatedAt, &u.UnitPath); err != nil {
		return nil, err
	}
	return &u, nil
}

// CreateUser adds a user. Admins create any user; the first admin is
// created from the command line with a nil actor and bootstrap set.
func (s *Service) CreateUser(ctx context.Context, a *model.Actor, in model.UserInput) (*model.User, error) {
	return s.createUser(ctx, a, in, false)
}

// CreateUserBootstrap creates a user without an acting person: for the
// `dxindex user add` command, run by whoever runs the server.
func (s *Service) CreateUserBootstrap(ctx context.Context, in model.UserInput) (*model.User, error) {
	return s.createUser(ctx, nil, in, true)
}

func (s *Service) createUser(ctx context.Context, a *model.Actor, in model.UserInput, bootstrap bool) (*model.User, error) {
	if !bootstrap && !a.Is(model.RoleAdmin) {
		return nil, model.ErrForbidden
	}
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	in.DisplayName = norm.NFC.String(strings.Join(strings.Fields(in.DisplayName), " "))
	in.UnitCode = strings.TrimSpace(in.UnitCode)
	fe := errkind.FieldErrors{}
	if !usernamePattern.MatchString(in.Username) {
		fe.Add("username", "Tên đăng nhập gồm 3–64 chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.",
			"a username is 3–64 lowercase letters without diacritics, digits, dots, dashes or underscores")
	}
	if !in.Role.Valid() {
		fe.Add("role", "Vai trò không hợp lệ.", "unknown role (admin, province, district, commune, school, viewer)")
	}
	if vi, en := passwordProblem(in.Password, in.Username); vi != "" {
		fe.Add("password", vi, en)
	}
	email, phone := checkContacts(fe, in.Email, in.Phone)
	var unitID *int64
	if in.UnitCode != "" {
		u, err := s.UnitByCode(ctx, in.UnitCode)
		if err != nil {
			fe.Add("unit_code", "Không có đơn vị mã "+in.UnitCode+".", "no unit with code "+in.UnitCode)
		} else {
			unitID = &u.ID
			if msg := roleUnitMismatch(in.Role, u.Kind); msg != nil {
				fe.Add("unit_code", msg.VI, msg.EN)
			}
			if !bootstrap && !a.Covers(u.Path) {
				fe.Add("unit_code", "Đơn vị nằm ngoài phạm vi của bạn.", "the unit is outside your scope")
			}
		}
	} else if in.Role != model.RoleAdmin && in.Role.Valid() {
		fe.Add("unit_code", "Cần chọn đơn vị cho vai trò này.", "this role needs a unit")
	} else if !bootstrap && a.Scoped() {
		// A user without a unit sees everything: only an admin whose own
		// scope is everything may create one, or a province's admin could
		// make itself a system-wide admin.
		fe.Add("unit_code", "Bạn chỉ tạo được người dùng thuộc một đơn vị trong phạm vi của mình.",
			"you can only create users of a unit inside your scope")
	}
	if err := fe.Err(); err != nil {
		return nil, wrap("create user", err)
	}
	hash, err := hashPasswordCtx(ctx, in.Password)
	if err != nil {
		return nil, wrap("create user", err)
	}
	var id int64
	const q = `INSERT INTO users (username, display_name, role, unit_id, password_hash, email, phone, must_change_password)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`
	if err := s.pool.QueryRow(ctx, q, in.Username, in.DisplayName, in.Role, unitID, hash, email, phone, in.MustChangePassword).Scan(&id); err != nil {
		if postgres.IsUniqueViolation(err, "users_username_key") {
			fe.Add("username", "Tên đăng nhập "+in.Username+" đã có người dùng.", "the username "+in.Username+" is taken")
			return nil, wrap("create user", fe)
		}
		return nil, wrap("create user", err)
	}
	return s.userByID(ctx, id)
}

// roleUnitMismatch: an evaluator belongs to an office (province or
// district), a school user to a school.
func roleUnitMismatch(r model.Role, kind string) *errkind.Msg {
	switch {
	case r == model.RoleProvince && kind != "province":
		return &errkind.Msg{VI: "Cán bộ Sở thuộc một đơn vị cấp tỉnh.", EN: "a province evaluator belongs to a province"}
	case r == model.RoleDistrict && kind != "district":
		return &errkind.Msg{VI: "Cán bộ Phòng thuộc một đơn vị cấp huyện.", EN: "a district evaluator belongs to a district"}
	case r == model.RoleCommune && kind != "commune":
		return &errkind.Msg{VI: "Cán bộ xã thuộc một đơn vị cấp xã.", EN: "a commune reviewer belongs to a commune"}
	case r == model.RoleMinistry && kind != "ministry":
		return &errkind.Msg{VI: "Cán bộ Bộ thuộc đơn vị cấp Bộ.", EN: "a ministry reviewer belongs to the ministry"}
	case r == model.RoleOffice && kind != "province" && kind != "district":
		return &errkind.Msg{VI: "Cán bộ tự đánh giá của cơ quan quản lý thuộc một Sở hoặc Phòng GDĐT.", EN: "an office's staff belong to a province or district education office"}
	case r == model.RoleSchool && kind != "school":
		return &errkind.Msg{VI: "Người dùng của trường thuộc một trường.", EN: "a school user belongs to a school"}
	}
	return nil
}

func (s *Service) userByID(ctx context.Context, id int64) (*model.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users u LEFT JOIN units n ON n.id = u.unit_id WHERE u.id = $1`
	u, err := scanUser(s.pool.QueryRow(ctx, q, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, model.ErrNotFound
	}
	return u, wrap("user", err)
}

// UserByUsername returns a user the actor may see (in their scope).
func (s *Service) UserByUsername(ctx context.Context, a *model.Actor, username string) (*model.User, error) {
	if a == nil {
		return nil, model.ErrForbidden
	}
	const q = `SELECT ` + userColumns + ` FROM users u LEFT JOIN units n ON n.id = u.unit_id WHERE u.username = $1`
	u, err := scanUser(s.pool.QueryRow(ctx, q, strings.ToLower(username)))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, model.ErrNotFound
	}
	if err != nil {
		return nil, wrap("user", err)
	}
	if !a.Is(model.RoleAdmin) && a.UserID != u.ID {
		return nil, model.ErrNotFound
	}
	if a.Is(model.RoleAdmin) && a.UnitID != 0 && !a.Covers(u.UnitPath) {
		return nil, model.ErrNotFound
	}
	return u, nil
}

// ListUsers lists the users an admin may manage.
func (s *Service) ListUsers(ctx context.Context, a *model.Actor) ([]*model.User, error) {
	if !a.Is(model.RoleAdmin) {
		return nil, model.ErrForbidden
	}
	q := `SELECT ` + userColumns + ` FROM users u LEFT JOIN units n ON n.id = u.unit_id`
	var args []any
	if a.UnitID != 0 {
		q += ` WHERE $1 = ANY(n.path)`
		args = append(args, a.UnitID)
	}
	q += ` ORDER BY u.role, u.username`
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, wrap("list users", err)
	}
	defer rows.Close()
	var out []*model.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, wrap("list users", err)
		}
		out = append(out, u)
	}
	return out, wrap("list users", rows.Err())
}

// SetLocked locks or unlocks a user. Locking ends their sessions at once.
func (s *Service) SetLocked(ctx context.Context, a *model.Actor, username string, locked bool) (*model.User, error) {
	u, err := s.UserByUsername(ctx, a, username)
	if err != nil {
		return nil, err
	}
	if !a.Is(model.RoleAdmin) {
		return nil, model.ErrForbidden
	}
	if u.ID == a.UserID && locked {
		return nil, errkind.New(errkind.Conflict, "Bạn không thể tự khoá tài khoản của mình.", "you cannot lock your own account")
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if locked {
			if _, err := tx.Exec(ctx, `UPDATE users SET locked_at = coalesce(locked_at, now()) WHERE id = $1`, u.ID); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID)
			return err
		}
		// Unlocking also forgives the failed attempts that may have
		// throttled the account (every source's backoff for it).
		if _, err := tx.Exec(ctx, `UPDATE users SET locked_at = NULL WHERE id = $1`, u.ID); err != nil {
			return err
		}
		if err := clearThrottle(ctx, tx, u.Username); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO login_attempts (username, ip, success, at) VALUES ($1, 'unlock', true, $2)`, u.Username, s.Now())
		return err
	})
	if err != nil {
		return nil, wrap("lock user", err)
	}
	return s.userByID(ctx, u.ID)
}

// ChangePassword sets a new password after checking the current one, and
// ends every other session of the user.
func (s *Service) ChangePassword(ctx context.Context, a *model.Actor, keepTokenHash []byte, current, next string) error {
	if a == nil {
		return model.ErrForbidden
	}
	var hash string
	if err := s.pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, a.UserID).Scan(&hash); err != nil {
		return wrap("change password", err)
	}
	ok, err := checkPasswordCtx(ctx, hash, current, false)
	if err != nil {
		return wrap("change password", err)
	}
	fe := errkind.FieldErrors{}
	if !ok {
		fe.Add("current_password", "Mật khẩu hiện tại không đúng.", "the current password is wrong")
	}
	if vi, en := passwordProblem(next, a.Username); vi != "" {
		fe.Add("new_password", vi, en)
	} else if next == current {
		fe.Add("new_password", "Mật khẩu mới phải khác mật khẩu cũ.", "the new password must differ from the current one")
	}
	if err := fe.Err(); err != nil {
		return wrap("change password", err)
	}
	return s.setPassword(ctx, a.UserID, next, keepTokenHash)
}

// ResetPassword sets a user's password without the current one: for the
// `dxindex user passwd` command. Every session of the user ends.
func (s *Service) ResetPassword(ctx context.Context, username, next string) error {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT id FROM users WHERE username = $1`, strings.ToLower(username)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return errkind.New(errkind.NotFound, "Không có người dùng "+username+".", "no user "+username)
	}
	if err != nil {
		return wrap("reset password", err)
	}
	if vi, en := passwordProblem(next, username); vi != "" {
		return wrap("reset password", errkind.Field("password", vi, en))
	}
	return s.setPassword(ctx, id, next, nil)
}

func (s *Service) setPassword(ctx context.Context, userID int64, password string, keepTokenHash []byte) error {
	hash, err := hashPasswordCtx(ctx, password)
	if err != nil {
		return wrap("set password", err)
	}
	return wrap("set password", s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, password_changed_at = now(), must_change_password = false WHERE id = $1`, userID, hash); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2`, userID, keepTokenHash)
		return err
	}))
}

// SetLanguage remembers the language a user chose.
func (s *Service) SetLanguage(ctx context.Context, a *model.Actor, lang string) error {
	if a == nil {
		return nil
	}
	if lang != "vi" && lang != "en" {
		return errkind.New(errkind.Invalid, "Ngôn ngữ không hợp lệ.", "unknown language")
	}
	_, err := s.pool.Exec(ctx, `UPDATE users SET lang = $2 WHERE id = $1`, a.UserID, lang)
	return wrap("set language", err)
}
