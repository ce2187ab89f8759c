package web

// Texts of the what-if page (issue 13): a campaign moved to another
// version of its set.
func init() {
	for k, v := range map[string][2]string{
		"setmove.title":          {"Thử áp dụng phiên bản khác của bộ chỉ số", "What if: another version of the set"},
		"setmove.intro":          {"Xem trước điểm và mức của từng đơn vị theo một phiên bản khác của bộ chỉ số: câu trả lời được giữ theo mã chỉ số, chỉ số mới để trống. Chưa có gì thay đổi cho đến khi bấm Áp dụng.", "Preview every unit's score and level under another version of the set: answers are carried over by indicator code, new indicators are left unanswered. Nothing changes until you apply."},
		"setmove.current":        {"Phiên bản đang dùng", "Version in use"},
		"setmove.version":        {"Phiên bản", "Version"},
		"setmove.preview":        {"Xem trước", "Preview"},
		"setmove.no_versions":    {"Bộ chỉ số này chưa có phiên bản nào khác.", "This set has no other version."},
		"setmove.preview_of":     {"Kết quả nếu áp dụng phiên bản", "Results under version"},
		"setmove.changes":        {"Số đơn vị đổi mức", "Units that change level"},
		"setmove.added":          {"Chỉ số mới (để trống)", "New indicators (unanswered)"},
		"setmove.removed":        {"Chỉ số bị bỏ (câu trả lời được lưu riêng)", "Indicators removed (their answers are kept aside)"},
		"setmove.unit":           {"Đơn vị", "Unit"},
		"setmove.status":         {"Trạng thái", "Status"},
		"setmove.index_now":      {"Chỉ số hiện tại", "Index now"},
		"setmove.level_now":      {"Mức hiện tại", "Level now"},
		"setmove.index_new":      {"Chỉ số mới", "New index"},
		"setmove.level_new":      {"Mức mới", "New level"},
		"setmove.reason":         {"Lý do", "Reason"},
		"setmove.confirm":        {"Tôi xác nhận chuyển đợt đánh giá sang phiên bản này", "I confirm moving the campaign to this version"},
		"setmove.apply":          {"Áp dụng", "Apply"},
		"setmove.cancel":         {"Hủy", "Cancel"},
		"setmove.published_stay": {"Các kết quả đã công bố không thay đổi.", "Published results do not change."},
		"setmove.applied":        {"Đã chuyển đợt đánh giá sang phiên bản %s.", "The campaign now uses version %s."},
	} {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
