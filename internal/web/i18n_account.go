package web

// Text of accounts: contacts, forgotten passwords, one-time passwords
// (issue 16).
func init() {
	for k, v := range map[string][2]string{
		"nav.account":               {"Tài khoản", "Account"},
		"account.title":             {"Tài khoản", "Account"},
		"account.user_title":        {"Người dùng %s", "User %s"},
		"account.contacts":          {"Thông tin liên hệ", "Contacts"},
		"account.contacts_help":     {"Thông báo và liên kết đặt lại mật khẩu được gửi tới địa chỉ email này. Cả hai thông tin đều không bắt buộc.", "Notifications and password-reset links go to this e-mail address. Both are optional."},
		"account.email":             {"Email", "E-mail"},
		"account.phone":             {"Số điện thoại", "Phone"},
		"account.no_email":          {"Chưa có email: không thể tự lấy lại mật khẩu và không nhận được thông báo qua email.", "No e-mail address: the password cannot be recovered by oneself, and no notification arrives by e-mail."},
		"account.change_password":   {"Đổi mật khẩu", "Change the password"},
		"account.must_change":       {"Bạn đang dùng mật khẩu tạm thời. Hãy đặt mật khẩu mới trước khi tiếp tục.", "You signed in with a one-time password. Set a new password before you go on."},
		"account.must_change_badge": {"Phải đổi mật khẩu", "Must change password"},
		"account.reset":             {"Cấp mật khẩu tạm thời", "Give a one-time password"},
		"account.reset_help":        {"Người dùng sẽ phải đổi mật khẩu này ở lần đăng nhập tới; mọi phiên đăng nhập hiện có của họ kết thúc.", "The user must change it at the next sign-in; all their current sessions end."},
		"account.one_time":          {"Mật khẩu tạm thời (chỉ hiện một lần, hãy trao tận tay người dùng):", "One-time password (shown once; hand it to the user):"},
		"account.back_users":        {"Danh sách người dùng", "All users"},
		"login.forgot":              {"Quên mật khẩu?", "Forgot your password?"},
		"forgot.title":              {"Quên mật khẩu", "Forgot password"},
		"forgot.help":               {"Nhập tên đăng nhập hoặc địa chỉ email của tài khoản. Nếu tài khoản có email, một liên kết đặt lại mật khẩu sẽ được gửi tới đó; liên kết dùng được một lần, trong 1 giờ.", "Type the account's username or e-mail address. If the account has an e-mail address, a password-reset link is sent to it; the link works once, for 1 hour."},
		"forgot.login":              {"Tên đăng nhập hoặc email", "Username or e-mail address"},
		"forgot.submit":             {"Gửi liên kết", "Send the link"},
		"forgot.need_login":         {"Hãy nhập tên đăng nhập hoặc email.", "Type a username or an e-mail address."},
		"forgot.sent":               {"Nếu tài khoản này tồn tại và có địa chỉ email, liên kết đặt lại mật khẩu đã được gửi tới đó (hiệu lực 1 giờ). Hãy kiểm tra hộp thư, kể cả thư rác. Không có email? Hãy liên hệ quản trị viên của đơn vị để được cấp mật khẩu tạm thời.", "If this account exists and has an e-mail address, a password-reset link has been sent to it (valid for 1 hour). Check your mailbox, spam included. No e-mail address? Ask your unit's administrator for a one-time password."},
		"reset.title":               {"Đặt mật khẩu mới", "Set a new password"},
		"reset.for":                 {"Tài khoản", "Account"},
		"reset.submit":              {"Đặt mật khẩu mới", "Set the new password"},
		"reset.again":               {"Yêu cầu liên kết mới", "Ask for a new link"},
		"reset.done":                {"Đã đặt mật khẩu mới. Hãy đăng nhập.", "The new password is set. Please sign in."},
	} {
		catalog[k] = v
	}
}
