package survey

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// deadlinePassed: the self-assessment is due at the end of its due day,
// Vietnamese time.
func (s *Service) deadlinePassed(due time.Time) bool { return model.PastDue(due, s.Now()) }

// checkEditable: the actor may change the answers and evidence now (the
// workflow's edit action, deadline included).
func (s *Service) checkEditable(x *model.Assessment, a *model.Actor) error {
	return x.Can(a, model.ActionEdit, s.Now())
}

// Submit sends the self-assessment for review. It is refused with the list
// of what is missing (unanswered indicators, required evidence); unmet
// mandatory conditions are allowed (they show in the level).
func (s *Service) Submit(ctx context.Context, a *model.Actor, id int64) error {
	return wrap("submit", s.inTx(ctx, func(tx pgx.Tx) error {
		x, err := s.header(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		to, err := x.Next(a, model.ActionSubmit, s.Now())
		if err != nil {
			return err
		}
		if err := s.freezeRollups(ctx, tx, x); err != nil {
			return err
		}
		answers, _, err := loadState(ctx, tx, id)
		if err != nil {
			return err
		}
		withEvidence := map[string]bool{}
		rows, err := tx.Query(ctx, `SELECT DISTINCT indicator FROM evidence WHERE assessment_id = $1`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var code string
			if err := rows.Scan(&code); err != nil {
				rows.Close()
				return err
			}
			withEvidence[code] = true
		}
		rows.Close()
		missing := errkind.FieldErrors{}
		for _, ind := range model.ApplicableIndicators(x.Set, x.SchoolLevel) {
			if _, ok := answers[ind.Code]; !ok {
				missing.Add(ind.Code, "Chưa trả lời.", "not answered")
				continue
			}
			if ind.Evidence == "required" && !withEvidence[ind.Code] {
				missing.Add(ind.Code, "Cần minh chứng.", "evidence is required")
			}
		}
		// Fresh evidence (issue 17, evidence_dates.go).
		if err := staleEvidence(ctx, tx, x, missing); err != nil {
			return err
		}
		if len(missing) > 0 {
			return missing
		}
		if _, _, err := s.rescore(ctx, tx, x); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assessments SET status = $3, submitted_at = $2 WHERE id = $1`, id, s.Now(), to); err != nil {
			return err
		}
		return s.event(ctx, tx, id, a, string(model.ActionSubmit), x.Status, to, "")
	}))
}

// transition locks the assessment and checks the action through the
// workflow (Can): it returns the assessment and the status it leads to.
func (s *Service) transition(ctx context.Context, tx pgx.Tx, a *model.Actor, id int64, action model.Action) (*model.Assessment, model.Status, error) {
	x, err := s.header(ctx, tx, a, id, true)
	if err != nil {
		return nil, "", err
	}
	to, err := x.Next(a, action, s.Now())
	if err != nil {
		return nil, "", err
	}
	return x, to, nil
}

// Return sends a submitted assessment back to the school with a comment.
func (s *Service) Return(ctx context.Context, a *model.Actor, id int64, comment string) error {
	comment = model.CleanText(comment)
	if comment == "" {
		// Neutral words: the unit returned to may be a school or an office.
		return wrap("return", errkind.Field("comment", "Hãy ghi rõ nội dung cần bổ sung.", "say what must be corrected"))
	}
	return wrap("return", s.inTx(ctx, func(tx pgx.Tx) error {
		x, to, err := s.transition(ctx, tx, a, id, model.ActionReturn)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assessments SET status = $3, review_comment = $2, reply_sent_at = NULL, reply_due = NULL, updated_at = now() WHERE id = $1`, id, comment, to); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO comments (assessment_id, body, author_id) VALUES ($1, $2, $3)`, id, comment, a.UserID); err != nil {
			return err
		}
		if _, err := s.tellChanges(ctx, tx, id); err != nil { // the changes first, at once
			return err
		}
		if err := s.notifySchool(ctx, tx, id, model.NoticeReturned, map[string]string{"comment": comment}, nil); err != nil {
			return err
		}
		return s.event(ctx, tx, id, a, string(model.ActionReturn), x.Status, to, comment)
	}))
}

// Approve validates a submitted assessment: its validated score (from the
// evaluator's values where given) is final from now on.
func (s *Service) Approve(ctx context.Context, a *model.Actor, id int64, comment string) error {
	return wrap("approve", s.inTx(ctx, func(tx pgx.Tx) error {
		return s.approve(ctx, tx, a, id, model.CleanText(comment))
	}))
}

func (s *Service) approve(ctx context.Context, tx pgx.Tx, a *model.Actor, id int64, comment string) error {
	x, to, err := s.transition(ctx, tx, a, id, model.ActionApprove)
	if err != nil {
		return err
	}
	// Four eyes and the school's right of reply (issue 17, trust.go).
	note, err := s.approvalGate(ctx, tx, a, x)
	if err != nil {
		return err
	}
	if _, _, err := s.rescore(ctx, tx, x); err != nil {
		return err
	}
	var by *int64
	if a.UserID != 0 {
		by = &a.UserID
	}
	if _, err := tx.Exec(ctx, `UPDATE assessments SET status = $5, approved_at = $2, approved_by = $3, review_comment = $4 WHERE id = $1`,
		id, s.Now(), by, comment, to); err != nil {
		return err
	}
	// Sampled verification (issue 17, sample.go).
	if err := s.sampleAfterApprove(ctx, tx, a, x); err != nil {
		return err
	}
	if _, err := s.tellChanges(ctx, tx, id); err != nil { // the changes first, at once
		return err
	}
	if err := s.notifySchool(ctx, tx, id, model.NoticeApproved, map[string]string{"comment": comment}, nil); err != nil {
		return err
	}
	return s.event(ctx, tx, id, a, string(model.ActionApprove), x.Status, to, strings.TrimSpace(comment+" "+note))
}

// BulkApprove approves several assessments, each in its own transaction:
// one that cannot be approved (not submitted, out of scope) is reported
// and does not hold back the others.
func (s *Service) BulkApprove(ctx context.Context, a *model.Actor, ids []int64, lang string) []model.BulkResult {
	out := make([]model.BulkResult, 0, len(ids))
	for _, id := range ids {
		out = append(out, bulkResult(id, s.Approve(ctx, a, id, ""), lang))
	}
	return out
}

// bulkResult is how one assessment of a bulk action went: err's message in
// lang when it has one, its text otherwise.
func bulkResult(id int64, err error, lang string) model.BulkResult {
	r := model.BulkResult{ID: id, OK: err == nil}
	if err != nil {
		var le *errkind.Error
		if errors.As(err, &le) {
			r.Error = le.Msg.In(lang)
		} else {
			r.Error = err.Error()
		}
	}
	return r
}

// Revoke withdraws an approval (back to submitted), with a reason. What
// was published stays published until the next publication.
func (s *Service) Revoke(ctx context.Context, a *model.Actor, id int64, reason string) error {
	reason = model.CleanText(reason)
	if reason == "" {
		return wrap("revoke", errkind.Field("reason", "Hãy ghi lý do thu hồi.", "give the reason for revoking"))
	}
	return wrap("revoke", s.inTx(ctx, func(tx pgx.Tx) error {
		x, to, err := s.transition(ctx, tx, a, id, model.ActionRevoke)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assessments SET status = $2, approved_at = NULL, approved_by = NULL, updated_at = now() WHERE id = $1`, id, to); err != nil {
			return err
		}
		return s.event(ctx, tx, id, a, string(model.ActionRevoke), x.Status, to, reason)
	}))
}

// Review sets the evaluator's value for an indicator (external
// evaluation) with a required reason; JSON null removes it. Every change
// is kept in review_changes, and the validated score is recomputed in the
// same transaction.
func (s *Service) Review(ctx context.Context, a *model.Actor, id int64, indicator string, value json.RawMessage, reason string) (*indicators.Result, error) {
	reason = model.CleanText(reason)
	var out *indicators.Result
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		x, _, err := s.transition(ctx, tx, a, id, model.ActionReview)
		if err != nil {
			return err
		}
		if _, err := x.WritableIndicator(indicator); err != nil {
			return err
		}
		if reason == "" {
			return errkind.Field("reason", "Cần ghi lý do khi thay đổi giá trị.", "a reason is required to change a value")
		}
		_, canon, err := x.ParseValue(indicator, value)
		if err != nil {
			return err
		}
		var old json.RawMessage
		err = tx.QueryRow(ctx, `SELECT value FROM reviews WHERE assessment_id = $1 AND indicator = $2`, id, indicator).Scan(&old)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if canon == nil {
			if _, err := tx.Exec(ctx, `DELETE FROM reviews WHERE assessment_id = $1 AND indicator = $2`, id, indicator); err != nil {
				return err
			}
		} else {
			const q = `INSERT INTO reviews (assessment_id, indicator, value, reason, reviewed_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (assessment_id, indicator) DO UPDATE SET value = $3, reason = $4, reviewed_by = $5, updated_at = $6`
			if _, err := tx.Exec(ctx, q, id, indicator, canon, reason, a.UserID, s.Now()); err != nil {
				return err
			}
		}
		var newVal any
		if canon != nil {
			newVal = canon
		}
		var oldVal any
		if old != nil {
			oldVal = old
		}
		if _, err := tx.Exec(ctx, `INSERT INTO review_changes (assessment_id, indicator, old_value, new_value, reason, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			id, indicator, oldVal, newVal, reason, a.UserID, s.Now()); err != nil {
			return err
		}
		if err := s.afterReviewChange(ctx, tx, x); err != nil { // the school's reply (trust.go)
			return err
		}
		// Told with the session's other changes (changenotice.go).
		if err := s.queueChangesNotice(ctx, tx, id); err != nil {
			return err
		}
		_, out, err = s.rescore(ctx, tx, x)
		return err
	})
	if err != nil {
		return nil, wrap("review", err)
	}
	return out, nil
}

// ReviewTrail lists who changed which value, from what, to what and why.
func (s *Service) ReviewTrail(ctx context.Context, a *model.Actor, id int64) ([]model.ReviewChange, error) {
	if _, err := s.header(ctx, nil, a, id, false); err != nil {
		return nil, err
	}
	return queryList(ctx, s.pool, "review trail", func(c *model.ReviewChange) []any { return []any{&c.Indicator, &c.Old, &c.New, &c.Reason, &c.By, &c.At} },
		`SELECT r.indicator, coalesce(r.old_value, 'null'), coalesce(r.new_value, 'null'), r.reason, coalesce(u.username, ''), r.changed_at
		FROM review_changes r LEFT JOIN users u ON u.id = r.changed_by WHERE r.assessment_id = $1 ORDER BY r.id`, id)
}

// AddComment adds a comment on an indicator ("" for the whole assessment)
// by the school or an evaluator of the scope.
func (s *Service) AddComment(ctx context.Context, a *model.Actor, id int64, indicator, body string) (*model.Comment, error) {
	body = model.CleanText(body)
	if body == "" || len([]rune(body)) > 4000 {
		return nil, wrap("comment", errkind.Field("body", "Nhận xét phải có nội dung và không quá 4.000 ký tự.", "a comment has 1 to 4,000 characters"))
	}
	var c model.Comment
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		x, err := s.header(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		if !x.CanEdit(a) && !x.CanReview(a) {
			return model.ErrForbidden
		}
		var ind *string
		if indicator != "" {
			if _, err := x.IndicatorOf(indicator); err != nil {
				return err
			}
			ind = &indicator
		}
		c = model.Comment{Indicator: indicator, Body: body, By: a.Username, Role: a.Role}
		return tx.QueryRow(ctx, `INSERT INTO comments (assessment_id, indicator, body, author_id) VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
			id, ind, body, a.UserID).Scan(&c.ID, &c.At)
	})
	if err != nil {
		return nil, wrap("comment", err)
	}
	return &c, nil
}
