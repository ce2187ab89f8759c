package web

import (
	"fmt"
	"net/http"

	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// page is what the layout needs; every page's data embeds it.
type page struct {
	Version string
	Lang    string
	Actor   *model.Actor
	CSRF    string
	Path    string
	Flash   string
	Errors  map[string]string // field → message, for forms
	Unread  int               // the bell: unread notices of the signed-in person
}

func (s *Server) page(c echo.Context) page {
	p := page{Version: s.cfg.Version, Lang: langVI}
	if c != nil {
		p.Lang = langOf(c)
		p.Actor = actorOf(c)
		p.CSRF = csrfToken(c)
		p.Path = c.Request().URL.RequestURI()
		p.Flash = takeFlash(c)
		p.Unread = s.unreadNotices(c, p.Actor)
	}
	return p
}

type homePage struct {
	page
	Mine []myRow
	Work []workItem
}

// myRow is a school's assessment with its level by name and countdown.
type myRow struct {
	model.MyAssessment
	LevelName string
	Countdown string
}

// workItem is one line of an evaluator's, leader's or admin's work: a
// count and where to act on it.
type workItem struct {
	Text, Link string
}

// home is the landing page.
func (s *Server) home(c echo.Context) error {
	p := homePage{page: s.page(c)}
	if a := actorOf(c); a != nil && s.survey != nil {
		ctx := c.Request().Context()
		lang := langOf(c)
		mine, err := s.survey.MyAssessments(ctx, a)
		if err != nil {
			return err
		}
		names := map[int64]map[int]string{}
		for _, m := range mine {
			r := myRow{MyAssessment: m}
			if m.SelfLevel != nil {
				if names[m.CampaignID] == nil {
					if cp, err := s.survey.Campaign(ctx, a, m.CampaignID); err == nil {
						names[m.CampaignID] = s.levelNamesOf(c, cp.SetCode, cp.SetVersion)
					}
				}
				r.LevelName = levelLabel(names[m.CampaignID], m.SelfLevel)
			}
			if m.Status == model.StatusDraft || m.Status == model.StatusReturned {
				r.Countdown = countdown(lang, m.SelfDue.Time, s.survey.CurrentTime())
			}
			p.Mine = append(p.Mine, r)
		}
		if p.Work, err = s.work(c, a); err != nil {
			return err
		}
	}
	return c.Render(http.StatusOK, "home.html", p)
}

// work is what an evaluator, leader or admin has to do, per campaign in
// scope: assessments waiting for review, returned ones, and for leaders
// the published results to read.
func (s *Server) work(c echo.Context, a *model.Actor) ([]workItem, error) {
	if a.Is(model.RoleSchool, model.RoleOffice) {
		return nil, nil
	}
	lang := langOf(c)
	list, err := s.survey.ListCampaigns(c.Request().Context(), a)
	if err != nil {
		return nil, err
	}
	var out []workItem
	published := 0
	for _, cp := range list {
		if cp.PublishedRevision > 0 {
			published++
		}
		if a.Role == model.RoleViewer {
			continue
		}
		base := fmt.Sprintf("/campaigns/%d", cp.ID)
		if n := cp.Assessments[string(model.StatusSubmitted)]; n > 0 {
			out = append(out, workItem{Text: cp.Name + ": " + fmt.Sprintf(tr(lang, "home.to_review"), n), Link: base + "?status=submitted"})
		}
		if n := cp.Assessments[string(model.StatusReturned)]; n > 0 {
			out = append(out, workItem{Text: cp.Name + ": " + fmt.Sprintf(tr(lang, "home.returned"), n), Link: base + "?status=returned"})
		}
		if n := cp.Assessments[string(model.StatusDraft)]; n > 0 && s.survey.CurrentTime().After(cp.SelfDue.Time.AddDate(0, 0, 1)) {
			out = append(out, workItem{Text: cp.Name + ": " + fmt.Sprintf(tr(lang, "home.overdue"), n), Link: base + "?status=draft"})
		}
	}
	if published > 0 {
		out = append(out, workItem{Text: fmt.Sprintf(tr(lang, "home.published"), published), Link: "/dashboard"})
	}
	return out, nil
}
