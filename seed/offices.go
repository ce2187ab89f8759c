package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Office campaigns of the demo (issue 13): the education offices are
// assessed too, on the moet-agency set, their roll-up indicators read from
// the school campaign of the same year.
//
//   - 2024-2025 (pre-2025 tree): Quỳnh Phụ's Phòng (338) fills its own
//     assessment (cb.338), Thái Bình's Sở (so.34) approves and publishes it
//     at the end of June 2025, before the districts close;
//   - 2025-2026 (34-province tree): every one of the 34 Sở is assessed.
//     The Sở of the provinces that hold demo schools (Hưng Yên's among
//     them, cb.33) and a handful of others (officeOthers) fill their own,
//     the Ministry's reviewer (bo.gddt) approves them and publishes them in
//     July 2026: the national ranking of the Sở. The others never start:
//     not submitted on the progress pages, absent from the rankings.

const (
	// officeDistrict is the Phòng that assessed itself in 2024-2025
	// (Quỳnh Phụ), officeProvince the Sở whose staff the story follows in
	// 2025-2026 (Hưng Yên).
	officeDistrict = "338"
	officeProvince = "33"
	officeSetCode  = "moet-agency"
)

// officeOthers are the Sở without demo schools that fill their 2025-2026
// assessment, with how well they do (0…1); their roll-ups, read from
// schools the demo does not have, are 0. The Sở of the provinces with demo
// schools do officeQuality.
var officeOthers = []struct {
	code    string
	quality float64
}{{"01", 0.97}, {"79", 0.95}, {"48", 0.9}, {"22", 0.75}, {"52", 0.5}, {"11", 0.3}}

// officeQuality is how well the Sở of a province with demo schools does
// in 2025-2026.
var officeQuality = map[string]float64{officeProvince: 0.7, "20": 0.45, "31": 0.6, "44": 0.95}

// office2025 are the Sở that fill their 2025-2026 assessment, by code: those
// of the provinces with demo schools, then officeOthers.
func (p *demoPlan) office2025() []string {
	out := slices.Clone(p.newProvs)
	for _, o := range officeOthers {
		if !slices.Contains(out, o.code) {
			out = append(out, o.code)
		}
	}
	return out
}

func (p *demoPlan) officeQuality2025(code string) float64 {
	for _, o := range officeOthers {
		if o.code == code {
			return o.quality
		}
	}
	if q, ok := officeQuality[code]; ok {
		return q
	}
	return 0.6
}

// officeStaffAccounts adds the demo's office accounts to the plan: the
// Ministry's reviewer, the office staff of Quỳnh Phụ's Phòng (when its
// province is in the demo) and of the Sở that fill their 2025-2026
// assessment (made by the reorganisation, or added to complete the
// 34-province tree).
func (p *demoPlan) officeStaffAccounts() {
	p.accounts = append(p.accounts, Account{Role: model.RoleMinistry, Username: "bo.gddt", UnitCode: MinistryCode, UnitName: "Bộ Giáo dục và Đào tạo",
		Note: "Bộ GDĐT: duyệt, công bố đánh giá các Sở"})
	for _, prov := range p.provinces {
		for _, d := range prov.Districts {
			if d.Code == officeDistrict {
				p.accounts = append(p.accounts, Account{Role: model.RoleOffice, Username: "cb." + d.Code, UnitCode: d.Code, UnitName: d.FullName,
					Note: "cán bộ Phòng GDĐT: tự đánh giá của Phòng 2024-2025 (đến 30/6/2025)"})
			}
		}
	}
	for _, code := range p.office2025() {
		note := "cán bộ Sở GDĐT (từ 01/7/2025): tự đánh giá của Sở 2025-2026, đã công bố"
		if code == officeProvince {
			note += "; các chỉ số tổng hợp từ kết quả các trường"
		}
		a := Account{Role: model.RoleOffice, Username: "cb." + code, UnitCode: code, UnitName: p.provName[code], Note: note}
		p.accounts = append(p.accounts, a)
		p.postReorg[a.Username] = true
	}
}

// officeFill is one office that fills its assessment in an office
// campaign, and when it does each step.
type officeFill struct {
	unit           string // the office
	staff          string // its account
	quality        float64
	filled, submit time.Time
	approve        time.Time
}

// officeRun is one office campaign of the demo.
type officeRun struct {
	name           string
	schoolCampaign int64
	opens, selfDue time.Time
	fills          []officeFill
	reviewer       string // who approves and publishes
	pub            time.Time
}

// officeCampaign creates the office campaign of run, fills each office's
// assessment, submits it (the roll-ups freeze), approves them and
// publishes them.
func (p *demoPlan) officeCampaign(ctx context.Context, pool *pgxpool.Pool, svc *survey.Service, admin *model.Actor, users map[string]int64, run officeRun) error {
	if users[run.reviewer] == 0 {
		return nil
	}
	var fills []officeFill
	for _, f := range run.fills {
		if users[f.staff] != 0 {
			fills = append(fills, f)
		}
	}
	if len(fills) == 0 {
		return nil // no office of this demo's provinces
	}
	st, err := setstore.Latest(ctx, pool, officeSetCode)
	if err != nil {
		return err
	}
	svc.Now = func() time.Time { return run.opens }
	c, err := svc.CreateCampaign(ctx, admin, model.CampaignInput{Name: run.name, SetCode: st.Set.Code, SetVersion: st.Set.Version, RootUnitCode: MinistryCode,
		OpensOn: time.Date(run.opens.Year(), run.opens.Month(), run.opens.Day(), 0, 0, 0, 0, time.UTC), SelfDue: run.selfDue, SchoolCampaignID: run.schoolCampaign})
	if err != nil {
		return fmt.Errorf("campaign %s: %w", run.name, err)
	}
	if _, err := pool.Exec(ctx, `UPDATE campaigns SET created_at = $2 WHERE id = $1`, c.ID, run.opens); err != nil {
		return err
	}
	actor := func(username string, role model.Role, unit string) (*model.Actor, error) {
		u, err := svc.UnitByCode(ctx, unit)
		if err != nil {
			return nil, err
		}
		return &model.Actor{UserID: users[username], Username: username, Role: role, UnitID: u.ID, UnitCode: u.Code, UnitPath: u.Path}, nil
	}
	var reviewer *model.Actor
	if run.reviewer == "bo.gddt" {
		reviewer, err = actor(run.reviewer, model.RoleMinistry, MinistryCode)
	} else {
		reviewer, err = actor(run.reviewer, model.RoleProvince, run.reviewer[len("so."):])
	}
	if err != nil {
		return err
	}
	for _, f := range fills {
		if err := p.officeFill(ctx, svc, st.Set, c.ID, run, f, actor, reviewer); err != nil {
			return err
		}
	}
	svc.Now = func() time.Time { return run.pub }
	note := "Công bố kết quả " + run.name
	if len(fills) == 1 {
		u, err := svc.UnitByCode(ctx, fills[0].unit)
		if err != nil {
			return err
		}
		note = "Công bố kết quả đánh giá " + u.Name + " – " + run.name
	}
	if _, err := svc.Publish(ctx, reviewer, c.ID, note); err != nil {
		return fmt.Errorf("%s: publish: %w", run.name, err)
	}
	return nil
}

// officeFill fills one office's assessment, submits it and has the
// reviewer approve it.
func (p *demoPlan) officeFill(ctx context.Context, svc *survey.Service, set *indicators.Set, campaignID int64, run officeRun, f officeFill,
	actor func(username string, role model.Role, unit string) (*model.Actor, error), reviewer *model.Actor) error {
	staff, err := actor(f.staff, model.RoleOffice, f.unit)
	if err != nil {
		return err
	}
	mine, err := svc.CampaignAssessments(ctx, staff, campaignID)
	if err != nil {
		return err
	}
	if len(mine) != 1 {
		return fmt.Errorf("%s: %d assessments for %s", run.name, len(mine), f.unit)
	}
	id := mine[0].ID
	x, err := svc.Assessment(ctx, staff, id)
	if err != nil {
		return err
	}
	r := rngFor(p.seed, "office "+f.unit+" "+run.name)
	svc.Now = func() time.Time { return f.filled }
	for _, ind := range set.Indicators() {
		if ind.IsRollup() {
			continue
		}
		raw, err := json.Marshal(drawAnswer(r, ind, f.quality))
		if err != nil {
			return err
		}
		version := 0
		if v := x.Answers[ind.Code]; v != nil {
			version = v.Version
		}
		if _, err := svc.SaveAnswer(ctx, staff, id, ind.Code, raw, version); err != nil {
			return fmt.Errorf("%s: %s: answer %s: %w", run.name, f.unit, ind.Code, err)
		}
		if ind.Evidence == "required" {
			link := fmt.Sprintf("https://%s.edu.vn/minh-chung/%d/%s", f.staff, run.opens.Year(), ind.Code)
			// Checked the day it was filled: the agency set takes evidence at
			// most a year old (fresh evidence, enforced on submit).
			if _, err := svc.AddDatedEvidenceLink(ctx, staff, id, ind.Code, link, f.filled); err != nil {
				return fmt.Errorf("%s: %s: evidence %s: %w", run.name, f.unit, ind.Code, err)
			}
		}
	}
	svc.Now = func() time.Time { return f.submit }
	if err := svc.Submit(ctx, staff, id); err != nil {
		return fmt.Errorf("%s: %s: submit: %w", run.name, f.unit, err)
	}
	svc.Now = func() time.Time { return f.approve }
	if err := svc.Approve(ctx, reviewer, id, "Duyệt kết quả tự đánh giá của "+x.UnitName+"."); err != nil {
		return fmt.Errorf("%s: %s: approve: %w", run.name, f.unit, err)
	}
	return nil
}

// officeRuns returns the office campaign of a school year, if the demo has
// one: 2024-2025 (Quỳnh Phụ's Phòng) or 2025-2026 (the Sở).
func (p *demoPlan) officeRun(start int) *officeRun {
	switch start {
	case 2024:
		return &officeRun{name: "Sở, Phòng GDĐT – năm học 2024-2025", opens: day(2025, time.June, 2, 9), selfDue: time.Date(2025, time.June, 28, 0, 0, 0, 0, time.UTC),
			fills: []officeFill{{unit: officeDistrict, staff: "cb." + officeDistrict, quality: 0.62,
				filled: day(2025, time.June, 20, 9), submit: day(2025, time.June, 27, 15), approve: day(2025, time.June, 29, 9)}},
			reviewer: "so.34", pub: day(2025, time.June, 30, 16)}
	case 2025:
		run := &officeRun{name: "Sở GDĐT – năm học 2025-2026", opens: day(2026, time.June, 1, 9), selfDue: time.Date(2026, time.July, 31, 0, 0, 0, 0, time.UTC),
			reviewer: "bo.gddt", pub: day(2026, time.July, 20, 10)}
		for i, code := range p.office2025() {
			f := officeFill{unit: code, staff: "cb." + code, quality: p.officeQuality2025(code),
				filled: day(2026, time.June, 15+i, 9), submit: day(2026, time.July, 1+i%9, 15), approve: day(2026, time.July, 11+i%5, 9)}
			if code == officeProvince { // Hưng Yên's dates, as the story tells them
				f.filled, f.submit, f.approve = day(2026, time.June, 25, 9), day(2026, time.July, 10, 15), day(2026, time.July, 15, 9)
			}
			run.fills = append(run.fills, f)
		}
		return run
	}
	return nil
}
