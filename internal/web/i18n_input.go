package web

// The texts of refused input: bodies over a route's limit, forms that
// cannot be read.
func init() {
	for k, v := range map[string][2]string{
		"input.too_large": {"Nội dung gửi lên quá lớn: địa chỉ này nhận tối đa %s MB.", "The request body is too large: this address takes at most %s MB."},
		"input.bad_form":  {"Không đọc được biểu mẫu gửi lên.", "The submitted form could not be read."},
	} {
		catalog[k] = v
	}
}
