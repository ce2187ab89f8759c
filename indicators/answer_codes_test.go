package indicators

import (
	"errors"
	"maps"
	"math"
	"testing"
)

// TestAnswerErrorCodes: every invalid answer carries a code and the values
// its message quotes, so an interface can say it in its own language
// without parsing the English sentence.
func TestAnswerErrorCodes(t *testing.T) {
	set := mustShipped(t, "example")
	tests := []struct {
		name   string
		answer map[string]Answer
		code   string
		params map[string]string
	}{
		{"unknown indicator", map[string]Answer{"zz": BoolAnswer(true)}, AnswerErrUnknown, nil},
		{"number for a boolean", map[string]Answer{"a.lms": NumberAnswer(1)}, AnswerErrWrongType, map[string]string{"type": "boolean", "got": "number"}},
		{"percent above 100", map[string]Answer{"a.teachers": NumberAnswer(150)}, AnswerErrPercentRange, map[string]string{"value": "150"}},
		{"negative number", map[string]Answer{"b.modules": NumberAnswer(-2.5)}, AnswerErrNegative, map[string]string{"type": "number", "value": "-2.5"}},
		{"NaN", map[string]Answer{"b.modules": NumberAnswer(math.NaN())}, AnswerErrNotFinite, nil},
		{"unknown option", map[string]Answer{"a.devices": ChoiceAnswer("most")}, AnswerErrUnknownOption, map[string]string{"option": "most", "options": "none, some, all"}},
		{"repeated option", map[string]Answer{"a.features": MultiAnswer("quiz", "quiz")}, AnswerErrOptionTwice, map[string]string{"option": "quiz"}},
		{"not applicable", map[string]Answer{"a.lab": NumberAnswer(50)}, AnswerErrNotApplicable, map[string]string{"level": "primary"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Score(set, "primary", tc.answer)
			var ae AnswerErrors
			if !errors.As(err, &ae) || len(ae) != 1 {
				t.Fatalf("err = %v, want one AnswerError", err)
			}
			if ae[0].Code != tc.code || !maps.Equal(ae[0].Params, tc.params) {
				t.Errorf("code %q params %v, want %q %v", ae[0].Code, ae[0].Params, tc.code, tc.params)
			}
			for code := range tc.answer {
				if ae[0].Indicator != code {
					t.Errorf("indicator %q, want %q", ae[0].Indicator, code)
				}
			}
		})
	}
	_, err := ParseAnswers([]byte(`{"a.lms": {"x": 1}}`))
	var ae AnswerErrors
	if !errors.As(err, &ae) || ae[0].Code != AnswerErrShape {
		t.Fatalf("a value of no answer shape: %v", err)
	}
}
