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
	"paper.applicable": {"Số chỉ số áp dụng", "Applicable"},
}
