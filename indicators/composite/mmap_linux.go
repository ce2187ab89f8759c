package composite

import (
	"syscall"
	"unsafe"
)

// mapPopulate asks Linux to map every page of the file at once, in the
// mmap call, rather than fault them in 16 at a time while parsing: on a
// virtual machine each page fault is an exit to the hypervisor.
const mapPopulate = syscall.MAP_POPULATE

// hugePages asks Linux to back the 2 MiB-aligned interior of a large,
// freshly allocated and not yet written block with huge pages, so that
// writing it takes one page fault per 2 MiB rather than one per 4 KiB. It
// changes nothing else: the memory stays the Go heap's, and where the
// system declines (transparent huge pages off) it is a no-op.
func hugePages(block []float64) {
	const huge = 2 << 20
	if len(block)*8 < 2*huge {
		return
	}
	start := uintptr(unsafe.Pointer(&block[0]))
	end := start + uintptr(len(block))*8
	lo, hi := (start+huge-1)&^(huge-1), end&^(huge-1)
	if hi <= lo {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, 14) // MADV_HUGEPAGE
}
