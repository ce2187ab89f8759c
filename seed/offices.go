package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/survey"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Office campaigns of the demo (issue 13): the education offices are
// assessed too, on the moet-agency set, their roll-up indicators read from
// the school campaign of the same year.
//
//   - 2024-2025 (pre-2025 tree): Quỳnh Phụ's Phòng (338) fills its own
//     assessment (cb.338), Thái Bình's Sở (so.34) approves and publishes it
//     at the end of June 2025, before the districts close;
//   - 2025-2026 (34-province tree): Hưng Yên's Sở (33) fills its own
//     (cb.33), the Ministry's reviewer (bo.gddt) approves and publishes it
//     in July 2026.

// officeStaffAccounts adds the demo's office accounts to the plan: the
// Ministry's reviewer, the office staff of Quỳnh Phụ's Phòng (when its
// province is in the demo) and of Hưng Yên's Sở (when the reorganisation
// made it).
func (p *demoPlan) officeStaffAccounts() {
	p.accounts = append(p.accounts, Account{Role: survey.RoleMinistry, Username: "bo.gddt", UnitCode: MinistryCode, UnitName: "Bộ Giáo dục và Đào tạo",
		Note: "Bộ GDĐT: duyệt, công bố đánh giá các Sở"})
	for _, prov := range p.provinces {
		for _, d := range prov.Districts {
			if d.Code == officeDistrict {
				p.accounts = append(p.accounts, Account{Role: survey.RoleOffice, Username: "cb." + d.Code, UnitCode: d.Code, UnitName: d.FullName,
					Note: "cán bộ Phòng GDĐT: tự đánh giá của Phòng 2024-2025 (đến 30/6/2025)"})
			}
		}
	}
	if slices.Contains(p.newProvs, officeProvince) {
		a := Account{Role: survey.RoleOffice, Username: "cb." + officeProvince, UnitCode: officeProvince, UnitName: p.provName[officeProvince],
			Note: "cán bộ Sở GDĐT (từ 01/7/2025): tự đánh giá của Sở 2025-2026, đã công bố"}
		p.accounts = append(p.accounts, a)
		p.postReorg[a.Username] = true
	}
}

const (
	// officeDistrict is the Phòng that assessed itself in 2024-2025
	// (Quỳnh Phụ), officeProvince the Sở in 2025-2026 (Hưng Yên).
	officeDistrict = "338"
	officeProvince = "33"
	officeSetCode  = "moet-agency"
)

// officeRun is one office campaign of the demo.
type officeRun struct {
	name           string
	schoolCampaign int64
	opens, selfDue time.Time
	unit           string // the office that fills its assessment
	staff          string // its account
	reviewer       string // who approves and publishes
	filled, submit time.Time
	approve, pub   time.Time
	quality        float64
}

// officeCampaign creates the office campaign of run, fills the office's
// assessment, submits it (the roll-ups freeze), approves and publishes it.
func (p *demoPlan) officeCampaign(ctx context.Context, pool *pgxpool.Pool, svc *survey.Service, admin *survey.Actor, users map[string]int64, run officeRun) error {
	if users[run.staff] == 0 || users[run.reviewer] == 0 {
		return nil // the office is not in this demo's provinces
	}
	st, err := indicators.Latest(ctx, pool, officeSetCode)
	if err != nil {
		return err
	}
	svc.Now = func() time.Time { return run.opens }
	c, err := svc.CreateCampaign(ctx, admin, survey.CampaignInput{Name: run.name, SetCode: st.Set.Code, SetVersion: st.Set.Version, RootUnitCode: MinistryCode,
		OpensOn: time.Date(run.opens.Year(), run.opens.Month(), run.opens.Day(), 0, 0, 0, 0, time.UTC), SelfDue: run.selfDue, SchoolCampaignID: run.schoolCampaign})
	if err != nil {
		return fmt.Errorf("campaign %s: %w", run.name, err)
	}
	if _, err := pool.Exec(ctx, `UPDATE campaigns SET created_at = $2 WHERE id = $1`, c.ID, run.opens); err != nil {
		return err
	}
	actor := func(username string, role survey.Role, unit string) (*survey.Actor, error) {
		u, err := svc.UnitByCode(ctx, unit)
		if err != nil {
			return nil, err
		}
		return &survey.Actor{UserID: users[username], Username: username, Role: role, UnitID: u.ID, UnitCode: u.Code, UnitPath: u.Path}, nil
	}
	staff, err := actor(run.staff, survey.RoleOffice, run.unit)
	if err != nil {
		return err
	}
	var reviewer *survey.Actor
	if run.reviewer == "bo.gddt" {
		reviewer, err = actor(run.reviewer, survey.RoleMinistry, MinistryCode)
	} else {
		reviewer, err = actor(run.reviewer, survey.RoleProvince, run.reviewer[len("so."):])
	}
	if err != nil {
		return err
	}
	mine, err := svc.CampaignAssessments(ctx, staff, c.ID)
	if err != nil {
		return err
	}
	if len(mine) != 1 {
		return fmt.Errorf("%s: %d assessments for %s", run.name, len(mine), run.unit)
	}
	id := mine[0].ID
	x, err := svc.Assessment(ctx, staff, id)
	if err != nil {
		return err
	}
	r := rngFor(p.seed, "office "+run.unit+" "+run.name)
	svc.Now = func() time.Time { return run.filled }
	for _, ind := range st.Set.Indicators() {
		if ind.IsRollup() {
			continue
		}
		raw, err := json.Marshal(drawAnswer(r, ind, run.quality))
		if err != nil {
			return err
		}
		version := 0
		if v := x.Answers[ind.Code]; v != nil {
			version = v.Version
		}
		if _, err := svc.SaveAnswer(ctx, staff, id, ind.Code, raw, version); err != nil {
			return fmt.Errorf("%s: answer %s: %w", run.name, ind.Code, err)
		}
		if ind.Evidence == "required" {
			link := fmt.Sprintf("https://%s.edu.vn/minh-chung/%d/%s", run.staff, run.opens.Year(), ind.Code)
			// Checked the day it was filled: the agency set takes evidence at
			// most a year old (fresh evidence, enforced on submit).
			if _, err := svc.AddDatedEvidenceLink(ctx, staff, id, ind.Code, link, run.filled); err != nil {
				return fmt.Errorf("%s: evidence %s: %w", run.name, ind.Code, err)
			}
		}
	}
	svc.Now = func() time.Time { return run.submit }
	if err := svc.Submit(ctx, staff, id); err != nil {
		return fmt.Errorf("%s: submit: %w", run.name, err)
	}
	svc.Now = func() time.Time { return run.approve }
	if err := svc.Approve(ctx, reviewer, id, "Duyệt kết quả tự đánh giá của "+x.UnitName+"."); err != nil {
		return fmt.Errorf("%s: approve: %w", run.name, err)
	}
	svc.Now = func() time.Time { return run.pub }
	if _, err := svc.Publish(ctx, reviewer, c.ID, "Công bố kết quả đánh giá "+x.UnitName+" – "+run.name); err != nil {
		return fmt.Errorf("%s: publish: %w", run.name, err)
	}
	return nil
}
