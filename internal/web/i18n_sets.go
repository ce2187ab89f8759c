package web

// Texts of the admin's page of indicator-set files (issue 13).
func init() {
	for k, v := range map[string][2]string{
		"sets.title":             {"Bộ chỉ số: tải tệp và các phiên bản", "Indicator sets: files and versions"},
		"sets.intro":             {"Tải lên tệp bộ chỉ số (YAML, JSON hoặc bảng tính .xlsx). Tệp được kiểm tra theo từng dòng, được lưu thành một phiên bản mới không thay đổi được, và được so sánh với phiên bản trước của cùng mã.", "Upload an indicator-set file (YAML, JSON or an .xlsx workbook). It is checked line by line, stored as a new version that never changes, and compared with the previous version of the same code."},
		"sets.invalid":           {"Tệp chưa hợp lệ: chưa lưu gì", "The file is not valid: nothing was stored"},
		"sets.problems":          {"số lỗi:", "problems:"},
		"sets.line":              {"Dòng", "Line"},
		"sets.where":             {"Vị trí", "Where"},
		"sets.outcome.created":   {"đã lưu thành phiên bản mới.", "stored as a new version."},
		"sets.outcome.updated":   {"đã lưu thành phiên bản mới.", "stored as a new version."},
		"sets.outcome.unchanged": {"phiên bản này đã được lưu với đúng nội dung này, không có gì thay đổi.", "this version is already stored with this content; nothing changed."},
		"sets.diff_against":      {"Thay đổi so với phiên bản", "Changes against version"},
		"sets.diff_stored":       {"Khác biệt so với phiên bản đã lưu", "Differences from the stored version"},
		"sets.first":             {"Đây là phiên bản đầu tiên của bộ chỉ số này.", "This is the first version of this set."},
		"sets.no_change":         {"Không thay đổi chỉ số, cách tính điểm hay các mức (chỉ khác câu chữ).", "No change to indicators, scoring or levels (wording only)."},
		"sets.change":            {"Thay đổi", "Change"},
		"sets.field":             {"Thuộc tính", "Field"},
		"sets.old":               {"Trước", "Before"},
		"sets.new":               {"Sau", "After"},
		"sets.added":             {"Thêm chỉ số", "Indicator added"},
		"sets.removed":           {"Bỏ chỉ số", "Indicator removed"},
		"sets.changed":           {"Sửa", "Changed"},
		"sets.upload":            {"Tải lên tệp bộ chỉ số", "Upload a set file"},
		"sets.submit":            {"Kiểm tra và lưu", "Check and store"},
		"sets.immutable":         {"Một phiên bản đã lưu không bao giờ thay đổi: bản sửa đổi cần một phiên bản mới (trường version).", "A stored version never changes: a revision needs a new version (the version field)."},
		"sets.stored":            {"Các phiên bản đã lưu", "Stored versions"},
		"sets.version":           {"Phiên bản", "Version"},
		"sets.name":              {"Tên", "Name"},
		"sets.loaded":            {"Lưu lúc", "Stored at"},
		"sets.locked":            {"Đợt đánh giá dùng từ", "Used by a campaign since"},
	} {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
