package dashview

// LegacyArea is a pre-2025 district as an area of a campaign's results:
// the schools it held before 1 July 2025, wherever they stand in the
// campaign's own tree. It lets a province page of any campaign be read by
// the districts people still name, so an area can be followed across the
// reorganisation.
type LegacyArea struct {
	Code, Name string
	// Schools: published results of the area's schools in the campaign.
	Schools int
	Mean    float64
	Median  float64
}
