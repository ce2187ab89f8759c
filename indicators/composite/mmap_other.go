//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package composite

import "os"

// mapFile does not map on this system: the caller reads the file.
func mapFile(*os.File) ([]byte, func()) { return nil, nil }

func newBlock(n int) []float64 { return make([]float64, n) }

// prefault does nothing here: pages fault in as read.
func prefault([]byte) {}
