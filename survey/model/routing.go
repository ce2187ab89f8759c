package model

const (
	OfficeDistrict = "district" // Phòng GDĐT, before July 2025
	OfficeCommune  = "commune"  // UBND xã (Phòng VH-XH), since July 2025
)

// RoutedTo reports whether the campaign's routing lets a's office review
// this assessment. The Sở (and an admin) may always take a review over; a
// level the campaign routes nowhere is reviewed by whichever evaluator's
// scope holds the school, as before 2025. Scope is checked by the caller.
func (x *Assessment) RoutedTo(a *Actor) bool {
	switch {
	case x.IsOffice():
		return officeReviewer(a)
	case a.Role == RoleMinistry:
		return false // the Ministry reviews offices, not schools
	case a.Role == RoleAdmin || a.Role == RoleProvince:
		return true
	case x.ReviewOffice == "":
		return true
	case a.Role == RoleCommune:
		return x.ReviewOffice == OfficeCommune
	case a.Role == RoleDistrict:
		return x.ReviewOffice == OfficeDistrict
	}
	return false
}
