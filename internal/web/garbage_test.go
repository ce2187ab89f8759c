package web

import (
	"bytes"
	"encoding/json"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/dxindex/dxindex/survey/model"
)

// garbageParams are path parameters no route expects: not numbers, out of
// range, empty-looking, traversal, control and non-ASCII characters.
var garbageParams = []string{"abc", "-1", "0", "99999999999999999999", "1.5", "%00", "..%2F..", "%E1%BB%AB", "%27%3B--", strings.Repeat("9", 300)}

// garbageJSON are API bodies of every wrong shape: empty, cut short, the
// wrong JSON type, fields of the wrong types, numbers out of range, dates
// that do not exist.
var garbageJSON = []string{
	"", "{", "null", "[]", `"text"`, "123", `{"a":`, "\xff\xfe",
	`{"name":5,"code":[],"value":"x","values":"x","answers":"x","comment":{},"status":7,"level":"z","points":"NaN","set_code":1,"root_unit_code":{},"deadline":"31/02/2026","due":"yesterday","opens_at":12,"closes_at":"2026-13-45","username":[],"password":0,"role":"king","unit_code":{},"indicators":{},"schools":"all","reason":[1],"evidence":{"url":5}}`,
	`{"value":1e999,"points":-1e308,"level":-9223372036854775809,"id":1e30,"ids":[1e30,"x",null],"answers":{"1.1":{"value":[[[]]]}},"changes":[{"indicator":5,"value":{}}]}`,
}

// garbageForms are form bodies: wrong values the form parser accepts (so
// the handler sees them), then the same with control characters and
// percent-encoding that is not, which the server refuses before any
// handler.
var garbageForms = []string{
	"value=abc&comment=" + strings.Repeat("ừ", 3000) + "&deadline=31%2F02%2F2026&opens_on=2026-13-45&level=x&points=1e999&username=&password=&code=..%2F&id=-1&role=king&unit=zz&set=nope&version=0&file=&reason=&confirm=yes&indicator=..&url=javascript%3Aalert(1)&dated_on=99%2F99%2F9999&lang=zz&page=-1",
	"value=abc&comment=%ZZ&unit=%00",
	"",
}

// garbageQueries are appended to every GET: wrong values the handlers
// see, then control characters refused before them.
var garbageQueries = []string{
	"?page=-1&limit=99999999999999999999&offset=-5&per_page=0&sort=%27%3BDROP&order=up&level=zz&year=abc&format=xyz&q=" + strings.Repeat("ừ", 500) + "&campaign=abc&unit=..&district=abc&province=-1&status=zz&kind=zz&lang=zz&from=31%2F02%2F2026&to=x&set=nope&version=0&compare=-1",
	"?q=%00&page=%ZZ",
}

// TestGarbageNeverServerError: every route, called by a user its rule
// admits with garbage in its path parameters, its query and its body,
// answers with a client error (or, where the garbage is harmless, as
// usual), never a server error: bad input gets a clear error, no panic
// and no 500 reaches a user.
func TestGarbageNeverServerError(t *testing.T) {
	w := newWorld(t)
	param := regexp.MustCompile(`:[a-z]+|\*`)
	requests := 0
	codes := map[int]int{}
	send := func(name string, r routeInfo, path, body, ctype string) {
		t.Helper()
		isAPI := strings.HasPrefix(r.Path, "/api/")
		req := httptest.NewRequest(r.Method, path, strings.NewReader(body))
		switch {
		case ctype != "":
			req.Header.Set("Content-Type", ctype)
		case isAPI:
			req.Header.Set("Content-Type", "application/json")
		default:
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		switch {
		case isAPI && name != "":
			tok, _ := w.session(t, name, model.SessionAPI)
			req.Header.Set("Authorization", "Bearer "+tok)
		case name != "":
			tok, csrf := w.session(t, name, model.SessionWeb)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
			req.Header.Set(csrfHeader, csrf)
		case !isAPI:
			req.AddCookie(&http.Cookie{Name: preCSRFCookie, Value: "anon-token"})
			req.Header.Set(csrfHeader, "anon-token")
		}
		rec := httptest.NewRecorder()
		w.srv.Handler().ServeHTTP(rec, req)
		requests++
		codes[rec.Code]++
		if rec.Code >= 500 {
			t.Errorf("%s %s as %q, body %.60q: %d %.300s", r.Method, path, name, body, rec.Code, rec.Body.String())
		}
	}
	for _, r := range w.srv.Routes() {
		if r.Path == "/logout" || r.Path == "/api/v1/auth/logout" {
			continue // they end the session the other requests use
		}
		// The first actor the route's policy admits, inside its scope.
		name := ""
		public, roles, _ := policy(r.Method, r.Path)
		if !public {
			for _, n := range []string{"admin", "so34", "phong338", "ht.a1", "leader338"} {
				if len(roles) == 0 || contains(roles, model.Role(actors[n][0])) {
					name = n
					break
				}
			}
		}
		good := fill(r.Path, w.params(name, true))
		isAPI := strings.HasPrefix(r.Path, "/api/")
		body := garbageForms[0]
		if isAPI {
			body = garbageJSON[len(garbageJSON)-2]
		}
		// Each path parameter in turn replaced by garbage, the others valid.
		for _, p := range param.FindAllString(r.Path, -1) {
			for _, g := range garbageParams {
				params := w.params(name, true)
				params[strings.TrimPrefix(p, ":")] = g
				path := fill(r.Path, params)
				if r.Method == http.MethodGet {
					path += garbageQueries[0]
				}
				send(name, r, path, body, "")
			}
		}
		if r.Method == http.MethodGet {
			for _, q := range garbageQueries {
				send(name, r, good+q, "", "")
			}
			continue
		}
		if r.Rule.upload > 0 {
			for _, f := range garbageFiles {
				b, ctype := multipartBody(t, f.name, f.content)
				send(name, r, good, b, ctype)
			}
		}
		if !isAPI {
			for _, f := range garbageForms {
				send(name, r, good, f, "")
			}
			continue
		}
		for _, b := range garbageJSON {
			send(name, r, good, b, "")
		}
		// Well-formed bodies of the route's own type, every field at an
		// edge: empty, blank, very long, markup, control characters;
		// negative, zero, huge numbers; dates that are far off; empty
		// and odd lists.
		if r.Doc != nil && r.Doc.Request != nil {
			for k := range edgeVariants {
				v := reflect.New(reflect.TypeOf(r.Doc.Request)).Elem()
				fillEdge(v, k, 0)
				b, err := json.Marshal(v.Interface())
				if err != nil {
					t.Fatalf("%s %s: %v", r.Method, r.Path, err)
				}
				send(name, r, good, string(b), "")
			}
		}
	}
	if requests < 500 {
		t.Fatalf("only %d requests sent", requests)
	}
	t.Logf("%d requests, answers by status: %v", requests, codes)
}

// edgeVariants is how many edge bodies fillEdge makes of a type.
const edgeVariants = 6

var (
	edgeStrings = []string{"", "   ", strings.Repeat("ừ", 5000), "<script>alert(1)</script>", "a\x00b\r\n", "../../etc/passwd"}
	edgeInts    = []int64{-1, 0, math.MaxInt32 + 1, math.MaxInt64, math.MinInt64, 1}
	edgeFloats  = []float64{-1, 0, 1e308, -1e308, 0.1, 5e-324}
	edgeTimes   = []string{"0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2026-02-28T00:00:00+14:00", "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z"}
	edgeRaw     = []string{`{}`, `[]`, `"ừ"`, `{"x":[1,"<b>"]}`, `-1`, `null`}
	edgeRawType = reflect.TypeOf(json.RawMessage(nil))
)

// fillEdge sets every field of v to edge value k of its kind.
func fillEdge(v reflect.Value, k, depth int) {
	if depth > 4 || !v.CanSet() {
		return
	}
	if v.Type() == edgeRawType {
		v.SetBytes([]byte(edgeRaw[k]))
		return
	}
	if v.Type().String() == "time.Time" {
		_ = json.Unmarshal([]byte(`"`+edgeTimes[k]+`"`), v.Addr().Interface())
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(edgeStrings[k])
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := edgeInts[k]
		if v.OverflowInt(n) {
			n = -1
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(k) * math.MaxUint32)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(edgeFloats[k])
	case reflect.Bool:
		v.SetBool(k%2 == 0)
	case reflect.Pointer:
		if k%3 == 0 {
			return // nil
		}
		p := reflect.New(v.Type().Elem())
		fillEdge(p.Elem(), k, depth+1)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			fillEdge(v.Field(i), k, depth+1)
		}
	case reflect.Slice:
		n := []int{0, 1, 3, 0, 2, 50}[k]
		sl := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fillEdge(sl.Index(i), (k+i)%edgeVariants, depth+1)
		}
		v.Set(sl)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i, key := range []string{"", "1.1", "zz", "ừ"}[:k%4+1] {
			kv := reflect.New(v.Type().Key()).Elem()
			if kv.Kind() != reflect.String {
				continue
			}
			kv.SetString(key)
			ev := reflect.New(v.Type().Elem()).Elem()
			fillEdge(ev, (k+i)%edgeVariants, depth+1)
			m.SetMapIndex(kv, ev)
		}
		v.Set(m)
	case reflect.Interface:
		v.Set(reflect.ValueOf(edgeStrings[k]))
	}
}

// garbageFiles are uploads no route should choke on: empty, binary, a
// spreadsheet that is not one, text in another encoding, a CSV of odd
// shape, YAML that does not parse, and names with paths, control
// characters, no extension or 1,000 characters.
var garbageFiles = []struct{ name, content string }{
	{"empty.csv", ""},
	{"../../etc/passwd", "root:x:0:0"},
	{"a\x00b.pdf", "%PDF-1.4\n%%EOF"},
	{strings.Repeat("ừ", 1000) + ".xlsx", "PK\x03\x04garbage"},
	{"noextension", "\x00\x01\x02\xff\xfe"},
	{"latin1.csv", "code,name\nA1,Tr\xeang\n"},
	{"odd.csv", "code,name,parent_code,kind\n\"unclosed,\n,,,,,,,,\n" + strings.Repeat("x,", 5000) + "\n"},
	{"sets.yaml", "code: [\nversion: {{{\n"},
}

// multipartBody is a form with the file under "file" and the fields the
// upload routes read, at garbage values.
func multipartBody(t *testing.T, name, content string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, kv := range [][2]string{{"indicator", "../1.1"}, {"url", "javascript:alert(1)"}, {"dated_on", "31/02/2026"}, {"issued_on", "x"}, {"note", strings.Repeat("n", 3000)}, {"kind", "zz"}} {
		if err := mw.WriteField(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String(), mw.FormDataContentType()
}
