package web

// Texts of a province page's results by pre-2025 district.
func init() {
	for k, v := range map[string][2]string{
		"dash.legacy_heading":    {"Theo huyện cũ (trước 01/07/2025)", "By former district (before 01/07/2025)"},
		"dash.legacy_hint":       {"Các trường được nhóm theo huyện mà trường thuộc về trước khi bỏ cấp huyện, để theo dõi một địa bàn qua các năm.", "Schools grouped by the district they belonged to before districts were abolished, to follow an area across the years."},
		"dash.legacy_district":   {"Huyện cũ", "Former district"},
		"dash.legacy_schools":    {"Số trường", "Schools"},
		"dash.legacy_mean":       {"Chỉ số trung bình", "Mean index"},
		"dash.legacy_median":     {"Trung vị", "Median"},
		"dash.legacy_trend":      {"Xu hướng", "Trend"},
		"dash.legacy_trend_link": {"Xem qua các năm", "Over the years"},
	} {
		catalog[k] = v
	}
}
