package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
	"golang.org/x/text/unicode/norm"
)

// The admin lists at scale (issue 15): a province has some two thousand
// units and as many accounts, so /admin/units and /admin/users search on
// the server (?q=) and show one page of adminPageSize rows (?page=, from 1).

const adminPageSize = 50

// pager is the page of a list and the links to its neighbours.
type pager struct {
	Page       int
	Prev, Next string // addresses, "" when there is none
	base       string
	query      url.Values
}

func newPager(c echo.Context, base string, q url.Values) pager {
	n, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || n < 1 || n > 100000 {
		n = 1
	}
	return pager{Page: n, base: base, query: q}
}

func (p *pager) offset() int { return (p.Page - 1) * adminPageSize }

func (p *pager) link(page int) string {
	q := url.Values{}
	for k, v := range p.query {
		if len(v) > 0 && v[0] != "" {
			q.Set(k, v[0])
		}
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return p.base
	}
	return p.base + "?" + q.Encode()
}

// cut keeps one page of rows, given n rows read from the page's offset
// (up to adminPageSize+1: one more says there is a next page).
func cut[T any](p *pager, n int, rows []T) []T {
	if p.Page > 1 {
		p.Prev = p.link(p.Page - 1)
	}
	if n > adminPageSize {
		p.Next = p.link(p.Page + 1)
		rows = rows[:adminPageSize]
	}
	return rows
}

func (p *pager) cut(n int, rows []*model.Unit) []*model.Unit { return cut(p, n, rows) }

// pageUsers filters the users by ?q= (user name, display name, unit code
// or name; case and diacritics as typed, NFC) and cuts one page.
func pageUsers(c echo.Context, all []*model.User) (string, []*model.User, pager) {
	q := strings.TrimSpace(c.QueryParam("q"))
	p := newPager(c, "/admin/users", url.Values{"q": {q}})
	needle := strings.ToLower(norm.NFC.String(q))
	var hits []*model.User
	for _, u := range all {
		if needle == "" || strings.Contains(strings.ToLower(norm.NFC.String(u.Username+"\x00"+u.DisplayName+"\x00"+u.UnitCode+"\x00"+u.UnitName)), needle) {
			hits = append(hits, u)
		}
	}
	from := min(p.offset(), len(hits))
	to := min(from+adminPageSize+1, len(hits))
	return q, cut(&p, to-from, hits[from:to]), p
}
