package web

import (
	"fmt"
	"time"

	"github.com/dxindex/dxindex/survey/model"
)

// rollupView is a roll-up indicator's provenance on an office's form
// (issue 13): the school campaign and revision it was computed from, how
// many of the office's schools it counted, and whether submission froze it.
type rollupView struct {
	Provenance string
	Frozen     bool
	FrozenAt   time.Time
}

// newRollupView is the view of indicator code's roll-up, nil when none was
// computed yet (no school campaign linked).
func newRollupView(lang string, rs map[string]model.RollupView, code string) *rollupView {
	r, ok := rs[code]
	if !ok {
		return nil
	}
	v := &rollupView{Provenance: fmt.Sprintf(tr(lang, "rollup.provenance"), r.SchoolCampaignName, r.Revision, r.Counted, r.Schools)}
	if r.FrozenAt != nil {
		v.Frozen, v.FrozenAt = true, *r.FrozenAt
	}
	return v
}
