package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/dxindex/dxindex/survey/model"
)

// Message is one e-mail, composed.
type Message struct {
	Subject string
	Text    string
	HTML    string
	Raw     []byte // the whole RFC 5322 message
}

// mailView is what the templates see: Vietnamese first, English after.
type mailView struct {
	SubjectVI, SubjectEN string
	BodyVI, BodyEN       string
	Items                []string // listed under the body (a review session's changes)
	Link                 string
}

var textTmpl = texttemplate.Must(texttemplate.New("text").Parse(`{{.SubjectVI}}
{{if .BodyVI}}
{{.BodyVI}}
{{end}}{{range .Items}}- {{.}}
{{end}}
Xem chi tiết: {{.Link}}

-- 
{{.SubjectEN}}
{{if .BodyEN}}
{{.BodyEN}}
{{end}}{{range .Items}}- {{.}}
{{end}}
Open: {{.Link}}

DX Index — Chỉ số chuyển đổi số cơ sở giáo dục / Digital transformation index of schools
`))

var htmlTmpl = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{.SubjectVI}}</title></head>
<body style="font-family:Arial,'Noto Sans',sans-serif;line-height:1.5;color:#1a1a1a">
<h2 style="font-size:18px">{{.SubjectVI}}</h2>
{{if .BodyVI}}<p>{{.BodyVI}}</p>{{end}}
{{if .Items}}<ul>{{range .Items}}<li>{{.}}</li>{{end}}</ul>{{end}}
<p><a href="{{.Link}}" style="background:#0b5cad;color:#fff;padding:8px 14px;text-decoration:none;border-radius:4px">Xem chi tiết</a></p>
<hr>
<div lang="en" style="color:#555">
<p><strong>{{.SubjectEN}}</strong></p>
{{if .BodyEN}}<p>{{.BodyEN}}</p>{{end}}
{{if .Items}}<ul>{{range .Items}}<li>{{.}}</li>{{end}}</ul>{{end}}
<p><a href="{{.Link}}">Open</a>: {{.Link}}</p>
</div>
<p style="font-size:12px;color:#777">DX Index — Chỉ số chuyển đổi số cơ sở giáo dục</p>
</body></html>
`))

// Compose writes notice n as a multipart (plain text and HTML) UTF-8
// e-mail in the reader's language first, with an absolute link.
func Compose(cfg Config, n *model.Notification) (*Message, error) {
	subj, body := n.Subject(), n.Body()
	v := mailView{SubjectVI: subj.VI, SubjectEN: subj.EN, BodyVI: body.VI, BodyEN: body.EN, Items: n.Items(), Link: cfg.link(n.Link)}
	var tb, hb bytes.Buffer
	if err := textTmpl.Execute(&tb, v); err != nil {
		return nil, err
	}
	if err := htmlTmpl.Execute(&hb, v); err != nil {
		return nil, err
	}
	m := &Message{Subject: "[DX Index] " + subj.In(n.Lang), Text: tb.String(), HTML: hb.String()}
	host := "dxindex.local"
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	var boundary [12]byte
	_, _ = rand.Read(boundary[:])
	b := "dx-" + hex.EncodeToString(boundary[:])
	var raw bytes.Buffer
	hdr := func(k, v string) { fmt.Fprintf(&raw, "%s: %s\r\n", k, v) }
	hdr("From", cfg.SMTPFrom)
	hdr("To", n.EmailTo)
	hdr("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	hdr("Date", time.Now().Format(time.RFC1123Z))
	// One Message-ID per notice: a receiver that got a retry twice can
	// tell it is the same message.
	hdr("Message-ID", fmt.Sprintf("<notice-%d@%s>", n.ID, host))
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", `multipart/alternative; boundary="`+b+`"`)
	raw.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		fmt.Fprintf(&raw, "--%s\r\nContent-Type: %s; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", b, part.typ)
		qp := quotedprintable.NewWriter(&raw)
		if _, err := qp.Write([]byte(strings.ReplaceAll(part.body, "\n", "\r\n"))); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
		raw.WriteString("\r\n")
	}
	fmt.Fprintf(&raw, "--%s--\r\n", b)
	m.Raw = raw.Bytes()
	return m, nil
}

// sendMail hands msg to the SMTP server: STARTTLS when offered, AUTH
// when a user is configured.
func sendMail(ctx context.Context, cfg Config, to string, msg *Message) error {
	d := net.Dialer{Timeout: cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", cfg.SMTPAddr)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	_ = conn.SetDeadline(time.Now().Add(cfg.Timeout))
	host, _, _ := net.SplitHostPort(cfg.SMTPAddr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return fmt.Errorf("smtp: starttls: %w", err)
		}
	}
	if cfg.SMTPUser != "" {
		if err := c.Auth(smtp.PlainAuth("", cfg.SMTPUser, cfg.SMTPPassword, host)); err != nil {
			return fmt.Errorf("smtp: auth: %w", err)
		}
	}
	if err := c.Mail(addrOnly(cfg.SMTPFrom)); err != nil {
		return fmt.Errorf("smtp: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("smtp: RCPT TO %s: %w", to, err)
	}
	wc, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	if _, err := wc.Write(msg.Raw); err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	if err := wc.Close(); err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	return c.Quit()
}

// addrOnly takes the address out of "Name <addr>".
func addrOnly(from string) string {
	if i := strings.LastIndexByte(from, '<'); i >= 0 {
		return strings.TrimSuffix(from[i+1:], ">")
	}
	return from
}
