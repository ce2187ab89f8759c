package model

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
	NoticeVerifying     NoticeKind = "verifying"       // approved unsampled, drawn into an enlarged sample: back to submitted
	NoticePasswordReset NoticeKind = "password_reset"  // a one-use link to set a new password
)

// NoticeKinds are the kinds a person may switch e-mail off for, in the
// order the preferences page lists them.
var NoticeKinds = []NoticeKind{NoticeReturned, NoticeApproved, NoticeChanged, NoticeReplyDue, NoticeVerifying, NoticePublished,
	NoticeDeadline, NoticeReviewsDue, NoticeExtended, NoticeReopened, NoticeReminder}
