package model

import (
	"encoding/json"
	"time"

	"github.com/dxindex/dxindex/indicators"
)

// Assessment is one unit's assessment in a campaign, in full.
type Assessment struct {
	ID           int64  `json:"id"`
	CampaignID   int64  `json:"campaign_id"`
	CampaignName string `json:"campaign_name"`
	SetCode      string `json:"set_code"`
	SetVersion   string `json:"set_version"`
	UnitCode     string `json:"unit_code"`
	UnitName     string `json:"unit_name"`
	ParentCode   string `json:"parent_code"`
	ParentName   string `json:"parent_name"`
	SchoolLevel  string `json:"school_level"`
	Status       Status `json:"status"`
	// Allowed are the actions the reader may take now (Can), deadline
	// included: what a page or a client offers.
	Allowed     []Action   `json:"allowed_actions"`
	SelfDue     Date       `json:"self_due"`
	ReviewDue   Date       `json:"review_due"`
	SubmittedAt *time.Time `json:"submitted_at"`
	ApprovedAt  *time.Time `json:"approved_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Answered    int        `json:"answered"`
	Applicable  int        `json:"applicable"`
	// Revision counts the writes that changed the stored score.
	Revision      int64                  `json:"revision"`
	ReviewComment string                 `json:"review_comment"`
	Answers       map[string]*AnswerView `json:"answers"`
	Self          *indicators.Result     `json:"self"`
	Validated     *indicators.Result     `json:"validated"`
	Gap           *indicators.Gap        `json:"gap"`
	History       []Event                `json:"history"`
	Comments      []Comment              `json:"comments"`
	// Changes and Publications are the result view: every value an
	// evaluator changed, and the published revisions holding this
	// assessment. Like Validated and the answers' Review, the school sees
	// them once the assessment is approved (ValidatedVisible).
	Changes      []ResultChange      `json:"changes"`
	Publications []ResultPublication `json:"publications"`
	// Rollups (office assessments): the roll-up indicators' computed
	// values with their provenance; read-only on the form.
	Rollups map[string]RollupView `json:"rollups,omitempty"`

	// UnitID, Path (the unit's ids from the root down) and Set (the
	// indicator set scored) are filled by the service that reads the
	// assessment and used by its checks (VisibleTo, CanEdit, …); they are
	// never written out.
	UnitID int64           `json:"-"`
	Path   []int64         `json:"-"`
	Set    *indicators.Set `json:"-"`
	// ReviewOffice is the office kind the campaign routes this school
	// level to (campaign_reviewers), "" when it routes none.
	ReviewOffice string `json:"-"`
}

// AnswerView is one indicator's answer with its evidence and review.
type AnswerView struct {
	Value     json.RawMessage `json:"value"`
	Version   int             `json:"version"`
	UpdatedAt *time.Time      `json:"updated_at,omitempty"`
	Evidence  []Evidence      `json:"evidence"`
	Review    *ReviewView     `json:"review,omitempty"`
}

// ReviewView is an evaluator's value for an indicator.
type ReviewView struct {
	Value  json.RawMessage `json:"value"`
	Reason string          `json:"reason"`
	By     string          `json:"by"`
	At     time.Time       `json:"at"`
}

// Evidence is a link or a file attached to an answer.
type Evidence struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	URL         string    `json:"url,omitempty"`
	Filename    string    `json:"filename,omitempty"`
	ContentType string    `json:"content_type,omitempty"`
	Size        int64     `json:"size,omitempty"`
	UploadedAt  time.Time `json:"uploaded_at"`
	// DatedOn is the day a file's document was issued or a link was
	// checked (nil: not given); AgeDays its age today; Stale: older than
	// the indicator's evidence_max_age_days allows, or undated when it
	// has one (evidence_dates.go).
	DatedOn *time.Time `json:"dated_on,omitempty"`
	AgeDays *int       `json:"age_days,omitempty"`
	Stale   bool       `json:"stale,omitempty"`
}

// Event is one step of an assessment's history.
type Event struct {
	Action  string    `json:"action"`
	From    Status    `json:"from,omitempty"`
	To      Status    `json:"to,omitempty"`
	Comment string    `json:"comment,omitempty"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// Comment is a remark on an indicator (or on the whole assessment).
type Comment struct {
	ID        int64     `json:"id"`
	Indicator string    `json:"indicator,omitempty"`
	Body      string    `json:"body"`
	By        string    `json:"by"`
	Role      Role      `json:"role"`
	At        time.Time `json:"at"`
}

// VisibleTo: leaders (viewers) see published results only; everyone else
// reads the assessments of their scope.
// An office's staff read their own office's assessment only.
func (x *Assessment) VisibleTo(a *Actor) bool {
	return a.Role != RoleViewer && a.Covers(x.Path) && (a.Role != RoleOffice || a.UnitID == x.UnitID)
}

// CanEdit: the school's own people fill its self-assessment; an office's
// own staff fill the office's (agency sets).
func (x *Assessment) CanEdit(a *Actor) bool {
	return (a.Role == RoleSchool || a.Role == RoleOffice) && a.UnitID == x.UnitID
}

// CanReview: evaluators (and admins) of the scope review it.
func (x *Assessment) CanReview(a *Actor) bool {
	return (a.Role.Evaluator() || a.Role == RoleAdmin) && a.Covers(x.Path) && x.RoutedTo(a) && !x.ownOffice(a)
}

// ApplicableIndicators lists the set's indicators that apply to level, in
// the set's order.
func ApplicableIndicators(set *indicators.Set, level string) []*indicators.Indicator {
	var out []*indicators.Indicator
	for gi := range set.Groups {
		for ci := range set.Groups[gi].Criteria {
			for ii := range set.Groups[gi].Criteria[ci].Indicators {
				ind := &set.Groups[gi].Criteria[ci].Indicators[ii]
				if level == "" || ind.AppliesToLevel(level) {
					out = append(out, ind)
				}
			}
		}
	}
	return out
}
