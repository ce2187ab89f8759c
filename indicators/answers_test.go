package indicators

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAnswers(t *testing.T) {
	got, err := ParseAnswers([]byte(`{"1.1":true,"1.4":65,"2.4.2":"yes","x":["a","b"],"y":[],"z":null,"n":-0.5e1}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Answer{
		"1.1":   BoolAnswer(true),
		"1.4":   NumberAnswer(65),
		"2.4.2": ChoiceAnswer("yes"),
		"x":     MultiAnswer("a", "b"),
		"y":     MultiAnswer(),
		"n":     NumberAnswer(-5), // a shape check only: Score refuses it
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
}

func TestParseAnswersErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`[]`, "answers must be a JSON object of indicator codes to answers"},
		{`{"a":`, "answers must be a JSON object"},
		{`{"a":{"b":1}}`, "indicator a: an answer must be true/false, a number, an option code or a list of option codes, got an object"},
		{`{"a":[1,2]}`, "indicator a: a list answer holds option codes (text), got 1"},
		{`{"a":["x",null]}`, "indicator a: a list answer holds option codes (text), got null"},
		{`{"a":[["x"]]}`, `indicator a: a list answer holds option codes (text), got ["x"]`},
		{`{"a":1e400}`, "indicator a: number 1e400 is out of range"},
		{`{"b":{},"a":{}}`, "indicator a: an answer must be true/false, a number, an option code or a list of option codes, got an object; indicator b:"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseAnswers([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	var ae AnswerErrors
	if _, err := ParseAnswers([]byte(`{"a":{}}`)); !errors.As(err, &ae) || ae[0].Indicator != "a" {
		t.Errorf("err = %#v, want AnswerErrors naming a", err)
	}
}

func TestAnswerJSON(t *testing.T) {
	tests := []struct {
		a    Answer
		want string
	}{
		{BoolAnswer(false), `false`},
		{NumberAnswer(65.5), `65.5`},
		{NumberAnswer(1e21), `1000000000000000000000`},
		{ChoiceAnswer("có \"x\""), `"có \"x\""`},
		{MultiAnswer(), `[]`},
		{Answer{Kind: KindOptions}, `[]`},
		{MultiAnswer("a", "b"), `["a","b"]`},
		{Answer{}, `null`},
	}
	for _, tc := range tests {
		b, err := json.Marshal(tc.a)
		if err != nil || string(b) != tc.want {
			t.Errorf("Marshal(%#v) = %s, %v; want %s", tc.a, b, err, tc.want)
			continue
		}
		var back Answer
		if err := json.Unmarshal(b, &back); err != nil {
			t.Errorf("Unmarshal(%s): %v", b, err)
		}
		if tc.a.Kind == KindOptions && tc.a.Options == nil {
			tc.a.Options = []string{}
		}
		if d := cmp.Diff(tc.a, back); d != "" {
			t.Errorf("round trip of %s (-want +got):\n%s", b, d)
		}
	}
	if _, err := json.Marshal(NumberAnswer(posInf())); err == nil {
		t.Error("an infinite answer marshals")
	}
}

func posInf() float64 { var z float64; return 1 / z }
