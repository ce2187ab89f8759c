package web

import (
	"net/http"
	"strings"

	"github.com/dxindex/dxindex/survey/model"
)

// Office campaigns (issue 13): an office's own staff (role office) fill
// their office's assessment through the routes a school's people use; the
// Ministry's reviewers (role ministry) review through the evaluators'
// routes. The service checks the unit: the staff write their own office's
// assessment only, nobody reviews their own office.
func init() {
	extraPolicies = append(extraPolicies, func(method, path string) (bool, []model.Role, bool) {
		assessment := strings.HasPrefix(path, "/api/v1/assessments/:aid") || strings.HasPrefix(path, "/assessments/:aid")
		switch {
		case assessment && method != http.MethodGet &&
			(strings.Contains(path, "/answers") || strings.Contains(path, "/evidence") || strings.HasSuffix(path, "/submit")):
			return false, []model.Role{model.RoleSchool, model.RoleOffice}, true
		case assessment && (strings.HasSuffix(path, "/return") || strings.HasSuffix(path, "/approve") || strings.HasSuffix(path, "/revoke") ||
			strings.Contains(path, "/review")):
			return false, []model.Role{model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune}, true
		case path == "/api/v1/campaigns/:id/publish" || path == "/campaigns/:id/publish" || path == "/api/v1/campaigns/:id/publish/coverage" ||
			path == "/api/v1/campaigns/:id/approve" || path == "/campaigns/:id/approve":
			return false, []model.Role{model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune}, true
		}
		return false, nil, false
	})
}
