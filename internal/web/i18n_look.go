package web

// UI text added when looking at the pages as each user: the short column
// labels of the printed report's tables on a phone (the full names stay
// on paper and on wide screens); why an overdue draft has no form.
func init() {
	for k, v := range map[string][2]string{
		"paper.level_short":    {"M%d", "L%d"},
		"paper.no_level_short": {"CĐ", "None"},
		"paper.mean_short":     {"TB", "Mean"},
		"paper.abbreviations":  {"Viết tắt", "Abbreviations"},
		// A principal's draft past its deadline: the form is gone, and why.
		"assessment.overdue": {"Đã quá hạn tự đánh giá: bản tự đánh giá không sửa và không nộp được nữa. Hãy đề nghị cơ quan quản lý mở lại hoặc gia hạn.", "The self-assessment deadline has passed: it can no longer be edited or submitted. Ask the managing office to reopen it or extend the deadline."},
	} {
		catalog[k] = v
	}
}
