package web

// UI text added when looking at the pages as each user sees them: the
// office wording (K_office, see i18n_unitwords.go) of an office's own
// assessment (Decision 3806 office campaigns say "đơn vị" and "cơ quan
// cấp trên", not "nhà trường" and the Phòng/Sở); the notice that an
// approved assessment was drawn into an enlarged sample.
func init() {
	for k, v := range map[string][2]string{
		"result.pending_office":           {"Kết quả thẩm định sẽ hiện ở đây khi cơ quan cấp trên duyệt.", "The validated result appears here once the superior authority approves it."},
		"assessment.returned_note_office": {"Cơ quan cấp trên đã trả lại để bổ sung:", "Returned by the superior authority for corrections:"},
		"assessment.submit_note_office":   {"Khi nộp, bản tự đánh giá chuyển cho cơ quan cấp trên thẩm định và không sửa được nữa (trừ khi bị trả lại).", "Once submitted, the self-assessment goes to the superior authority for review and can no longer be edited (unless it is returned)."},
		"confirm.submit_office":           {"Tôi xác nhận các câu trả lời và minh chứng là đúng và muốn nộp cho cơ quan cấp trên.", "I confirm the answers and evidence are correct and want to submit them to the superior authority."},
		"review.return_office":            {"Trả lại đơn vị", "Return to the unit"},
		"deadline.reopen_heading_office":  {"Mở lại hoặc gia hạn cho đơn vị", "Reopen or extend for the unit"},
		"deadline.reopen_hint_office":     {"Trả bản đánh giá về cho đơn vị sửa tiếp (hoặc cho thêm thời gian) đến hạn mới; lý do được ghi vào lịch sử.", "Give the assessment back to the unit to go on editing (or more time) until a new deadline; the reason goes into the history."},
		"notice.kind.verifying":           {"Bản đã duyệt được rút vào mẫu kiểm tra", "An approved assessment drawn for verification"},
	} {
		catalog[k] = v
	}
}
