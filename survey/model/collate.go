package model

import (
	"slices"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Lists people read are sorted in Vietnamese order (golang.org/x/text
// collate): "An Ấp" and "An Đồng" come before "An Vũ", where byte order puts
// every letter with a diacritic after z. A Collator is not safe for
// concurrent use, so each sort takes one from a pool.
var collators = sync.Pool{New: func() any { return collate.New(language.Vietnamese) }}

// SortByName sorts xs by key in Vietnamese order, stably (equal names keep
// their order, e.g. by code).
func SortByName[T any](xs []T, key func(T) string) {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	slices.SortStableFunc(xs, func(a, b T) int { return c.CompareString(key(a), key(b)) })
}
