package web

// Texts of the office's views (dashboard coverage, level names in files,
// deadlines, publication), added beside the catalog so the catalog's
// literal stays one owner's.
func init() {
	for k, v := range map[string][2]string{
		"dash.level_code":           {"Mã mức", "Level code"},
		"dash.kind_code":            {"Mã loại", "Kind code"},
		"dash.school_level_code":    {"Mã cấp học", "School level code"},
		"dash.coverage":             {"Độ phủ (%)", "Coverage (%)"},
		"dash.coverage_total":       {"Tổng số đơn vị", "Units in all"},
		"dash.units_word":           {"đơn vị", "units"},
		"dash.coverage_label":       {"Độ phủ", "Coverage"},
		"dash.partial":              {"Độ phủ dưới 80 %: không nối vào đường xu hướng", "Coverage under 80 %: left out of the trend line"},
		"dash.partial_short":        {"độ phủ thấp", "low coverage"},
		"dash.rounding":             {"Quy tắc làm tròn", "Rounding"},
		"dash.rounding_text":        {"Chỉ số, điểm nhóm, tỉ lệ đạt tiêu chí, trung bình và trung vị hiển thị đúng 2 chữ số thập phân, làm tròn nửa lên (86,255 → 86,26) từ giá trị đầy đủ, giống nhau trên trang, biểu đồ, bản in và tệp tải về; số đếm và thứ hạng là số nguyên; tỉ lệ mức là phần trăm nguyên. Tiếng Việt dùng dấu phẩy thập phân; tệp CSV là dữ liệu nên dùng dấu chấm; API JSON giữ đủ độ chính xác. Mỗi trung bình, trung vị và tỉ lệ mức kèm độ phủ n / N đơn vị; điểm xu hướng có độ phủ dưới 80 % được vẽ riêng và không nối vào đường.", "Indexes, group scores, criterion achievements, means and medians show exactly 2 decimals, rounded half up (86.255 → 86.26) from the full value, the same on pages, charts, print and files; counts and ranks are integers; level shares are whole percents. Vietnamese uses a decimal comma; CSV files are data and use a point; the JSON API keeps full precision. Every mean, median and level share carries its coverage n / N units; a trend point under 80 % coverage is drawn apart and left out of the line."},
		"publish.confirm_title":     {"Xác nhận công bố", "Confirm the publication"},
		"publish.confirm_lead":      {"Công bố sẽ đưa kết quả đã duyệt dưới đây lên trang công khai. Hãy kiểm tra độ phủ trước khi xác nhận.", "Publishing puts the approved results below on the public pages. Check the coverage before you confirm."},
		"publish.approved":          {"Đã duyệt (sẽ công bố)", "Approved (to be published)"},
		"publish.low":               {"Độ phủ dưới 80 %: kết quả công bố chưa đại diện cho đơn vị.", "Coverage under 80 %: the published result will not represent the unit."},
		"publish.confirm":           {"Xác nhận công bố", "Confirm and publish"},
		"publish.cancel":            {"Quay lại", "Back"},
		"deadline.days_left":        {"còn %d ngày", "%d days left"},
		"deadline.today":            {"hạn cuối là hôm nay", "due today"},
		"deadline.overdue":          {"quá hạn %d ngày", "%d days overdue"},
		"deadline.extend":           {"Gia hạn", "Extend"},
		"deadline.extend_all":       {"Gia hạn cả đợt", "Extend the whole campaign"},
		"deadline.new_due":          {"Hạn mới (dd/mm/yyyy)", "New deadline (dd/mm/yyyy)"},
		"deadline.reason":           {"Lý do", "Reason"},
		"deadline.reopen":           {"Mở lại", "Reopen"},
		"deadline.reopen_heading":   {"Mở lại hoặc gia hạn cho trường", "Reopen or extend for the school"},
		"deadline.reopen_hint":      {"Trả bản đánh giá về cho trường sửa tiếp (hoặc cho thêm thời gian) đến hạn mới; lý do được ghi vào lịch sử.", "Give the assessment back to the school to go on editing (or more time) until a new deadline; the reason goes into the history."},
		"campaigns.edit":            {"Sửa đợt đánh giá", "Edit the campaign"},
		"home.work":                 {"Việc cần làm", "Work to do"},
		"home.to_review":            {"%d chờ duyệt", "%d to review"},
		"home.overdue":              {"%d quá hạn", "%d overdue"},
		"home.returned":             {"%d bị trả lại", "%d returned"},
		"home.approved_unpublished": {"%d đã duyệt, chưa công bố", "%d approved, not published"},
		"home.published":            {"%d đợt đã công bố", "%d published campaigns"},
	} {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
