package survey

import (
	"github.com/dxindex/dxindex/survey/model"
	"slices"
	"testing"
)

func TestSortByNameIsVietnamese(t *testing.T) {
	names := []string{"An Vũ", "An Đồng", "An Ấp", "Ân Thi", "An Bài"}
	model.SortByName(names, func(s string) string { return s })
	want := []string{"An Ấp", "An Bài", "An Đồng", "An Vũ", "Ân Thi"}
	if !slices.Equal(names, want) {
		t.Fatalf("got %v, want %v", names, want)
	}
}
