package composite

import (
	"syscall"
	"unsafe"
)

// The file is mapped without MAP_POPULATE: rather than have mmap map every
// page at once on the one core that maps it, before any parsing, each
// goroutine that splits a part of the file maps its part's pages
// (prefault), so the cores share the work. Either way the pages are mapped
// in one call rather than faulted in 16 at a time while parsing: on a
// virtual machine each page fault is an exit to the hypervisor.

// prefault maps the pages of b, part of a mapped file, ahead of reading it
// (madvise MADV_POPULATE_READ, Linux 5.14). Where that fails (an older
// kernel, a file that shrank) the pages fault in as read.
func prefault(b []byte) {
	if len(b) == 0 {
		return
	}
	page := uintptr(syscall.Getpagesize())
	lo := uintptr(unsafe.Pointer(&b[0])) &^ (page - 1)
	hi := uintptr(unsafe.Pointer(&b[0])) + uintptr(len(b))
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, 22) // MADV_POPULATE_READ
}

// newBlock returns n zeroed float64s. A large block (the parsed columns:
// 16 MB for 50,000 units × 40 indicators) is placed on a 2 MiB boundary and
// Linux asked to back it with huge pages (madvise MADV_HUGEPAGE), so that
// filling it takes one page fault per 2 MiB rather than one per 4 KiB, and
// the parser's writes, 40 columns apart, miss the TLB less. The block is
// allocated 4 MiB larger for the alignment; what is never written costs no
// memory. The memory stays the Go heap's: nothing else changes, and where
// the system declines (transparent huge pages off) the advice is a no-op.
func newBlock(n int) []float64 {
	const huge = 2 << 20
	if n*8 < 4*huge {
		return make([]float64, n)
	}
	raw := make([]float64, n+2*huge/8)
	start := uintptr(unsafe.Pointer(&raw[0]))
	off := int(((start+huge-1)&^(huge-1) - start) / 8)
	block := raw[off : off+n : off+n]
	lo := uintptr(unsafe.Pointer(&block[0]))
	size := (uintptr(n)*8 + huge - 1) &^ (huge - 1)              // within raw: off·8 + size < len(raw)·8
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, lo, size, 14) // MADV_HUGEPAGE
	return block
}
