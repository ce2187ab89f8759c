package web

// The wording of a unit's own assessment. A school's assessment says
// "nhà trường" (the school) and names its managing office (cơ quan quản lý) as its reviewer;
// an office's own assessment (an agency set, Decision 3806, in an office
// campaign) says "đơn vị" (the unit) and "cơ quan cấp trên" (the office
// above). Every such text has one key for a school, K, and one for an
// office, K + "_office"; the page picks one with unitKey (in templates
// {{tu .Office "K"}}), from the kind of the unit assessed, the way
// survey.wordsFor picks the words of its messages.

import (
	"context"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/survey/model"
)

// officeSuffix ends the key of a text's office wording.
const officeSuffix = "_office"

// unitKey is key's office wording when office is set and the catalog has
// one, key otherwise (texts that name neither the school nor its
// reviewer have no office wording).
func unitKey(key string, office bool) string {
	if office {
		if _, ok := catalog[key+officeSuffix]; ok {
			return key + officeSuffix
		}
	}
	return key
}

// officeAssessed: an assessment with this set is an office's own (the
// set assesses agencies), so its pages use the office wording.
func officeAssessed(set *indicators.Set) bool {
	return set != nil && set.EffectiveAssessed() == indicators.AssessedAgency
}

// officeCampaign: cp assesses offices (its set assesses agencies).
func (s *Server) officeCampaign(ctx context.Context, cp *model.Campaign) (bool, error) {
	set, err := s.survey.Set(ctx, cp.SetCode, cp.SetVersion)
	if err != nil {
		return false, err
	}
	return officeAssessed(set), nil
}

// OfficeStaff: the reader is an office's own staff (their assessments
// are their office's).
func (p page) OfficeStaff() bool { return p.Actor != nil && p.Actor.Is(model.RoleOffice) }

func init() {
	for k, v := range map[string][2]string{
		// The evaluator's changes and the unit's reply (issue 17).
		"trust.reply_heading_office":    {"Phản hồi của đơn vị", "The unit's reply"},
		"trust.reply_intro_office":      {"Đoàn đánh giá đã thay đổi các giá trị dưới đây. Với từng thay đổi, đơn vị chọn đồng ý, hoặc không đồng ý kèm ý kiến và đường dẫn minh chứng, trước hạn phản hồi.", "The evaluator changed the values below. For each change the unit accepts it, or contests it with a comment and an evidence link, before the reply is due."},
		"trust.school_value_office":     {"Giá trị của đơn vị", "Unit's value"},
		"trust.replied_office":          {"Đã ghi phản hồi của đơn vị.", "The unit's reply was recorded."},
		"trust.changes_heading_office":  {"Thay đổi khi thẩm định và phản hồi của đơn vị", "Changes in review and the unit's replies"},
		"trust.sent_at_office":          {"Đã gửi đơn vị lúc", "Sent to the unit at"},
		"trust.send_for_reply_office":   {"Gửi đơn vị phản hồi", "Send to the unit for reply"},
		"trust.send_hint_office":        {"Đơn vị sẽ thấy từng thay đổi kèm lý do và có thời hạn phản hồi của đợt đánh giá để đồng ý hoặc không đồng ý.", "The unit sees each change with its reason and has the campaign's reply window to accept or contest it."},
		"trust.restored_office":         {"khôi phục giá trị của đơn vị", "the unit's value restored"},
		"trust.sent_office":             {"Đã gửi các thay đổi để đơn vị phản hồi.", "The changes were sent to the unit for its reply."},
		"trust.reply_days_office":       {"Số ngày đơn vị được phản hồi thay đổi", "Days the unit has to reply to changes"},
		"trust.contested_office":        {"Bị đơn vị phản đối", "Contested by the unit"},
		"trust.no_eligible_office":      {"Chưa có cán bộ thẩm định nào khác trong phạm vi; hãy đề nghị cơ quan cấp trên hoặc quản trị viên.", "No other reviewer is in scope; ask the office above or an administrator."},
		"trail.reversal_office":         {"Huỷ thay đổi, khôi phục giá trị của đơn vị", "Change reversed, the unit's value restored"},
		"trail.reply_office":            {"Đơn vị phản hồi", "The unit replied"},
		"action.send_reply_office":      {"gửi đơn vị phản hồi các thay đổi", "changes sent to the unit for reply"},
		"action.reply_office":           {"đơn vị phản hồi", "the unit replied"},
		"action.sample_enlarged_office": {"đổi mức khi thẩm định: rút thêm đơn vị vào mẫu", "level changed on verification: more units drawn"},
		"assessment.overdue_office":     {"Đã quá hạn tự đánh giá: bản tự đánh giá không sửa và không nộp được nữa. Hãy đề nghị cơ quan cấp trên mở lại hoặc gia hạn.", "The self-assessment deadline has passed: it can no longer be edited or submitted. Ask the office above to reopen it or extend the deadline."},
		// The review and the result of the assessment.
		"assessment.returned_office":   {"Đã trả lại cho đơn vị.", "Returned to the unit."},
		"review.return_comment_office": {"Nội dung cần bổ sung", "What the unit must correct"},
		"review.waiting_office":        {"Chờ đơn vị nộp.", "Waiting for the unit to submit."},
		"result.lead_approved_office":  {"Cơ quan cấp trên đã duyệt kết quả dưới đây. Kết quả thẩm định là kết quả chính thức của đơn vị.", "The office above approved the result below. The validated result is the unit's official result."},
		"result.changes_office":        {"Các giá trị được cơ quan cấp trên sửa", "Values changed by the office above"},
		// The office staff's home, the reminders of an office campaign.
		"home.mine_office":             {"Bản đánh giá của đơn vị", "Your unit's assessments"},
		"remind.all_late_office":       {"Nhắc nhở các đơn vị trễ hạn", "Remind all late units"},
		"remind.each_school_office":    {"từng đơn vị", "each unit"},
		"remind.nobody_office":         {"Không có đơn vị nào cần nhắc.", "No unit needs a reminder."},
		"remind.sent_office":           {"Đã gửi lời nhắc tới %d đơn vị.", "Reminder sent to %d unit(s)."},
		"dash.calibration_help_office": {"Chỉ số tự đánh giá trừ chỉ số được thẩm định, trên các bản đã duyệt: số dương là đơn vị tự đánh giá cao hơn.", "Self index minus validated index over approved assessments: positive means the unit rated itself higher."},
		// Sampled verification in an office campaign.
		"sample.intro_office":           {"Thay vì thẩm định mọi hồ sơ, cơ quan có thể rút ngẫu nhiên một mẫu các đơn vị đã nộp để thẩm định; các đơn vị còn lại được duyệt theo kết quả tự đánh giá. Mẫu được rút một lần cho mỗi đợt trong phạm vi của cơ quan, từ hạt giống (seed) được công bố, và ai cũng rút lại được.", "Instead of verifying every dossier, the office may draw a random sample of the submitted units to verify; the others are approved on their self-assessment. The sample is drawn once per campaign in the office's scope, from a published seed, and anyone can redraw it."},
		"sample.size_office":            {"Số đơn vị", "Number of units"},
		"sample.indicators_office":      {"Số chỉ số kiểm tra mỗi đơn vị (0: tất cả)", "Indicators verified per unit (0: all)"},
		"sample.enlarge_by_office":      {"Nếu một đơn vị trong mẫu bị đổi mức khi thẩm định, rút thêm (số đơn vị)", "If a sampled unit's level changes on verification, draw more (units)"},
		"sample.eligible_office":        {"Danh sách rút mẫu (các đơn vị đã nộp)", "The list drawn from (submitted units)"},
		"sample.trigger_office":         {"do đơn vị đổi mức", "because this unit's level changed"},
		"sample.approve_confirm_office": {"Tôi xác nhận duyệt các đơn vị ngoài mẫu theo kết quả tự đánh giá", "I confirm approving the units outside the sample on their self-assessment"},
		"sample.approve_rest_office":    {"Duyệt các đơn vị ngoài mẫu theo tự đánh giá", "Approve the units outside the sample on their self-assessment"},
		"sample.approve_need_office":    {"Hãy đánh dấu ô xác nhận trước khi duyệt các đơn vị ngoài mẫu.", "Tick the confirmation before approving the units outside the sample."},
		"sample.approved_rest_office":   {"Đã duyệt theo tự đánh giá: %d đơn vị.", "Approved on self-assessment: %d units."},
		"sample.not_sampled_col_office": {"Duyệt theo tự đánh giá – không thuộc mẫu (số đơn vị)", "Approved on self-assessment – not sampled (units)"},
		// The printed report of an office campaign (offices, not schools).
		"paper.office_sub_office":     {"Mức độ chuyển đổi số của các cơ quan quản lý giáo dục", "Digital transformation of the education offices"},
		"paper.coverage_title_office": {"Số đơn vị tham gia và độ bao phủ", "Participation and coverage"},
		"paper.assessments_office":    {"Số đơn vị phải đánh giá", "Units to assess"},
		"paper.summary_title_office":  {"Tổng hợp theo mức", "Summary by level"},
		"paper.schools_title_office":  {"Danh sách đơn vị, chỉ số và mức", "Units with index and level"},
		"units.levels_office":         {"Đơn vị", "Units"},
		"paper.sheet_schools_office":  {"Danh sách đơn vị", "Units"},
		"dash.schools_office":         {"Số đơn vị", "Units"},
		// The public pages of an office campaign and of an office's own result.
		"dash.chart.levels_office": {"Tỷ lệ đơn vị theo mức (%)", "Share of units by level (%)"},
		"dash.school_office":       {"Đơn vị", "Unit"},
		// The printed form of an office's own assessment.
		"paper.school_sub_office": {"Mức độ chuyển đổi số của cơ quan quản lý giáo dục", "Digital transformation of the education office"},
		"result.school_office":    {"Đơn vị", "Unit"},
		"paper.principal_office":  {"THỦ TRƯỞNG ĐƠN VỊ", "HEAD OF THE UNIT"},
	} {
		catalog[k] = v
	}
}
