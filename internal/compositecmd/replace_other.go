//go:build !linux

package compositecmd

import "os"

// replaceFile puts the complete file tmp in the place of path, atomically.
func replaceFile(tmp, path string) error { return os.Rename(tmp, path) }
