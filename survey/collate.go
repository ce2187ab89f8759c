package survey

import (
	"golang.org/x/text/collate"
)

// CompareVI compares two names in Vietnamese order.
func CompareVI(a, b string) int {
	c := collators.Get().(*collate.Collator)
	defer collators.Put(c)
	return c.CompareString(a, b)
}
