package model

import (
	"strings"
)

// DefaultReminder is the reminder's text when the reviewer writes none.
const DefaultReminder = "Đề nghị nhà trường hoàn thành và nộp bản tự đánh giá sớm."

// DefaultReminderOffice is DefaultReminder in an office campaign (the
// offices assess themselves, Decision 3806).
const DefaultReminderOffice = "Đề nghị đơn vị hoàn thành và nộp bản tự đánh giá sớm."

// ReminderPreview is the notice a reminder would send, for the reviewer to
// read before sending: the recipients' schools and the message.
func ReminderPreview(unit, campaign, message string) *Notification {
	if strings.TrimSpace(message) == "" {
		message = DefaultReminder
	}
	return &Notification{Kind: NoticeReminder, Params: map[string]string{"unit": unit, "campaign": campaign, "message": CleanText(message)}}
}
