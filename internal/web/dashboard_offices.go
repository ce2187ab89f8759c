package web

import (
	"context"
	"errors"
	"strings"

	"github.com/dxindex/dxindex/dashboard/dashview"
	"github.com/labstack/echo/v4"
)

// ownResult reports whether a unit's dashboard page (and export) is its
// own result rather than a ranking of the units under it: a school's, and
// in an office campaign (issue 13) a Sở's or Phòng's that was published —
// its profile, level, gap to the next level and trend across the office
// campaigns, as a school's page shows them. An office without a published
// result gets the ranking of its subtree, as before.
func (h *dash) ownResult(ctx context.Context, cp *dashview.Campaign, u *dashview.Unit) (bool, error) {
	if u.IsSchool() {
		return true, nil
	}
	if !cp.Offices() || u.Kind == "ministry" {
		return false, nil
	}
	_, err := h.store.School(ctx, cp, u)
	if errors.Is(err, dashview.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// nationalCode is ?unit=VN: the whole country, the Ministry's tree (the
// root of a campaign rooted at the Ministry).
const nationalCode = "VN"

// orNational is unitOf's answer, except that ?unit=VN, not a unit's code,
// names the campaign's root when it is the Ministry.
func (h *dash) orNational(ctx context.Context, cp *dashview.Campaign, code string, u *dashview.Unit, err error) (*dashview.Unit, error) {
	if errors.Is(err, dashview.ErrNotFound) && strings.EqualFold(code, nationalCode) {
		if root, rerr := h.store.Unit(ctx, cp, cp.RootCode); rerr == nil && root.Kind == "ministry" {
			return root, nil
		}
	}
	return u, err
}

// officeTrendParam reports whether a trend page (or its export) is an
// office's own trend across the office campaigns (?office=1, issue 13):
// the link of an office's own result page. A school has no such trend.
func officeTrendParam(c echo.Context, u *dashview.Unit) bool {
	return c.QueryParam("office") == "1" && !u.IsSchool() && u.Kind != "ministry"
}

// trendPoints reads a trend page's points: the office's own results
// (office) or the unit's (a school's own, a subtree's schools').
func (h *dash) trendPoints(ctx context.Context, u *dashview.Unit, office bool) ([]dashview.TrendPoint, error) {
	if office {
		return h.store.OfficeTrend(ctx, u)
	}
	return h.store.Trend(ctx, u)
}
