package web

// Texts of the public school page's gap to the next level.
func init() {
	for k, v := range map[string][2]string{
		"dash.gap_mandatory_unmet": {"chưa đạt (chỉ tiêu bắt buộc)", "not met (mandatory)"},
	} {
		catalog[k] = v
	}
}
