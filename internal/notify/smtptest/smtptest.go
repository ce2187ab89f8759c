// Package smtptest is a real SMTP server on the loopback interface that
// keeps what it receives, for tests of what dxindex mails.
package smtptest

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Message is one mail received, its body decoded.
type Message struct {
	From, To string
	Subject  string
	Body     string
}

// Mailbox is a running SMTP server and what it has received.
type Mailbox struct {
	Addr string // host:port it listens on
	mu   sync.Mutex
	msgs []Message
	srv  *smtp.Server
}

// Start serves SMTP on addr ("127.0.0.1:0" for any port) until the test
// ends.
func Start(t testing.TB, addr string) *Mailbox {
	t.Helper()
	b := &Mailbox{}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	b.Addr = ln.Addr().String()
	b.srv = smtp.NewServer(b)
	b.srv.Domain = "localhost"
	b.srv.AllowInsecureAuth = true
	go func() { _ = b.srv.Serve(ln) }()
	t.Cleanup(func() { _ = b.srv.Close() })
	return b
}

// All returns what has been received so far.
func (b *Mailbox) All() []Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Message(nil), b.msgs...)
}

// Close stops the server (to test mail waiting for it).
func (b *Mailbox) Close() error { return b.srv.Close() }

// NewSession implements smtp.Backend.
func (b *Mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{box: b}, nil }

type session struct {
	box      *Mailbox
	from, to string
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = to
	return nil
}
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	head, body, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	var subject string
	for _, line := range strings.Split(string(head), "\r\n") {
		if v, ok := strings.CutPrefix(line, "Subject: "); ok {
			subject, _ = new(mime.WordDecoder).DecodeHeader(v)
		}
	}
	dec, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, Message{From: s.from, To: s.to, Subject: subject, Body: string(dec)})
	s.box.mu.Unlock()
	return nil
}
