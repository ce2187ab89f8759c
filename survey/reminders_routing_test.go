package survey

import (
	"context"
	"github.com/dxindex/dxindex/survey/model"
	"strings"
	"testing"
	"time"
)

// TestReviewsDueGoToTheRoutedOffice: 3 days before the publication date,
// the reminder of open reviews goes only to the office the campaign routes
// each school to — the commune for lower-secondary schools, the Sở for
// upper-secondary ones — each counting its own; a level routed nowhere
// (primary here) still reaches every evaluator above the school.
func TestReviewsDueGoToTheRoutedOffice(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	cw := reorgFixture(t, s)
	if _, err := s.Reorganize(ctx, root, cw, time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), false); err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateCampaign(ctx, root, model.CampaignInput{Name: "Năm học 2025-2026", SetCode: "moet-4725", RootUnitCode: "33"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetReviewRouting(ctx, root, c.ID, map[string]string{"lower_secondary": model.OfficeCommune, "upper_secondary": OfficeProvince}); err != nil {
		t.Fatal(err)
	}
	user := func(code string, role model.Role) *model.Actor {
		name := string(role) + "." + strings.ToLower(code)
		u, err := s.CreateUserBootstrap(ctx, model.UserInput{Username: name, Role: role, UnitCode: code, Password: "password-" + name})
		if err != nil {
			t.Fatal(err)
		}
		return &model.Actor{UserID: u.ID, Username: name, Role: role}
	}
	xa, xaAnBai, so := user("90001", model.RoleCommune), user("12800", model.RoleCommune), user("33", model.RoleProvince)
	// S1 (lower secondary) and S2 (upper secondary) in commune 90001, S3
	// (primary) in commune 12800: all submitted, none reviewed.
	if _, err := s.pool.Exec(ctx, `UPDATE assessments x SET status = 'submitted', submitted_at = now() FROM units u
		WHERE u.id = x.unit_id AND x.campaign_id = $1 AND u.code IN ('S1', 'S2', 'S3')`, c.ID); err != nil {
		t.Fatal(err)
	}
	var due time.Time
	if err := s.pool.QueryRow(ctx, `SELECT review_due FROM campaigns WHERE id = $1`, c.ID).Scan(&due); err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return time.Date(due.Year(), due.Month(), due.Day()-3, 8, 0, 0, 0, model.Vietnam) }
	if _, err := s.SendScheduledReminders(ctx); err != nil {
		t.Fatal(err)
	}
	open := func(a *model.Actor) string {
		t.Helper()
		list, err := s.Notifications(ctx, a, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, n := range list {
			if n.Kind == model.NoticeReviewsDue {
				got = append(got, n.Params["open"])
			}
		}
		return strings.Join(got, ",")
	}
	// The commune: S1 only (S2 is the Sở's). The Sở: S2, and S3 whose
	// level is routed nowhere — not S1. The other commune: S3.
	if got := open(xa); got != "1" {
		t.Errorf("commune 90001 told of %q open reviews, want 1", got)
	}
	if got := open(so); got != "2" {
		t.Errorf("the Sở told of %q open reviews, want 2", got)
	}
	if got := open(xaAnBai); got != "1" {
		t.Errorf("commune 12800 told of %q open reviews, want 1", got)
	}
	// Without the routing, every evaluator above hears of every school.
	if _, err := s.pool.Exec(ctx, `DELETE FROM notifications`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetReviewRouting(ctx, root, c.ID, map[string]string{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendScheduledReminders(ctx); err != nil {
		t.Fatal(err)
	}
	if a, b := open(xa), open(so); a != "2" || b != "3" {
		t.Errorf("unrouted: commune %q, Sở %q; want 2 and 3", a, b)
	}
}
