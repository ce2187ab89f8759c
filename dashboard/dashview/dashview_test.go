package dashview

import (
	"math"
	"testing"
)

func TestHistogramAndShares(t *testing.T) {
	h := Histogram([]float64{0, 9.99, 10, 55, 99.9, 100, -1, 120})
	want := []int{3, 1, 0, 0, 0, 1, 0, 0, 0, 3}
	for i := range want {
		if h[i] != want[i] {
			t.Fatalf("histogram %v, want %v", h, want)
		}
	}
	s := LevelShares([]int{1, 3, 0})
	if s[0] != 25 || s[1] != 75 || s[2] != 0 {
		t.Fatalf("shares %v", s)
	}
	if s := LevelShares([]int{0, 0}); s[0] != 0 {
		t.Fatalf("shares of nothing %v", s)
	}
}

// TestChartsEscapeNothingRaw: chart options are plain data (maps, no
// template.HTML), so html/template escapes names in them.
func TestChartsHaveFontAndNoAnimation(t *testing.T) {
	c := Bar("x", "t", "s", []string{"</script><script>alert(1)</script>"}, []float64{math.NaN()}, 100)
	if c.Options["animation"] != false {
		t.Fatalf("animation: %v", c.Options["animation"])
	}
	ts, _ := c.Options["textStyle"].(map[string]any)
	if ts["fontFamily"] != FontFamily {
		t.Fatalf("font: %v", c.Options["textStyle"])
	}
}
