package web

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/dxindex/dxindex/survey"
	"github.com/labstack/echo/v4"
)

// Languages: Vietnamese first, English second.
const (
	langVI = "vi"
	langEN = "en"
)

// langCookie remembers the language a visitor chose, signed in or not.
const langCookie = "dx_lang"

// langOf picks the language of a request: the one chosen (cookie), else the
// signed-in user's, else the browser's preference if it is English, else
// Vietnamese.
func langOf(c echo.Context) string {
	if ck, err := c.Cookie(langCookie); err == nil && (ck.Value == langVI || ck.Value == langEN) {
		return ck.Value
	}
	al := strings.ToLower(strings.TrimSpace(c.Request().Header.Get("Accept-Language")))
	fromHeader := langVI
	if strings.HasPrefix(al, "en") {
		fromHeader = langEN
	}
	// An API client states its language per request.
	if al != "" && strings.HasPrefix(c.Request().URL.Path, "/api/") {
		return fromHeader
	}
	if a := actorOf(c); a != nil && (a.Lang == langVI || a.Lang == langEN) {
		return a.Lang
	}
	return fromHeader
}

// catalog holds the interface texts: key → [Vietnamese, English].
var catalog = map[string][2]string{
	"app.title":             {"Chỉ số chuyển đổi số cơ sở giáo dục", "Digital-transformation index of schools"},
	"nav.home":              {"Trang chủ", "Home"},
	"nav.campaigns":         {"Đợt đánh giá", "Campaigns"},
	"nav.units":             {"Đơn vị", "Units"},
	"nav.users":             {"Người dùng", "Users"},
	"nav.login":             {"Đăng nhập", "Sign in"},
	"nav.logout":            {"Đăng xuất", "Sign out"},
	"nav.password":          {"Đổi mật khẩu", "Change password"},
	"nav.lang":              {"English", "Tiếng Việt"},
	"home.heading":          {"Đánh giá mức độ chuyển đổi số của cơ sở giáo dục", "Digital transformation of schools"},
	"home.lead":             {"Nhà trường tự đánh giá theo bộ chỉ số, Phòng và Sở GDĐT thẩm định, lãnh đạo xem kết quả và xếp hạng đã công bố.", "Schools self-assess against the indicator set, education offices validate, leaders see the published results and rankings."},
	"home.welcome":          {"Xin chào", "Welcome"},
	"login.title":           {"Đăng nhập", "Sign in"},
	"login.username":        {"Tên đăng nhập", "Username"},
	"login.password":        {"Mật khẩu", "Password"},
	"login.submit":          {"Đăng nhập", "Sign in"},
	"password.title":        {"Đổi mật khẩu", "Change password"},
	"password.current":      {"Mật khẩu hiện tại", "Current password"},
	"password.new":          {"Mật khẩu mới", "New password"},
	"password.confirm":      {"Nhập lại mật khẩu mới", "Repeat the new password"},
	"password.mismatch":     {"Hai lần nhập mật khẩu mới không khớp.", "The two new passwords differ."},
	"password.done":         {"Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.", "Password changed. Your other sessions have ended."},
	"common.save":           {"Lưu", "Save"},
	"common.create":         {"Tạo", "Create"},
	"common.code":           {"Mã", "Code"},
	"common.name":           {"Tên", "Name"},
	"common.kind":           {"Loại", "Kind"},
	"common.parent":         {"Đơn vị cấp trên", "Parent unit"},
	"common.role":           {"Vai trò", "Role"},
	"common.unit":           {"Đơn vị", "Unit"},
	"common.status":         {"Trạng thái", "Status"},
	"common.actions":        {"Thao tác", "Actions"},
	"common.search":         {"Tìm", "Search"},
	"common.none":           {"Chưa có.", "None yet."},
	"common.saved":          {"Đã lưu.", "Saved."},
	"common.errors":         {"Chưa lưu: hãy sửa các lỗi dưới đây.", "Not saved: please correct the errors below."},
	"units.title":           {"Đơn vị", "Units"},
	"units.new":             {"Thêm đơn vị", "Add a unit"},
	"units.levels":          {"Cấp học", "School levels"},
	"units.students":        {"Học sinh", "Students"},
	"units.teachers":        {"Giáo viên", "Teachers"},
	"units.staff":           {"Nhân viên", "Staff"},
	"units.move":            {"Chuyển sang đơn vị cấp trên khác", "Move to another parent"},
	"units.move.reason":     {"Lý do", "Reason"},
	"units.move.submit":     {"Chuyển", "Move"},
	"units.children":        {"Đơn vị trực thuộc", "Units under it"},
	"users.title":           {"Người dùng", "Users"},
	"users.new":             {"Thêm người dùng", "Add a user"},
	"users.display":         {"Họ và tên", "Full name"},
	"users.lock":            {"Khoá", "Lock"},
	"users.unlock":          {"Mở khoá", "Unlock"},
	"users.locked":          {"Đã khoá", "Locked"},
	"users.active":          {"Đang hoạt động", "Active"},
	"campaigns.title":       {"Đợt đánh giá", "Campaigns"},
	"campaigns.new":         {"Tạo đợt đánh giá", "New campaign"},
	"campaigns.set":         {"Bộ chỉ số", "Indicator set"},
	"campaigns.root":        {"Phạm vi (mã đơn vị)", "Scope (unit code)"},
	"campaigns.opens":       {"Ngày mở", "Opens"},
	"campaigns.self_due":    {"Hạn tự đánh giá", "Self-assessment due"},
	"campaigns.review_due":  {"Hạn thẩm định", "Review due"},
	"campaigns.count":       {"Số đơn vị được đánh giá", "Units assessed"},
	"campaigns.units":       {"Đơn vị được đánh giá", "Assessed units"},
	"campaigns.date_hint":   {"dd/mm/yyyy", "dd/mm/yyyy"},
	"role.admin":            {"Quản trị", "Administrator"},
	"role.province":         {"Cán bộ Sở GDĐT", "Province evaluator (Sở)"},
	"role.district":         {"Cán bộ Phòng GDĐT", "District evaluator (Phòng)"},
	"role.school":           {"Nhà trường", "School"},
	"role.viewer":           {"Lãnh đạo (chỉ xem)", "Leader (read-only)"},
	"status.draft":          {"Đang tự đánh giá", "Draft"},
	"status.submitted":      {"Đã nộp", "Submitted"},
	"status.returned":       {"Trả lại", "Returned"},
	"status.approved":       {"Đã duyệt", "Approved"},
	"status.open":           {"Đang mở", "Open"},
	"status.closed":         {"Đã đóng", "Closed"},
	"kind.ministry":         {"Bộ", "Ministry"},
	"kind.province":         {"Tỉnh/Thành phố", "Province"},
	"kind.district":         {"Quận/Huyện", "District"},
	"kind.commune":          {"Xã/Phường", "Commune"},
	"kind.school":           {"Trường", "School"},
	"level.preschool":       {"Mầm non", "Preschool"},
	"level.primary":         {"Tiểu học", "Primary"},
	"level.lower_secondary": {"THCS", "Lower secondary"},
	"level.upper_secondary": {"THPT", "Upper secondary"},
	"level.multi_level":     {"Nhiều cấp học", "Multi-level"},
	"level.continuing":      {"GDTX", "Continuing education"},
	"error.csrf":            {"Biểu mẫu đã hết hạn hoặc không hợp lệ. Hãy tải lại trang và thử lại.", "The form has expired or is invalid. Reload the page and try again."},
	"error.signin":          {"Hãy đăng nhập để tiếp tục.", "Please sign in to continue."},
}

// tr translates key into lang; an unknown key shows itself, so a missing
// text is visible rather than blank.
func tr(lang, key string) string {
	v, ok := catalog[key]
	if !ok {
		return key
	}
	if lang == langEN {
		return v[1]
	}
	return v[0]
}

// formatDate writes dd/mm/yyyy, the Vietnamese convention, in both
// languages (the English interface serves Vietnamese users too).
func formatDate(t any) string {
	switch v := t.(type) {
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return v.In(vnTime).Format("02/01/2006")
	case *time.Time:
		if v == nil {
			return ""
		}
		return formatDate(*v)
	}
	return ""
}

// formatDateTime writes dd/mm/yyyy hh:mm in Vietnam's time zone.
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(vnTime).Format("02/01/2006 15:04")
}

// vnTime is Vietnam's time (UTC+7, no daylight saving); a fixed zone so
// the binary needs no tz database.
var vnTime = time.FixedZone("ICT", 7*3600)

// formatNumber writes x with at most decimals decimals, trailing zeros
// dropped: a decimal comma and dot thousands in Vietnamese (1.234,5), the
// other way round in English.
func formatNumber(lang string, x float64, decimals int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	thou, dec := ".", ","
	if lang == langEN {
		thou, dec = ",", "."
	}
	var b strings.Builder
	if neg && (intPart != "0" || frac != "") {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thou)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(dec)
		b.WriteString(frac)
	}
	return b.String()
}

// parseDate reads dd/mm/yyyy (or yyyy-mm-dd, what date inputs send).
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"02/01/2006", "2/1/2006", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, vnTime); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// roleName is the display name of a role.
func roleName(lang string, r survey.Role) string { return tr(lang, "role."+string(r)) }
