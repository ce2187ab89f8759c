package survey

import (
	"github.com/dxindex/dxindex/survey/model"

	"golang.org/x/text/collate"
)

// CompareVI compares two names in Vietnamese order.
func CompareVI(a, b string) int {
	c := model.Collators.Get().(*collate.Collator)
	defer model.Collators.Put(c)
	return c.CompareString(a, b)
}
