package dashview

// CoverageThreshold is the share of a unit's schools below which a
// published mean is not shown as the unit's: a trend point under it is
// drawn apart and left out of the trend lines. 80 %: a mean of most
// schools moves little when the rest are added; one of 90 is one school.
const CoverageThreshold = 0.8

// NoLevelName names the result of a school that reached no level of the
// set (level 0).
func NoLevelName(lang string) string {
	if lang == "en" {
		return "No level reached"
	}
	return "Chưa đạt mức nào"
}
