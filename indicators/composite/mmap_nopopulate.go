//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package composite

// mapPopulate is Linux's MAP_POPULATE; elsewhere pages fault in as read.
const mapPopulate = 0

func newBlock(n int) []float64 { return make([]float64, n) }
