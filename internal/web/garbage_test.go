package web

import (
	"encoding/json"
	"math"
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

// garbageForm is a form body of wrong values, some not even valid
// percent-encoding.
const garbageForm = "value=abc&comment=%ZZ&deadline=31%2F02%2F2026&level=x&points=1e999&username=&password=&code=..%2F&id=-1&role=king&unit=%00&set=nope&file=&reason=" + "&page=-1"

// garbageQuery is appended to every GET.
const garbageQuery = "?page=-1&limit=99999999999999999999&sort=%27%3BDROP&level=zz&year=abc&format=xyz&q=%00&campaign=abc&unit=..&lang=zz&from=31%2F02%2F2026&to=x"

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
	send := func(name string, r routeInfo, path, body string) {
		t.Helper()
		isAPI := strings.HasPrefix(r.Path, "/api/")
		req := httptest.NewRequest(r.Method, path, strings.NewReader(body))
		if isAPI {
			req.Header.Set("Content-Type", "application/json")
			if name != "" {
				tok, _ := w.session(t, name, model.SessionAPI)
				req.Header.Set("Authorization", "Bearer "+tok)
			}
		} else {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if name != "" {
				tok, csrf := w.session(t, name, model.SessionWeb)
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
				req.Header.Set(csrfHeader, csrf)
			} else {
				req.AddCookie(&http.Cookie{Name: preCSRFCookie, Value: "anon-token"})
				req.Header.Set(csrfHeader, "anon-token")
			}
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
		body := garbageForm
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
					path += garbageQuery
				}
				send(name, r, path, body)
			}
		}
		if r.Method == http.MethodGet {
			send(name, r, good+garbageQuery, "")
			continue
		}
		if isAPI {
			for _, b := range garbageJSON {
				send(name, r, good, b)
			}
			// Well-formed bodies of the route's own type, every field
			// at an edge: empty, blank, very long, markup, control
			// characters; negative, zero, huge numbers; dates that
			// are far off; empty and odd lists.
			if r.Doc != nil && r.Doc.Request != nil {
				for k := range edgeVariants {
					v := reflect.New(reflect.TypeOf(r.Doc.Request)).Elem()
					fillEdge(v, k, 0)
					b, err := json.Marshal(v.Interface())
					if err != nil {
						t.Fatalf("%s %s: %v", r.Method, r.Path, err)
					}
					send(name, r, good, string(b))
				}
			}
		} else {
			send(name, r, good, garbageForm)
			send(name, r, good, "")
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
)

var edgeRawType = reflect.TypeOf(json.RawMessage(nil))

// fillEdge sets every field of v to edge value k of its kind.
func fillEdge(v reflect.Value, k, depth int) {
	if depth > 4 || !v.CanSet() {
		return
	}
	if v.Type() == edgeRawType {
		v.SetBytes([]byte(`{"x":[1,"` + []string{"", "a", "ừ", "<b>", "0", "-1"}[k] + `"]}`))
		return
	}
	if v.Type().String() == "time.Time" {
		var tm struct{ T json.RawMessage }
		_ = json.Unmarshal([]byte(`{"T":"`+edgeTimes[k]+`"}`), &tm)
		_ = json.Unmarshal(tm.T, v.Addr().Interface())
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
