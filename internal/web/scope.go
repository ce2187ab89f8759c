package web

import (
	"strconv"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// unitParamScope: the unit named by :code is inside the actor's scope.
func unitParamScope(c echo.Context, s *Server, a *model.Actor) error {
	u, err := s.survey.UnitByCode(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	if !a.Covers(u.Path) {
		return model.ErrNotFound
	}
	return nil
}

// campaignParamScope: the campaign :id touches the actor's scope.
func campaignParamScope(c echo.Context, s *Server, a *model.Actor) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	path, err := s.survey.CampaignScope(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if !a.Overlaps(path) {
		return model.ErrNotFound
	}
	return nil
}

func idParam(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errkind.New(errkind.NotFound, "Không tìm thấy.", "not found: "+name+" must be a positive number")
	}
	return id, nil
}
