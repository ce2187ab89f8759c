package model

import (
	"github.com/dxindex/dxindex/internal/errkind"
)

// ErrResetLink is the answer to a password-reset link that is unknown,
// used already or older than an hour: the three are not told apart.
var ErrResetLink = errkind.New(errkind.NotFound,
	"Liên kết đặt lại mật khẩu không hợp lệ, đã được dùng hoặc đã hết hạn (liên kết chỉ dùng được một lần, trong 1 giờ). Hãy yêu cầu liên kết mới.",
	"this password-reset link is invalid, used already or expired (a link works once, for 1 hour); ask for a new one")

// ErrMustChangePassword refuses everything but changing the password to
// someone signed in with a one-time password.
var ErrMustChangePassword = errkind.New(errkind.Forbidden,
	"Bạn đang dùng mật khẩu tạm thời: hãy đổi mật khẩu trước khi tiếp tục.",
	"you signed in with a one-time password: change it before anything else")

// ContactsInput is a person's e-mail address and phone number; empty
// clears one.
type ContactsInput struct {
	Email string
	Phone string
}
