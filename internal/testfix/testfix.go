// Package testfix builds the small worlds tests start from, through the
// survey service (never raw inserts): a province, a district and schools,
// people, a campaign open now.
package testfix

import (
	"context"
	"testing"
	"time"

	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
)

// Root acts as the system (an admin without a unit).
var Root = &model.Actor{Role: model.RoleAdmin}

// QuynhPhu is Thái Bình › Quỳnh Phụ › one lower-secondary school, A1.
var QuynhPhu = []model.UnitInput{
	{Code: "34", Name: "Thái Bình", Kind: "province"},
	{Code: "338", Name: "Quỳnh Phụ", Kind: "district", ParentCode: "34"},
	{Code: "A1", Name: "Trường THCS An Bài", Kind: "school", ParentCode: "338", SchoolLevels: []string{"lower_secondary"}},
}

// Units creates units in order (parents first) and installs the shipped
// indicator sets, so campaigns can be opened on them.
func Units(tb testing.TB, svc *survey.Service, units ...model.UnitInput) {
	tb.Helper()
	ctx := context.Background()
	if _, err := svc.InstallShippedSets(ctx); err != nil {
		tb.Fatal(err)
	}
	for _, u := range units {
		if _, err := svc.CreateUnit(ctx, Root, u); err != nil {
			tb.Fatalf("testfix: unit %s: %v", u.Code, err)
		}
	}
}

// Users creates users.
func Users(tb testing.TB, svc *survey.Service, users ...model.UserInput) {
	tb.Helper()
	for _, u := range users {
		if _, err := svc.CreateUserBootstrap(context.Background(), u); err != nil {
			tb.Fatalf("testfix: user %s: %v", u.Username, err)
		}
	}
}

// OpenCampaign opens a campaign on set over root's subtree that opened a
// month ago and is due in a month (review in two), and returns it with its
// assessments.
func OpenCampaign(tb testing.TB, svc *survey.Service, set, root string) (*model.Campaign, []model.AssessmentRow) {
	tb.Helper()
	ctx := context.Background()
	now := time.Now()
	c, err := svc.CreateCampaign(ctx, Root, model.CampaignInput{Name: "Năm học thử nghiệm", SetCode: set, RootUnitCode: root,
		OpensOn: now.AddDate(0, -1, 0), SelfDue: now.AddDate(0, 1, 0), ReviewDue: now.AddDate(0, 2, 0)})
	if err != nil {
		tb.Fatalf("testfix: campaign: %v", err)
	}
	rows, err := svc.CampaignAssessments(ctx, Root, c.ID)
	if err != nil {
		tb.Fatalf("testfix: assessments: %v", err)
	}
	return c, rows
}
