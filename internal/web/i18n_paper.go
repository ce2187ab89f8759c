package web

// Texts of the official paper (phiếu tự đánh giá, báo cáo kết quả đánh
// giá), the Excel files, the answers export, open data and the admin
// lists' pages (issue 15). They join the catalog from here.
func init() {
	for k, v := range paperCatalog {
		catalog[k] = v
	}
}

var paperCatalog = map[string][2]string{
	"paper.pages":            {"Các trang", "Pages"},
	"paper.page":             {"Trang", "Page"},
	"paper.prev":             {"Trang trước", "Previous"},
	"paper.next":             {"Trang sau", "Next"},
	"paper.applicable":       {"Số chỉ số áp dụng", "Applicable"},
	"paper.recipients":       {"Nơi nhận:", "To:"},
	"paper.as_above":         {"Như trên", "As above"},
	"paper.archive":          {"Lưu: VT", "File copy"},
	"paper.sign_hint":        {"(Ký, ghi rõ họ tên và đóng dấu)", "(Signature, full name and seal)"},
	"paper.head_signer":      {"THỦ TRƯỞNG ĐƠN VỊ", "HEAD OF THE OFFICE"},
	"paper.principal":        {"HIỆU TRƯỞNG", "PRINCIPAL"},
	"paper.office_title":     {"BÁO CÁO KẾT QUẢ ĐÁNH GIÁ", "ASSESSMENT RESULTS REPORT"},
	"paper.office_sub":       {"Mức độ chuyển đổi số của các cơ sở giáo dục", "Digital transformation of the schools"},
	"paper.school_title":     {"PHIẾU TỰ ĐÁNH GIÁ", "SELF-ASSESSMENT FORM"},
	"paper.school_sub":       {"Mức độ chuyển đổi số của cơ sở giáo dục", "Digital transformation of the school"},
	"paper.result_title":     {"Kết quả tự đánh giá và thẩm định", "Self-assessed and validated result"},
	"paper.indicators_title": {"Kết quả từng chỉ số và minh chứng", "Each indicator and its evidence"},
	"paper.evidence":         {"Minh chứng", "Evidence"},
	"paper.coverage_title":   {"Số trường tham gia và độ bao phủ", "Participation and coverage"},
	"paper.summary_title":    {"Tổng hợp theo mức và cấp học", "Summary by level and school level"},
	"paper.schools_title":    {"Danh sách trường, chỉ số và mức", "Schools with index and level"},
	"paper.assessments":      {"Số trường phải đánh giá", "Schools to assess"},
	"paper.published":        {"Có kết quả công bố", "With a published result"},
	"paper.coverage_pct":     {"Độ bao phủ (%)", "Coverage (%)"},
	"paper.revision":         {"Kết quả công bố lần", "Published revision"},
	"paper.no":               {"STT", "No."},
	"paper.summary_xlsx":     {"Bảng tổng hợp (Excel)", "Summary workbook (Excel)"},
	"paper.csv_vi":           {"CSV cho Excel tiếng Việt", "CSV for Vietnamese Excel"},
	"paper.export_answers":   {"Tải mọi câu trả lời và minh chứng", "Download every answer and its evidence"},
	"paper.sheet_summary":    {"Tổng hợp", "Summary"},
	"paper.sheet_schools":    {"Danh sách trường", "Schools"},
	"paper.sheet_coverage":   {"Độ bao phủ", "Coverage"},
}
