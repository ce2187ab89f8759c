package web

import (
	"net/http"

	"github.com/dxindex/dxindex/survey"
)

// Who may post the review-trust page forms (issue 17): evaluators send the
// changes to the school and rule on contests; the school replies.
func init() {
	evaluators := []survey.Role{survey.RoleAdmin, survey.RoleMinistry, survey.RoleProvince, survey.RoleDistrict, survey.RoleCommune}
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []survey.Role, bool) {
		if method != http.MethodPost {
			return false, nil, false
		}
		switch path {
		case "/assessments/:aid/send-for-reply", "/assessments/:aid/replies/:indicator/ruling":
			return false, evaluators, true
		case "/assessments/:aid/replies/:indicator":
			return false, []survey.Role{survey.RoleSchool}, true
		}
		return false, nil, false
	})
}
