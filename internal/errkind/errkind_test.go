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
	fe.Add("name", "bắt buộc", "required")
	fe.Add("name", "bỏ qua", "second message is ignored")
	fe.Add("code", "phải viết thường", "must be lowercase")
	err := fmt.Errorf("survey: create unit: %w", fe.Err())
	if !errors.Is(err, Invalid) {
		t.Fatal("FieldErrors does not match Invalid")
	}
	if errors.Is(err, NotFound) {
		t.Fatal("FieldErrors matches NotFound")
	}
	var got FieldErrors
	if !errors.As(err, &got) || got["name"].EN != "required" || got.In("vi")["name"] != "bắt buộc" {
		t.Fatalf("errors.As lost the fields: %v", got)
	}
	if want := "code: must be lowercase; name: required"; fe.Error() != want {
		t.Fatalf("Error() = %q, want %q", fe.Error(), want)
	}
}

func TestLocalizedError(t *testing.T) {
	err := fmt.Errorf("survey: %w", New(NotFound, "Không tìm thấy", "not found here"))
	if !errors.Is(err, NotFound) {
		t.Fatal("Error does not unwrap to its kind")
	}
	var e *Error
	if !errors.As(err, &e) || e.Msg.In("vi") != "Không tìm thấy" || e.Msg.In("en") != "not found here" {
		t.Fatalf("messages lost: %+v", e)
	}
}

func TestField(t *testing.T) {
	want := FieldErrors{}
	want.Add("reason", "Hãy ghi lý do.", "give a reason")
	got := Field("reason", "Hãy ghi lý do.", "give a reason")
	if len(got) != 1 || got["reason"] != want["reason"] || !errors.Is(got, Invalid) {
		t.Fatalf("Field = %v, want %v", got, want)
	}
}
