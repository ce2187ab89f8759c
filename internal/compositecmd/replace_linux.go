package compositecmd

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// replaceFile puts the complete file tmp in the place of path, atomically:
// a reader of path sees the old file or the new one, never neither.
//
// Where path exists, the two names are exchanged (renameat2
// RENAME_EXCHANGE) and the old file, now under tmp, is removed, rather than
// tmp renamed over path. Renaming over an existing file makes ext4
// (auto_da_alloc, on by default) allocate the blocks of the new file and
// free and discard those of the old one inside the rename: 3.1–3.5 ms of a
// 50 ms composite run on our machines (docs/performance.md). Exchanged,
// both are left to the kernel's background writeback, as for a file written
// under a new name. Like every write here, nothing is forced to disk: after
// a power loss in the seconds that follow, the results may be empty, and the
// command is run again.
//
// Where there is nothing to exchange with (a new path) or the file system
// cannot exchange, tmp is renamed.
func replaceFile(tmp, path string) error {
	if err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, path, unix.RENAME_EXCHANGE); err != nil {
		return os.Rename(tmp, path)
	}
	if err := os.Remove(tmp); err != nil {
		return fmt.Errorf("the results are in %s, but the previous ones, moved to %s, could not be removed: %w", path, tmp, err)
	}
	return nil
}
