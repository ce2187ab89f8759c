package survey

import (
	"context"
	"fmt"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// Fresh evidence (issue 17): a file carries the day its document was
// issued, a link the day it was checked. A set's evidence_max_age_days
// (format v1.1) counts back from the school's self-assessment deadline:
// an indicator whose newest dated evidence is older, or whose evidence
// has no date, cannot be submitted.

// earliestEvidenceDate bounds a typed date (a slip of the year).
var earliestEvidenceDate = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

// checkEvidenceDate refuses a date in the future (Vietnamese calendar)
// or before 1990. The zero date means "not given".
func (s *Service) checkEvidenceDate(d time.Time, field string) error {
	if d.IsZero() {
		return nil
	}
	now := s.Now().In(model.Vietnam)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	if day.After(today) || day.Before(earliestEvidenceDate) {
		fe := errkind.FieldErrors{}
		fe.Add(field, "Ngày phải từ 01/01/1990 đến hôm nay ("+today.Format("02/01/2006")+").",
			"the date must be between 01/01/1990 and today ("+today.Format("02/01/2006")+")")
		return fe
	}
	return nil
}

func dateArg(d time.Time) *time.Time {
	if d.IsZero() {
		return nil
	}
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return &day
}

// AddDatedEvidenceLink attaches a link with the day it was checked (zero:
// not given).
func (s *Service) AddDatedEvidenceLink(ctx context.Context, a *model.Actor, id int64, indicator, link string, checkedOn time.Time) (*model.Evidence, error) {
	if err := s.checkEvidenceDate(checkedOn, "checked_on"); err != nil {
		return nil, wrap("evidence", err)
	}
	return s.addEvidenceLink(ctx, a, id, indicator, link, dateArg(checkedOn))
}

// AddDatedEvidenceFile stores a file with the day its document was issued
// (zero: not given).
func (s *Service) AddDatedEvidenceFile(ctx context.Context, a *model.Actor, id int64, indicator, filename string, data []byte, issuedOn time.Time) (*model.Evidence, error) {
	if err := s.checkEvidenceDate(issuedOn, "issued_on"); err != nil {
		return nil, wrap("evidence", err)
	}
	return s.addEvidenceFile(ctx, a, id, indicator, filename, data, dateArg(issuedOn))
}

// evidenceAge fills an item's age in days (from its date to today,
// Vietnamese calendar) and whether it is too old for the indicator's
// evidence_max_age_days, counted back from the self-assessment deadline.
func (s *Service) evidenceAge(e *model.Evidence, ind *indicators.Indicator, due time.Time) {
	if e.DatedOn == nil {
		e.Stale = ind != nil && ind.EvidenceMaxAgeDays > 0
		return
	}
	now := s.Now().In(model.Vietnam)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	age := int(today.Sub(*e.DatedOn).Hours() / 24)
	e.AgeDays = &age
	if ind != nil && ind.EvidenceMaxAgeDays > 0 {
		e.Stale = e.DatedOn.Before(freshCutoff(due, ind.EvidenceMaxAgeDays))
	}
}

// freshCutoff is the oldest day a document may carry: the deadline minus
// the maximum age.
func freshCutoff(due time.Time, maxAge int) time.Time {
	return time.Date(due.Year(), due.Month(), due.Day()-maxAge, 0, 0, 0, 0, time.UTC)
}

// staleEvidence adds to missing, per indicator with evidence_max_age_days
// that has evidence, why its evidence is too old (or undated).
func staleEvidence(ctx context.Context, tx pgx.Tx, x *model.Assessment, missing errkind.FieldErrors) error {
	newest := map[string]*time.Time{}
	has := map[string]bool{}
	rows, err := tx.Query(ctx, `SELECT indicator, max(coalesce(issued_on, checked_on)) FROM evidence WHERE assessment_id = $1 GROUP BY indicator`, x.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var code string
		var d *time.Time
		if err := rows.Scan(&code, &d); err != nil {
			rows.Close()
			return err
		}
		has[code], newest[code] = true, d
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	due := x.SelfDue.Time
	for _, ind := range model.ApplicableIndicators(x.Set, x.SchoolLevel) {
		if ind.EvidenceMaxAgeDays <= 0 || !has[ind.Code] {
			continue
		}
		n := ind.EvidenceMaxAgeDays
		d := newest[ind.Code]
		switch {
		case d == nil:
			missing.Add(ind.Code,
				fmt.Sprintf("Minh chứng chưa ghi ngày ban hành (tệp) hoặc ngày kiểm tra (đường dẫn); chỉ số này chỉ nhận minh chứng không quá %d ngày tính đến hạn %s.", n, due.Format("02/01/2006")),
				fmt.Sprintf("the evidence has no date (issued on, for a file; checked on, for a link); this indicator takes evidence at most %d days old at the deadline %s", n, due.Format("02/01/2006")))
		case d.Before(freshCutoff(due, n)):
			missing.Add(ind.Code,
				fmt.Sprintf("Minh chứng mới nhất (ngày %s) cũ hơn %d ngày tính đến hạn %s; hãy bổ sung minh chứng từ ngày %s trở đi.", d.Format("02/01/2006"), n, due.Format("02/01/2006"), freshCutoff(due, n).Format("02/01/2006")),
				fmt.Sprintf("the newest evidence (%s) is more than %d days older than the deadline %s; add evidence dated %s or later", d.Format("02/01/2006"), n, due.Format("02/01/2006"), freshCutoff(due, n).Format("02/01/2006")))
		}
	}
	return nil
}
