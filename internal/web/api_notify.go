package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// notifyAPIRoutes: the caller's notifications and e-mail switches as JSON
// (issue 16), the API twin of /notifications and /account/notifications.
func (s *Server) notifyAPIRoutes() {
	const GET, POST, PUT = http.MethodGet, http.MethodPost, http.MethodPut
	s.route(GET, "/api/v1/notifications", SignedIn(), s.apiNotices,
		routeDoc{Summary: "The caller's notifications, newest first, in the caller's language, with the unread count (query: page from 1, per_page 1-100, default 20)", Response: apiNoticePage{}})
	s.route(POST, "/api/v1/notifications/:nid/read", SignedIn(), s.apiNoticeRead,
		routeDoc{Summary: "Mark one of the caller's notifications read", Response: apiNotice{}})
	s.route(GET, "/api/v1/me/notice-prefs", SignedIn(), s.apiNoticePrefs,
		routeDoc{Summary: "The caller's e-mail switch per notification kind, and the address e-mail goes to", Response: apiNoticePrefs{}})
	s.route(PUT, "/api/v1/me/notice-prefs", SignedIn(), s.apiNoticePrefsSet,
		routeDoc{Summary: "Switch e-mail on or off per kind; kinds left out keep their switch", Request: apiNoticePrefsRequest{}, Response: apiNoticePrefs{}})
}

// apiNotice is a notification in the reader's language.
type apiNotice struct {
	ID           int64     `json:"id"`
	Kind         string    `json:"kind"`
	Subject      string    `json:"subject"`
	Body         string    `json:"body"`
	Items        []string  `json:"items"` // a review session's changes, "indicator: reason"
	Link         string    `json:"link"`
	AssessmentID int64     `json:"assessment_id,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	Read         bool      `json:"read"`
}

func toAPINotice(n *model.Notification, lang string) apiNotice {
	items := n.Items()
	if items == nil {
		items = []string{}
	}
	return apiNotice{ID: n.ID, Kind: string(n.Kind), Subject: n.Subject().In(lang), Body: n.Body().In(lang), Items: items,
		Link: n.Link, AssessmentID: n.AssessmentID, CreatedAt: n.CreatedAt, Read: n.Read}
}

type apiNoticePage struct {
	Items   []apiNotice `json:"items"`
	Page    int         `json:"page"`
	PerPage int         `json:"per_page"`
	Total   int         `json:"total"`
	Unread  int         `json:"unread"`
}

// queryInt reads an optional positive integer query parameter.
func queryInt(c echo.Context, name string, def int) (int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, errkind.Field(name, "Tham số "+name+" phải là số nguyên dương.", name+" must be a positive whole number")
	}
	return n, nil
}

func (s *Server) apiNotices(c echo.Context) error {
	page, err := queryInt(c, "page", 1)
	if err != nil {
		return err
	}
	per, err := queryInt(c, "per_page", 20)
	if err != nil {
		return err
	}
	if page > 1_000_000 {
		page = 1_000_000 // far past the end: an empty page, not an overflow
	}
	a := actorOf(c)
	res, err := s.survey.NotificationsPage(c.Request().Context(), a, per, (page-1)*per)
	if err != nil {
		return err
	}
	out := apiNoticePage{Items: make([]apiNotice, 0, len(res.Items)), Page: page, PerPage: per, Total: res.Total, Unread: res.Unread}
	for i := range res.Items {
		out.Items = append(out.Items, toAPINotice(&res.Items[i], a.Lang))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) apiNoticeRead(c echo.Context) error {
	id, err := idParam(c, "nid")
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actorOf(c)
	if _, err := s.survey.OpenNotice(ctx, a, id); err != nil {
		return err
	}
	n, err := s.survey.NotificationForDelivery(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAPINotice(n, a.Lang))
}

// apiNoticePrefs: kind → e-mail on.
type apiNoticePrefs struct {
	Email string          `json:"email"` // "" when the account has no address: nothing is e-mailed
	Kinds map[string]bool `json:"kinds"`
}

type apiNoticePrefsRequest struct {
	Kinds map[string]bool `json:"kinds" validate:"required,max=50"`
}

func (s *Server) apiNoticePrefs(c echo.Context) error {
	on, email, err := s.survey.NoticePrefs(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	out := apiNoticePrefs{Email: email, Kinds: map[string]bool{}}
	for _, k := range model.NoticeKinds {
		out.Kinds[string(k)] = on[k]
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) apiNoticePrefsSet(c echo.Context) error {
	var req apiNoticePrefsRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	set := make(map[model.NoticeKind]bool, len(req.Kinds))
	for k, v := range req.Kinds {
		set[model.NoticeKind(k)] = v
	}
	if err := s.survey.UpdateNoticePrefs(c.Request().Context(), actorOf(c), set); err != nil {
		return err
	}
	return s.apiNoticePrefs(c)
}
