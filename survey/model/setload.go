package model

import (
	"fmt"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
)

// SetLoad is what storing a set file did (the admin's set page, issue 13).
type SetLoad struct {
	Code, Version string
	// Outcome is what setstore.Save did: "created", "updated" or
	// "unchanged" (a setview.SaveOutcome, kept a string here so this
	// package needs no store).
	Outcome string
	// Previous is the latest version of the same code before this one
	// ("" for the first); Diff what changed against it.
	Previous string
	Diff     *indicators.SetDiff
}

// SetVersionTaken: a set file gives a version already stored with other
// content. It is a Conflict; Load.Diff says what differs.
type SetVersionTaken struct{ Load *SetLoad }

func (e *SetVersionTaken) Error() string {
	return e.kind().Error()
}

func (e *SetVersionTaken) kind() *errkind.Error {
	return errkind.New(errkind.Conflict,
		fmt.Sprintf("Bộ chỉ số %s phiên bản %s đã được lưu với nội dung khác; một phiên bản đã lưu không bao giờ thay đổi: hãy đặt phiên bản mới cho bản sửa đổi.", e.Load.Code, e.Load.Version),
		fmt.Sprintf("%s %s is already stored with other content; a stored version never changes: give the revision a new version", e.Load.Code, e.Load.Version))
}

// Unwrap makes errors.Is(err, errkind.Conflict) hold.
func (e *SetVersionTaken) Unwrap() error { return e.kind() }
