package model

import (
	"github.com/dxindex/dxindex/internal/errkind"
)

// Sentinel errors. Each wraps an errkind kind, which decides its HTTP status.
var (
	ErrNotFound  = errkind.New(errkind.NotFound, "Không tìm thấy.", "not found")
	ErrForbidden = errkind.New(errkind.Forbidden, "Bạn không có quyền thực hiện thao tác này.", "you are not allowed to do this")
)
