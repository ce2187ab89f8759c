package web

// Texts of the public pages of office campaigns (issue 13).
func init() {
	for k, v := range map[string][2]string{
		"dash.offices_ranked": {"Xếp hạng Sở, Phòng GDĐT", "Education offices ranked"},
		"dash.offices_count":  {"Số cơ quan có kết quả", "Offices with a result"},
	} {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
