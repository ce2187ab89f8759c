package composite

import (
	"runtime"
	"testing"
	"unsafe"
)

// newBlock gives exactly n zeroed values, with no room to grow into its
// alignment padding; on Linux a large block starts on a 2 MiB boundary.
func TestNewBlock(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 1 << 20, 50000*40 + 3} {
		b := newBlock(n)
		if len(b) != n || cap(b) != n {
			t.Fatalf("newBlock(%d): len %d cap %d", n, len(b), cap(b))
		}
		for i, v := range b {
			if v != 0 {
				t.Fatalf("newBlock(%d)[%d] = %v, want 0", n, i, v)
			}
		}
		for i := range b {
			b[i] = float64(i) // every element writable
		}
		if runtime.GOOS == "linux" && n*8 >= 8<<20 {
			if p := uintptr(unsafe.Pointer(&b[0])); p%(2<<20) != 0 {
				t.Errorf("newBlock(%d) at %#x: not on a 2 MiB boundary", n, p)
			}
		}
	}
}
