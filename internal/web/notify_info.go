package web

// NotifyInfo is how this instance delivers notices.
type NotifyInfo struct {
	SMTP     bool   // e-mail is sent (SMTP settings given)
	SMTPAddr string // the server, for the admin page
	Webhook  bool   // a webhook receives every notice
}
