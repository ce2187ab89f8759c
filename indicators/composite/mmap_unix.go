//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package composite

import (
	"os"
	"syscall"
)

// mapFile maps a regular file read-only, or returns nil when it cannot (a
// pipe, an empty file, an unsupported system): the caller then reads it.
func mapFile(f *os.File) ([]byte, func()) {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() <= 0 || st.Size() > 1<<40 || int64(int(st.Size())) != st.Size() {
		return nil, nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil
	}
	return b, func() { _ = syscall.Munmap(b) }
}
