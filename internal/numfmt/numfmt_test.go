package numfmt

import (
	"math"
	"testing"

	"github.com/dxindex/dxindex/indicators"
)

func TestRoundHalfUpFromThePrintedValue(t *testing.T) {
	for _, c := range []struct {
		x    float64
		d    int
		want string
	}{
		{86.255, 2, "86,26"}, // stored as 86.25499999…: %.2f says 86.25
		{1.115, 2, "1,12"},
		{74.125, 2, "74,13"},
		{62.4, 2, "62,40"},
		{-0.004, 2, "0,00"},
		{1234.5, 2, "1.234,50"},
		{0.05, 1, "0,1"},
		{51.94, 0, "52"},
		{math.NaN(), 2, "–"},
	} {
		if got := Fixed("vi", c.x, c.d); got != c.want {
			t.Errorf("Fixed(%v, %d) = %q, want %q", c.x, c.d, got, c.want)
		}
	}
	if got := Fixed("en", 1234.5, 2); got != "1,234.50" {
		t.Errorf("en: %q", got)
	}
	if got := Trim("vi", 50, 2); got != "50" {
		t.Errorf("Trim: %q", got)
	}
	if got := Data(86.255, 2); got != "86.26" {
		t.Errorf("Data: %q", got)
	}
	// The ranks compare indicators.Round2: what is shown must be the same.
	for i := 0; i < 200000; i++ {
		x := float64(i) / 1000
		if Round(x, 2) != indicators.Round2(x) {
			t.Fatalf("Round(%v) = %v, Round2 = %v", x, Round(x, 2), indicators.Round2(x))
		}
	}
}
