package survey

import (
	"context"
	"sort"
	"strings"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// MaxNoticesPerPage bounds a page of notices.
const MaxNoticesPerPage = 100

// NotificationsPage returns the actor's in-app notices from offset,
// newest first, at most limit (1 to MaxNoticesPerPage).
func (s *Service) NotificationsPage(ctx context.Context, a *model.Actor, limit, offset int) (*model.NotificationPage, error) {
	if limit < 1 || limit > MaxNoticesPerPage || offset < 0 {
		fe := errkind.FieldErrors{}
		if limit < 1 || limit > MaxNoticesPerPage {
			fe.Add("per_page", "Số thông báo mỗi trang phải từ 1 đến 100.", "per_page must be from 1 to 100")
		}
		if offset < 0 {
			fe.Add("page", "Số trang phải từ 1 trở lên.", "page must be 1 or more")
		}
		return nil, wrap("notifications", fe)
	}
	out := &model.NotificationPage{Items: []model.Notification{}}
	if err := s.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE read_at IS NULL) FROM notifications WHERE user_id = $1 AND in_app`,
		a.UserID).Scan(&out.Total, &out.Unread); err != nil {
		return nil, wrap("notifications", err)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+notificationCols+` FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE n.user_id = $1 AND n.in_app ORDER BY n.id DESC LIMIT $2 OFFSET $3`, a.UserID, limit, offset)
	if err != nil {
		return nil, wrap("notifications", err)
	}
	items, err := pgx.CollectRows(rows, scanNotification)
	if err != nil {
		return nil, wrap("notifications", err)
	}
	if items != nil {
		out.Items = items
	}
	return out, nil
}

// UpdateNoticePrefs switches e-mail on or off for the kinds in set and
// leaves the others as they are; an unknown kind (or the password reset,
// which cannot be switched off) is refused and nothing changes.
func (s *Service) UpdateNoticePrefs(ctx context.Context, a *model.Actor, set map[model.NoticeKind]bool) error {
	known := map[model.NoticeKind]bool{}
	for _, k := range model.NoticeKinds {
		known[k] = true
	}
	var unknown []string
	for k := range set {
		if !known[k] {
			unknown = append(unknown, string(k))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		u := strings.Join(unknown, ", ")
		return wrap("notice preferences", errkind.Field("kinds", "Loại thông báo không tồn tại hoặc không tắt được: "+u, "no such notice kind, or one that cannot be switched off: "+u))
	}
	return wrap("notice preferences", s.inTx(ctx, func(tx pgx.Tx) error {
		for _, k := range model.NoticeKinds {
			on, ok := set[k]
			if !ok {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO notice_prefs (user_id, kind, email) VALUES ($1, $2, $3)
				ON CONFLICT (user_id, kind) DO UPDATE SET email = $3`, a.UserID, string(k), on); err != nil {
				return err
			}
		}
		return nil
	}))
}
