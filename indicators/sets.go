package indicators

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/dxindex/dxindex/internal/errkind"
)

// shippedFS holds the sets dxindex ships: moet-4725 (schools, Decision
// 4725, reconstructed), moet-agency (education offices, Decision 3806,
// provisional) and example (for the documentation and tests).
//
//go:embed sets/*.yaml
var shippedFS embed.FS

// ErrNotFound matches a set that does not exist (no shipped set or no
// stored version of that code); it matches errkind.NotFound.
var ErrNotFound error = &kindError{"indicators: set not found", errkind.NotFound}

var (
	shippedOnce sync.Once
	shipped     []*Set
)

// Shipped returns the embedded sets, sorted by code. They are parsed once
// and shared: callers must not modify them.
func Shipped() []*Set {
	shippedOnce.Do(func() {
		files, err := fs.Glob(shippedFS, "sets/*.yaml")
		if err != nil {
			panic(err)
		}
		for _, f := range files { // sorted by name, and each file is named for its code
			data, err := shippedFS.ReadFile(f)
			if err != nil {
				panic(err)
			}
			set, err := Parse(f, data)
			if err != nil {
				// A broken embedded file is a build defect, caught by the
				// package's tests before any release.
				panic(fmt.Sprintf("indicators: shipped set %s is invalid:\n%v", f, err))
			}
			shipped = append(shipped, set)
		}
	})
	return shipped
}

// ShippedSet returns the embedded set with the given code.
func ShippedSet(code string) (*Set, error) {
	var codes []string
	for _, s := range Shipped() {
		if s.Code == code {
			return s, nil
		}
		codes = append(codes, s.Code)
	}
	return nil, fmt.Errorf("%w: no shipped set %q (shipped: %s)", ErrNotFound, code, strings.Join(codes, ", "))
}
