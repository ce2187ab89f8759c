package survey

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// NoticeKind says what happened; each kind has its own message template and
// its own e-mail switch per person.
type NoticeKind string

// The kinds of notice. Password resets go by e-mail only and ignore the
// person's switches: they are the way back into an account.
const (
	NoticeReturned      NoticeKind = "returned"        // an assessment returned to the school, with the comment
	NoticeApproved      NoticeKind = "approved"        // an assessment approved
	NoticeChanged       NoticeKind = "changed"         // an evaluator changed values, with the reasons
	NoticePublished     NoticeKind = "published"       // results published
	NoticeDeadline      NoticeKind = "deadline"        // the self-assessment deadline in 7, 3 or 1 days
	NoticeReviewsDue    NoticeKind = "reviews_due"     // reviews still open 3 days before the publication date
	NoticeExtended      NoticeKind = "extended"        // a deadline extended
	NoticeReopened      NoticeKind = "reopened"        // an assessment reopened
	NoticeReminder      NoticeKind = "reminder"        // a reviewer's reminder on demand
	NoticeReplyDue      NoticeKind = "reply_requested" // evaluator's changes sent to the school for reply
	NoticePasswordReset NoticeKind = "password_reset"  // a one-use link to set a new password
)

// Notice is one message to one person. It is recorded in the transaction
// of the event that causes it (an outbox), so a notice exists exactly when
// its event does; delivery (in-app, e-mail, webhook) happens afterwards.
type Notice struct {
	UserID       int64
	Kind         NoticeKind
	AssessmentID int64             // 0 when the notice is about no assessment
	Link         string            // the page concerned, a path such as "/assessments/12"
	Params       map[string]string // what the kind's template says: comment, reasons, due date…
}

// notify records n inside tx, the transaction of the event that causes it.
//
// The notifications work (issue 16) fills this in; until then a notice is
// dropped, which is what the product did before it existed.
func (s *Service) notify(ctx context.Context, tx pgx.Tx, n Notice) error {
	_, _ = ctx, tx
	_ = n
	return nil
}
