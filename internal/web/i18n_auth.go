package web

// Text of sign-in and passwords (issue 18). Kept out of i18n.go's literal
// so that several changes can add keys without touching the same lines.
func init() {
	for k, v := range map[string][2]string{
		"password.rules": {"Ít nhất 10 ký tự, khác tên đăng nhập và không nằm trong danh sách mật khẩu phổ biến (như 1234567890, password123). Một câu ngắn dễ nhớ là lựa chọn tốt.",
			"At least 10 characters, not your username, and not on the list of common passwords (such as 1234567890, password123). A short sentence you can remember is a good choice."},
	} {
		catalog[k] = v
	}
}
