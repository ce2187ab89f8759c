package model

import (
	"time"
)

// User is a person who signs in.
type User struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        Role   `json:"role"`
	UnitCode    string `json:"unit_code,omitempty"`
	UnitName    string `json:"unit_name,omitempty"`
	Lang        string `json:"lang"`
	Email       string `json:"email,omitempty"`
	Phone       string `json:"phone,omitempty"`
	// MustChangePassword: the password is a one-time one (imported, or
	// reset by an admin) and must be changed before anything else.
	MustChangePassword bool       `json:"must_change_password"`
	LockedAt           *time.Time `json:"locked_at,omitempty"`
	CreatedAt          time.Time  `json:"created_at"`
	// UnitPath is the path of the user's unit; never written out.
	UnitPath []int64 `json:"-"`
}

// UserInput is what an admin writes to create a user.
type UserInput struct {
	Username    string
	DisplayName string
	Role        Role
	UnitCode    string
	Password    string
	Email       string // optional
	Phone       string // optional
	// MustChangePassword makes Password a one-time password.
	MustChangePassword bool
}
