package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
)

// inputValidator checks the shape of request bodies (struct tags) at the
// edge; the domain checks its own rules. Field names in errors are the
// JSON names the client sent.
type inputValidator struct{ v *validator.Validate }

func newValidator() *inputValidator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || name == "" {
			return f.Name
		}
		return name
	})
	return &inputValidator{v: v}
}

// Validate implements echo.Validator.
func (iv *inputValidator) Validate(i any) error {
	err := iv.v.Struct(i)
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return err
	}
	fe := errkind.FieldErrors{}
	for _, e := range ves {
		field := e.Field()
		switch e.Tag() {
		case "required":
			fe.Add(field, "Bắt buộc.", "required")
		case "max":
			fe.Add(field, "Dài quá "+e.Param()+" ký tự.", "longer than "+e.Param()+" characters")
		case "oneof":
			fe.Add(field, "Phải là một trong: "+e.Param()+".", "must be one of: "+e.Param())
		case "gte", "min":
			fe.Add(field, "Phải ít nhất "+e.Param()+".", "must be at least "+e.Param())
		default:
			fe.Add(field, "Không hợp lệ ("+e.Tag()+").", "invalid ("+e.Tag()+")")
		}
	}
	return fe
}

// bind decodes the request body into v and validates its shape; it is the
// one reader of JSON bodies. A body that is not exactly one JSON value
// (data after it is refused too, not ignored), or whose strings hold
// text PostgreSQL cannot store, is a clear 400, never a 500; a body over
// the route's limit is a 413.
func bind(c echo.Context, v any) error {
	req := c.Request()
	if mediaType(req) != echo.MIMEApplicationJSON || req.ContentLength == 0 {
		// Forms were read and checked by readForm; an empty body binds
		// nothing (echo's rule), other types are refused with a 415.
		if err := (&echo.DefaultBinder{}).BindBody(c, v); err != nil {
			return bindError(c, err)
		}
		return c.Validate(v)
	}
	// limitBody has bounded the body, so reading it whole is cheap, and
	// lets the check below see every string before anything is decoded.
	data, err := io.ReadAll(req.Body)
	if err != nil {
		return tooLarge(c, err)
	}
	if len(bytes.TrimSpace(data)) > 0 {
		if err := checkJSONText(c, data); err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(v); err != nil {
			return bindError(c, echo.NewHTTPError(http.StatusBadRequest, err.Error()).SetInternal(err))
		}
		if _, err := dec.Token(); err != io.EOF {
			return said(http.StatusBadRequest, tr(langOf(c), "input.trailing_json"))
		}
	}
	return c.Validate(v)
}

// bindError turns echo's binding errors into a message the client can act
// on, in its language.
func bindError(c echo.Context, err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg := errkind.Msg{VI: "Nội dung yêu cầu không phải JSON hợp lệ hoặc sai kiểu dữ liệu.", EN: "the request body is not valid JSON or has a value of the wrong type"}
		if he.Code == http.StatusUnsupportedMediaType {
			msg = errkind.Msg{VI: "Hãy gửi Content-Type: application/json.", EN: "send Content-Type: application/json"}
		}
		return said(he.Code, msg.In(langOf(c)))
	}
	return err
}

// checkJSONText refuses a JSON body with bytes that are not UTF-8 (the
// decoder would quietly replace them, but json.RawMessage members keep
// them) or with a string, member name or value, that decodes to text
// holding NUL ("\u0000"): PostgreSQL stores neither. A body that is not
// valid JSON is left to the decoder's own error.
func checkJSONText(c echo.Context, data []byte) error {
	if !utf8.Valid(data) {
		return errBadText(c, "JSON")
	}
	if !bytes.Contains(data, []byte(`\u`)) {
		return nil // NUL can only arrive escaped: a raw one is not JSON
	}
	// Walk the tokens, remembering in each object the member being read,
	// so the message can name it.
	type level struct {
		object, wantKey bool
		key             string
	}
	var stack []*level
	valueRead := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				valueRead()
				stack = append(stack, &level{object: t == '{', wantKey: t == '{'})
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			var top *level
			if n := len(stack); n > 0 {
				top = stack[n-1]
			}
			if top != nil && top.object && top.wantKey {
				if badText(t) {
					return errBadText(c, t)
				}
				top.key, top.wantKey = t, false
				continue
			}
			if badText(t) {
				name := "JSON"
				if top != nil && top.object {
					name = top.key
				}
				return errBadText(c, name)
			}
			valueRead()
		default:
			valueRead()
		}
	}
}
