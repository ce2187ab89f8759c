package model

import (
	"time"
)

// UnitMove is one entry of a unit's move log.
type UnitMove struct {
	ID             int64     `json:"id"`
	FromParentCode string    `json:"from_parent_code,omitempty"`
	FromParentName string    `json:"from_parent_name,omitempty"`
	ToParentCode   string    `json:"to_parent_code"`
	ToParentName   string    `json:"to_parent_name"`
	Reason         string    `json:"reason"`
	MovedBy        string    `json:"moved_by,omitempty"`
	MovedAt        time.Time `json:"moved_at"`
	Effective      *Date     `json:"effective,omitempty"`
}

// UnitHistory is a unit over time: when it was valid, its legacy district,
// and every move.
type UnitHistory struct {
	Code               string     `json:"code"`
	Name               string     `json:"name"`
	Kind               string     `json:"kind"`
	ValidFrom          *Date      `json:"valid_from"`
	ValidTo            *Date      `json:"valid_to"`
	Retired            bool       `json:"retired"`
	CommuneCode        string     `json:"commune_code,omitempty"`
	LegacyDistrictCode string     `json:"legacy_district_code,omitempty"`
	LegacyDistrictName string     `json:"legacy_district_name,omitempty"`
	Moves              []UnitMove `json:"moves"`
}
