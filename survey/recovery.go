package survey

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"net/mail"
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// Account recovery and contacts (issue 16): how to reach a person, the
// "forgot password" link, and one-time passwords that must be changed.

// resetLifetime is how long a password-reset link works; resetsPerHour
// caps how many links one account is sent in an hour, so the form cannot
// be used to flood someone's mailbox.
const (
	resetLifetime = time.Hour
	resetsPerHour = 3
)

// normalizePhone keeps a phone number's digits (and a leading +), so
// "0912 345 678", "0912.345.678" and "0912-345-678" are one number.
func normalizePhone(p string) string {
	p = strings.TrimSpace(p)
	var b strings.Builder
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return p // left as typed, so the check below names it
		}
	}
	return b.String()
}

// checkContacts validates an e-mail address and a phone number (both
// optional) into fe and returns them as stored: NULL when empty.
func checkContacts(fe errkind.FieldErrors, email, phone string) (*string, *string) {
	var e, p *string
	if email = strings.TrimSpace(email); email != "" {
		addr, err := mail.ParseAddress(email)
		switch {
		case err != nil || addr.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], "."):
			fe.Add("email", "Địa chỉ email "+email+" không hợp lệ (ví dụ: ten@truong.edu.vn).",
				"the e-mail address "+email+" is not valid (for example name@school.edu.vn)")
		default:
			e = &email
		}
	}
	if phone = normalizePhone(phone); phone != "" {
		digits := strings.TrimPrefix(phone, "+")
		valid := len(digits) >= 8 && len(digits) <= 15 && strings.Trim(digits, "0123456789") == ""
		// A Vietnamese number is 10 digits from 0, or +84 and 9 digits.
		if valid && !strings.HasPrefix(phone, "+") {
			valid = len(digits) == 10 && digits[0] == '0'
		}
		if valid {
			p = &phone
		} else {
			fe.Add("phone", "Số điện thoại "+phone+" không hợp lệ (10 chữ số bắt đầu bằng 0, hoặc +84…).",
				"the phone number "+phone+" is not valid (10 digits starting with 0, or +84…)")
		}
	}
	return e, p
}

// SetContacts changes a user's contacts: their own, or as the admin of
// their unit.
func (s *Service) SetContacts(ctx context.Context, a *model.Actor, username string, in model.ContactsInput) (*model.User, error) {
	if a == nil {
		return nil, model.ErrForbidden
	}
	username = strings.ToLower(strings.TrimSpace(username))
	if username != a.Username && !a.Is(model.RoleAdmin) {
		return nil, model.ErrForbidden
	}
	// Someone else's: an admin's, and only in their scope (not found
	// outside it, as for every user lookup).
	u, err := s.UserByUsername(ctx, a, username)
	if err != nil {
		return nil, err
	}
	fe := errkind.FieldErrors{}
	email, phone := checkContacts(fe, in.Email, in.Phone)
	if err := fe.Err(); err != nil {
		return nil, wrap("set contacts", err)
	}
	if _, err := s.pool.Exec(ctx, `UPDATE users SET email = $2, phone = $3 WHERE id = $1`, u.ID, email, phone); err != nil {
		return nil, wrap("set contacts", err)
	}
	return s.userByID(ctx, u.ID)
}

// OneTimePassword returns 14 random characters from an alphabet without
// look-alikes (no 0/O, 1/l/I): a password to hand over once, on paper or
// by phone, and to be changed at the first sign-in.
func OneTimePassword() (string, error) {
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

// AdminResetPassword gives a user of the admin's scope a one-time
// password, shown once to the admin, which the user must change at the
// next sign-in. Every session of the user ends, and so does every
// password-reset link sent to them.
func (s *Service) AdminResetPassword(ctx context.Context, a *model.Actor, username string) (string, error) {
	if !a.Is(model.RoleAdmin) {
		return "", model.ErrForbidden
	}
	u, err := s.UserByUsername(ctx, a, username)
	if err != nil {
		return "", err
	}
	pw, err := OneTimePassword()
	if err != nil {
		return "", wrap("reset password", err)
	}
	hash, err := hashPasswordCtx(ctx, pw)
	if err != nil {
		return "", wrap("reset password", err)
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, password_changed_at = now(), must_change_password = true WHERE id = $1`, u.ID, hash); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, u.ID, s.Now()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID)
		return err
	})
	if err != nil {
		return "", wrap("reset password", err)
	}
	return pw, nil
}

// RequestPasswordReset sends a one-use link, valid for an hour, to the
// e-mail address of the account named by login (a username or an e-mail
// address). It answers the same (nil) whether or not such an account
// exists, has an address, is locked or has had links enough this hour,
// so the form tells nobody who has an account.
func (s *Service) RequestPasswordReset(ctx context.Context, login string) error {
	login = strings.ToLower(strings.TrimSpace(login))
	if login == "" || len(login) > 254 {
		return nil
	}
	// By username, or by an address only one account has (an address
	// shared by two accounts names neither).
	const q = `
		SELECT id FROM users
		WHERE locked_at IS NULL AND email IS NOT NULL
			AND (username = $1 OR (lower(email) = $1 AND (SELECT count(*) FROM users WHERE lower(email) = $1) = 1))`
	var userID int64
	err := s.pool.QueryRow(ctx, q, login).Scan(&userID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return wrap("password reset", err)
	}
	token, err := randomToken()
	if err != nil {
		return wrap("password reset", err)
	}
	now := s.Now()
	return wrap("password reset", s.inTx(ctx, func(tx pgx.Tx) error {
		// Serialize an account's requests so the hourly cap holds.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, userID); err != nil {
			return err
		}
		var recent int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM password_resets WHERE user_id = $1 AND created_at > $2`,
			userID, now.Add(-time.Hour)).Scan(&recent); err != nil {
			return err
		}
		if recent >= resetsPerHour {
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			hashToken(token), userID, now, now.Add(resetLifetime)); err != nil {
			return err
		}
		return s.notify(ctx, tx, Notice{
			UserID:     userID,
			Kind:       model.NoticePasswordReset,
			Link:       ResetLinkRedacted,
			SecretLink: "/password/reset/" + token,
			Params:     map[string]string{"expires": now.Add(resetLifetime).Format(time.RFC3339)},
		})
	}))
}

// CheckResetLink reports whether a reset link still works, so its page
// can say so before the person types a new password.
func (s *Service) CheckResetLink(ctx context.Context, token string) (username string, err error) {
	if token == "" || len(token) > 200 {
		return "", model.ErrResetLink
	}
	err = s.pool.QueryRow(ctx, `
		SELECT u.username FROM password_resets r JOIN users u ON u.id = r.user_id
		WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.locked_at IS NULL`,
		hashToken(token), s.Now()).Scan(&username)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", model.ErrResetLink
	}
	return username, wrap("password reset", err)
}

// ResetPasswordWithLink sets a new password through a reset link. The link
// is used up (and every other link of the account with it), every session
// of the account ends, and a one-time password stops being one.
func (s *Service) ResetPasswordWithLink(ctx context.Context, token, next string) error {
	username, err := s.CheckResetLink(ctx, token)
	if err != nil {
		return err
	}
	if vi, en := passwordProblem(next, username); vi != "" {
		return wrap("password reset", errkind.Field("new_password", vi, en))
	}
	hash, err := hashPasswordCtx(ctx, next)
	if err != nil {
		return wrap("password reset", err)
	}
	now := s.Now()
	return wrap("password reset", s.inTx(ctx, func(tx pgx.Tx) error {
		// Claimed inside the transaction: of two uses of one link racing,
		// one finds it used.
		var userID int64
		err := tx.QueryRow(ctx, `
			UPDATE password_resets SET used_at = $2
			WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id`, hashToken(token), now).Scan(&userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return model.ErrResetLink
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, userID, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, password_changed_at = $3, must_change_password = false WHERE id = $1`,
			userID, hash, now); err != nil {
			return err
		}
		if err := clearThrottle(ctx, tx, username); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
		return err
	}))
}
