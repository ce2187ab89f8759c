package web

// Texts of an office's own trend across the office campaigns (issue 13).
func init() {
	for k, v := range map[string][2]string{
		"dash.office_trend":         {"Diễn biến kết quả tự đánh giá của cơ quan", "The office's own results over campaigns"},
		"dash.office_trend_lead":    {"Kết quả của chính Sở, Phòng GDĐT qua các đợt đánh giá cơ quan quản lý giáo dục.", "The education office's own results over the office campaigns."},
		"dash.offices_word":         {"Số cơ quan", "Offices"},
		"dash.office_trend_schools": {"Xem diễn biến của các trường thuộc địa bàn", "See the trend of the schools in its area"},
	} {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
