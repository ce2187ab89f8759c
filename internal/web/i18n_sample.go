package web

import (
	"strings"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
)

// UI text of issue 17: sampled verification and fresh evidence.
func init() {
	for k, v := range map[string][2]string{
		"fresh.dated_on":      {"Ngày ban hành (tệp) hoặc ngày kiểm tra (đường dẫn)", "Issued on (a file) or checked on (a link)"},
		"fresh.dated_on_help": {"Không bắt buộc, nhưng chỉ số có giới hạn tuổi minh chứng chỉ nộp được khi minh chứng có ngày.", "Optional, but an indicator with a maximum evidence age can only be submitted on dated evidence."},
		"fresh.days_old":      {"ngày tuổi", "days old"},
		"fresh.days":          {"ngày", "days"},
		"fresh.undated":       {"chưa ghi ngày", "no date"},
		"fresh.stale":         {"quá cũ so với quy định", "older than allowed"},
		"fresh.max_age":       {"minh chứng không quá", "evidence at most"},

		"sample.title":             {"Kiểm tra theo mẫu", "Sampled verification"},
		"sample.link":              {"Kiểm tra theo mẫu", "Sampled verification"},
		"sample.intro":             {"Thay vì thẩm định mọi hồ sơ, đơn vị có thể rút ngẫu nhiên một mẫu trường đã nộp để thẩm định; các trường còn lại được duyệt theo kết quả tự đánh giá. Mẫu được rút một lần cho mỗi đợt trong phạm vi của đơn vị, từ hạt giống (seed) được công bố, và ai cũng rút lại được.", "Instead of verifying every dossier, the office may draw a random sample of the submitted schools to verify; the others are approved on their self-assessment. The sample is drawn once per campaign in the office's scope, from a published seed, and anyone can redraw it."},
		"sample.size":              {"Số trường", "Number of schools"},
		"sample.share":             {"hoặc tỷ lệ (%)", "or share (%)"},
		"sample.indicators":        {"Số chỉ số kiểm tra mỗi trường (0: tất cả)", "Indicators verified per school (0: all)"},
		"sample.by_level":          {"Phân tầng theo cấp học", "Stratify by school level"},
		"sample.by_area":           {"Phân tầng theo huyện/xã", "Stratify by district/commune"},
		"sample.enlarge_by":        {"Nếu một trường trong mẫu bị đổi mức khi thẩm định, rút thêm (số trường)", "If a sampled school's level changes on verification, draw more (schools)"},
		"sample.seed":              {"Hạt giống (seed)", "Seed"},
		"sample.seed_help":         {"Để trống để hệ thống tạo ngẫu nhiên; có thể dùng một số công khai (ví dụ kết quả xổ số).", "Leave empty for a random one; a public number (a lottery result, say) also works."},
		"sample.draw":              {"Rút mẫu", "Draw the sample"},
		"sample.drawn":             {"Đã rút mẫu", "Sample drawn"},
		"sample.drawn_by":          {"Người rút", "Drawn by"},
		"sample.eligible":          {"Danh sách rút mẫu (các trường đã nộp)", "The list drawn from (submitted schools)"},
		"sample.in_sample":         {"Trong mẫu", "In the sample"},
		"sample.enlarged":          {"rút thêm", "drawn more"},
		"sample.stratum":           {"Tầng", "Stratum"},
		"sample.key":               {"Khoá SHA-256", "SHA-256 key"},
		"sample.rank":              {"Thứ tự", "Order"},
		"sample.approve_rest":      {"Duyệt các trường ngoài mẫu theo tự đánh giá", "Approve the schools outside the sample on their self-assessment"},
		"sample.approve_confirm":   {"Tôi xác nhận duyệt các trường ngoài mẫu theo kết quả tự đánh giá", "I confirm approving the schools outside the sample on their self-assessment"},
		"sample.approve_need":      {"Hãy đánh dấu ô xác nhận trước khi duyệt các trường ngoài mẫu.", "Tick the confirmation before approving the schools outside the sample."},
		"sample.approved_rest":     {"Đã duyệt theo tự đánh giá: %d trường.", "Approved on self-assessment: %d schools."},
		"sample.not_sampled":       {"Duyệt theo tự đánh giá (không thuộc mẫu kiểm tra)", "Approved on self-assessment (not sampled)"},
		"sample.not_sampled_col":   {"Duyệt theo tự đánh giá – không thuộc mẫu (số trường)", "Approved on self-assessment – not sampled (schools)"},
		"sample.enlargements":      {"Các lần rút thêm", "Enlargements"},
		"sample.trigger":           {"do trường đổi mức", "because this school's level changed"},
		"sample.redo":              {"Kiểm tra lại: tải danh sách và hạt giống (JSON) rồi chạy lại thuật toán mô tả ở trang phương pháp.", "Check it: download the list and seed (JSON) and rerun the algorithm described on the methodology page."},
		"sample.indicators_of":     {"Chỉ số kiểm tra", "Indicators to verify"},
		"sample.all_indicators":    {"tất cả", "all"},
		"sample.method_title":      {"Kiểm tra theo mẫu: thuật toán rút mẫu", "Sampled verification: how the sample is drawn"},
		"sample.method_1":          {"Danh sách: các bản tự đánh giá đã nộp trong phạm vi của đơn vị lúc rút mẫu, mỗi trường có mã và tầng (cấp học và/hoặc mã huyện/xã, nối bằng \"/\"; rỗng nếu không phân tầng).", "The list: the assessments submitted in the office's scope when the sample is drawn; each school has a code and a stratum (school level and/or district/commune code joined by \"/\"; empty when not stratified)."},
		"sample.method_2":          {"Khoá của mỗi trường là SHA-256 (hệ 16, chữ thường) của chuỗi seed|mã trường (UTF-8). Trong mỗi tầng, các trường được xếp theo khoá tăng dần.", "Each school's key is the SHA-256 (lower-case hex) of the text seed|school code (UTF-8). Within each stratum the schools are ordered by key."},
		"sample.method_3":          {"Theo tỷ lệ p: mỗi tầng n trường lấy ⌈p × n⌉ trường đầu. Theo số N: mỗi tầng nhận ⌊N × n / tổng⌋, phần còn lại chia cho các tầng có phần dư N × n mod tổng lớn nhất (bằng nhau thì theo tên tầng).", "By share p: a stratum of n schools gives its first ⌈p × n⌉. By number N: each stratum gets ⌊N × n / total⌋ and the rest go to the strata with the largest remainder N × n mod total (ties by stratum name)."},
		"sample.method_4":          {"K chỉ số mỗi trường: các chỉ số áp dụng xếp theo SHA-256 của seed|mã trường|mã chỉ số, lấy K chỉ số đầu.", "K indicators per school: the applicable indicators ordered by the SHA-256 of seed|school code|indicator code; the first K."},
		"sample.method_5":          {"Rút thêm: khi một trường trong mẫu bị đổi mức khi thẩm định, lấy M trường tiếp theo chưa được rút trong tầng của trường đó, theo cùng thứ tự. Các trường ngoài mẫu được duyệt theo tự đánh giá và được ghi rõ trong lịch sử và kết quả công bố.", "Enlarging: when a sampled school's level changes on verification, the next M undrawn schools of its stratum, in the same order, are drawn. Schools outside the sample are approved on their self-assessment, and the history and the published result say so."},
		"sample.method_6":          {"Hạt giống, tham số và danh sách được lưu và không sửa được; ai có chúng đều rút lại được cùng mẫu (ví dụ bằng 30 dòng Python).", "The seed, the parameters and the list are stored and never changed; anyone who has them draws the same sample (30 lines of Python do)."},
		"action.sampled":           {"được rút vào mẫu kiểm tra", "drawn into the verification sample"},
		"action.approve_unsampled": {"duyệt theo tự đánh giá (không thuộc mẫu)", "approved on self-assessment (not sampled)"},
		"action.sample_enlarged":   {"đổi mức khi thẩm định: rút thêm trường vào mẫu", "level changed on verification: more schools drawn"},
	} {
		catalog[k] = v
	}
}

// evidenceDate reads the optional date of a piece of evidence (dd/mm/yyyy
// or what a date input sends); zero when empty. A bad date gives the
// message to show, in lang.
func evidenceDate(v, lang string) (time.Time, string) {
	if strings.TrimSpace(v) == "" {
		return time.Time{}, ""
	}
	d, ok := parseDate(v)
	if !ok {
		return time.Time{}, errkind.Msg{VI: "Ngày ban hành/kiểm tra phải có dạng dd/mm/yyyy.", EN: "the date issued or checked is written dd/mm/yyyy"}.In(lang)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), ""
}

// evidenceDateError is the API's answer to a bad evidence date.
func evidenceDateError(field string) error {
	return errkind.Field(field, "Ngày phải có dạng yyyy-mm-dd hoặc dd/mm/yyyy.", "a date is written yyyy-mm-dd or dd/mm/yyyy")
}
