package web

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dxindex/dxindex/survey/model"
)

// errOverRead is what bigBody answers once the server has read past the
// test's budget: a server that reads everything fails fast, not after a
// gigabyte.
var errOverRead = errors.New("test: the server read past the budget")

// bigBody is a request body of size bytes made on the fly (prefix, then
// filler, then suffix), so a test can claim a gigabyte without holding
// one. It counts what the server reads, stops with errOverRead past
// budget, and notes whether a temporary file existed in tmpDir while the
// body was being read.
type bigBody struct {
	prefix, suffix     string
	size, read, budget int64
	tmpDir             string
	sawTemp            bool
}

func (b *bigBody) Read(p []byte) (int, error) {
	if b.read >= b.size {
		return 0, io.EOF
	}
	if b.read >= b.budget {
		b.sawTemp = b.sawTemp || countFiles(b.tmpDir) > 0
		return 0, errOverRead
	}
	n := int64(len(p))
	n = min(n, b.size-b.read, b.budget-b.read)
	for i := int64(0); i < n; i++ {
		at := b.read + i
		switch {
		case at < int64(len(b.prefix)):
			p[i] = b.prefix[at]
		case at >= b.size-int64(len(b.suffix)):
			p[i] = b.suffix[at-(b.size-int64(len(b.suffix)))]
		default:
			p[i] = 'a'
		}
	}
	b.read += n
	if b.read > 33<<20 && !b.sawTemp {
		// Past net/http's in-memory share of a multipart form: a parser
		// would be spilling to disk by now.
		b.sawTemp = countFiles(b.tmpDir) > 0
	}
	return int(n), nil
}

func countFiles(dir string) int {
	if dir == "" {
		return 0
	}
	es, _ := os.ReadDir(dir)
	return len(es)
}

// bodyKinds are the shapes of body a client may send.
var bodyKinds = []struct {
	name, ctype, prefix, suffix string
}{
	{"json", "application/json", `{"url":"https://example.org/`, `"}`},
	{"form", "application/x-www-form-urlencoded", "indicator=1.1&comment=", "&x=1"},
	{"multipart", "multipart/form-data; boundary=XyZ",
		"--XyZ\r\nContent-Disposition: form-data; name=\"indicator\"\r\n\r\n1.1\r\n" +
			"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ke-hoach.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n",
		"\r\n--XyZ--\r\n"},
}

// oversize sends a body of size bytes, declared in Content-Length or, if
// chunked, not, as name ("" = anonymous) with what a real client of that
// route carries (bearer token for the API, session cookie and CSRF header
// for pages, nothing for an anonymous attacker). It returns the response
// and the body as the server left it.
func oversize(t *testing.T, w *world, name, method, path string, kind int, size int64, chunked bool, tmpDir string) (*httptest.ResponseRecorder, *bigBody) {
	t.Helper()
	k := bodyKinds[kind]
	body := &bigBody{prefix: k.prefix, suffix: k.suffix, size: size, budget: 40 << 20, tmpDir: tmpDir}
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Content-Type", k.ctype)
	req.ContentLength = size
	if chunked {
		req.ContentLength = -1
		req.TransferEncoding = []string{"chunked"}
	}
	if name != "" {
		if strings.HasPrefix(path, "/api/") {
			tok, _ := w.session(t, name, model.SessionAPI)
			req.Header.Set("Authorization", "Bearer "+tok)
		} else {
			tok, csrf := w.session(t, name, model.SessionWeb)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
			req.Header.Set(csrfHeader, csrf)
		}
	}
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, req)
	return rec, body
}

// TestAnonymousUploadNeverRead (issue 18, item 3): an anonymous 1 GiB
// multipart POST to the evidence form, and one of unstated length, is
// refused without the server reading it or writing a temporary file.
// Before, the CSRF check parsed the whole form (to disk) and then said 403.
func TestAnonymousUploadNeverRead(t *testing.T) {
	w := newWorld(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, path := range []string{
		fmt.Sprintf("/assessments/%d/evidence", w.assessments["A1"]),
		fmt.Sprintf("/api/v1/assessments/%d/evidence/1.1", w.assessments["A1"]),
		"/admin/import/units",
	} {
		for _, chunked := range []bool{false, true} {
			rec, body := oversize(t, w, "", http.MethodPost, path, 2, 1<<30, chunked, tmp)
			if c := rec.Code; c != http.StatusRequestEntityTooLarge && c != http.StatusUnauthorized && c != http.StatusForbidden {
				t.Errorf("%s (chunked %v): %d, want 413, 401 or 403", path, chunked, c)
			}
			if body.read != 0 || body.sawTemp || countFiles(tmp) > 0 {
				t.Errorf("%s (chunked %v): an anonymous caller had %d bytes read (temporary file: %v)", path, chunked, body.read, body.sawTemp || countFiles(tmp) > 0)
			}
		}
	}
}

// TestSignedInJSONLimited (issue 18, item 4): a signed-in 400 MiB JSON
// body to the evidence-link API is refused at once when its length says
// so, and after no more than the JSON limit when it does not; it was read
// in full before a 422.
func TestSignedInJSONLimited(t *testing.T) {
	w := newWorld(t)
	path := fmt.Sprintf("/api/v1/assessments/%d/evidence/1.1", w.assessments["A1"])
	rec, body := oversize(t, w, "ht.a1", http.MethodPost, path, 0, 400<<20, false, "")
	if rec.Code != http.StatusRequestEntityTooLarge || body.read != 0 {
		t.Errorf("declared 400 MiB: %d after %d bytes read, want 413 before reading", rec.Code, body.read)
	}
	rec, body = oversize(t, w, "ht.a1", http.MethodPost, path, 0, 400<<20, true, "")
	if rec.Code != http.StatusRequestEntityTooLarge || body.read > defaultBodyLimit+1 {
		t.Errorf("unstated 400 MiB: %d after %d bytes read, want 413 after at most %d", rec.Code, body.read, defaultBodyLimit+1)
	}
	if !strings.Contains(rec.Body.String(), "quá lớn") {
		t.Errorf("the 413 does not say why: %s", rec.Body)
	}
	// A file of the same route still gets the upload limit.
	rec, body = oversize(t, w, "ht.a1", http.MethodPost, path, 2, 30<<20, true, "")
	if rec.Code != http.StatusRequestEntityTooLarge || body.read > evidenceUploadLimit+1 {
		t.Errorf("unstated 30 MiB upload: %d after %d bytes read", rec.Code, body.read)
	}
}

// TestBodyLimitEveryRoute is the property behind items 3 and 4, over the
// whole route table: for every route, every kind of body and every
// caller (anonymous, and signed in with a role the route admits), a body
// over the route's limit — declared in Content-Length or not — is refused
// with 413 (or 401/403 before anything is read), the server reads at most
// the limit, never writes a temporary file and never answers 5xx. The
// sizes over the limit are random; the seed is logged.
func TestBodyLimitEveryRoute(t *testing.T) {
	w := newWorld(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, 18))

	routes := w.srv.Routes()
	uploads := map[string]bool{}
	for _, r := range routes {
		if r.Rule.upload > 0 {
			uploads[r.Method+" "+r.Path] = true
			if r.Rule.public {
				t.Errorf("%s %s: a public route takes uploads", r.Method, r.Path)
			}
		}
	}
	for _, want := range []string{"POST /assessments/:aid/evidence", "POST /api/v1/assessments/:aid/evidence/:indicator",
		"POST /admin/import/units", "POST /admin/import/users", "POST /admin/import/indicators", "POST /admin/sets"} {
		if !uploads[want] {
			t.Errorf("%s takes no uploads", want)
		}
		delete(uploads, want)
	}
	if len(uploads) > 0 {
		t.Errorf("routes that take uploads without the test knowing why: %v", uploads)
	}

	sent, reached := 0, 0
	for _, r := range routes {
		callers := []string{""}
		if name := admittedActor(r.Rule); name != "" {
			callers = append(callers, name)
		}
		for _, name := range callers {
			path := fill(r.Path, w.params(name, true))
			for kind := range bodyKinds {
				if (r.Method == http.MethodGet || r.Method == http.MethodDelete) && kind > 0 {
					continue // bodies these methods never parse: one kind is enough
				}
				limit := int64(defaultBodyLimit)
				if name != "" && r.Rule.upload > 0 && bodyKinds[kind].name == "multipart" {
					limit = r.Rule.upload
				}
				for _, chunked := range []bool{false, true} {
					if chunked && name != "" && strings.HasSuffix(r.Path, "logout") {
						continue // it would end the session the other requests use; declared lengths cover it
					}
					size := limit + 1 + rnd.Int64N(limit)
					what := fmt.Sprintf("%s %s as %q, %s body of %d bytes (chunked %v)", r.Method, path, name, bodyKinds[kind].name, size, chunked)
					rec, body := oversize(t, w, name, r.Method, path, kind, size, chunked, tmp)
					sent++
					if body.read > limit {
						reached++
					}
					code := rec.Code
					switch {
					case code >= 500:
						t.Errorf("%s: %d", what, code)
					case !chunked && body.read > 0:
						t.Errorf("%s: %d bytes read although the declared length is over the limit %d", what, body.read, limit)
					case !chunked && code != http.StatusRequestEntityTooLarge && code != 401 && code != 403:
						t.Errorf("%s: %d, want 413 (or 401/403)", what, code)
					case body.read > limit+1:
						t.Errorf("%s: %d bytes read, limit %d", what, body.read, limit)
					case body.read > limit && code != http.StatusRequestEntityTooLarge:
						t.Errorf("%s: the limit was reached but the answer is %d, not 413", what, code)
					case body.sawTemp || countFiles(tmp) > 0:
						t.Errorf("%s: a temporary file was written", what)
					}
				}
			}
		}
	}
	t.Logf("%d oversize requests over %d routes; %d read up to their limit and were refused there", sent, len(routes), reached)
	if reached == 0 {
		t.Error("no request read up to its limit: the property was not exercised")
	}
}

// admittedActor names an actor of the world whom rule admits inside its
// scope, or "" for a public route (the anonymous caller covers it).
func admittedActor(rule Rule) string {
	if rule.public {
		return ""
	}
	for _, name := range []string{"admin", "so34", "phong338", "ht.a1", "leader338"} {
		if len(rule.roles) == 0 || contains(rule.roles, model.Role(actors[name][0])) {
			return name
		}
	}
	return ""
}
