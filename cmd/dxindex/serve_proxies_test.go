package main

import (
	"strings"
	"testing"
)

// TestServeTrustedProxiesFlag: --trusted-proxies and
// DXINDEX_TRUSTED_PROXIES are read, and a malformed list stops serve
// before anything starts.
func TestServeTrustedProxiesFlag(t *testing.T) {
	code, _, errs := runCLI(t, nil, "serve", "--trusted-proxies", "127.0.0.1,proxy.local")
	if code != 2 || !strings.Contains(errs, "trusted-proxies") || !strings.Contains(errs, "proxy.local") {
		t.Fatalf("bad flag: %d %q", code, errs)
	}
	code, _, errs = runCLI(t, map[string]string{"DXINDEX_TRUSTED_PROXIES": "10.0.0.0/40"}, "serve")
	if code != 2 || !strings.Contains(errs, "10.0.0.0/40") {
		t.Fatalf("bad environment variable: %d %q", code, errs)
	}
	_, out, _ := runCLI(t, nil, "serve", "--help")
	if !strings.Contains(out, "--trusted-proxies") && !strings.Contains(out, "-trusted-proxies") {
		t.Fatalf("serve --help does not list --trusted-proxies: %q", out)
	}
}
