package indicators

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/dxindex/dxindex/internal/errkind"
)

// AnswerKind is the shape of an answer's value.
type AnswerKind uint8

// The shapes of answers, one per JSON shape: true/false, a number, one
// option code, a list of option codes.
const (
	KindNone    AnswerKind = iota // no answer (JSON null)
	KindBool                      // boolean indicators
	KindNumber                    // percent and number indicators
	KindOption                    // choice indicators
	KindOptions                   // multi indicators
)

// Answer is the typed answer to one indicator. Build it with BoolAnswer,
// NumberAnswer, ChoiceAnswer or MultiAnswer, or decode it from JSON.
// Whether it fits its indicator is checked by Score.
type Answer struct {
	Kind    AnswerKind
	Bool    bool
	Number  float64
	Option  string
	Options []string
}

// BoolAnswer answers a boolean indicator.
func BoolAnswer(v bool) Answer { return Answer{Kind: KindBool, Bool: v} }

// NumberAnswer answers a percent or number indicator.
func NumberAnswer(v float64) Answer { return Answer{Kind: KindNumber, Number: v} }

// ChoiceAnswer answers a choice indicator with one option code.
func ChoiceAnswer(code string) Answer { return Answer{Kind: KindOption, Option: code} }

// MultiAnswer answers a multi indicator with option codes (possibly none).
func MultiAnswer(codes ...string) Answer {
	if codes == nil {
		codes = []string{}
	}
	return Answer{Kind: KindOptions, Options: codes}
}

// String shows the answer as it is written in JSON.
func (a Answer) String() string {
	b, err := a.MarshalJSON()
	if err != nil {
		return "?"
	}
	return string(b)
}

// MarshalJSON writes the answer as true/false, a number, a string or a
// list of strings (null for no answer).
func (a Answer) MarshalJSON() ([]byte, error) {
	switch a.Kind {
	case KindBool:
		return strconv.AppendBool(nil, a.Bool), nil
	case KindNumber:
		if math.IsNaN(a.Number) || math.IsInf(a.Number, 0) {
			return nil, fmt.Errorf("indicators: answer %v is not a finite number", a.Number)
		}
		return strconv.AppendFloat(nil, a.Number, 'f', -1, 64), nil
	case KindOption:
		return json.Marshal(a.Option)
	case KindOptions:
		if a.Options == nil {
			return []byte("[]"), nil
		}
		return json.Marshal(a.Options)
	}
	return []byte("null"), nil
}

// errAnswerShape is the message for a value that fits no answer shape.
const errAnswerShape = "an answer must be true/false, a number, an option code or a list of option codes"

// UnmarshalJSON reads any of the four shapes; null gives KindNone.
func (a *Answer) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return fmt.Errorf("%s, got nothing", errAnswerShape)
	}
	switch c := b[0]; {
	case c == 'n':
		if string(b) != "null" {
			break
		}
		*a = Answer{}
		return nil
	case string(b) == "true" || string(b) == "false":
		*a = BoolAnswer(b[0] == 't')
		return nil
	case c == '-' || (c >= '0' && c <= '9'):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			break
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil || math.IsInf(f, 0) {
			return fmt.Errorf("number %s is out of range", n)
		}
		*a = NumberAnswer(f)
		return nil
	case c == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			break
		}
		*a = ChoiceAnswer(s)
		return nil
	case c == '[':
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			break
		}
		codes := make([]string, len(raw))
		for i, r := range raw {
			if err := json.Unmarshal(r, &codes[i]); err != nil || !bytes.HasPrefix(bytes.TrimSpace(r), []byte(`"`)) {
				return fmt.Errorf("a list answer holds option codes (text), got %s", clip(string(r)))
			}
		}
		*a = MultiAnswer(codes...)
		return nil
	case c == '{':
		return fmt.Errorf("%s, got an object", errAnswerShape)
	}
	return fmt.Errorf("%s, got %s", errAnswerShape, clip(string(b)))
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// AnswerError is an invalid answer, naming its indicator. Message is the
// English sentence for logs and the command line; Code and Params say the
// same for a user interface to put in its own language (the engine stays
// free of any interface's wording).
type AnswerError struct {
	Indicator string
	Message   string
	// Code is one of the AnswerErr* codes.
	Code string
	// Params are the values the message quotes, by name: "value" (a
	// number as the user sent it), "option", "options" (codes separated
	// by ", "), "type" (the indicator's type), "got" (the shape sent:
	// bool, number, option, options, none), "level" (a school level).
	Params map[string]string
}

// The codes of AnswerError.
const (
	AnswerErrShape         = "shape"             // not a JSON answer shape at all
	AnswerErrUnknown       = "unknown_indicator" // no such indicator in the set
	AnswerErrNotApplicable = "not_applicable"    // the indicator does not apply to the school level
	AnswerErrWrongType     = "wrong_type"        // a shape the indicator's type does not take
	AnswerErrUnknownOption = "unknown_option"    // an option code the indicator does not have
	AnswerErrOptionTwice   = "option_twice"      // an option chosen twice
	AnswerErrNotFinite     = "not_finite"        // NaN or infinite
	AnswerErrNegative      = "negative"          // a number below 0
	AnswerErrPercentRange  = "percent_range"     // a percent above 100
)

func (e *AnswerError) Error() string {
	return fmt.Sprintf("indicator %s: %s", displayCode(e.Indicator), e.Message)
}

// displayCode shows a code as is when it could be one, quoted otherwise
// (an empty or odd key in an answers file stays visible).
func displayCode(code string) string {
	if codeRE.MatchString(code) {
		return code
	}
	return strconv.Quote(code)
}

// AnswerErrors is every invalid answer of one assessment, in the set's
// order (unknown indicator codes last, sorted).
type AnswerErrors []*AnswerError

// Is makes AnswerErrors match errkind.Invalid.
func (es AnswerErrors) Is(target error) bool { return target == errkind.Invalid }

// Error lists the errors separated by "; ".
func (es AnswerErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// ParseAnswers reads a JSON object mapping indicator codes to answers,
// as in {"1.1": true, "1.4": 65, "2.4.2": "yes", "x": ["a", "b"]}. A null
// value means the indicator is unanswered. Only the shapes are checked
// here; Score checks the answers against a set.
func ParseAnswers(data []byte) (map[string]Answer, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("answers must be a JSON object of indicator codes to answers: %w", err)
	}
	return ParseAnswerMap(raw)
}

// ParseAnswerMap is ParseAnswers on an already split object.
func ParseAnswerMap(raw map[string]json.RawMessage) (map[string]Answer, error) {
	out := make(map[string]Answer, len(raw))
	var errs AnswerErrors
	for _, code := range sortedKeys(raw) {
		var a Answer
		if err := a.UnmarshalJSON(raw[code]); err != nil {
			errs = append(errs, &AnswerError{Indicator: code, Message: err.Error(), Code: AnswerErrShape})
			continue
		}
		if a.Kind != KindNone {
			out[code] = a
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// shapeCode names an answer's shape for AnswerError.Params["got"].
func shapeCode(a Answer) string {
	switch a.Kind {
	case KindBool:
		return "bool"
	case KindNumber:
		return "number"
	case KindOption:
		return "option"
	case KindOptions:
		return "options"
	}
	return "none"
}

// describeAnswer names an answer's shape for error messages.
func describeAnswer(a Answer) string {
	switch a.Kind {
	case KindBool:
		return "true/false"
	case KindNumber:
		return "a number"
	case KindOption:
		return "an option code"
	case KindOptions:
		return "a list of option codes"
	}
	return "no answer"
}

// wantShape names the shape an indicator type expects.
func wantShape(typ string) string {
	switch typ {
	case TypeBoolean:
		return "true or false"
	case TypeChoice:
		return "one option code"
	case TypeMulti:
		return "a list of option codes"
	case TypePercent:
		return "a number from 0 to 100"
	}
	return "a number of 0 or more"
}

// optionIndex finds an option code in a compiled indicator.
func optionIndex(opts []Option, code string) int {
	return slices.IndexFunc(opts, func(o Option) bool { return o.Code == code })
}
