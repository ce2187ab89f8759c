package model

import (
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
)

// Notification is a recorded notice, as its reader and the admin's mail
// page see it.
type Notification struct {
	ID           int64             `json:"id"`
	UserID       int64             `json:"-"`
	Username     string            `json:"username,omitempty"`
	Kind         NoticeKind        `json:"kind"`
	AssessmentID int64             `json:"assessment_id,omitempty"`
	Link         string            `json:"link"`
	Params       map[string]string `json:"params"`
	CreatedAt    time.Time         `json:"created_at"`
	Read         bool              `json:"read"`
	InApp        bool              `json:"-"`
	Lang         string            `json:"-"` // the reader's language, for e-mail
	EmailTo      string            `json:"email_to,omitempty"`
	EmailStatus  string            `json:"email_status,omitempty"`
	EmailError   string            `json:"email_error,omitempty"`
	Attempts     int               `json:"email_attempts,omitempty"`
	EmailSentAt  *time.Time        `json:"email_sent_at,omitempty"`
	HookStatus   string            `json:"webhook_status,omitempty"`
	HookError    string            `json:"webhook_error,omitempty"`
}

func (n *Notification) p(k string) string { return n.Params[k] }

// Subject is the notice's one-line title, in both languages.
func (n *Notification) Subject() errkind.Msg {
	u := n.p("unit")
	switch n.Kind {
	case NoticeReturned:
		return errkind.Msg{VI: "Bản tự đánh giá của " + u + " bị trả lại", EN: "The self-assessment of " + u + " was returned"}
	case NoticeApproved:
		return errkind.Msg{VI: "Bản tự đánh giá của " + u + " đã được duyệt", EN: "The self-assessment of " + u + " was approved"}
	case NoticeChanged:
		if c := n.p("changes"); c != "" && c != "1" {
			return errkind.Msg{VI: "Đánh giá ngoài đã thay đổi " + c + " chỉ số của " + u, EN: "An evaluator changed " + c + " indicators of " + u}
		}
		return errkind.Msg{VI: "Đánh giá ngoài đã thay đổi chỉ số " + n.p("indicator") + " của " + u, EN: "An evaluator changed indicator " + n.p("indicator") + " of " + u}
	case NoticeReplyDue:
		return errkind.Msg{VI: "Mời " + u + " phản hồi các thay đổi của đánh giá ngoài", EN: u + " is asked to reply to the evaluator's changes"}
	case NoticeVerifying:
		return errkind.Msg{VI: "Bản tự đánh giá của " + u + " được rút vào mẫu kiểm tra", EN: "The self-assessment of " + u + " was drawn for verification"}
	case NoticePublished:
		return errkind.Msg{VI: "Kết quả của " + u + " đã được công bố", EN: "The results of " + u + " were published"}
	case NoticeDeadline:
		return errkind.Msg{VI: "Còn " + n.p("days") + " ngày đến hạn tự đánh giá của " + u, EN: n.p("days") + " day(s) left to the self-assessment deadline of " + u}
	case NoticeReviewsDue:
		return errkind.Msg{VI: "Còn " + n.p("open") + " bản chưa duyệt, 3 ngày trước hạn công bố", EN: n.p("open") + " assessment(s) still to review, 3 days before publication"}
	case NoticeExtended:
		return errkind.Msg{VI: "Hạn tự đánh giá của " + u + " được gia hạn đến " + n.p("due"), EN: "The self-assessment deadline of " + u + " is extended to " + n.p("due")}
	case NoticeReopened:
		return errkind.Msg{VI: "Bản tự đánh giá của " + u + " được mở lại, hạn " + n.p("due"), EN: "The self-assessment of " + u + " was reopened, due " + n.p("due")}
	case NoticeReminder:
		return errkind.Msg{VI: "Nhắc nhở: hoàn thành tự đánh giá của " + u, EN: "Reminder: complete the self-assessment of " + u}
	case NoticePasswordReset:
		return errkind.Msg{VI: "Đặt lại mật khẩu DX Index", EN: "Reset your DX Index password"}
	}
	return errkind.Msg{VI: "Thông báo", EN: "Notice"}
}

// Body is what the notice says beyond its title (may be empty).
func (n *Notification) Body() errkind.Msg {
	c := n.p("campaign")
	var m errkind.Msg
	switch n.Kind {
	case NoticeReturned:
		m = errkind.Msg{VI: "Nhận xét của người đánh giá: " + n.p("comment"), EN: "The evaluator's comment: " + n.p("comment")}
	case NoticeApproved:
		if n.p("comment") != "" {
			m = errkind.Msg{VI: "Nhận xét: " + n.p("comment"), EN: "Comment: " + n.p("comment")}
		}
	case NoticeChanged:
		if c := n.p("changes"); c != "" && c != "1" {
			// The changes themselves are the notice's Items.
			m = errkind.Msg{VI: "Các thay đổi và lý do:", EN: "The changes and their reasons:"}
		} else {
			m = errkind.Msg{VI: "Lý do: " + n.p("reason"), EN: "Reason: " + n.p("reason")}
		}
	case NoticeReplyDue:
		if n.p("office") != "" { // an office's own assessment (Decision 3806)
			m = errkind.Msg{VI: n.p("changes") + " thay đổi chờ đơn vị phản hồi, hạn " + n.p("due") + ".", EN: n.p("changes") + " change(s) await the unit's reply, due " + n.p("due") + "."}
		} else {
			m = errkind.Msg{VI: n.p("changes") + " thay đổi chờ nhà trường phản hồi, hạn " + n.p("due") + ".", EN: n.p("changes") + " change(s) await the school's reply, due " + n.p("due") + "."}
		}
	case NoticeVerifying:
		who, whoEN := "Nhà trường", "the school"
		if n.p("office") != "" {
			who, whoEN = "Đơn vị", "the unit"
		}
		m = errkind.Msg{VI: "Bản tự đánh giá đã được duyệt theo kết quả tự đánh giá, nay được rút thêm vào mẫu kiểm tra nên trở lại trạng thái đã nộp để đoàn đánh giá kiểm tra. " + who + " chưa cần làm gì thêm; sẽ có thông báo khi bản được duyệt lại.",
			EN: "It was approved on its self-assessment and has now been drawn into the enlarged verification sample, so it is back to submitted while the evaluators verify it. Nothing is needed from " + whoEN + " yet; you will be told when it is approved again."}
	case NoticeDeadline:
		m = errkind.Msg{VI: "Hạn nộp: " + n.p("due") + ". Bản tự đánh giá chưa được nộp.", EN: "Due: " + n.p("due") + ". The self-assessment has not been submitted."}
	case NoticeReviewsDue:
		m = errkind.Msg{VI: "Hạn công bố: " + n.p("due") + ".", EN: "Publication date: " + n.p("due") + "."}
	case NoticeExtended, NoticeReopened:
		m = errkind.Msg{VI: "Lý do: " + n.p("reason"), EN: "Reason: " + n.p("reason")}
	case NoticeReminder:
		m = errkind.Msg{VI: n.p("message"), EN: n.p("message")}
	case NoticePasswordReset:
		m = errkind.Msg{VI: "Liên kết dùng được một lần trong 1 giờ.", EN: "The link works once, within one hour."}
	}
	switch {
	case c != "" && strings.HasSuffix(m.VI, ":"):
		// The body introduces the notice's items: the campaign goes first
		// ("Các thay đổi và lý do:" stays right above its list).
		m.VI = "Đợt đánh giá: " + c + ". " + m.VI
		m.EN = "Campaign: " + c + ". " + m.EN
	case c != "":
		m.VI = sentence(m.VI) + "Đợt đánh giá: " + c + "."
		m.EN = sentence(m.EN) + "Campaign: " + c + "."
	}
	return m
}

// sentence ends s as a sentence followed by a space ("" stays "").
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !strings.ContainsAny(s[len(s)-1:], ".!?…") {
		s += "."
	}
	return s + " "
}
