package model

import (
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
)

// ErrBusy: more sign-ins are waiting for the password hasher than it can
// serve within hashGate's wait. The client may retry (the web layer says
// when, from RetryAfter).
var ErrBusy = errkind.New(errkind.Unavailable,
	"Máy chủ đang bận vì có rất nhiều lượt đăng nhập cùng lúc. Hãy thử lại sau vài giây.",
	"the server is busy with many sign-ins at once; try again in a few seconds")

// busyRetryAfter is what a client refused with ErrBusy is told to wait.
const busyRetryAfter = 2 * time.Second
