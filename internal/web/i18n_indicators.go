package web

// Texts of indicator-set format v1.1 on the methodology page (levels on
// the index, roll-up indicators, fresh evidence), beside the catalog.
func init() {
	for k, v := range map[string][2]string{
		"dash.index_cond":            {"Chỉ số", "Index"},
		"dash.rollup":                {"Tổng hợp từ kết quả đã thẩm định của các cơ sở giáo dục trực thuộc", "Rolled up from the validated results of the schools managed"},
		"dash.rollup.share_at_level": {"tỷ lệ % cơ sở giáo dục đạt từ mức", "% of the schools at level"},
		"dash.rollup.or_above":       {"trở lên", "or above"},
		"dash.rollup.mean_index":     {"chỉ số bình quân của các cơ sở giáo dục", "mean index of the schools"},
		"dash.rollup.participation":  {"tỷ lệ % cơ sở giáo dục có kết quả tự đánh giá được phê duyệt", "% of the schools with an approved self-assessment"},
		"dash.evidence_age":          {"Minh chứng không cũ quá", "Evidence at most"},
		"dash.evidence_age_days":     {"ngày", "days old"},
	} {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
