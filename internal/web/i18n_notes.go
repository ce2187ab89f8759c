package web

// Texts of the set's provenance notes on the methodology page.
func init() {
	for k, v := range map[string][2]string{
		"method.notes_heading": {"Ghi chú nguồn gốc bộ chỉ số (dành cho quản trị viên)", "Provenance notes of the set (administrators)"},
		"method.notes_hint":    {"Mức độ chắc chắn của từng dòng so với văn bản gốc. Nhà trường, cơ quan thẩm định và công chúng không thấy phần này.", "How sure the set's authors are of each row against the source text. Schools, reviewing offices and the public do not see this part."},
		"method.provisional":   {"Bộ chỉ số tạm thời: nội dung chưa được đối chiếu đầy đủ với quyết định.", "Provisional set: its content is not fully checked against the decision."},
		"method.unconfirmed":   {"chưa đối chiếu", "unconfirmed"},
	} {
		catalog[k] = v
	}
}
