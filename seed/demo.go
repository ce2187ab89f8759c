package seed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/dxindex/dxindex/dashboard"
	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/setstore"
	"github.com/dxindex/dxindex/seed/crosswalk"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// MinistryCode is the code of the unit above the provinces: campaigns that
// span several provinces (the demo's, the national data set's) are rooted
// there, and each province's Sở reviews and publishes its own part.
const MinistryCode = "BGDDT"

// DemoProvinces are the provinces of the demo, by GSO code: Thái Bình,
// Lạng Sơn, Hải Phòng and Quảng Trị.
var DemoProvinces = []string{"34", "20", "31", "45"}

// demoMarker is the app_settings key recording that the demo was loaded.
const demoMarker = "seed.demo"

// Progress reports a step's progress (done of total); nil reports nothing.
type Progress func(step string, done, total int)

func (p Progress) report(step string, done, total int) {
	if p != nil {
		p(step, done, total)
	}
}

// DemoOptions configure Demo.
type DemoOptions struct {
	// Seed makes the random draws; the same seed gives the same data.
	Seed uint64
	// Provinces to load (GSO codes); empty: DemoProvinces.
	Provinces []string
	Progress  Progress

	// beforeReorg stops the demo before the July 2025 reorganisation (the
	// three campaigns on the pre-2025 tree only): the reorganisation test
	// runs it on that copy.
	beforeReorg bool
}

// Account is a demo account, printed so people can sign in.
type Account struct {
	Role     model.Role `json:"role"`
	Username string     `json:"username"`
	Password string     `json:"password"`
	UnitCode string     `json:"unit_code"`
	UnitName string     `json:"unit_name"`
	Note     string     `json:"note,omitempty"`
}

// DemoResult says what Demo did.
type DemoResult struct {
	// Created is false when the demo was already there (nothing changed).
	Created     bool
	Seed        uint64
	Accounts    []Account
	Schools     int
	Assessments int
	Campaigns   []string
}

type demoMarkerValue struct {
	Seed      uint64   `json:"seed"`
	Provinces []string `json:"provinces"`
	Usernames []string `json:"usernames"`
}

// demoPlan is everything the demo builds before touching the database:
// deterministic for a seed.
type demoPlan struct {
	seed      uint64
	provinces []*Province
	units     []unitRow
	schools   []school
	district  map[string]*District // by school code
	accounts  []Account
	dBase     map[string]float64 // district quality
	pilot     map[string]bool    // Hải Phòng's pilot schools (2022-2023)
	showcase  map[string]string  // school code → state in the current campaign
	// After the July 2025 reorganisation (by the shipped crosswalk):
	newCommune  map[string]string // school code → the commune that took over its old commune
	newProvince map[string]string // school code → its province since July 2025
	newProvs    []string          // provinces since July 2025 that hold demo schools, by code
	postReorg   map[string]bool   // usernames of the accounts of units new in July 2025
	provName    map[string]string // names of the provinces since July 2025, by code
}

func buildDemo(seed uint64, provinceCodes []string) (*demoPlan, error) {
	p := &demoPlan{seed: seed, district: map[string]*District{}, dBase: map[string]float64{}, pilot: map[string]bool{}, showcase: map[string]string{},
		newCommune: map[string]string{}, newProvince: map[string]string{}, postReorg: map[string]bool{}}
	p.units = append(p.units, unitRow{code: MinistryCode, name: "Bộ Giáo dục và Đào tạo", kind: "ministry", depth: 0})
	p.accounts = append(p.accounts, Account{Role: model.RoleAdmin, Username: "admin", UnitName: "(toàn hệ thống)", Note: "quản trị"})
	for _, code := range provinceCodes {
		prov, err := provinceByCode(code)
		if err != nil {
			return nil, err
		}
		p.provinces = append(p.provinces, prov)
		p.units = append(p.units, unitRow{code: prov.Code, name: prov.FullName, kind: "province", parent: MinistryCode, depth: 1})
		p.accounts = append(p.accounts, Account{Role: model.RoleProvince, Username: "so." + prov.Code, UnitCode: prov.Code, UnitName: prov.FullName, Note: "Sở GDĐT"})
		for _, d := range prov.Districts {
			p.units = append(p.units, unitRow{code: d.Code, name: d.FullName, kind: "district", parent: prov.Code, depth: 2})
			p.accounts = append(p.accounts, Account{Role: model.RoleDistrict, Username: "phong." + d.Code, UnitCode: d.Code, UnitName: d.FullName, Note: "Phòng GDĐT"})
			r := rngFor(seed, "district "+d.Code)
			c := max(len(d.Communes), 1)
			n, students, staff := int(math.Round(float64(c)*(2.3+0.5*r.Float64()))), 0, 0
			students = int(float64(c) * 1340 * (0.8 + 0.4*r.Float64()))
			base := 0.32 + 0.33*r.Float64()
			if strings.HasPrefix(d.FullName, "Thành phố") || strings.HasPrefix(d.FullName, "Quận") {
				base += 0.1
			}
			switch d.Code {
			case "338": // Quỳnh Phụ: 90 schools, about 47,000 students and 2,000 staff
				n, students, staff, base = 90, 47000, 2000, 0.55
			case "178": // Thành phố Lạng Sơn: 30 public schools, 12 with primary classes
				n = 30
			}
			p.dBase[d.Code] = base
			// Quỳnh Phụ's 90 are the schools Decision 4725 assesses: its
			// district evaluator's list is the 90 of the story.
			ss := districtSchools(r, d, n, students, staff, d.Code != "338")
			for _, s := range ss {
				p.district[s.Code] = d
			}
			p.schools = append(p.schools, ss...)
		}
	}
	for _, s := range p.schools {
		p.units = append(p.units, unitRow{code: s.Code, name: s.Name, kind: "school", parent: s.DistrictCode, depth: 3,
			levels: s.Levels, students: intp(s.Students), teachers: intp(s.Teachers), staff: intp(s.Staff), commune: s.CommuneCode})
	}
	// Hải Phòng's 42 pilot units, spread over the city's districts.
	var hp []string
	for _, s := range p.schools {
		if p.district[s.Code].ProvinceCode == "31" && s.Levels[0] != "preschool" {
			hp = append(hp, s.Code)
		}
	}
	if len(hp) > 0 {
		for i := 0; i < 42 && i < len(hp); i++ {
			p.pilot[hp[i*len(hp)/42]] = true
		}
	}
	// Principals: Quỳnh Phụ's first assessed schools, one per state of the
	// current campaign, and one school of Thành phố Lạng Sơn.
	states := []string{"draft", "returned", "submitted", "approved"}
	for _, s := range p.schools {
		if len(p.showcase) == len(states) {
			break
		}
		if s.DistrictCode == "338" && s.Levels[0] != "preschool" {
			st := states[len(p.showcase)]
			p.showcase[s.Code] = st
			p.accounts = append(p.accounts, Account{Role: model.RoleSchool, Username: "ht." + s.Code, UnitCode: s.Code, UnitName: s.Name,
				Note: "hiệu trưởng; 2024-2025: " + stateVI[st] + "; 2026-2027: " + stateNowVI[st]})
		}
	}
	for _, s := range p.schools {
		if s.DistrictCode == "178" && s.Levels[0] == "primary" {
			p.accounts = append(p.accounts, Account{Role: model.RoleSchool, Username: "ht." + s.Code, UnitCode: s.Code, UnitName: s.Name, Note: "hiệu trưởng"})
			break
		}
	}
	if slices.Contains(provinceCodes, "34") {
		p.accounts = append(p.accounts, Account{Role: model.RoleViewer, Username: "lanhdao.34", UnitCode: "34", UnitName: "Tỉnh Thái Bình", Note: "lãnh đạo (chỉ xem)"})
	}
	if err := p.planReorg(); err != nil {
		return nil, err
	}
	p.officeStaffAccounts()
	for i := range p.accounts {
		p.accounts[i].Password = "demo-" + p.accounts[i].Username
	}
	return p, nil
}

// reviewedByCommune are the districts whose schools' new communes get a
// reviewer account in the demo (Quỳnh Phụ and Thành phố Lạng Sơn); the
// other communes' schools are reviewed by their Sở, which may review any
// school of its province.
var reviewedByCommune = map[string]bool{"338": true, "178": true}

// planReorg works out, from the shipped crosswalk and by code only, where
// each school stands after 1 July 2025, and the accounts of the offices
// new then: the Sở of a province new in the July 2025 tree (so.33, Hưng
// Yên, which took over Thái Bình) and the commune reviewers (xa.<code>).
func (p *demoPlan) planReorg() error {
	cw, err := crosswalk.July2025(nil)
	if err != nil {
		return err
	}
	byOld := map[string][]string{}
	for _, r := range cw.Rows {
		if r.OldCode != "" && !slices.Contains(byOld[r.OldCode], r.NewCode) {
			byOld[r.OldCode] = append(byOld[r.OldCode], r.NewCode)
		}
	}
	comm := map[string]model.NewCommune{}
	for _, c := range cw.Communes {
		comm[c.Code] = c
	}
	provName := map[string]string{}
	p.provName = provName
	for _, pr := range cw.Provinces {
		provName[pr.Code] = pr.Name
	}
	oldProv := map[string]bool{}
	for _, pr := range p.provinces {
		oldProv[pr.Code] = true
	}
	seenProv, seenComm := map[string]bool{}, map[string]bool{}
	var communes []string
	for _, s := range p.schools {
		to := byOld[s.CommuneCode]
		if len(to) != 1 {
			continue // reported by the reorganisation for a person to move
		}
		c, ok := comm[to[0]]
		if !ok {
			continue
		}
		p.newCommune[s.Code], p.newProvince[s.Code] = c.Code, c.ProvinceCode
		if !seenProv[c.ProvinceCode] {
			seenProv[c.ProvinceCode] = true
			p.newProvs = append(p.newProvs, c.ProvinceCode)
		}
		if reviewedByCommune[s.DistrictCode] && !seenComm[c.Code] {
			seenComm[c.Code] = true
			communes = append(communes, c.Code)
		}
	}
	slices.Sort(p.newProvs)
	// The offices that closed on 30 June 2025 keep their accounts, for
	// the campaigns they ran.
	for i, a := range p.accounts {
		if a.Role == model.RoleDistrict || (a.UnitCode != "" && a.Role != model.RoleSchool && oldProv[a.UnitCode] && !slices.Contains(p.newProvs, a.UnitCode)) {
			p.accounts[i].Note += " (đến 30/6/2025)"
		}
	}
	for _, code := range p.newProvs {
		if oldProv[code] {
			continue // the province kept its code: its Sở keeps its account
		}
		a := Account{Role: model.RoleProvince, Username: "so." + code, UnitCode: code, UnitName: provName[code], Note: "Sở GDĐT (từ 01/7/2025)"}
		p.accounts = append(p.accounts, a)
		p.postReorg[a.Username] = true
	}
	slices.Sort(communes)
	for _, code := range communes {
		a := Account{Role: model.RoleCommune, Username: "xa." + code, UnitCode: code, UnitName: comm[code].Name,
			Note: "UBND xã/phường – Phòng VH-XH (từ 01/7/2025): tiểu học, THCS, liên cấp"}
		p.accounts = append(p.accounts, a)
		p.postReorg[a.Username] = true
	}
	return nil
}

var stateVI = map[string]string{"draft": "đang tự đánh giá (quá hạn)", "returned": "bị trả lại", "submitted": "đã nộp, chờ duyệt", "approved": "đã duyệt"}

// stateNowVI is the showcase's state in 2026-2027, where no deadline has
// passed yet.
var stateNowVI = map[string]string{"draft": "đang tự đánh giá", "returned": "bị trả lại", "submitted": "đã nộp, chờ xã duyệt", "approved": "đã duyệt, đã công bố"}

// Demo loads the demo data `make run` opens on: the Ministry, four real
// provinces with all their districts (pre-2025 tree), synthetic schools on
// real communes, demo accounts for every role, and five campaigns on
// moet-4725. 2022-2023 and 2023-2024 are approved and published; 2024-2025
// shows every workflow state, its approved schools published in June 2025.
// Then the July 2025 reorganisation runs (the shipped crosswalk): Thái Bình
// becomes part of Hưng Yên (33), the districts retire, the schools stand
// under the new communes. 2025-2026 and 2026-2027 are opened on that tree
// with the 2025 review routing (communes and the Sở): 2025-2026 published,
// 2026-2027 in progress in every state, its approved schools published in a
// first part. It is deterministic for a seed and idempotent: on a database
// that has the demo it changes nothing and returns the accounts.
func Demo(ctx context.Context, pool *pgxpool.Pool, opts DemoOptions) (*DemoResult, error) {
	provs := opts.Provinces
	if len(provs) == 0 {
		provs = DemoProvinces
	}
	var raw []byte
	err := pool.QueryRow(ctx, `SELECT value FROM app_settings WHERE key = $1`, demoMarker).Scan(&raw)
	if err == nil {
		var m demoMarkerValue
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("seed: demo marker: %w", err)
		}
		p, err := buildDemo(m.Seed, m.Provinces)
		if err != nil {
			return nil, err
		}
		return &DemoResult{Created: false, Seed: m.Seed, Accounts: p.accounts}, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if err := checkEmpty(ctx, pool); err != nil {
		return nil, err
	}
	p, err := buildDemo(opts.Seed, provs)
	if err != nil {
		return nil, err
	}
	res, err := p.load(ctx, pool, opts.Progress, opts.beforeReorg)
	if err != nil {
		return nil, err
	}
	m := demoMarkerValue{Seed: opts.Seed, Provinces: provs}
	for _, a := range p.accounts {
		m.Usernames = append(m.Usernames, a.Username)
	}
	b, _ := json.Marshal(m)
	if _, err := pool.Exec(ctx, `INSERT INTO app_settings (key, value) VALUES ($1, $2)`, demoMarker, b); err != nil {
		return nil, fmt.Errorf("seed: demo marker: %w", err)
	}
	return res, nil
}

// ErrNotEmpty is returned when the demo or the national data set would be
// loaded into a database that already holds units or users (real data, or
// the other data set): seeding never mixes with existing data.
var ErrNotEmpty = errors.New("seed: the database already holds units or users; the demo and the national data set load into an empty database")

func checkEmpty(ctx context.Context, pool *pgxpool.Pool) error {
	var used bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM units) OR EXISTS (SELECT 1 FROM users)`).Scan(&used); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if used {
		return ErrNotEmpty
	}
	return nil
}

// DemoAccountsPresent reports whether demo accounts (with their published
// passwords) can still sign in: the demo was loaded and one of its
// accounts exists unlocked. `serve --production` refuses to start then.
func DemoAccountsPresent(ctx context.Context, db interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (bool, error) {
	var raw []byte
	err := db.QueryRow(ctx, `SELECT value FROM app_settings WHERE key = $1`, demoMarker).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("seed: demo marker: %w", err)
	}
	var m demoMarkerValue
	if err := json.Unmarshal(raw, &m); err != nil {
		return false, fmt.Errorf("seed: demo marker: %w", err)
	}
	var present bool
	err = db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE username = ANY($1) AND locked_at IS NULL)`, m.Usernames).Scan(&present)
	if err != nil {
		return false, fmt.Errorf("seed: demo accounts: %w", err)
	}
	return present, nil
}

// vn is Vietnam's time zone (UTC+7).
var vn = time.FixedZone("ICT", 7*3600)

func day(y int, m time.Month, d, hour int) time.Time { return time.Date(y, m, d, hour, 0, 0, 0, vn) }

// campaignYear is one school year of the demo.
type campaignYear struct {
	start int    // 2022 for 2022-2023
	mode  string // published | current | open
}

// seedService is the service a seed works through, with the shipped sets
// installed, and the set its campaigns use (the latest moet-4725). The
// read model is built as it publishes.
func seedService(ctx context.Context, pool *pgxpool.Pool) (*survey.Service, *indicators.Set, error) {
	svc := survey.NewService(pool)
	svc.OnPublish = dashboard.BuildReadModel
	if _, err := svc.InstallShippedSets(ctx); err != nil {
		return nil, nil, err
	}
	st, err := setstore.Latest(ctx, pool, "moet-4725")
	if err != nil {
		return nil, nil, err
	}
	return svc, st.Set, nil
}

func (p *demoPlan) load(ctx context.Context, pool *pgxpool.Pool, progress Progress, beforeReorg bool) (*DemoResult, error) {
	svc, set, err := seedService(ctx, pool)
	if err != nil {
		return nil, err
	}
	progress.report("units", 0, len(p.units))
	if err := loadUnits(ctx, pool, p.units); err != nil {
		return nil, fmt.Errorf("seed: units: %w", err)
	}
	progress.report("units", len(p.units), len(p.units))

	// Accounts, through the survey service; those of units new in July
	// 2025 once the reorganisation has made them.
	users := map[string]int64{}
	createAccounts := func(post bool) error {
		for i, a := range p.accounts {
			if p.postReorg[a.Username] != post {
				continue
			}
			// Every demo account has an address on a domain that can never
			// exist (RFC 2606's .invalid), so the demo's notices queue as
			// e-mail (the admin's mail page shows them) and none can reach
			// anyone even when SMTP is set.
			u, err := svc.CreateUserBootstrap(ctx, model.UserInput{Username: a.Username, DisplayName: displayName(a), Role: a.Role, UnitCode: a.UnitCode, Password: a.Password,
				Email: a.Username + "@demo.dxindex.invalid"})
			if err != nil {
				return fmt.Errorf("seed: account %s: %w", a.Username, err)
			}
			users[a.Username] = u.ID
			progress.report("accounts", i+1, len(p.accounts))
		}
		return nil
	}
	if err := createAccounts(false); err != nil {
		return nil, err
	}

	res := &DemoResult{Created: true, Seed: p.seed, Accounts: p.accounts, Schools: len(p.schools)}
	admin := &model.Actor{Role: model.RoleAdmin, Username: "admin", UserID: users["admin"]}
	// Three school years on the pre-2025 tree (province → district →
	// school, district reviewers); 2024-2025 was cut short by the
	// reorganisation: each Sở published what was approved by the end of
	// June 2025. Then the reorganisation of 1 July 2025, and two school
	// years on the new tree (province → commune → school), reviewed by the
	// communes and the Sở: 2025-2026 published, 2026-2027 in progress,
	// with a first publication of the schools already approved.
	years := []campaignYear{{2022, "published"}, {2023, "published"}, {2024, "current"}, {2025, "published"}, {2026, "current"}}
	for yi, y := range years {
		if y.start == 2025 {
			if beforeReorg {
				break
			}
			progress.report("reorganize", 0, 1)
			cw, err := crosswalk.July2025(nil)
			if err != nil {
				return nil, err
			}
			if _, err := svc.Reorganize(ctx, admin, cw, time.Date(2025, time.July, 1, 0, 0, 0, 0, time.UTC), false); err != nil {
				return nil, fmt.Errorf("seed: reorganize: %w", err)
			}
			// The reorganisation makes the provinces that receive demo
			// schools; the other provinces of the 34 are there too, each
			// with its Sở, without schools (nor communes).
			if err := addOtherProvinces(ctx, pool, svc, admin, cw); err != nil {
				return nil, err
			}
			progress.report("reorganize", 1, 1)
			if err := createAccounts(true); err != nil {
				return nil, err
			}
		}
		name := fmt.Sprintf("Năm học %d-%d", y.start, y.start+1)
		opens := day(y.start, time.October, 3, 9)
		selfDue := time.Date(y.start+1, time.May, 31, 0, 0, 0, 0, time.UTC)
		if y.start == 2026 {
			opens = day(y.start, time.October, 1, 9)
		}
		svc.Now = func() time.Time { return opens }
		c, err := svc.CreateCampaign(ctx, admin, model.CampaignInput{Name: name, SetCode: set.Code, SetVersion: set.Version, RootUnitCode: MinistryCode,
			OpensOn: time.Date(opens.Year(), opens.Month(), opens.Day(), 0, 0, 0, 0, time.UTC), SelfDue: selfDue})
		if err != nil {
			return nil, fmt.Errorf("seed: campaign %s: %w", name, err)
		}
		res.Campaigns = append(res.Campaigns, name)
		if _, err := pool.Exec(ctx, `UPDATE campaigns SET created_at = $2 WHERE id = $1`, c.ID, opens); err != nil {
			return nil, err
		}
		if y.start >= 2025 {
			if _, err := svc.SetReviewRouting(ctx, admin, c.ID, survey.DefaultRouting2025()); err != nil {
				return nil, fmt.Errorf("seed: %s: review routing: %w", name, err)
			}
		}
		if y.start == 2022 {
			// The 2022-2023 round was Hải Phòng's pilot: only its 42 pilot
			// units took part there.
			var drop []string
			for _, s := range p.schools {
				if p.district[s.Code].ProvinceCode == "31" && !p.pilot[s.Code] {
					drop = append(drop, s.Code)
				}
			}
			if _, err := pool.Exec(ctx, `DELETE FROM assessments WHERE campaign_id = $1 AND unit_id IN (SELECT id FROM units WHERE code = ANY($2))`, c.ID, drop); err != nil {
				return nil, err
			}
		}
		refs, err := listAssessments(ctx, pool, c.ID)
		if err != nil {
			return nil, err
		}
		plans := make([]*plannedAssessment, 0, len(refs))
		for _, ref := range refs {
			plans = append(plans, p.planAssessment(set, ref, y, yi, users))
		}
		progress.report(name, 0, len(plans))
		if err := writeAssessments(ctx, pool, set, plans); err != nil {
			return nil, fmt.Errorf("seed: %s: %w", name, err)
		}
		res.Assessments += len(plans)
		progress.report(name, len(plans), len(plans))
		// Each Sở publishes its province: in early July; 2024-2025 what was
		// approved before the districts closed on 30 June 2025; 2026-2027 a
		// first part, the schools approved by the end of November 2026.
		provs := p.newProvs
		if y.start < 2025 {
			provs = nil
			for _, prov := range p.provinces {
				provs = append(provs, prov.Code)
			}
		}
		for i, code := range provs {
			u, err := svc.UnitByCode(ctx, code)
			if err != nil {
				return nil, err
			}
			at, note := day(y.start+1, time.July, 3+i, 10), "Công bố kết quả "+name+" của "+u.Name
			switch y.start {
			case 2024:
				at, note = day(2025, time.June, 26+i, 10), "Công bố kết quả "+name+" của "+u.Name+" (các trường đã được duyệt trước khi sắp xếp đơn vị hành chính)"
			case 2026:
				at, note = day(2026, time.December, 1, 10+i), "Công bố đợt 1 kết quả "+name+" của "+u.Name+" (các trường đã được duyệt)"
			}
			svc.Now = func() time.Time { return at }
			a := &model.Actor{UserID: users["so."+code], Username: "so." + code, Role: model.RoleProvince, UnitID: u.ID, UnitCode: u.Code, UnitPath: u.Path}
			if _, err := svc.Publish(ctx, a, c.ID, note); err != nil {
				return nil, fmt.Errorf("seed: publish %s %s: %w", name, code, err)
			}
		}
		// The offices assess themselves too (issue 13).
		if run := p.officeRun(y.start); run != nil {
			run.schoolCampaign = c.ID
			if err := p.officeCampaign(ctx, pool, svc, admin, users, *run); err != nil {
				return nil, fmt.Errorf("seed: %w", err)
			}
			if users[run.reviewer] != 0 && users[run.fills[0].staff] != 0 {
				res.Campaigns = append(res.Campaigns, run.name)
			}
		}
	}
	return res, nil
}

func displayName(a Account) string {
	switch a.Role {
	case model.RoleAdmin:
		return "Quản trị hệ thống"
	case model.RoleProvince:
		return "Chuyên viên Sở GDĐT " + strings.TrimPrefix(strings.TrimPrefix(a.UnitName, "Tỉnh "), "Thành phố ")
	case model.RoleDistrict:
		return "Chuyên viên Phòng GDĐT " + a.UnitName
	case model.RoleCommune:
		return "Chuyên viên Phòng Văn hóa – Xã hội " + a.UnitName
	case model.RoleSchool:
		return "Hiệu trưởng " + a.UnitName
	case model.RoleMinistry:
		return "Chuyên viên Bộ GDĐT"
	case model.RoleOffice:
		return "Cán bộ " + a.UnitName
	}
	return "Lãnh đạo " + a.UnitName
}

// quality is how well a school does in a year (0…1): its district's
// level, the school's own, a yearly improvement, and for a few schools a
// setback in 2024-2025.
func (p *demoPlan) quality(code string, yearIndex int) float64 {
	r := rngFor(p.seed, "quality "+code)
	base := p.dBase[p.district[code].Code] + (r.Float64()-0.5)*0.3
	growth := 0.04 + 0.08*r.Float64()
	q := base + growth*float64(yearIndex)
	if r.Float64() < 0.08 && yearIndex >= 2 {
		q -= 0.12 + growth
	}
	return math.Min(0.97, math.Max(0.05, q))
}

var returnComments = []string{
	"Đề nghị bổ sung minh chứng cho kế hoạch dạy học trực tuyến (số, ngày ban hành).",
	"Tỷ lệ học liệu số chưa khớp với kho học liệu; đề nghị rà soát lại.",
	"Thiếu đường dẫn đến hệ thống LMS; đề nghị bổ sung trước khi nộp lại.",
}

var overrideReasons = []string{
	"Minh chứng chỉ là kế hoạch dự kiến, chưa triển khai.",
	"Kiểm tra trực tiếp: số liệu thấp hơn báo cáo của trường.",
	"Đường dẫn minh chứng không truy cập được.",
}

func (p *demoPlan) planAssessment(set *indicators.Set, ref assessmentRef, y campaignYear, yi int, users map[string]int64) *plannedAssessment {
	r := rngFor(p.seed, fmt.Sprintf("assessment %s %d", ref.unitCode, y.start))
	d := p.district[ref.unitCode]
	pa := &plannedAssessment{id: ref.id, level: ref.level, reasons: map[string]string{}}
	if id, ok := users["ht."+ref.unitCode]; ok {
		pa.schoolUser = &id
	}
	if y.start < 2025 {
		if id, ok := users["phong."+d.Code]; ok {
			pa.reviewer = &id
		}
	} else {
		// Since July 2025: the commune for the schools the Phòng GDĐT
		// managed (DefaultRouting2025), where the demo has its account;
		// the Sở otherwise.
		prov := p.newProvince[ref.unitCode]
		if prov == "" {
			prov = d.ProvinceCode
		}
		if id, ok := users["xa."+p.newCommune[ref.unitCode]]; ok && survey.DefaultRouting2025()[ref.level] == model.OfficeCommune {
			pa.reviewer = &id
		} else if id, ok := users["so."+prov]; ok {
			pa.reviewer = &id
		}
	}
	next := y.start + 1
	pa.answeredAt = day(next, time.April, 1+r.IntN(28), 8+r.IntN(9))
	submitted := day(next, time.May, 5+r.IntN(25), 8+r.IntN(9))
	decided := day(next, time.June, 2+r.IntN(17), 8+r.IntN(9))
	if y.start == 2026 {
		// In progress: answered in October, submitted and decided in
		// November 2026.
		pa.answeredAt = pa.answeredAt.AddDate(-1, 6, 0)
		submitted = submitted.AddDate(-1, 6, -4)
		decided = submitted.AddDate(0, 0, 1+decided.Day()%4)
	}

	state := "approved"
	if y.mode == "current" {
		if s, ok := p.showcase[ref.unitCode]; ok {
			state = s
		} else {
			x := r.Float64()
			switch {
			case x < 0.45:
				state = "approved"
			case x < 0.65:
				state = "submitted"
			case x < 0.75:
				state = "returned"
			case x < 0.92:
				state = "draft"
			default:
				state = "empty"
			}
		}
	}
	if state == "empty" {
		pa.status = "draft"
		pa.answers = map[string]indicators.Answer{}
		return pa
	}
	pa.answers = drawAnswers(r, set, ref.level, p.quality(ref.unitCode, yi))
	if state == "draft" {
		// A draft left half done after the deadline (overdue).
		for _, code := range sortedCodes(pa.answers) {
			if r.Float64() < 0.5 {
				delete(pa.answers, code)
			}
		}
	}
	for _, code := range sortedCodes(pa.answers) {
		ind, _ := set.Indicator(code)
		a := pa.answers[code]
		positive := (a.Kind == indicators.KindBool && a.Bool) || (a.Kind == indicators.KindNumber && a.Number > 0) ||
			(a.Kind == indicators.KindOptions && len(a.Options) > 0) || a.Kind == indicators.KindOption
		if ind.Evidence == "required" || (ind.Evidence != "none" && positive && r.Float64() < 0.45) {
			pa.evidence = append(pa.evidence, code)
		}
	}
	pa.status = state
	if state == "draft" {
		return pa
	}
	pa.submittedAt = &submitted
	if state == "returned" {
		pa.decidedAt = &decided
		pa.returnComment = returnComments[r.IntN(len(returnComments))]
		return pa
	}
	// Overrides (external evaluation) on about a third of reviewed schools.
	if r.Float64() < 0.33 {
		codes := sortedCodes(pa.answers)
		for tries := 0; tries < 6 && len(pa.reviews) < 2; tries++ {
			code := codes[r.IntN(len(codes))]
			ind, _ := set.Indicator(code)
			if v, ok := worse(ind, pa.answers[code]); ok {
				if pa.reviews == nil {
					pa.reviews = map[string]indicators.Answer{}
				}
				pa.reviews[code] = v
				pa.reasons[code] = overrideReasons[r.IntN(len(overrideReasons))]
			}
		}
	}
	if state == "approved" {
		pa.decidedAt = &decided
		if len(pa.reviews) > 0 {
			pa.approveComment = "Duyệt sau khi điều chỉnh theo kết quả kiểm tra minh chứng."
		}
	}
	return pa
}
