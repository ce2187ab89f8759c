package web

// UI text of the review-trust pages (issue 17): the evaluator's box, the
// school's replies, the trail, the campaign form.
func init() {
	for k, v := range map[string][2]string{
		"trust.changes_heading": {"Thay đổi khi thẩm định và phản hồi của nhà trường", "Changes in review and the school's replies"},
		"trust.changed_by":      {"Người đã thay đổi giá trị", "Who changed values"},
		"trust.no_eligible":     {"Chưa có cán bộ thẩm định nào khác trong phạm vi; hãy đề nghị Sở GDĐT hoặc quản trị viên.", "No other reviewer is in scope; ask the Department of Education or an administrator."},
		"trust.school_value":    {"Giá trị của trường", "School's value"},
		"trust.new_value":       {"Giá trị thẩm định", "Evaluator's value"},
		"trust.restored":        {"khôi phục giá trị của trường", "the school's value restored"},
		"trust.reason":          {"Lý do", "Reason"},
		"trust.reply_heading":   {"Phản hồi của nhà trường", "The school's reply"},
		"trust.reply_intro":     {"Đoàn thẩm định đã thay đổi các giá trị dưới đây. Với từng thay đổi, nhà trường chọn đồng ý, hoặc không đồng ý kèm ý kiến và đường dẫn minh chứng, trước hạn phản hồi.", "The evaluator changed the values below. For each change the school accepts it, or contests it with a comment and an evidence link, before the reply is due."},
		"trust.comment":         {"Ý kiến (bắt buộc khi không đồng ý)", "Comment (required to contest)"},
		"trust.evidence_url":    {"Đường dẫn minh chứng (không bắt buộc)", "Evidence link (optional)"},
		"trust.evidence":        {"Minh chứng", "Evidence"},
		"trust.reply_send":      {"Gửi phản hồi", "Send the reply"},
		"trust.reply_again":     {"Sửa phản hồi", "Change the reply"},
		"trust.not_replied":     {"Chưa phản hồi", "No reply yet"},
		"trust.window_closed":   {"Đã hết thời hạn phản hồi.", "The reply window is closed."},
		"trust.sent_at":         {"Đã gửi nhà trường lúc", "Sent to the school at"},
		"trust.send_hint":       {"Nhà trường sẽ thấy từng thay đổi kèm lý do và có thời hạn phản hồi của đợt đánh giá để đồng ý hoặc không đồng ý.", "The school sees each change with its reason and has the campaign's reply window to accept or contest it."},
		"trust.ruling_reason":   {"Lý do xem xét", "Reason for the ruling"},
		"trust.rule":            {"Ghi kết quả xem xét", "Record the ruling"},
		"trust.sent":            {"Đã gửi các thay đổi để nhà trường phản hồi.", "The changes were sent to the school for its reply."},
		"trust.replied":         {"Đã ghi phản hồi của nhà trường.", "The school's reply was recorded."},
		"trust.ruled":           {"Đã ghi kết quả xem xét phản đối.", "The ruling was recorded."},
		"trail.heading":         {"Toàn bộ quá trình đánh giá và thẩm định", "The whole trail of the assessment"},
		"trail.change":          {"Thay đổi giá trị", "Value changed"},
		"trail.reversal":        {"Huỷ thay đổi, khôi phục giá trị của trường", "Change reversed, the school's value restored"},
		"trail.reply":           {"Nhà trường phản hồi", "The school replied"},
		"trail.ruling":          {"Xem xét phản đối", "Ruling on a contest"},
		"trail.publication":     {"Công bố kết quả, lần", "Published, revision"},
	} {
		catalog[k] = v
	}
}
