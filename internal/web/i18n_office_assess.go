package web

// Texts of office campaigns (issue 13): the office's own staff, the
// Ministry's reviewers and the roll-up indicators' provenance.
func init() {
	for k, v := range map[string][2]string{
		"role.office":              {"Cán bộ tự đánh giá của Sở/Phòng GDĐT", "Education office staff (self-assessment)"},
		"role.ministry":            {"Cán bộ Bộ GDĐT (thẩm định Sở)", "Ministry reviewer (reviews the Sở)"},
		"role.commune":             {"Cán bộ UBND xã", "Commune reviewer"},
		"rollup.computed":          {"Tính tự động từ kết quả đã công bố của các trường trực thuộc", "Computed from the published results of the schools managed"},
		"rollup.provenance":        {"Đợt %s, lần công bố %d, %d / %d trường", "Campaign %s, revision %d, %d of %d schools"},
		"rollup.frozen":            {"Đã chốt khi nộp: giá trị không thay đổi nữa", "Frozen on submission: the value no longer changes"},
		"campaign.school_campaign": {"Đợt đánh giá trường học dùng cho chỉ số tổng hợp", "School campaign read by the roll-up indicators"},
	} {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
