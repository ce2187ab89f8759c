package web

// UI text of issue 17 (review you can trust).
func init() {
	for k, v := range map[string][2]string{
		"action.send_reply":      {"gửi nhà trường phản hồi các thay đổi", "changes sent to the school for reply"},
		"action.reply":           {"nhà trường phản hồi", "the school replied"},
		"action.ruling":          {"xem xét phản đối", "contest ruled on"},
		"trust.four_eyes":        {"Nguyên tắc bốn mắt: người thay đổi giá trị không tự duyệt", "Four eyes: whoever changes values does not approve"},
		"trust.reply_days":       {"Số ngày nhà trường được phản hồi thay đổi", "Days the school has to reply to changes"},
		"trust.cannot_approve":   {"Chưa duyệt được", "Cannot approve yet"},
		"trust.eligible":         {"Người có thể duyệt", "Who can approve"},
		"trust.changes":          {"Số thay đổi khi thẩm định", "Changes made in review"},
		"trust.contested":        {"Bị nhà trường phản đối", "Contested by the school"},
		"trust.upheld":           {"Giữ nguyên sau xem xét", "Upheld on review"},
		"trust.verdict.accept":   {"Đồng ý", "Accept"},
		"trust.verdict.contest":  {"Không đồng ý", "Contest"},
		"trust.ruling.uphold":    {"Giữ nguyên thay đổi", "Uphold the change"},
		"trust.ruling.reverse":   {"Huỷ thay đổi", "Reverse the change"},
		"trust.send_for_reply":   {"Gửi nhà trường phản hồi", "Send to the school for reply"},
		"trust.reply_window_end": {"Hạn phản hồi", "Reply due"},
	} {
		catalog[k] = v
	}
}
