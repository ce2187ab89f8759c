package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/dxindex/dxindex/survey"
	"github.com/labstack/echo/v4"
)

// Open data (issue 15): anyone lists the published campaigns; a signed-in
// caller also sees the unpublished campaigns of their scope, marked.

// openCampaign is a campaign in the public list.
type openCampaign struct {
	survey.Campaign
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
	rows, err := s.cfg.Pool.Query(ctx, `SELECT c.id, c.name, c.set_code, c.set_version, r.code, r.name, c.status, c.opens_on, c.self_due, c.review_due,
			c.published_revision, c.created_at,
			(SELECT p.published_at FROM publications p WHERE p.campaign_id = c.id AND p.revision = c.published_revision)
		FROM campaigns c JOIN units r ON r.id = c.root_unit_id
		WHERE c.published_revision > 0 ORDER BY c.opens_on DESC, c.id DESC`)
	if err != nil {
		return fmt.Errorf("web: open campaigns: %w", err)
	}
	defer rows.Close()
	out := []openCampaign{}
	at := map[int64]int{}
	for rows.Next() {
		var x openCampaign
		var opens, self, review time.Time
		if err := rows.Scan(&x.ID, &x.Name, &x.SetCode, &x.SetVersion, &x.RootUnitCode, &x.RootUnitName, &x.Status, &opens, &self, &review,
			&x.PublishedRevision, &x.CreatedAt, &x.PublishedAt); err != nil {
			return fmt.Errorf("web: open campaigns: %w", err)
		}
		x.OpensOn, x.SelfDue, x.ReviewDue = survey.Date{Time: opens}, survey.Date{Time: self}, survey.Date{Time: review}
		x.Published = true
		at[x.ID] = len(out)
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("web: open campaigns: %w", err)
	}
	rows.Close()
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
