package model

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
)

// Status is where an assessment stands in the workflow.
type Status string

// Statuses of an assessment: draft → submitted → returned → submitted … → approved.
const (
	StatusDraft     Status = "draft"
	StatusSubmitted Status = "submitted"
	StatusReturned  Status = "returned"
	StatusApproved  Status = "approved"
)

// Statuses are every status, in the workflow's order.
var Statuses = []Status{StatusDraft, StatusSubmitted, StatusReturned, StatusApproved}

// statusNames are the statuses in words: the one place they are
// translated (the web catalog's status.* keys are made from it).
var statusNames = map[Status]errkind.Msg{
	StatusDraft:     {VI: "Đang tự đánh giá", EN: "Draft"},
	StatusSubmitted: {VI: "Đã nộp", EN: "Submitted"},
	StatusReturned:  {VI: "Trả lại", EN: "Returned"},
	StatusApproved:  {VI: "Đã duyệt", EN: "Approved"},
}

// Name is the status in words, in Vietnamese and English.
func (s Status) Name() errkind.Msg {
	if m, ok := statusNames[s]; ok {
		return m
	}
	return errkind.Msg{VI: string(s), EN: string(s)}
}

// Action is what someone does to an assessment.
type Action string

// Actions on an assessment.
const (
	ActionEdit    Action = "edit"    // save an answer, add or remove evidence
	ActionSubmit  Action = "submit"  // send the self-assessment for review
	ActionReturn  Action = "return"  // send it back to the school for corrections
	ActionReview  Action = "review"  // set an evaluator's value, rule on a reply
	ActionApprove Action = "approve" // validate it
	ActionRevoke  Action = "revoke"  // withdraw an approval
	ActionReopen  Action = "reopen"  // give it back to the school as a draft, with a new due date
)

// Actions are every action, in the order a page offers them.
var Actions = []Action{ActionEdit, ActionSubmit, ActionReturn, ActionReview, ActionApprove, ActionRevoke, ActionReopen}

// party is who may take an action: the assessed unit's own people, or an
// evaluator of its scope it is routed to.
type party int

const (
	theUnit party = iota + 1
	anEvaluator
)

// step is one allowed transition: from a status, an action by a party
// leads to a status; beforeDue: only until the self-assessment's due day
// has ended.
type step struct {
	from      Status
	action    Action
	to        Status
	by        party
	beforeDue bool
}

// workflow is the one table of allowed transitions. A returned
// assessment is editable after the deadline: it is being corrected.
// An approved one is not reopened (its result may be published): the
// evaluator revokes the approval first.
var workflow = []step{
	{StatusDraft, ActionEdit, StatusDraft, theUnit, true},
	{StatusReturned, ActionEdit, StatusReturned, theUnit, false},
	{StatusDraft, ActionSubmit, StatusSubmitted, theUnit, true},
	{StatusReturned, ActionSubmit, StatusSubmitted, theUnit, false},
	{StatusSubmitted, ActionReturn, StatusReturned, anEvaluator, false},
	{StatusSubmitted, ActionReview, StatusSubmitted, anEvaluator, false},
	{StatusSubmitted, ActionApprove, StatusApproved, anEvaluator, false},
	{StatusApproved, ActionRevoke, StatusSubmitted, anEvaluator, false},
	{StatusDraft, ActionReopen, StatusDraft, anEvaluator, false},
	{StatusSubmitted, ActionReopen, StatusDraft, anEvaluator, false},
	{StatusReturned, ActionReopen, StatusDraft, anEvaluator, false},
}

// PastDue: the self-assessment is due at the end of its due day,
// Vietnamese time.
func PastDue(due, now time.Time) bool {
	end := time.Date(due.Year(), due.Month(), due.Day()+1, 0, 0, 0, 0, Vietnam)
	return !now.Before(end)
}

// Can reports whether the actor may take the action on the assessment at
// now: nil, or why not (errkind Forbidden: not theirs to take; Conflict:
// not in this status, or past the deadline). The service checks every
// change through it, and pages and the API offer what it allows
// (Assessment.Allowed), so they never offer what would be refused.
func (x *Assessment) Can(a *Actor, action Action, now time.Time) error {
	_, err := x.Next(a, action, now)
	return err
}

// Next is the status the action leads to, or why it is not allowed.
func (x *Assessment) Next(a *Actor, action Action, now time.Time) (Status, error) {
	var by party
	for _, st := range workflow {
		if st.action == action {
			by = st.by
			break
		}
	}
	switch {
	case by == 0:
		return "", errkind.New(errkind.Invalid, fmt.Sprintf("Không có thao tác %q.", action), fmt.Sprintf("no such action %q", action))
	case by == theUnit && !x.CanEdit(a), by == anEvaluator && !x.CanReview(a):
		return "", ErrForbidden
	}
	for _, st := range workflow {
		if st.action != action || st.from != x.Status {
			continue
		}
		if st.beforeDue && PastDue(x.SelfDue.Time, now) {
			due := x.SelfDue.Format("02/01/2006")
			return "", errkind.New(errkind.Conflict,
				"Đã quá hạn tự đánh giá ("+due+"). Hãy đề nghị cơ quan quản lý mở lại hoặc gia hạn.",
				"the self-assessment was due on "+due+"; ask the managing office to reopen it or extend the deadline")
		}
		return st.to, nil
	}
	switch {
	case by == theUnit:
		return "", errkind.New(errkind.Conflict, "Bản tự đánh giá đã nộp nên không sửa được.", "the assessment was submitted and can no longer be edited")
	case action == ActionReopen && x.Status == StatusApproved:
		return "", errkind.New(errkind.Conflict, "Bản đánh giá đã duyệt nên không mở lại được.", "an approved assessment cannot be reopened")
	}
	name := x.Status.Name()
	return "", errkind.New(errkind.Conflict,
		fmt.Sprintf("Không thực hiện được: bản đánh giá đang ở trạng thái «%s».", name.VI),
		fmt.Sprintf("not possible while the assessment is %s", strings.ToLower(name.EN)))
}

// allowed lists the actions the actor may take now, in Actions' order.
func (x *Assessment) AllowedActions(a *Actor, now time.Time) []Action {
	out := []Action{}
	for _, act := range Actions {
		if x.Can(a, act, now) == nil {
			out = append(out, act)
		}
	}
	return out
}

// Allows reports whether Allowed holds the action (for templates:
// {{if .X.Allows "approve"}}).
func (x *Assessment) Allows(action string) bool { return slices.Contains(x.Allowed, Action(action)) }
