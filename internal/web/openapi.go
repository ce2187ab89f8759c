package web

import (
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dxindex/dxindex/survey"
	"github.com/labstack/echo/v4"
)

// The OpenAPI document is generated from the route table: every /api/v1
// route with its rule, summary and the Go types of its request and
// response, so it cannot fall behind the routes.

var pathParam = regexp.MustCompile(`:([a-zA-Z_]+)`)

type openAPIBuilder struct {
	components map[string]any
}

func (s *Server) openAPIDocument() map[string]any {
	b := &openAPIBuilder{components: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, r := range s.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		p := pathParam.ReplaceAllString(r.Path, "{$1}")
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
		for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
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
	dateType = reflect.TypeOf(survey.Date{})
)

// schema returns the JSON schema of t, registering named structs as
// components and referring to them.
func (b *openAPIBuilder) schema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case dateType:
		return map[string]any{"type": "string", "format": "date"}
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
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": b.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": b.schema(t.Elem())}
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
		if strings.Contains(f.Tag.Get("validate"), "required") || (!strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") && f.Type.Kind() != reflect.Pointer) {
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
