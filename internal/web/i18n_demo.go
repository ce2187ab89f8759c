package web

// Texts of units over time on the pages (the trend across the 2025 change,
// the move log, the reorganisation form), added beside the catalog.
func init() {
	for k, v := range map[string][2]string{
		"trend.across":          {"Qua các lần sắp xếp đơn vị hành chính", "Across the administrative reorganisations"},
		"trend.across_lead":     {"Kết quả đã công bố của mọi đợt đơn vị tham gia, dù khi đó thuộc đơn vị cấp trên nào (cùng dữ liệu với API /api/v1/units/{mã}/trend).", "The published results of every campaign the unit took part in, whatever its parent then (the same data as the API /api/v1/units/{code}/trend)."},
		"trend.school_year":     {"Năm học", "School year"},
		"trend.index":           {"Chỉ số", "Index"},
		"trend.level":           {"Mức", "Level"},
		"trend.schools":         {"Số trường", "Schools"},
		"trend.parent":          {"Thuộc", "Under"},
		"trend.boundary":        {"Ranh giới", "Boundary"},
		"trend.boundary_change": {"đã thay đổi: %d trong %d trường khi đó thuộc đơn vị này", "changed: %d of %d schools stood in this unit then"},
		"trend.boundary_same":   {"không đổi", "unchanged"},
		"trend.retired":         {"Đơn vị này đã chấm dứt hoạt động; xu hướng tính theo các trường từng thuộc đơn vị (huyện cũ).", "This unit has ended; its trend is computed over the schools it held (legacy district)."},
		"unit.moves":            {"Nhật ký điều chuyển", "Move log"},
		"trend.retired_short":   {"Huyện cũ", "Legacy district"},
		"unit.valid_to":         {"Chấm dứt từ", "Ended on"},
		"unit.moves_none":       {"Chưa có điều chuyển nào.", "No moves yet."},
		"unit.move_from":        {"Từ", "From"},
		"unit.move_to":          {"Đến", "To"},
		"unit.move_reason":      {"Lý do", "Reason"},
		"unit.move_by":          {"Người thực hiện", "By"},
		"unit.move_at":          {"Thời điểm", "When"},
		"unit.move_effective":   {"Hiệu lực từ", "Effective"},
		"reorg.title":           {"Sắp xếp đơn vị hành chính", "Reorganise the administrative units"},
		"reorg.lead":            {"Áp dụng cây đơn vị từ 01/07/2025 (34 tỉnh, 3.321 xã/phường) và bảng đối chiếu xã cũ – xã mới đi kèm phần mềm. Chạy thử trước: không ghi gì.", "Apply the tree in force since 01/07/2025 (34 provinces, 3,321 communes) and the shipped old-to-new commune crosswalk. Try a dry run first: nothing is written."},
		"reorg.effective":       {"Ngày hiệu lực (dd/mm/yyyy)", "Effective day (dd/mm/yyyy)"},
		"reorg.dry_run":         {"Chạy thử", "Dry run"},
		"reorg.run":             {"Thực hiện", "Run it"},
		"reorg.confirm":         {"Tôi xác nhận sắp xếp lại toàn bộ cây đơn vị (một giao dịch)", "I confirm reorganising the whole tree (one transaction)"},
		"reorg.report":          {"Kết quả", "Report"},
		"reorg.report_dry":      {"Kết quả chạy thử (chưa ghi gì)", "Dry-run report (nothing written)"},
		"reorg.new":             {"Đơn vị mới", "New units"},
		"reorg.moves":           {"Trường chuyển", "Schools moved"},
		"reorg.retired":         {"Đơn vị chấm dứt", "Units retired"},
		"reorg.unmatched":       {"Chưa đối chiếu được", "Unmatched"},
		"reorg.to_decide":       {"Cần người quyết định", "To decide"},
		"reorg.nothing":         {"Không có gì thay đổi.", "Nothing changes."},
	} {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
