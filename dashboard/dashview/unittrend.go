package dashview

// UnitTrendPoint is a unit's published result in one campaign.
type UnitTrendPoint struct {
	CampaignID   int64   `json:"campaign_id"`
	CampaignName string  `json:"campaign_name"`
	SchoolYear   string  `json:"school_year"`
	Index        float64 `json:"index"`
	Level        int     `json:"level"`
	// Schools (areas only): the schools the area holds now that have a
	// published result in the campaign; InTree: how many of them stood
	// inside the area in that campaign's own tree. They differ where the
	// boundary changed (a district abolished, a province merged).
	Schools         int  `json:"schools,omitempty"`
	InTree          int  `json:"in_tree,omitempty"`
	BoundaryChanged bool `json:"boundary_changed"`
	// ParentCode (schools only): the unit above the school in that
	// campaign's tree (its district before 2025, its commune after).
	ParentCode string `json:"parent_code,omitempty"`
	ParentName string `json:"parent_name,omitempty"`
}

// UnitTrend is a unit's published results across campaigns, whatever the
// tree each campaign ran on.
type UnitTrend struct {
	Code    string           `json:"code"`
	Name    string           `json:"name"`
	Kind    string           `json:"kind"`
	Retired bool             `json:"retired"`
	Points  []UnitTrendPoint `json:"campaigns"`
}
