package model

import (
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
)

// Reviewer is a person who may review an assessment.
type Reviewer struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Unit     string `json:"unit"`
}

// Label is the reviewer as a page names them: "Name (username, unit)".
func (r Reviewer) Label() string {
	if r.Name == "" {
		return r.Username + " – " + r.Unit
	}
	return r.Name + " (" + r.Username + ") – " + r.Unit
}

// FourEyesError refuses an approval by a person who changed values in the
// external evaluation; it names who changed and who may approve instead.
// It matches errkind.Conflict.
type FourEyesError struct {
	ChangedBy []string   `json:"changed_by"`
	Eligible  []Reviewer `json:"eligible"`
}

func (e *FourEyesError) Error() string { return e.Unwrap().Error() }

func (e *FourEyesError) names() (vi, en string) {
	if len(e.Eligible) == 0 {
		return "Hiện không có cán bộ thẩm định nào khác trong phạm vi; hãy đề nghị Sở GDĐT (hoặc quản trị viên) tạo tài khoản hoặc duyệt thay.",
			"no other reviewer is in scope; ask the Department of Education (or an administrator) to add one or to approve"
	}
	l := make([]string, len(e.Eligible))
	for i, r := range e.Eligible {
		l[i] = r.Label()
	}
	return "Người có thể duyệt: " + strings.Join(l, "; ") + ".", "who can approve: " + strings.Join(l, "; ")
}

// Unwrap makes the refusal match errkind.Conflict and carry its message.
func (e *FourEyesError) Unwrap() error {
	vi, en := e.names()
	return errkind.New(errkind.Conflict,
		"Nguyên tắc bốn mắt: người đã thay đổi giá trị đánh giá ngoài không được tự duyệt bản đánh giá này; một cán bộ thẩm định khác của đơn vị (hoặc cấp trên) phải duyệt. "+vi,
		"four eyes: whoever changed values in the external evaluation cannot also approve it; another reviewer of the office (or the office above) approves; "+en)
}

// ApprovalCheck is why the actor may not approve an assessment now, for
// the review page to say before anyone clicks: nil when nothing issue 17
// adds stands in the way.
type ApprovalCheck struct {
	Reason   errkind.Msg    `json:"reason"`
	FourEyes *FourEyesError `json:"four_eyes,omitempty"`
}

// ReplyItem is one changed value as the school replies to it.
type ReplyItem struct {
	Indicator    string     `json:"indicator"`
	SchoolValue  any        `json:"school_value"`
	Value        any        `json:"value"`
	Reason       string     `json:"reason"`
	ChangedBy    string     `json:"changed_by"`
	Verdict      string     `json:"verdict,omitempty"`
	Comment      string     `json:"comment,omitempty"`
	EvidenceURL  string     `json:"evidence_url,omitempty"`
	RepliedAt    *time.Time `json:"replied_at,omitempty"`
	Ruling       string     `json:"ruling,omitempty"`
	RulingReason string     `json:"ruling_reason,omitempty"`
	RuledBy      string     `json:"ruled_by,omitempty"`
}

// ReplyState is the right-of-reply view of an assessment.
type ReplyState struct {
	SentAt *time.Time  `json:"sent_at"`
	Due    *time.Time  `json:"due"`
	Open   bool        `json:"open"`
	Items  []ReplyItem `json:"items"`
	// CanReply: the reader is the unit assessed (a school's people, or an
	// office's own staff on its assessment) and may reply now; CanRule: the
	// reader reviews the assessment (rulings also need someone who did not
	// make the change, checked per item).
	CanReply bool `json:"can_reply"`
	CanRule  bool `json:"can_rule"`
}

const (
	VerdictContest = "contest"
)

// ReviewCounts is how a result was reviewed: changes made, contested by
// the school, upheld on contest; who changed values and who approved.
type ReviewCounts struct {
	Changes    int    `json:"changes"`
	Contested  int    `json:"contested"`
	Upheld     int    `json:"upheld"`
	ChangedBy  string `json:"changed_by"`
	ApprovedBy string `json:"approved_by"`
}
