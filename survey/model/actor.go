package model

import (
	"slices"
)

// Role is what a user may do; the unit they belong to says where.
type Role string

// The roles.
const (
	RoleAdmin    Role = "admin"    // everything, everywhere
	RoleProvince Role = "province" // Sở GDĐT evaluator: a province
	RoleDistrict Role = "district" // Phòng GDĐT evaluator: a district (before July 2025)
	RoleCommune  Role = "commune"  // UBND xã (Phòng VH-XH) reviewer: a commune (since July 2025)
	RoleSchool   Role = "school"   // principal and staff: one school
	RoleViewer   Role = "viewer"   // leaders: read-only, published results in scope
	// RoleOffice is an education office's own staff (Sở or Phòng): they
	// fill their office's self-assessment on an agency set, as a school's
	// people fill the school's, and read nothing else of the tree.
	RoleOffice Role = "office"
	// RoleMinistry is the Ministry's reviewer (Bộ GDĐT): scoped to the
	// ministry root, it reviews the Sở's assessments on agency sets.
	RoleMinistry Role = "ministry"
)

// Roles lists every role, in the order forms show them.
var Roles = []Role{RoleAdmin, RoleProvince, RoleDistrict, RoleCommune, RoleSchool, RoleViewer, RoleMinistry, RoleOffice}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Evaluator reports whether r reviews assessments (Bộ, Sở, Phòng or commune).
func (r Role) Evaluator() bool {
	return r == RoleProvince || r == RoleDistrict || r == RoleCommune || r == RoleMinistry
}

// Actor is a signed-in person as the workflow sees them. A nil *Actor is
// an anonymous visitor.
type Actor struct {
	UserID   int64
	Username string
	Name     string
	Role     Role
	Lang     string
	// UnitID is the unit whose subtree is the actor's scope; 0 for an
	// admin without a unit, whose scope is everything.
	UnitID   int64
	UnitCode string
	UnitName string
	// UnitPath is the ids from the root down to UnitID.
	UnitPath []int64
	// MustChangePassword: signed in with a one-time password, which must be
	// changed before anything else (the web layer lets only that through).
	MustChangePassword bool
}

// Is reports whether the actor has one of roles.
func (a *Actor) Is(roles ...Role) bool {
	return a != nil && slices.Contains(roles, a.Role)
}

// Scoped reports whether the actor's scope is a subtree rather than
// everything: everyone but an admin without a unit (and anonymous
// visitors, who have no scope at all).
func (a *Actor) Scoped() bool {
	return a != nil && !(a.Role == RoleAdmin && a.UnitID == 0)
}

// Covers reports whether a unit with the given path (ids from the root
// down to the unit) is inside the actor's scope.
func (a *Actor) Covers(path []int64) bool {
	if a == nil {
		return false
	}
	if a.Role == RoleAdmin && a.UnitID == 0 {
		return true
	}
	return slices.Contains(path, a.UnitID)
}

// Overlaps reports whether the subtree of a unit with the given path and
// the actor's scope share a unit: the unit is inside the scope, or the
// scope is inside the unit's subtree (a district evaluator and a
// province-wide campaign).
func (a *Actor) Overlaps(path []int64) bool {
	if a.Covers(path) {
		return true
	}
	return a != nil && len(path) > 0 && slices.Contains(a.UnitPath, path[len(path)-1])
}
