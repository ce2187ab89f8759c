package errkind

import (
	"errors"
	"fmt"
	"testing"
)

func TestFieldErrors(t *testing.T) {
	fe := FieldErrors{}
	if fe.Err() != nil {
		t.Fatal("empty FieldErrors is an error")
	}
	fe.Add("name", "required")
	fe.Add("name", "second message is ignored")
	fe.Add("code", "must be lowercase")
	err := fmt.Errorf("survey: create unit: %w", fe.Err())
	if !errors.Is(err, Invalid) {
		t.Fatal("FieldErrors does not match Invalid")
	}
	if errors.Is(err, NotFound) {
		t.Fatal("FieldErrors matches NotFound")
	}
	var got FieldErrors
	if !errors.As(err, &got) || got["name"] != "required" {
		t.Fatalf("errors.As lost the fields: %v", got)
	}
	if want := "code: must be lowercase; name: required"; fe.Error() != want {
		t.Fatalf("Error() = %q, want %q", fe.Error(), want)
	}
}
