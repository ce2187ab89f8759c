package web

import (
	"net/http"

	"github.com/dxindex/dxindex/survey/model"
)

// The office's routes in the authorization matrix (authz_test.go walks
// every route and role against these, inside and outside scope): editing
// a campaign is its owner's (admin, Sở); deadlines and reopening are the
// evaluators' (admin, Sở, Phòng), never a school's or a leader's.
func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		switch {
		case method == http.MethodPost && path == "/campaigns/:id/edit", method == http.MethodPatch && path == "/api/v1/campaigns/:id":
			return false, []model.Role{model.RoleAdmin, model.RoleProvince}, true
		case method == http.MethodPost && (path == "/campaigns/:id/deadline" || path == "/api/v1/campaigns/:id/deadline" ||
			path == "/assessments/:aid/reopen" || path == "/api/v1/assessments/:aid/reopen"):
			return false, []model.Role{model.RoleAdmin, model.RoleProvince, model.RoleDistrict}, true
		}
		return false, nil, false
	})
}
