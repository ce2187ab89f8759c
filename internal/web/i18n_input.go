package web

// The texts of refused input: bodies over a route's limit, forms that
// cannot be read, text the database cannot store.
func init() {
	for k, v := range map[string][2]string{
		"input.too_large": {"Nội dung gửi lên quá lớn: địa chỉ này nhận tối đa %s MB.", "The request body is too large: this address takes at most %s MB."},
		"input.bad_form":  {"Không đọc được biểu mẫu gửi lên.", "The submitted form could not be read."},
		"input.bad_text": {"Dữ liệu gửi lên có ký tự không được phép (ký tự NUL hoặc mã UTF-8 hỏng) ở %s. Hãy xoá ký tự đó rồi gửi lại.",
			"The request has a character that is not allowed (a NUL byte or invalid UTF-8) in %s. Remove it and send again."},
		"input.path":          {"đường dẫn", "the path"},
		"input.trailing_json": {"Nội dung JSON có dữ liệu thừa sau đối tượng. Hãy gửi đúng một giá trị JSON.", "The JSON body has data after the object. Send exactly one JSON value."},
	} {
		catalog[k] = v
	}
}
