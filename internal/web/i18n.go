package web

import (
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/numfmt"

	"github.com/labstack/echo/v4"
)

// Languages: Vietnamese first, English second.
const (
	langVI = "vi"
	langEN = "en"
)

// langCookie remembers the language a visitor chose, signed in or not.
const langCookie = "dx_lang"

// langOf picks the language of a request: the one chosen (cookie), else,
// for the API, the Accept-Language header, else the signed-in user's,
// else Vietnamese.
func langOf(c echo.Context) string {
	if ck, err := c.Cookie(langCookie); err == nil && (ck.Value == langVI || ck.Value == langEN) {
		return ck.Value
	}
	// An API client states its language per request.
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		if al := strings.ToLower(strings.TrimSpace(c.Request().Header.Get("Accept-Language"))); strings.HasPrefix(al, "en") {
			return langEN
		}
		return langVI
	}
	if a := actorOf(c); a != nil && (a.Lang == langVI || a.Lang == langEN) {
		return a.Lang
	}
	// Pages are Vietnamese first: many Vietnamese users run browsers set
	// to English, so English is shown only when chosen (the switch).
	return langVI
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
	"nav.results":           {"Kết quả", "Results"},
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
	// The self-assessment and the review.
	"answer.yes":                  {"Có", "Yes"},
	"answer.no":                   {"Không", "No"},
	"answer.none_selected":        {"Không chọn mục nào", "None selected"},
	"answer.invalid_number":       {"Hãy nhập một số (dấu phẩy thập phân được).", "Enter a number."},
	"assessment.submitted_at":     {"nộp lúc", "submitted"},
	"assessment.returned_note":    {"Cơ quan quản lý đã trả lại để bổ sung:", "Returned by the education office for corrections:"},
	"assessment.missing":          {"Chưa nộp được; còn thiếu:", "Not submitted yet; still missing:"},
	"assessment.score":            {"Điểm hiện tại", "Score so far"},
	"assessment.progress":         {"Đã trả lời", "Answered"},
	"assessment.self":             {"Tự đánh giá", "Self"},
	"assessment.validated":        {"Thẩm định", "Validated"},
	"assessment.index":            {"Chỉ số", "Index"},
	"assessment.level":            {"Mức", "Level"},
	"assessment.mandatory_failed": {"Điều kiện bắt buộc chưa đạt", "Mandatory conditions not met"},
	"assessment.gap":              {"Để đạt", "To reach"},
	"assessment.top_level":        {"Đã ở mức cao nhất.", "Already at the highest level."},
	"assessment.max":              {"tối đa", "max"},
	"assessment.mandatory":        {"Điều kiện bắt buộc", "Mandatory condition"},
	"assessment.unconfirmed":      {"cần đối chiếu Quyết định", "verify against the decision"},
	"assessment.answer":           {"Trả lời", "Answer"},
	"assessment.unanswered":       {"chưa trả lời", "not answered"},
	"assessment.submit_note":      {"Khi nộp, bản tự đánh giá chuyển cho cơ quan quản lý thẩm định và không sửa được nữa (trừ khi bị trả lại).", "Once submitted, the self-assessment goes to the education office for review and can no longer be edited (unless it is returned)."},
	"assessment.submit":           {"Nộp bản tự đánh giá", "Submit the self-assessment"},
	"assessment.comments":         {"Nhận xét", "Comments"},
	"assessment.add_comment":      {"Thêm nhận xét", "Add a comment"},
	"assessment.comment_send":     {"Gửi", "Send"},
	"assessment.history":          {"Lịch sử", "History"},
	"assessment.submitted":        {"Đã nộp bản tự đánh giá.", "The self-assessment was submitted."},
	"assessment.returned":         {"Đã trả lại cho nhà trường.", "Returned to the school."},
	"assessment.approved":         {"Đã duyệt.", "Approved."},
	"assessment.revoked":          {"Đã thu hồi phê duyệt.", "Approval revoked."},
	"assessment.open":             {"Mở", "Open"},
	"autosave.saving":             {"Đang lưu…", "Saving…"},
	"autosave.saved":              {"Đã lưu", "Saved"},
	"autosave.offline":            {"Mất kết nối — sẽ tự lưu lại khi có mạng", "Offline — will save when the connection returns"},
	"autosave.error":              {"Giá trị không hợp lệ", "Invalid value"},
	"autosave.conflict":           {"Người khác vừa sửa; đã hiện giá trị mới nhất", "Changed by someone else; showing the latest value"},
	"evidence.required":           {"cần minh chứng", "evidence required"},
	"evidence.optional":           {"minh chứng (không bắt buộc)", "evidence optional"},
	"evidence.none":               {"không cần minh chứng", "no evidence"},
	"evidence.remove":             {"Xoá", "Remove"},
	"evidence.add":                {"Thêm minh chứng", "Add evidence"},
	"evidence.indicator":          {"Chỉ tiêu", "Indicator"},
	"evidence.file":               {"Tệp", "File"},
	"evidence.link":               {"hoặc đường dẫn", "or a link"},
	"evidence.upload":             {"Tải lên", "Upload"},
	"evidence.limits":             {"PDF, ảnh, văn bản Office; tối đa 10 MB mỗi tệp, 100 MB mỗi bản đánh giá.", "PDF, images, office documents; at most 10 MB a file, 100 MB an assessment."},
	"evidence.added":              {"Đã thêm minh chứng.", "Evidence added."},
	"evidence.removed":            {"Đã xoá minh chứng.", "Evidence removed."},
	"review.value":                {"Giá trị thẩm định", "Validated value"},
	"review.change":               {"Sửa giá trị (đánh giá ngoài)", "Change the value (external evaluation)"},
	"review.reason":               {"Lý do (bắt buộc)", "Reason (required)"},
	"review.save":                 {"Lưu giá trị thẩm định", "Save the validated value"},
	"review.saved":                {"Đã lưu giá trị thẩm định.", "Validated value saved."},
	"review.actions":              {"Thẩm định", "Review"},
	"review.return_comment":       {"Nội dung cần bổ sung", "What the school must correct"},
	"review.return":               {"Trả lại nhà trường", "Return to the school"},
	"review.approve_comment":      {"Nhận xét khi duyệt (không bắt buộc)", "Comment on approval (optional)"},
	"review.approve":              {"Duyệt", "Approve"},
	"review.revoke_reason":        {"Lý do thu hồi", "Reason for revoking"},
	"review.revoke":               {"Thu hồi phê duyệt", "Revoke the approval"},
	"review.waiting":              {"Chờ nhà trường nộp.", "Waiting for the school to submit."},
	"action.submit":               {"nộp", "submitted"},
	"action.return":               {"trả lại", "returned"},
	"action.approve":              {"duyệt", "approved"},
	"action.revoke":               {"thu hồi phê duyệt", "approval revoked"},
	"comment.added":               {"Đã gửi nhận xét.", "Comment sent."},
	"queue.filter":                {"Lọc", "Filter"},
	"queue.all":                   {"Tất cả", "All"},
	"queue.overdue":               {"Quá hạn", "Overdue"},
	"queue.bulk_approve":          {"Duyệt các bản đã chọn", "Approve the selected"},
	"queue.bulk_done":             {"Đã duyệt %d bản.", "%d approved."},
	"queue.publish":               {"Công bố kết quả đã duyệt", "Publish the approved results"},
	"queue.publish_note":          {"Ghi chú công bố", "Publication note"},
	"queue.published":             {"Đã công bố lần %d: %d đơn vị; %d đơn vị chưa duyệt chưa được công bố.", "Published revision %d: %d units; %d units not approved were left out."},
	"queue.submitted":             {"Ngày nộp", "Submitted"},
	"queue.self":                  {"Tự đánh giá", "Self"},
	"queue.validated":             {"Thẩm định", "Validated"},
	"queue.progress":              {"Tiến độ", "Progress"},
	"queue.district":              {"Quận/Huyện", "District"},
	"queue.level":                 {"Cấp học", "School level"},
	"home.mine":                   {"Bản đánh giá của trường", "Your school's assessments"},
	"assessment.comment_general":  {"Nhận xét chung", "General comment"},
	// The dashboard (issue 7).
	"dash.title":                 {"Kết quả chuyển đổi số", "Digital-transformation results"},
	"dash.campaign":              {"Đợt đánh giá", "Campaign"},
	"dash.published_at":          {"Ngày công bố", "Published"},
	"dash.revision":              {"lần", "revision"},
	"dash.methodology":           {"Phương pháp", "Methodology"},
	"dash.schools":               {"Số trường", "Schools"},
	"dash.school":                {"Trường", "School"},
	"dash.participation":         {"Đã nộp / tổng số", "Submitted / total"},
	"dash.mean_index":            {"Chỉ số trung bình", "Mean index"},
	"dash.median":                {"Trung vị", "Median"},
	"dash.mean_of":               {"Trung bình", "Mean of"},
	"dash.index":                 {"Chỉ số", "Index"},
	"dash.level":                 {"Mức", "Level"},
	"dash.levels":                {"Các mức", "Levels"},
	"dash.rank":                  {"Hạng", "Rank"},
	"dash.rank_p05":              {"Hạng (P5)", "Rank (P5)"},
	"dash.rank_median":           {"Hạng (trung vị)", "Rank (median)"},
	"dash.rank_p95":              {"Hạng (P95)", "Rank (P95)"},
	"dash.robust":                {"Khoảng hạng", "Rank interval"},
	"dash.robust_help":           {"Khoảng hạng: nơi hạng rơi vào (5%–95%) khi trọng số các nhóm thay đổi ±25% (500 lần thử). Hai đơn vị có khoảng chồng nhau thì chưa thể phân biệt chắc chắn.", "Rank interval: where the rank falls (5%–95%) when the group weights move by ±25% (500 draws). Units whose intervals overlap cannot be told apart with confidence."},
	"dash.units_ranked":          {"Xếp hạng đơn vị trực thuộc", "Units ranked"},
	"dash.schools_ranked":        {"Xếp hạng trường", "Schools ranked"},
	"dash.all":                   {"Tất cả", "All"},
	"dash.filter":                {"Lọc", "Filter"},
	"dash.report":                {"Báo cáo in", "Printable report"},
	"dash.print":                 {"In", "Print"},
	"dash.trend":                 {"Diễn biến qua các đợt", "Trend over campaigns"},
	"dash.history":               {"Lịch sử mức đạt", "History of levels"},
	"dash.profile":               {"Hồ sơ theo nhóm và tiêu chí", "Profile by group and criterion"},
	"dash.group":                 {"Nhóm", "Group"},
	"dash.criterion":             {"Tiêu chí", "Criterion"},
	"dash.indicator":             {"Chỉ tiêu", "Indicator"},
	"dash.indicators":            {"Điểm từng chỉ tiêu", "Points per indicator"},
	"dash.points":                {"Điểm", "Points"},
	"dash.max":                   {"Tối đa", "Maximum"},
	"dash.weight":                {"trọng số", "weight"},
	"dash.gap":                   {"Khoảng cách đến mức tiếp theo", "Gap to the next level"},
	"dash.next_level":            {"Mức tiếp theo", "Next level"},
	"dash.missing":               {"còn thiếu", "missing"},
	"dash.gap_mandatory":         {"Phải đạt mọi chỉ tiêu bắt buộc", "Every mandatory indicator must be met"},
	"dash.top_level":             {"Đã đạt mức cao nhất.", "At the highest level."},
	"dash.every_group":           {"Mọi nhóm", "Every group"},
	"dash.op.above":              {"trên", "above"},
	"dash.op.at_least":           {"từ", "at least"},
	"dash.version":               {"phiên bản", "version"},
	"dash.source":                {"Nguồn", "Source"},
	"dash.index_method":          {"Cách tính chỉ số", "Index method"},
	"dash.method.weighted_mean":  {"Trung bình có trọng số của điểm các nhóm (quy về thang 100)", "Weighted mean of the group scores (on a 0–100 scale)"},
	"dash.method.sum":            {"Tổng điểm các nhóm", "Sum of the group scores"},
	"dash.method.geometric_mean": {"Trung bình nhân có trọng số của điểm các nhóm (thang 100)", "Weighted geometric mean of the group scores (0–100)"},
	"dash.ties":                  {"Đồng hạng và làm tròn", "Ties and rounding"},
	"dash.ties_text":             {"Chỉ số được làm tròn 2 chữ số thập phân (nửa làm tròn lên) trước khi so sánh; các đơn vị bằng điểm cùng hạng cao nhất và hạng kế tiếp bị bỏ qua (1, 2, 2, 4).", "Indexes are rounded to 2 decimals (halves away from zero) before comparing; equal indexes share the best rank and the next rank is skipped (1, 2, 2, 4)."},
	"dash.answer_rule":           {"Cách cho điểm", "Answer rule"},
	"dash.mandatory":             {"bắt buộc", "mandatory"},
	"dash.type.boolean":          {"Có/Không", "Yes/no"},
	"dash.type.choice":           {"Chọn một", "One choice"},
	"dash.type.multi":            {"Chọn nhiều", "Several choices"},
	"dash.type.percent":          {"Tỷ lệ %", "Percentage"},
	"dash.type.number":           {"Số", "Number"},
	"dash.chart.means":           {"Chỉ số trung bình theo đơn vị", "Mean index by unit"},
	"dash.chart.levels":          {"Tỷ lệ trường theo mức (%)", "Share of schools by level (%)"},
	"dash.chart.heatmap":         {"Mức đạt theo tiêu chí (% tối đa)", "Achievement by criterion (% of maximum)"},
	"dash.chart.hist":            {"Phân bố chỉ số", "Distribution of indexes"},
	"dash.chart.profile":         {"Hồ sơ so với trung bình", "Profile against the means"},
	"dash.chart.trend":           {"Chỉ số qua các đợt", "Index over campaigns"},
	"dash.chart.progress":        {"Tiến độ theo đơn vị", "Progress by unit"},
	"dash.chart.calibration":     {"Chênh lệch tự đánh giá − thẩm định", "Self − validated gap"},
	"dash.progress":              {"Tiến độ và hiệu chỉnh", "Progress and calibration"},
	"dash.status.not_started":    {"Chưa bắt đầu", "Not started"},
	"dash.status.draft":          {"Đang làm", "Draft"},
	"dash.status.submitted":      {"Đã nộp", "Submitted"},
	"dash.status.returned":       {"Trả lại", "Returned"},
	"dash.status.approved":       {"Đã duyệt", "Approved"},
	"dash.submitted":             {"Đã nộp", "Submitted"},
	"dash.total":                 {"Tổng", "Total"},
	"dash.overdue":               {"Quá hạn", "Overdue"},
	"dash.answered":              {"Đã trả lời", "Answered"},
	"dash.due":                   {"Hạn", "Due"},
	"dash.calibration":           {"Độ lệch tự đánh giá so với thẩm định", "Calibration gap"},
	"dash.calibration_help":      {"Chỉ số tự đánh giá trừ chỉ số được thẩm định, trên các bản đã duyệt: số dương là nhà trường tự đánh giá cao hơn.", "Self index minus validated index over approved assessments: positive means the school rated itself higher."},
	"dash.by_indicator":          {"Theo chỉ tiêu (điểm)", "By indicator (points)"},
	"dash.n":                     {"Số bản", "Assessments"},
	"dash.gap_mean":              {"Chênh lệch trung bình", "Mean gap"},
	"dash.gap_abs":               {"Chênh lệch tuyệt đối TB", "Mean absolute gap"},
	// Imports (units, users, indicator sets from spreadsheets).
	"import.title":           {"Nhập dữ liệu từ bảng tính", "Import from spreadsheets"},
	"import.intro":           {"Mọi dòng được kiểm tra trước: nếu có dòng sai thì không nhập gì và mọi dòng sai được liệt kê; nếu không, toàn bộ tệp được nhập trong một lần. Nhập lại cùng mã sẽ cập nhật.", "Every row is checked first: if any row is bad, nothing is imported and every bad row is listed; otherwise the whole file is imported at once. Re-importing a code updates it."},
	"import.nothing":         {"Không nhập dòng nào", "Nothing was imported"},
	"import.bad_rows":        {"Số dòng sai:", "Bad rows:"},
	"import.row":             {"Dòng", "Row"},
	"import.column":          {"Cột", "Column"},
	"import.reason":          {"Lý do", "Reason"},
	"import.done":            {"Đã nhập số dòng:", "Rows imported:"},
	"import.created":         {"tạo mới", "created"},
	"import.updated":         {"cập nhật", "updated"},
	"import.passwords":       {"Mật khẩu dùng một lần của người dùng mới", "One-time passwords of the new users"},
	"import.passwords_once":  {"Mật khẩu chỉ hiện một lần này. Hãy giao riêng cho từng người và yêu cầu đổi mật khẩu khi đăng nhập lần đầu.", "These passwords are shown only now. Hand each over privately and have it changed at first sign-in."},
	"import.set_saved":       {"bộ chỉ số hợp lệ, đã lưu", "valid indicator set, saved"},
	"import.set_file":        {"Tệp bộ chỉ số (YAML, định dạng v1)", "The set file (YAML, format v1)"},
	"import.set_locked":      {"Phiên bản này đã được một đợt đánh giá sử dụng nên không thay đổi được; hãy đặt số phiên bản mới.", "This version is used by a campaign and cannot change; give it a new version number."},
	"import.units":           {"Đơn vị", "Units"},
	"import.units_help":      {"Cột: code, name, kind (province, district, commune, school), parent_code, school_levels, students, teachers, staff.", "Columns: code, name, kind (province, district, commune, school), parent_code, school_levels, students, teachers, staff."},
	"import.users":           {"Người dùng", "Users"},
	"import.users_help":      {"Cột: username, display_name, role, unit_code, email, phone (hai cột cuối không bắt buộc). Không có cột mật khẩu: người dùng mới nhận mật khẩu dùng một lần, hiện một lần sau khi nhập, và phải đổi ở lần đăng nhập đầu.", "Columns: username, display_name, role, unit_code, email, phone (the last two optional). There is no password column: new users get a one-time password, shown once after the import, which they must change at their first sign-in."},
	"import.indicators":      {"Bộ chỉ số", "Indicator set"},
	"import.indicators_help": {"Bảng tính có ba trang: indicators (mỗi chỉ số một dòng), levels (quy tắc xếp mức) và set (mã, phiên bản, tên). Tải mẫu Quyết định 4725 để bắt đầu.", "A workbook of three sheets: indicators (one row per indicator), levels (the level rule) and set (code, version, name). Start from the Decision 4725 template."},
	"import.submit":          {"Kiểm tra và nhập", "Check and import"},
	"import.template":        {"Tải mẫu", "Template"},
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
// dropped (a number a person typed, a rule's threshold): a decimal comma
// and dot thousands in Vietnamese (1.234,5), the other way round in
// English; rounded half up from the printed value, as everywhere (numfmt).
func formatNumber(lang string, x float64, decimals int) string {
	return numfmt.Trim(lang, x, decimals)
}

// formatFixed writes a result (an index, a score, a mean, a share) with
// exactly decimals decimals, so 62,40 stands beside 62,38, rounded as the
// exports and the ranks round it (numfmt). The template function "num".
func formatFixed(lang string, x float64, decimals int) string {
	return numfmt.Fixed(lang, x, decimals)
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
