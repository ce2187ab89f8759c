// Package browsertest drives a real headless Chromium from tests, so the
// pages are checked as a person meets them: rendered, clicked, typed into.
// `make test` installs Chromium when it is missing; a test that needs a
// browser fails (not skips) without one, so a green run means the browser
// tests ran.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path returns the Chromium executable: $CHROMIUM, else the first of the
// usual names on PATH.
func Path() (string, bool) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, true
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// New starts a headless browser for the test and returns a context for
// chromedp actions; the browser closes when the test ends. Each call is a
// separate browser profile (own cookies), i.e. a separate person.
func New(t testing.TB) context.Context {
	t.Helper()
	path, ok := Path()
	if !ok {
		t.Fatal("browsertest: no Chromium found; `make test` installs it (apt-get install chromium fonts-noto-core), or set CHROMIUM")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.WindowSize(1200, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil { // start the browser now, so failures name it
		t.Fatalf("browsertest: start %s: %v", path, err)
	}
	return ctx
}

// Screenshot saves a full-page PNG as name under $DXINDEX_SCREENSHOTS, when
// that is set (a person reads them; tests do not compare pixels).
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("DXINDEX_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("browsertest: screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
	}
}
