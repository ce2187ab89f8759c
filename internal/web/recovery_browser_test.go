package web

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/dxindex/dxindex/internal/browsertest"
	"github.com/dxindex/dxindex/internal/notify"
	"github.com/dxindex/dxindex/internal/notify/smtptest"
	"github.com/dxindex/dxindex/survey/model"
)

// TestBrowserRecoverAccount (issue 16): a principal who forgot the
// password asks for a link on a phone, receives it by e-mail (a real SMTP
// server on loopback, delivery by the notification workers), sets a new
// password through it and signs in with it; the link does not work twice.
func TestBrowserRecoverAccount(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	hs, svc, _, _ := journeyWorld(t)
	pool := journeyPool(t, hs)
	ctx := context.Background()
	if _, err := svc.SetContacts(ctx, &model.Actor{Role: model.RoleAdmin}, "ht.anbai", model.ContactsInput{Email: "hoa.nt@anbai.edu.vn"}); err != nil {
		t.Fatal(err)
	}
	box := smtptest.Start(t, "127.0.0.1:0")
	d, err := notify.Start(ctx, pool, svc, notify.Config{SMTPAddr: box.Addr, SMTPFrom: "dxindex <no-reply@dxindex.test>",
		BaseURL: hs.URL, SweepEvery: -1, Poll: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = d.Stop(c)
	})

	b := browsertest.New(t)
	if err := chromedp.Do(b, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	open(t, b, hs.URL+"/login")
	click(t, b, `main a[href="/password/forgot"]`, `location.pathname === "/password/forgot"`)
	shot(t, b, "forgot.png")
	if err := chromedp.Do(b, chromedp.SendKeys(chromedp.CSS(`main input[name=login]`), "ht.anbai")); err != nil {
		t.Fatal(err)
	}
	click(t, b, `main button[type=submit]`, `!!document.querySelector("main .notice")`)
	if txt := mainText(t, b); !strings.Contains(txt, "liên kết đặt lại mật khẩu đã được gửi") {
		t.Fatalf("after asking:\n%s", txt)
	}

	// The mail: to the principal's address, with an absolute one-use link.
	var link string
	linkRE := regexp.MustCompile(regexp.QuoteMeta(hs.URL) + `/password/reset/[A-Za-z0-9_-]+`)
	deadline := time.Now().Add(20 * time.Second)
	for link == "" && time.Now().Before(deadline) {
		for _, m := range box.All() {
			if m.To == "hoa.nt@anbai.edu.vn" {
				link = linkRE.FindString(m.Body)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if link == "" {
		t.Fatalf("no reset link mailed: %+v", box.All())
	}
	if n := len(box.All()); n != 1 {
		t.Fatalf("%d mails, want 1", n)
	}

	open(t, b, link)
	if txt := mainText(t, b); !strings.Contains(txt, "ht.anbai") {
		t.Fatalf("reset page:\n%s", txt)
	}
	shot(t, b, "reset.png")
	const next = "Hoa nhớ mật khẩu mới 2026"
	if err := chromedp.Do(b,
		chromedp.SendKeys(chromedp.CSS(`main input[name=new_password]`), next),
		chromedp.SendKeys(chromedp.CSS(`main input[name=confirm_password]`), next),
	); err != nil {
		t.Fatal(err)
	}
	click(t, b, `main button[type=submit]`, `location.pathname === "/login"`)
	signIn(t, b, hs.URL, "ht.anbai", next)

	// The link is used up.
	open(t, b, link)
	if txt := mainText(t, b); !strings.Contains(txt, "đã được dùng hoặc đã hết hạn") {
		t.Fatalf("the link a second time:\n%s", txt)
	}
}
