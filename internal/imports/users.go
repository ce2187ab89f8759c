package imports

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/argon2"
)

// Columns of a users file. There is no password column on purpose:
// passwords written in a spreadsheet travel by e-mail and stay in
// download folders. A new user gets a generated one-time password,
// returned once by ImportUsers (printed by the command, shown once on
// the admin page), to be handed over and changed at first sign-in. An
// existing user's password is never touched by an import.
var (
	UserColumns         = []string{"username", "display_name", "role", "unit_code"}
	userRequiredColumns = []string{"username", "role"}
)

// Credential is a generated password of a new user.
type Credential struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

var roleAliases = map[string]string{"admin": "admin", "quản trị": "admin", "province": "province", "sở": "province",
	"district": "district", "phòng": "district", "school": "school", "trường": "school", "viewer": "viewer", "lãnh đạo": "viewer"}

// kindForRole is the kind of unit each role belongs to (admin: any or none).
var kindForRole = map[string]string{"province": "province", "district": "district", "school": "school"}

type userIn struct {
	row                        int
	username, name, role, unit string
	unitID                     *int64
}

// ImportUsers validates every row of a users table, then creates or
// updates (by username) every user in one transaction. New users get
// generated passwords, returned in file order; existing users keep theirs.
func ImportUsers(ctx context.Context, pool *pgxpool.Pool, t *Table) (*Report, []Credential, error) {
	if errs := checkHeader(t, userRequiredColumns, UserColumns); len(errs) > 0 {
		return nil, nil, &InvalidFile{Errors: errs}
	}
	var errs []RowError
	bad := func(row int, col, vi, en string) {
		errs = append(errs, RowError{Row: row, Column: col, VI: vi, EN: en})
	}
	var ins []*userIn
	seen := map[string]int{}
	var unitCodes, usernames []string
	for _, r := range t.Rows {
		u := &userIn{row: r.Num, username: strings.ToLower(t.Get(r, "username")), name: strings.Join(strings.Fields(t.Get(r, "display_name")), " "),
			role: strings.ToLower(t.Get(r, "role")), unit: t.Get(r, "unit_code")}
		if v, ok := roleAliases[u.role]; ok {
			u.role = v
		} else {
			bad(r.Num, "role", "Vai trò không hợp lệ: "+u.role+" (admin, province, district, school, viewer).", "unknown role "+u.role+" (admin, province, district, school, viewer)")
			u.role = ""
		}
		switch {
		case !usernamePattern.MatchString(u.username):
			bad(r.Num, "username", "Tên đăng nhập gồm 3–64 chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.",
				"a username is 3–64 lowercase letters without diacritics, digits, dots, dashes or underscores")
		case seen[u.username] != 0:
			bad(r.Num, "username", fmt.Sprintf("Tên đăng nhập %s trùng với dòng %d.", u.username, seen[u.username]), fmt.Sprintf("username %s repeats row %d", u.username, seen[u.username]))
		default:
			seen[u.username] = r.Num
		}
		if len([]rune(u.name)) > 200 {
			bad(r.Num, "display_name", "Họ tên dài quá 200 ký tự.", "the name is longer than 200 characters")
		}
		if u.unit == "" && u.role != "" && u.role != "admin" {
			bad(r.Num, "unit_code", "Cần mã đơn vị cho vai trò này.", "this role needs a unit")
		}
		ins = append(ins, u)
		usernames = append(usernames, u.username)
		if u.unit != "" {
			unitCodes = append(unitCodes, u.unit)
		}
	}
	type unitInfo struct {
		id   int64
		kind string
	}
	units := map[string]unitInfo{}
	rows, err := pool.Query(ctx, `SELECT code, id, kind FROM units WHERE code = ANY($1)`, unitCodes)
	if err != nil {
		return nil, nil, fmt.Errorf("imports: %w", err)
	}
	for rows.Next() {
		var code string
		var ui unitInfo
		if err := rows.Scan(&code, &ui.id, &ui.kind); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("imports: %w", err)
		}
		units[code] = ui
	}
	rows.Close()
	existing := map[string]int64{}
	rows, err = pool.Query(ctx, `SELECT username, id FROM users WHERE username = ANY($1)`, usernames)
	if err != nil {
		return nil, nil, fmt.Errorf("imports: %w", err)
	}
	for rows.Next() {
		var name string
		var id int64
		if err := rows.Scan(&name, &id); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("imports: %w", err)
		}
		existing[name] = id
	}
	rows.Close()
	for _, u := range ins {
		if u.unit == "" {
			continue
		}
		ui, ok := units[u.unit]
		if !ok {
			bad(u.row, "unit_code", "Không có đơn vị mã "+u.unit+".", "no unit with code "+u.unit)
			continue
		}
		u.unitID = &ui.id
		if want := kindForRole[u.role]; want != "" && ui.kind != want {
			bad(u.row, "unit_code", fmt.Sprintf("Vai trò %s cần đơn vị loại %s, đơn vị %s là %s.", u.role, want, u.unit, ui.kind),
				fmt.Sprintf("role %s belongs to a %s; unit %s is a %s", u.role, want, u.unit, ui.kind))
		}
	}
	if len(errs) > 0 {
		sortErrors(errs)
		return nil, nil, &InvalidFile{Errors: errs}
	}
	// Hash the new users' passwords before the transaction, on every core:
	// argon2id takes tens of milliseconds a hash by design.
	var creds []Credential
	hashes := map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	var hashErr error
	for _, u := range ins {
		if _, ok := existing[u.username]; ok {
			continue
		}
		pw, err := generatePassword()
		if err != nil {
			return nil, nil, err
		}
		creds = append(creds, Credential{Username: u.username, Password: pw})
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
		}(u.username, pw)
	}
	wg.Wait()
	if hashErr != nil {
		return nil, nil, hashErr
	}
	rep := &Report{}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for _, u := range ins {
			if id, ok := existing[u.username]; ok {
				if _, err := tx.Exec(ctx, `UPDATE users SET display_name = $2, role = $3, unit_id = $4 WHERE id = $1`, id, u.name, u.role, u.unitID); err != nil {
					return fmt.Errorf("row %d: %w", u.row, err)
				}
				rep.Updated++
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO users (username, display_name, role, unit_id, password_hash) VALUES ($1, $2, $3, $4, $5)`,
				u.username, u.name, u.role, u.unitID, hashes[u.username]); err != nil {
				return fmt.Errorf("row %d: %w", u.row, err)
			}
			rep.Created++
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("imports: users: %w", err)
	}
	return rep, creds, nil
}

// generatePassword returns 14 random characters from an alphabet without
// look-alikes (no 0/O, 1/l/I).
func generatePassword() (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 14)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b), nil
}

// hashPassword writes the same PHC argon2id hash as package survey (which
// reads the parameters from the hash): 19 MiB, 2 passes, 1 lane.
func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	const m, t, p = 19 * 1024, 2, 1
	key := argon2.IDKey([]byte(password), salt, t, m, p, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}
