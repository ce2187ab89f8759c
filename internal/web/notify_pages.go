package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// Notifications (issue 16): the bell, the list, e-mail switches, the
// admin's mail page and reminders on demand.
func (s *Server) notifyRoutes() {
	const GET, POST = http.MethodGet, http.MethodPost
	evaluators := Roles(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune)
	s.route(GET, "/notifications", SignedIn(), s.noticesPage)
	s.route(GET, "/notifications/:nid", SignedIn(), s.noticeOpen)
	s.route(POST, "/notifications/read", SignedIn(), s.noticesRead)
	s.route(GET, "/account/notifications", SignedIn(), s.noticePrefsPage)
	s.route(POST, "/account/notifications", SignedIn(), s.noticePrefsSave)
	s.route(GET, "/admin/mail", Roles(model.RoleAdmin), s.mailPage)
	s.route(GET, "/campaigns/:id/remind", evaluators.InScope("campaign", campaignParamScope), s.remindPage)
	s.route(POST, "/campaigns/:id/remind", evaluators.InScope("campaign", campaignParamScope), s.remindSend)
	s.notifyAPIRoutes()
}

// unreadNotices is the bell's count (0 on any trouble: the bell must
// not break a page).
func (s *Server) unreadNotices(c echo.Context, a *model.Actor) int {
	if s.survey == nil || a == nil || a.UserID == 0 {
		return 0
	}
	n, err := s.survey.UnreadNotices(c.Request().Context(), a)
	if err != nil {
		return 0
	}
	return n
}

// noticeView is a notice in the reader's language.
type noticeView struct {
	ID                        int64
	Kind                      string
	Subject, Body             string
	Items                     []string
	At                        time.Time
	Read                      bool
	Username, To, Status, Err string
	Attempts                  int
	SentAt                    *time.Time
	Hook, HookErr             string
	Link                      string
}

func viewNotice(n *model.Notification, lang string) noticeView {
	return noticeView{ID: n.ID, Kind: string(n.Kind), Subject: n.Subject().In(lang), Body: n.Body().In(lang), Items: n.Items(), At: n.CreatedAt, Read: n.Read,
		Username: n.Username, To: n.EmailTo, Status: n.EmailStatus, Err: n.EmailError, Attempts: n.Attempts, SentAt: n.EmailSentAt,
		Hook: n.HookStatus, HookErr: n.HookError, Link: n.Link}
}

type noticesPage struct {
	page
	Notices []noticeView
}

func (s *Server) noticesPage(c echo.Context) error {
	list, err := s.survey.Notifications(c.Request().Context(), actorOf(c), 200)
	if err != nil {
		return err
	}
	p := noticesPage{page: s.page(c)}
	for i := range list {
		p.Notices = append(p.Notices, viewNotice(&list[i], p.Lang))
	}
	return c.Render(http.StatusOK, "notifications.html", p)
}

// noticeOpen marks a notice read and goes to the page it is about.
func (s *Server) noticeOpen(c echo.Context) error {
	id, err := idParam(c, "nid")
	if err != nil {
		return err
	}
	link, err := s.survey.OpenNotice(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") {
		link = "/notifications"
	}
	return c.Redirect(http.StatusSeeOther, link)
}

func (s *Server) noticesRead(c echo.Context) error {
	if err := s.survey.MarkAllRead(c.Request().Context(), actorOf(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/notifications")
}

type prefRow struct {
	Kind string
	On   bool
}

type noticePrefsPage struct {
	page
	Email string
	Kinds []prefRow
}

func (s *Server) noticePrefsPage(c echo.Context) error {
	on, email, err := s.survey.NoticePrefs(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	p := noticePrefsPage{page: s.page(c), Email: email}
	for _, k := range model.NoticeKinds {
		p.Kinds = append(p.Kinds, prefRow{Kind: string(k), On: on[k]})
	}
	return c.Render(http.StatusOK, "notice_prefs.html", p)
}

func (s *Server) noticePrefsSave(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	on := map[model.NoticeKind]bool{}
	for _, k := range form["email"] {
		on[model.NoticeKind(k)] = true
	}
	if err := s.survey.SetNoticePrefs(c.Request().Context(), actorOf(c), on); err != nil {
		return err
	}
	setFlash(c, tr(langOf(c), "common.saved"))
	return c.Redirect(http.StatusSeeOther, "/account/notifications")
}

type mailPage struct {
	page
	Info   NotifyInfo
	Counts map[string]int
	Items  []noticeView
}

func (s *Server) mailPage(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := s.survey.MailQueue(ctx, actorOf(c), 300)
	if err != nil {
		return err
	}
	counts, err := s.survey.MailCounts(ctx)
	if err != nil {
		return err
	}
	p := mailPage{page: s.page(c), Info: s.cfg.Notify, Counts: counts}
	for i := range list {
		p.Items = append(p.Items, viewNotice(&list[i], p.Lang))
	}
	return c.Render(http.StatusOK, "admin_mail.html", p)
}

type remindPage struct {
	page
	Campaign *model.Campaign
	Unit     string // "" for every late school
	UnitName string
	Late     []model.AssessmentRow
	Message  string
	Preview  noticeView
	// Office: an office campaign (its units are offices, not schools).
	Office bool
}

// remindPage previews a reminder to one school (?unit=) or to every late
// school of the campaign in the reviewer's scope.
func (s *Server) remindPage(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a := actorOf(c)
	cp, err := s.survey.Campaign(ctx, a, id)
	if err != nil {
		return err
	}
	rows, err := s.survey.CampaignAssessments(ctx, a, id)
	if err != nil {
		return err
	}
	office, err := s.officeCampaign(ctx, cp)
	if err != nil {
		return err
	}
	p := remindPage{page: s.page(c), Campaign: cp, Unit: strings.TrimSpace(c.QueryParam("unit")), Message: model.DefaultReminder, Office: office}
	if office {
		p.Message = model.DefaultReminderOffice
	}
	if p.Unit == "" {
		p.Late = s.survey.LateSchools(rows)
	}
	for _, r := range rows {
		if p.Unit != "" && r.UnitCode == p.Unit {
			p.UnitName = r.UnitName
			if r.Status == model.StatusDraft || r.Status == model.StatusReturned {
				p.Late = append(p.Late, r)
			}
		}
	}
	if p.Unit != "" && p.UnitName == "" {
		return model.ErrNotFound
	}
	name := p.UnitName
	if name == "" {
		name = tr(p.Lang, unitKey("remind.each_school", office))
	}
	p.Preview = viewNotice(model.ReminderPreview(name, cp.Name, p.Message), p.Lang)
	return c.Render(http.StatusOK, "remind.html", p)
}

func (s *Server) remindSend(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	unit := strings.TrimSpace(c.FormValue("unit"))
	n, err := s.survey.Remind(c.Request().Context(), actorOf(c), id, unit, c.FormValue("message"))
	back := fmt.Sprintf("/campaigns/%d", id)
	if err != nil {
		return s.officeDone(c, back, err)
	}
	office := false
	if cp, err := s.survey.Campaign(c.Request().Context(), actorOf(c), id); err == nil {
		if office, err = s.officeCampaign(c.Request().Context(), cp); err != nil {
			return err
		}
	}
	setFlash(c, fmt.Sprintf(tr(langOf(c), unitKey("remind.sent", office)), n))
	return c.Redirect(http.StatusSeeOther, back)
}
