package survey

// Review you can trust (issue 17): four eyes on approval, and the school's
// right of reply to the evaluator's changes.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/internal/postgres"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/jackc/pgx/v5"
)

// DefaultReplyDays is the school's reply window when a campaign sets none.
const DefaultReplyDays = 5

// gateState is what the approval gate reads of an assessment.
type gateState struct {
	fourEyes         bool
	replySent        *time.Time
	replyDue         *time.Time
	changers         []int64
	changerNames     []string
	unanswered       int
	contestedUnruled int
}

func (s *Service) gateState(ctx context.Context, tx pgx.Tx, id int64) (*gateState, error) {
	var g gateState
	err := tx.QueryRow(ctx, `SELECT c.four_eyes, x.reply_sent_at, x.reply_due FROM assessments x JOIN campaigns c ON c.id = x.campaign_id WHERE x.id = $1`, id).
		Scan(&g.fourEyes, &g.replySent, &g.replyDue)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT u.id, u.username FROM review_changes r JOIN users u ON u.id = r.changed_by
		WHERE r.assessment_id = $1 AND NOT r.ruling ORDER BY u.username`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var uid int64
		var name string
		if err := rows.Scan(&uid, &name); err != nil {
			rows.Close()
			return nil, err
		}
		g.changers = append(g.changers, uid)
		g.changerNames = append(g.changerNames, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if g.replySent != nil {
		err = tx.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM reviews r WHERE r.assessment_id = $1
				AND NOT EXISTS (SELECT 1 FROM current_replies p WHERE p.assessment_id = r.assessment_id AND p.indicator = r.indicator)),
			(SELECT count(*) FROM current_replies p WHERE p.assessment_id = $1 AND p.verdict = 'contest' AND p.ruling IS NULL)`, id).
			Scan(&g.unanswered, &g.contestedUnruled)
		if err != nil {
			return nil, err
		}
	}
	return &g, nil
}

// approvalGate checks, inside the approval's transaction, what issue 17
// adds to an approval: four eyes, and the school's right of reply. It
// returns the note the history keeps (who changed values, who approved).
func (s *Service) approvalGate(ctx context.Context, tx pgx.Tx, a *model.Actor, x *model.Assessment) (string, error) {
	g, err := s.gateState(ctx, tx, x.ID)
	if err != nil {
		return "", err
	}
	if g.fourEyes && slices.Contains(g.changers, a.UserID) {
		eligible, err := s.eligibleReviewers(ctx, tx, x, g.changers)
		if err != nil {
			return "", err
		}
		return "", &model.FourEyesError{ChangedBy: g.changerNames, Eligible: eligible}
	}
	if g.replySent != nil {
		w := wordsFor(x)
		if g.contestedUnruled > 0 {
			return "", errkind.New(errkind.Conflict,
				fmt.Sprintf("%s phản đối %d thay đổi chưa được xem xét; một cán bộ không thực hiện thay đổi đó (hoặc %s) cần giữ nguyên hoặc huỷ từng thay đổi trước khi duyệt.", capitalFirst(w.unitVI), g.contestedUnruled, w.aboveVI),
				fmt.Sprintf("%d contested change(s) await a ruling by a reviewer who did not make them (or %s) before approval", g.contestedUnruled, w.aboveEN))
		}
		if g.unanswered > 0 && s.Now().Before(*g.replyDue) {
			due := g.replyDue.In(model.Vietnam).Format("15:04 02/01/2006")
			return "", errkind.New(errkind.Conflict,
				fmt.Sprintf("Đang chờ %s phản hồi %d thay đổi (hạn %s). Duyệt được khi hết hạn hoặc khi %s đã trả lời mọi thay đổi.", w.unitVI, g.unanswered, due, w.unitVIShort),
				fmt.Sprintf("waiting for %s reply to %d change(s) until %s; approval opens when the window closes or every change is answered", w.unitEN, g.unanswered, due))
		}
	}
	if len(g.changerNames) == 0 {
		return "", nil
	}
	return fmt.Sprintf("Giá trị đánh giá ngoài do %s thay đổi; %s duyệt.", strings.Join(g.changerNames, ", "), a.Username), nil
}

// eligibleReviewers lists the reviewers, other than except, who may review
// x: evaluators whose scope holds the school and whose office the campaign
// routes the school's level to, nearest office first.
func (s *Service) eligibleReviewers(ctx context.Context, tx pgx.Tx, x *model.Assessment, except []int64) ([]model.Reviewer, error) {
	if except == nil {
		except = []int64{}
	}
	rows, err := tx.Query(ctx, `SELECT u.username, u.display_name, u.role, un.name FROM users u JOIN units un ON un.id = u.unit_id
		WHERE u.locked_at IS NULL AND u.role IN ('province', 'district', 'commune') AND u.unit_id = ANY($1) AND NOT (u.id = ANY($2))
		ORDER BY array_position($1, u.unit_id) DESC, u.username`, x.Path, except)
	if err != nil {
		return nil, err
	}
	all, err := postgres.Collect(rows, func(v *model.Reviewer) []any { return []any{&v.Username, &v.Name, &v.Role, &v.Unit} })
	if err != nil {
		return nil, err
	}
	out := []model.Reviewer{}
	for _, v := range all {
		if x.RoutedTo(&model.Actor{Role: v.Role}) {
			out = append(out, v)
		}
	}
	return out, nil
}

// CheckApproval runs the approval gate without approving.
func (s *Service) CheckApproval(ctx context.Context, a *model.Actor, id int64) (*model.ApprovalCheck, error) {
	var out *model.ApprovalCheck
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		x, err := s.header(ctx, tx, a, id, false)
		if err != nil {
			return err
		}
		if x.Can(a, model.ActionApprove, s.Now()) != nil {
			return nil
		}
		_, err = s.approvalGate(ctx, tx, a, x)
		var fe *model.FourEyesError
		var ke *errkind.Error
		switch {
		case err == nil:
		case errors.As(err, &fe):
			out = &model.ApprovalCheck{FourEyes: fe}
			if errors.As(fe.Unwrap(), &ke) {
				out.Reason = ke.Msg
			}
		case errors.As(err, &ke):
			out = &model.ApprovalCheck{Reason: ke.Msg}
		default:
			return err
		}
		return nil
	})
	return out, wrap("approval check", err)
}

// Replies returns the right-of-reply view. The school sees it once the
// changes were sent to it; reviewers always.
func (s *Service) Replies(ctx context.Context, a *model.Actor, id int64) (*model.ReplyState, error) {
	x, err := s.header(ctx, nil, a, id, false)
	if err != nil {
		return nil, err
	}
	st := &model.ReplyState{Items: []model.ReplyItem{}}
	if err := s.pool.QueryRow(ctx, `SELECT reply_sent_at, reply_due FROM assessments WHERE id = $1`, id).Scan(&st.SentAt, &st.Due); err != nil {
		return nil, wrap("replies", err)
	}
	if x.CanEdit(a) && st.SentAt == nil && x.Status != model.StatusApproved {
		return st, nil
	}
	st.Open = st.SentAt != nil && x.Status == model.StatusSubmitted && s.Now().Before(*st.Due)
	st.CanReply = st.Open && x.CanEdit(a)
	st.CanRule = x.Can(a, model.ActionReview, s.Now()) == nil
	rows, err := s.pool.Query(ctx, `SELECT r.indicator, an.value, r.value, r.reason,
			coalesce((SELECT string_agg(DISTINCT u.username, ', ') FROM review_changes c JOIN users u ON u.id = c.changed_by
				WHERE c.assessment_id = r.assessment_id AND c.indicator = r.indicator AND NOT c.ruling), ''),
			coalesce(p.verdict, ''), coalesce(p.comment, ''), coalesce(p.evidence_url, ''), p.replied_at,
			coalesce(p.ruling, ''), coalesce(p.ruling_reason, ''), coalesce(ru.username, '')
		FROM reviews r
		LEFT JOIN answers an ON an.assessment_id = r.assessment_id AND an.indicator = r.indicator
		LEFT JOIN current_replies p ON p.assessment_id = r.assessment_id AND p.indicator = r.indicator
		LEFT JOIN users ru ON ru.id = p.ruled_by
		WHERE r.assessment_id = $1
		UNION ALL
		SELECT p.indicator, an.value, NULL, '', '', p.verdict, p.comment, coalesce(p.evidence_url, ''), p.replied_at,
			coalesce(p.ruling, ''), coalesce(p.ruling_reason, ''), coalesce(ru.username, '')
		FROM current_replies p
		LEFT JOIN answers an ON an.assessment_id = p.assessment_id AND an.indicator = p.indicator
		LEFT JOIN users ru ON ru.id = p.ruled_by
		WHERE p.assessment_id = $1 AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.assessment_id = p.assessment_id AND r.indicator = p.indicator)
		ORDER BY 1`, id)
	if err != nil {
		return nil, wrap("replies", err)
	}
	st.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (model.ReplyItem, error) {
		var it model.ReplyItem
		var school, value []byte
		err := r.Scan(&it.Indicator, &school, &value, &it.Reason, &it.ChangedBy, &it.Verdict, &it.Comment, &it.EvidenceURL, &it.RepliedAt,
			&it.Ruling, &it.RulingReason, &it.RuledBy)
		it.SchoolValue, it.Value = rawOrNil(school), rawOrNil(value)
		return it, err
	})
	if st.Items == nil {
		st.Items = []model.ReplyItem{}
	}
	return st, wrap("replies", err)
}

func rawOrNil(b []byte) any {
	if b == nil {
		return nil
	}
	return json.RawMessage(b)
}

// SendForReply tells the school the evaluator's changes are ready: from
// now it has the campaign's reply window to accept or contest each. While
// the window is open it is refused (the school is already replying); once
// it closed, sending again gives a new window and keeps the replies given;
// after a return to the school, a new round starts and earlier replies no
// longer count.
func (s *Service) SendForReply(ctx context.Context, a *model.Actor, id int64) error {
	return wrap("send for reply", s.inTx(ctx, func(tx pgx.Tx) error {
		x, _, err := s.transition(ctx, tx, a, id, model.ActionReview)
		if err != nil {
			return err
		}
		w := wordsFor(x)
		var n, days int
		var sent, open bool
		var prevDue *time.Time
		if err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM reviews WHERE assessment_id = $1), c.reply_days, x.reply_sent_at IS NOT NULL, x.reply_due
			FROM campaigns c JOIN assessments x ON x.campaign_id = c.id WHERE x.id = $1`,
			id).Scan(&n, &days, &sent, &prevDue); err != nil {
			return err
		}
		open = sent && prevDue != nil && s.Now().Before(*prevDue)
		if open {
			d := prevDue.In(model.Vietnam).Format("15:04 02/01/2006")
			return errkind.New(errkind.Conflict, "Các thay đổi đã được gửi "+w.unitVI+"; hạn phản hồi "+d+".", "the changes were already sent to "+w.unitENSubject()+", which may reply until "+d)
		}
		if n == 0 {
			return errkind.New(errkind.Conflict, "Chưa có giá trị nào được thay đổi để gửi "+w.unitVI+" phản hồi.", "no value was changed, so there is nothing for "+w.unitENSubject()+" to reply to")
		}
		now := s.Now()
		due := now.Add(time.Duration(days) * 24 * time.Hour)
		if _, err := tx.Exec(ctx, `UPDATE assessments SET reply_sent_at = $2, reply_due = $3, reply_round = CASE WHEN reply_sent_at IS NULL THEN reply_round + 1 ELSE reply_round END, updated_at = now() WHERE id = $1`, id, now, due); err != nil {
			return err
		}
		if _, err := s.tellChanges(ctx, tx, id); err != nil { // the changes first, at once
			return err
		}
		params := map[string]string{"changes": fmt.Sprint(n), "due": due.In(model.Vietnam).Format("15:04 02/01/2006")}
		if w.office { // the office's own staff reply: the notice says "đơn vị"
			params["office"] = "1"
		}
		if err := s.notifySchool(ctx, tx, id, model.NoticeReplyDue, params, nil); err != nil {
			return err
		}
		return s.event(ctx, tx, id, a, "send_reply", "", "",
			fmt.Sprintf("Gửi %s %d thay đổi để phản hồi, hạn %s.", w.unitVI, n, due.In(model.Vietnam).Format("15:04 02/01/2006")))
	}))
}

// Reply verdicts and rulings.
const (
	VerdictAccept = "accept"

	RulingUphold  = "uphold"
	RulingReverse = "reverse"
)

// ReplyToChange records the school's reply to the evaluator's change of
// one indicator: accept it, or contest it with a comment (and optionally a
// link to evidence), within the reply window. A reply may be changed until
// it is ruled on or the window closes: each reply is a new row (the audit
// is append-only), and the latest of the current round that answers the
// latest change of the indicator counts (the view current_replies).
func (s *Service) ReplyToChange(ctx context.Context, a *model.Actor, id int64, indicator, verdict, comment, evidenceURL string) error {
	comment, evidenceURL = model.CleanText(comment), strings.TrimSpace(evidenceURL)
	fe := errkind.FieldErrors{}
	switch verdict {
	case VerdictAccept:
	case model.VerdictContest:
		if comment == "" && a.Role == model.RoleOffice {
			fe.Add("comment", "Hãy ghi lý do đơn vị không đồng ý.", "say why the unit contests the change")
		} else if comment == "" {
			fe.Add("comment", "Hãy ghi lý do nhà trường không đồng ý.", "say why the school contests the change")
		}
	default:
		fe.Add("verdict", "Hãy chọn đồng ý hoặc không đồng ý.", "choose accept or contest")
	}
	if len([]rune(comment)) > 4000 {
		fe.Add("comment", "Ý kiến không quá 4.000 ký tự.", "a comment has at most 4,000 characters")
	}
	var ev *string
	if evidenceURL != "" {
		if u, err := url.Parse(evidenceURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(evidenceURL) > 2000 {
			fe.Add("evidence_url", "Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https://.", "the evidence link must be an http(s) URL")
		}
		ev = &evidenceURL
	}
	if err := fe.Err(); err != nil {
		return wrap("reply", err)
	}
	return wrap("reply", s.inTx(ctx, func(tx pgx.Tx) error {
		x, err := s.header(ctx, tx, a, id, true)
		if err != nil {
			return err
		}
		if !x.CanEdit(a) {
			return model.ErrForbidden
		}
		var sent, due *time.Time
		if err := tx.QueryRow(ctx, `SELECT reply_sent_at, reply_due FROM assessments WHERE id = $1`, id).Scan(&sent, &due); err != nil {
			return err
		}
		if x.Status != model.StatusSubmitted || sent == nil || !s.Now().Before(*due) {
			return errkind.New(errkind.Conflict, "Không trong thời hạn phản hồi các thay đổi của đoàn đánh giá.", "the window to reply to the evaluator's changes is not open")
		}
		var exists, ruled bool
		var changeID *int64
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM reviews WHERE assessment_id = $1 AND indicator = $2),
				(SELECT max(id) FROM review_changes WHERE assessment_id = $1 AND indicator = $2 AND NOT ruling),
				EXISTS (SELECT 1 FROM current_replies WHERE assessment_id = $1 AND indicator = $2 AND ruling IS NOT NULL)`,
			id, indicator).Scan(&exists, &changeID, &ruled); err != nil {
			return err
		}
		if !exists {
			return errkind.New(errkind.NotFound, fmt.Sprintf("Chỉ số %s không bị thay đổi giá trị.", indicator), fmt.Sprintf("indicator %s was not changed", indicator))
		}
		if ruled {
			return errkind.New(errkind.Conflict, "Phản hồi này đã được xem xét nên không sửa được.", "this reply was already ruled on")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO review_replies (assessment_id, indicator, verdict, comment, evidence_url, replied_by, replied_at, round, change_id)
			SELECT $1, $2, $3, $4, $5, $6, $7, reply_round, $8 FROM assessments WHERE id = $1`,
			id, indicator, verdict, comment, ev, a.UserID, s.Now(), changeID); err != nil {
			return err
		}
		note := "Đồng ý thay đổi chỉ số " + indicator + "."
		if verdict == model.VerdictContest {
			note = "Không đồng ý thay đổi chỉ số " + indicator + ": " + comment
		}
		return s.event(ctx, tx, id, a, "reply", "", "", note)
	}))
}

// replyWords name, in the messages about an assessment's changes, who
// replies to them and who above its reviewers may rule.
type replyWords struct {
	unitVI, unitVIShort, unitEN, aboveVI, aboveEN string
	office                                        bool
}

// unitENSubject is unitEN without its possessive ("the school").
func (w replyWords) unitENSubject() string { return strings.TrimSuffix(w.unitEN, "'s") }

// sendNoteVI begins the history's note of a send_reply event written
// before the note took wordsFor's words: it said "nhà trường" of offices
// too.
const sendNoteVI = "Gửi nhà trường "

// reword gives a stored history note the words of x's unit: the note of
// an office's send_reply recorded with the school's words reads
// "Gửi đơn vị …" (the notes are not rewritten in the database).
func reword(x *model.Assessment, action, note string) string {
	if action == "send_reply" && strings.HasPrefix(note, sendNoteVI) {
		if w := wordsFor(x); w.office {
			return "Gửi " + w.unitVI + " " + strings.TrimPrefix(note, sendNoteVI)
		}
	}
	return note
}

// wordsFor: a school and the Sở, or, on an office's own assessment (an
// agency set, Decision 3806), the unit and the office above it.
func wordsFor(x *model.Assessment) replyWords {
	if x.Set != nil && x.Set.EffectiveAssessed() == indicators.AssessedAgency {
		return replyWords{"đơn vị", "đơn vị", "the unit's", "cơ quan cấp trên", "the office above", true}
	}
	return replyWords{"nhà trường", "trường", "the school's", "Sở", "the Department", false}
}

// RuleOnReply settles a contested change: a reviewer who did not make it
// (or the Sở, or an admin) upholds it or reverses it (the school's value
// is restored), with a reason.
func (s *Service) RuleOnReply(ctx context.Context, a *model.Actor, id int64, indicator, ruling, reason string) error {
	reason = model.CleanText(reason)
	fe := errkind.FieldErrors{}
	if ruling != RulingUphold && ruling != RulingReverse {
		fe.Add("ruling", "Hãy chọn giữ nguyên hoặc huỷ thay đổi.", "choose uphold or reverse")
	}
	if reason == "" {
		fe.Add("reason", "Cần ghi lý do.", "a reason is required")
	}
	if err := fe.Err(); err != nil {
		return wrap("ruling", err)
	}
	return wrap("ruling", s.inTx(ctx, func(tx pgx.Tx) error {
		x, _, err := s.transition(ctx, tx, a, id, model.ActionReview)
		if err != nil {
			return err
		}
		var replyID int64
		var verdict string
		var ruled *string
		err = tx.QueryRow(ctx, `SELECT id, verdict, ruling FROM current_replies WHERE assessment_id = $1 AND indicator = $2`, id, indicator).Scan(&replyID, &verdict, &ruled)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && verdict != model.VerdictContest) {
			w := wordsFor(x)
			return errkind.New(errkind.NotFound, fmt.Sprintf("%s không phản đối thay đổi chỉ số %s.", capitalFirst(w.unitVI), indicator), fmt.Sprintf("%s did not contest the change of %s", w.unitENSubject(), indicator))
		}
		if err != nil {
			return err
		}
		if ruled != nil {
			return errkind.New(errkind.Conflict, "Phản đối này đã được xem xét.", "this contest was already ruled on")
		}
		var changedIt bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM review_changes WHERE assessment_id = $1 AND indicator = $2 AND changed_by = $3 AND NOT ruling)`,
			id, indicator, a.UserID).Scan(&changedIt); err != nil {
			return err
		}
		if changedIt {
			w := wordsFor(x)
			return errkind.New(errkind.Forbidden,
				fmt.Sprintf("Người đã thay đổi giá trị không tự xem xét phản đối của %s; một cán bộ khác (hoặc %s) xem xét.", w.unitVI, w.aboveVI),
				fmt.Sprintf("whoever made the change cannot rule on %s contest; another reviewer (or %s) does", w.unitEN, w.aboveEN))
		}
		if _, err := tx.Exec(ctx, `INSERT INTO review_rulings (reply_id, assessment_id, indicator, ruling, reason, ruled_by, ruled_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			replyID, id, indicator, ruling, reason, a.UserID, s.Now()); err != nil {
			if postgres.IsUniqueViolation(err, "") {
				return errkind.New(errkind.Conflict, "Phản đối này đã được xem xét.", "this contest was already ruled on")
			}
			return err
		}
		note := "Giữ nguyên thay đổi chỉ số " + indicator + ": " + reason
		if ruling == RulingReverse {
			note = "Huỷ thay đổi chỉ số " + indicator + ": " + reason
			var old []byte
			if err := tx.QueryRow(ctx, `DELETE FROM reviews WHERE assessment_id = $1 AND indicator = $2 RETURNING value`, id, indicator).Scan(&old); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO review_changes (assessment_id, indicator, old_value, new_value, reason, changed_by, ruling, changed_at) VALUES ($1, $2, $3, NULL, $4, $5, true, $6)`,
				id, indicator, old, reason, a.UserID, s.Now()); err != nil {
				return err
			}
			if _, _, err := s.rescore(ctx, tx, x); err != nil {
				return err
			}
		}
		return s.event(ctx, tx, id, a, "ruling", "", "", note)
	}))
}

// publishReviews records, in a publication's transaction, how each
// published result was reviewed.
func publishReviews(ctx context.Context, tx pgx.Tx, pubID int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO published_reviews (publication_id, assessment_id, changed_by, approved_by, changes, contested, upheld)
		SELECT pr.publication_id, pr.assessment_id,
			coalesce((SELECT string_agg(DISTINCT u.username, ', ') FROM review_changes c JOIN users u ON u.id = c.changed_by
				WHERE c.assessment_id = pr.assessment_id AND NOT c.ruling), ''),
			coalesce((SELECT u.username FROM assessments x JOIN users u ON u.id = x.approved_by WHERE x.id = pr.assessment_id), ''),
			(SELECT count(DISTINCT c.indicator) FROM review_changes c WHERE c.assessment_id = pr.assessment_id AND NOT c.ruling),
			(SELECT count(*) FROM current_replies p WHERE p.assessment_id = pr.assessment_id AND p.verdict = 'contest'),
			(SELECT count(*) FROM current_replies p WHERE p.assessment_id = pr.assessment_id AND p.ruling = 'uphold')
		FROM published_results pr WHERE pr.publication_id = $1`, pubID)
	return err
}

// publishedReviewOf reads how a published result was reviewed (zero
// counts for a publication made before issue 17).
func (s *Service) publishedReviewOf(ctx context.Context, campaignID, assessmentID int64) (model.ReviewCounts, error) {
	var c model.ReviewCounts
	err := s.pool.QueryRow(ctx, `SELECT changed_by, approved_by, changes, contested, upheld FROM published_reviews
		WHERE publication_id = (SELECT publication_id FROM public_results WHERE campaign_id = $1 AND assessment_id = $2) AND assessment_id = $2`,
		campaignID, assessmentID).Scan(&c.ChangedBy, &c.ApprovedBy, &c.Changes, &c.Contested, &c.Upheld)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, nil
	}
	return c, err
}

// afterReviewChange runs in the transaction of an evaluator's change of a
// value. Once the changes were sent to the school, the school's reply to
// the earlier value no longer counts (it answers the latest change of the
// indicator, see current_replies), and the school gets the campaign's full
// reply window again from now to reply to the new value.
func (s *Service) afterReviewChange(ctx context.Context, tx pgx.Tx, x *model.Assessment) error {
	now := s.Now()
	_, err := tx.Exec(ctx, `UPDATE assessments a SET reply_due = greatest(a.reply_due, $2::timestamptz + make_interval(days => c.reply_days))
		FROM campaigns c WHERE a.id = $1 AND c.id = a.campaign_id AND a.reply_sent_at IS NOT NULL`, x.ID, now)
	return err
}

// capitalFirst upper-cases the first letter of s ("nhà trường" → "Nhà
// trường") for the start of a sentence.
func capitalFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return string(unicode.ToUpper(r[0])) + string(r[1:])
}
