package web

import (
	"net/http"
	"time"

	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// Open data (issue 15): anyone lists the published campaigns; a signed-in
// caller also sees the unpublished campaigns of their scope, marked.

// openCampaign is a campaign in the public list.
type openCampaign struct {
	model.Campaign
	// Published: results of the campaign are public (revision
	// published_revision, at published_at); false for a campaign of the
	// caller's scope with nothing published yet.
	Published   bool       `json:"published"`
	PublishedAt *time.Time `json:"published_at"`
	// InScope: the campaign touches the caller's scope (signed-in callers).
	InScope bool `json:"in_scope"`
}

func (s *Server) apiOpenCampaigns(c echo.Context) error {
	ctx := c.Request().Context()
	pub, err := s.survey.PublishedCampaigns(ctx)
	if err != nil {
		return err
	}
	out := make([]openCampaign, 0, len(pub))
	at := map[int64]int{}
	for _, p := range pub {
		at[p.ID] = len(out)
		out = append(out, openCampaign{Campaign: p.Campaign, Published: true, PublishedAt: p.PublishedAt})
	}
	if a := actorOf(c); a != nil {
		mine, err := s.survey.ListCampaigns(ctx, a)
		if err != nil {
			return err
		}
		for _, m := range mine {
			if i, ok := at[m.ID]; ok {
				pa := out[i].PublishedAt
				out[i] = openCampaign{Campaign: *m, Published: true, PublishedAt: pa, InScope: true}
				continue
			}
			out = append(out, openCampaign{Campaign: *m, Published: m.PublishedRevision > 0, InScope: true})
		}
	}
	return c.JSON(http.StatusOK, out)
}
