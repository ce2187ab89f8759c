//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package composite

func newBlock(n int) []float64 { return make([]float64, n) }

// prefault does nothing here: pages fault in as read.
func prefault([]byte) {}
