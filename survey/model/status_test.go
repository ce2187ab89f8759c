package model

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
)

// TestWorkflowCan walks the transition table: who may take which action
// from which status, the deadline included, and the reason given when not.
func TestWorkflowCan(t *testing.T) {
	due := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	before := time.Date(2026, 3, 31, 16, 59, 0, 0, time.UTC) // 23:59 in Vietnam on the due day
	after := time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC)   // 00:00 the next day in Vietnam
	school := &Actor{Role: RoleSchool, UnitID: 9}
	other := &Actor{Role: RoleSchool, UnitID: 8}
	district := &Actor{Role: RoleDistrict, UnitID: 2}
	elsewhere := &Actor{Role: RoleDistrict, UnitID: 3}
	x := func(st Status) *Assessment {
		return &Assessment{Status: st, SelfDue: Date{Time: due}, UnitID: 9, Path: []int64{1, 2, 9}}
	}
	for _, c := range []struct {
		status Status
		who    *Actor
		action Action
		now    time.Time
		kind   error  // nil: allowed
		msg    string // part of the English reason
	}{
		{StatusDraft, school, ActionEdit, before, nil, ""},
		{StatusDraft, school, ActionEdit, after, errkind.Conflict, "was due on 31/03/2026"},
		{StatusDraft, school, ActionSubmit, after, errkind.Conflict, "was due on"},
		{StatusReturned, school, ActionEdit, after, nil, ""}, // corrections: after the deadline too
		{StatusReturned, school, ActionSubmit, after, nil, ""},
		{StatusSubmitted, school, ActionEdit, before, errkind.Conflict, "can no longer be edited"},
		{StatusApproved, school, ActionSubmit, before, errkind.Conflict, "can no longer be edited"},
		{StatusDraft, other, ActionEdit, before, errkind.Forbidden, ""},
		{StatusDraft, district, ActionEdit, before, errkind.Forbidden, ""},
		{StatusSubmitted, district, ActionApprove, after, nil, ""},
		{StatusSubmitted, district, ActionReturn, after, nil, ""},
		{StatusSubmitted, district, ActionReview, after, nil, ""},
		{StatusSubmitted, elsewhere, ActionApprove, after, errkind.Forbidden, ""},
		{StatusSubmitted, school, ActionApprove, after, errkind.Forbidden, ""},
		{StatusDraft, district, ActionApprove, after, errkind.Conflict, "while the assessment is draft"},
		{StatusApproved, district, ActionApprove, after, errkind.Conflict, "while the assessment is approved"},
		{StatusApproved, district, ActionRevoke, after, nil, ""},
		{StatusSubmitted, district, ActionRevoke, after, errkind.Conflict, "while the assessment is submitted"},
		{StatusSubmitted, district, ActionReopen, after, nil, ""},
		{StatusDraft, district, ActionReopen, after, nil, ""},
		{StatusApproved, district, ActionReopen, after, errkind.Conflict, "approved assessment cannot be reopened"},
		{StatusDraft, school, Action("publish"), before, errkind.Invalid, "no such action"},
	} {
		err := x(c.status).Can(c.who, c.action, c.now)
		switch {
		case c.kind == nil && err != nil:
			t.Errorf("%s %s by %s: %v, want allowed", c.status, c.action, c.who.Role, err)
		case c.kind != nil && !errors.Is(err, c.kind):
			t.Errorf("%s %s by %s: %v, want %v", c.status, c.action, c.who.Role, err, c.kind)
		case c.kind != nil && !strings.Contains(err.Error(), c.msg):
			t.Errorf("%s %s by %s: %q lacks %q", c.status, c.action, c.who.Role, err, c.msg)
		}
	}
	// Every transition leads to a known status, and the table and Allowed
	// agree: a page offers exactly what the service accepts.
	for _, st := range workflow {
		if _, ok := statusNames[st.to]; !ok {
			t.Errorf("%s %s leads to unknown status %q", st.from, st.action, st.to)
		}
	}
	if got := x(StatusSubmitted).AllowedActions(district, after); !slices.Equal(got, []Action{ActionReturn, ActionReview, ActionApprove, ActionReopen}) {
		t.Errorf("a district may %v on a submitted assessment", got)
	}
	if got := x(StatusDraft).AllowedActions(school, after); len(got) != 0 {
		t.Errorf("past the deadline a school may still %v", got)
	}
	if got := x(StatusDraft).AllowedActions(school, before); !slices.Equal(got, []Action{ActionEdit, ActionSubmit}) {
		t.Errorf("before the deadline a school may %v", got)
	}
}
