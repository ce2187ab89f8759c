package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// The OpenAPI document is generated from the route table: every /api/v1
// route with its rule, summary and the Go types of its request and
// response, so it cannot fall behind the routes.

var (
	pathParam     = regexp.MustCompile(`:([a-zA-Z_]+)`)
	templateParam = regexp.MustCompile(`\{([a-zA-Z_]+)\}`)
)

type openAPIBuilder struct {
	components map[string]any
}

// templateNames gives each route path its OpenAPI template. OpenAPI
// forbids two templates that differ only in their parameters' names
// (/evidence/{indicator} and /evidence/{eid}): such paths share one
// template whose parameter is named after all of them
// ({eid_or_indicator}), each operation saying what it means there.
func templateNames(routes []routeInfo) map[string]string {
	names := map[string][][]string{} // shape -> position -> names
	shape := func(path string) string { return pathParam.ReplaceAllString(path, "{}") }
	for _, r := range routes {
		k := shape(r.Path)
		ms := pathParam.FindAllStringSubmatch(r.Path, -1)
		if names[k] == nil {
			names[k] = make([][]string, len(ms))
		}
		for i, m := range ms {
			if !slices.Contains(names[k][i], m[1]) {
				names[k][i] = append(names[k][i], m[1])
			}
		}
	}
	out := map[string]string{}
	for _, r := range routes {
		pos := names[shape(r.Path)]
		i := 0
		out[r.Path] = pathParam.ReplaceAllStringFunc(r.Path, func(string) string {
			n := slices.Clone(pos[i])
			slices.Sort(n)
			i++
			return "{" + strings.Join(n, "_or_") + "}"
		})
	}
	return out
}

func (s *Server) openAPIDocument() map[string]any {
	b := &openAPIBuilder{components: map[string]any{}}
	paths := map[string]map[string]any{}
	var api []routeInfo
	for _, r := range s.Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") {
			api = append(api, r)
		}
	}
	templates := templateNames(api)
	for _, r := range api {
		p := templates[r.Path]
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		op := map[string]any{
			"operationId":     strings.ToLower(r.Method) + strings.NewReplacer("/api/v1", "", "/", "_", "{", "", "}", "", "-", "_").Replace(p),
			"x-authorization": r.Rule.String(),
		}
		summary := ""
		status := http.StatusOK
		var req, resp any
		if r.Doc != nil {
			summary, req, resp = r.Doc.Summary, r.Doc.Request, r.Doc.Response
			if r.Doc.Status != 0 {
				status = r.Doc.Status
			}
		}
		op["summary"] = summary
		var params []any
		docNames := templateParam.FindAllStringSubmatch(p, -1)
		for i, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
			param := map[string]any{"name": docNames[i][1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}}
			if docNames[i][1] != m[1] {
				param["description"] = "here: " + m[1]
			}
			params = append(params, param)
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if req != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": b.schema(reflect.TypeOf(req))}}}
		}
		responses := map[string]any{}
		ok := map[string]any{"description": http.StatusText(status)}
		if resp != nil {
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": b.schema(reflect.TypeOf(resp))}}
		}
		responses[strconv.Itoa(status)] = ok
		errResp := map[string]any{"$ref": "#/components/responses/Error"}
		responses["4XX"] = errResp
		responses["5XX"] = errResp
		op["responses"] = responses
		if !r.Rule.public {
			op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}}
		}
		paths[p][strings.ToLower(r.Method)] = op
	}
	b.components["Error"] = b.schema(reflect.TypeOf(apiError{}))
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "dxindex API",
			"version":     "v1",
			"description": "Digital-transformation index of schools. JSON keys are snake_case; errors are {\"error\":{\"code\",\"message\",\"fields\"}} in the caller's language (dx_lang cookie or Accept-Language). x-authorization names the rule each route is registered with.",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": b.components,
			"responses": map[string]any{"Error": map[string]any{"description": "An error",
				"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}},
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "token from POST /api/v1/auth/login"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie, "description": "browser session; state-changing calls also need the X-CSRF-Token header"},
			},
		},
	}
}

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(model.Date{})
	rawType  = reflect.TypeOf(json.RawMessage{})
	// marshalerType: types with their own MarshalJSON.
	marshalerType = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
)

// schema returns the JSON schema of t, registering named structs as
// components and referring to them.
//
// What Go's encoding/json writes decides the schema: a pointer, slice or
// map may be null (nullable), a json.RawMessage is any JSON value (an
// answer is true, 12.5, "code" or ["a","b"]), a model.Date is a date or
// null.
func (b *openAPIBuilder) schema(t reflect.Type) map[string]any {
	if t.Kind() == reflect.Pointer {
		return nullable(b.schema(t.Elem()))
	}
	switch t {
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case dateType:
		return map[string]any{"type": "string", "format": "date", "nullable": true}
	case rawType:
		return map[string]any{"description": "any JSON value", "nullable": true}
	}
	// A type that writes its own JSON (an indicator's answer: true, 12.5,
	// "code" or ["a","b"]) is any JSON value as far as reflection knows.
	if t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) {
		return map[string]any{"description": "any JSON value (" + t.String() + ")", "nullable": true}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 { // []byte: base64
			return map[string]any{"type": "string", "format": "byte", "nullable": true}
		}
		return map[string]any{"type": "array", "items": b.schema(t.Elem()), "nullable": true}
	case reflect.Array:
		return map[string]any{"type": "array", "items": b.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": b.schema(t.Elem()), "nullable": true}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := t.Name()
		if name == "" {
			return b.structSchema(t)
		}
		if _, ok := b.components[name]; !ok {
			b.components[name] = map[string]any{} // placeholder against recursion
			b.components[name] = b.structSchema(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// nullable lets s be null too; a $ref takes no siblings in OpenAPI 3.0,
// so it is wrapped in allOf.
func nullable(s map[string]any) map[string]any {
	if _, ok := s["$ref"]; ok {
		return map[string]any{"allOf": []any{s}, "nullable": true}
	}
	if len(s) == 0 {
		return s
	}
	s["nullable"] = true
	return s
}

func (b *openAPIBuilder) structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			if inner, ok := b.structSchema(f.Type)["properties"].(map[string]any); ok {
				for k, v := range inner {
					props[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = b.schema(f.Type)
		// Required: validated as required (the token, not "oneof=required
		// optional"), or always written (no omitempty, not a pointer).
		if slices.Contains(strings.Split(f.Tag.Get("validate"), ","), "required") || (!strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") && f.Type.Kind() != reflect.Pointer) {
			required = append(required, name)
		}
	}
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// openAPICache builds the document once per server, on first request.
type openAPICache struct {
	once sync.Once
	doc  map[string]any
}

func (s *Server) apiOpenAPI(c echo.Context) error {
	s.openapi.once.Do(func() { s.openapi.doc = s.openAPIDocument() })
	return c.JSON(http.StatusOK, s.openapi.doc)
}
