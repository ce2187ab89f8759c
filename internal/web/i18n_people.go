package web

// UI text added when looking at the pages as each user sees them: an
// office's own reply to the evaluator's changes (Decision 3806 office
// campaigns say "đơn vị", not "nhà trường"); the notice that an approved
// assessment was drawn into an enlarged sample.
func init() {
	for k, v := range map[string][2]string{
		"trust.office_reply_heading":      {"Phản hồi của đơn vị", "The unit's reply"},
		"trust.office_reply_intro":        {"Đoàn đánh giá đã thay đổi các giá trị dưới đây. Với từng thay đổi, đơn vị chọn đồng ý, hoặc không đồng ý kèm ý kiến và đường dẫn minh chứng, trước hạn phản hồi.", "The evaluator changed the values below. For each change the unit accepts it, or contests it with a comment and an evidence link, before the reply is due."},
		"trust.office_value":              {"Giá trị của đơn vị", "Unit's value"},
		"trust.office_replied":            {"Đã ghi phản hồi của đơn vị.", "The unit's reply was recorded."},
		"result.pending_office":           {"Kết quả thẩm định sẽ hiện ở đây khi cơ quan cấp trên duyệt.", "The validated result appears here once the superior authority approves it."},
		"assessment.returned_note_office": {"Cơ quan cấp trên đã trả lại để bổ sung:", "Returned by the superior authority for corrections:"},
		"assessment.submit_note_office":   {"Khi nộp, bản tự đánh giá chuyển cho cơ quan cấp trên thẩm định và không sửa được nữa (trừ khi bị trả lại).", "Once submitted, the self-assessment goes to the superior authority for review and can no longer be edited (unless it is returned)."},
		"confirm.submit_office":           {"Tôi xác nhận các câu trả lời và minh chứng là đúng và muốn nộp cho cơ quan cấp trên.", "I confirm the answers and evidence are correct and want to submit them to the superior authority."},
		"trust.office_changes_heading":    {"Thay đổi khi thẩm định và phản hồi của đơn vị", "Changes in review and the unit's replies"},
		"trust.office_sent_at":            {"Đã gửi đơn vị lúc", "Sent to the unit at"},
		"trust.office_send_for_reply":     {"Gửi đơn vị phản hồi", "Send to the unit for reply"},
		"trust.office_send_hint":          {"Đơn vị sẽ thấy từng thay đổi kèm lý do và có thời hạn phản hồi của đợt đánh giá để đồng ý hoặc không đồng ý.", "The unit sees each change with its reason and has the campaign's reply window to accept or contest it."},
		"trust.office_restored":           {"khôi phục giá trị của đơn vị", "the unit's value restored"},
		"review.return_office":            {"Trả lại đơn vị", "Return to the unit"},
		"deadline.reopen_heading_office":  {"Mở lại hoặc gia hạn cho đơn vị", "Reopen or extend for the unit"},
		"deadline.reopen_hint_office":     {"Trả bản đánh giá về cho đơn vị sửa tiếp (hoặc cho thêm thời gian) đến hạn mới; lý do được ghi vào lịch sử.", "Give the assessment back to the unit to go on editing (or more time) until a new deadline; the reason goes into the history."},
		"notice.kind.verifying":           {"Bản đã duyệt được rút vào mẫu kiểm tra", "An approved assessment drawn for verification"},
	} {
		catalog[k] = v
	}
}
