package survey

// The pure types, constants, errors and functions of the survey domain live
// in package model (survey/model), which imports no database package, so the
// web layer can name them without pulling in pgx. They are re-exported here
// under their old names, so the service's code, its callers and its tests
// keep writing survey.X.

import (
	"io"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/survey/model"
)

type (
	Action            = model.Action
	Actor             = model.Actor
	AnswerConflict    = model.AnswerConflict
	AnswerView        = model.AnswerView
	ApprovalCheck     = model.ApprovalCheck
	Assessment        = model.Assessment
	AssessmentRow     = model.AssessmentRow
	BulkResult        = model.BulkResult
	Campaign          = model.Campaign
	CampaignEdit      = model.CampaignEdit
	CampaignInput     = model.CampaignInput
	Comment           = model.Comment
	ContactsInput     = model.ContactsInput
	Coverage          = model.Coverage
	CoverageUnit      = model.CoverageUnit
	Credential        = model.Credential
	Crosswalk         = model.Crosswalk
	CrosswalkRow      = model.CrosswalkRow
	Date              = model.Date
	Event             = model.Event
	Evidence          = model.Evidence
	EvidenceRef       = model.EvidenceRef
	FourEyesError     = model.FourEyesError
	ImportReport      = model.ImportReport
	InvalidFile       = model.InvalidFile
	MyAssessment      = model.MyAssessment
	NewCommune        = model.NewCommune
	NewProvince       = model.NewProvince
	NoticeKind        = model.NoticeKind
	Notification      = model.Notification
	NotificationPage  = model.NotificationPage
	Publication       = model.Publication
	PublishedCampaign = model.PublishedCampaign
	PublishedResult   = model.PublishedResult
	QueueFilter       = model.QueueFilter
	ReorgIssue        = model.ReorgIssue
	ReorgMove         = model.ReorgMove
	ReorgReport       = model.ReorgReport
	ReorgUnit         = model.ReorgUnit
	ReplyItem         = model.ReplyItem
	ReplyState        = model.ReplyState
	ResultChange      = model.ResultChange
	ResultPublication = model.ResultPublication
	RetryError        = model.RetryError
	ReviewChange      = model.ReviewChange
	ReviewCounts      = model.ReviewCounts
	ReviewView        = model.ReviewView
	Reviewer          = model.Reviewer
	Role              = model.Role
	RollupView        = model.RollupView
	RowError          = model.RowError
	Sample            = model.Sample
	SampleEnlargement = model.SampleEnlargement
	SampleInput       = model.SampleInput
	SampleUnit        = model.SampleUnit
	SavedAnswer       = model.SavedAnswer
	Session           = model.Session
	SetLoad           = model.SetLoad
	SetMove           = model.SetMove
	SetMoveRow        = model.SetMoveRow
	SetVersionTaken   = model.SetVersionTaken
	Status            = model.Status
	TrailEntry        = model.TrailEntry
	Unit              = model.Unit
	UnitFilter        = model.UnitFilter
	UnitHistory       = model.UnitHistory
	UnitInput         = model.UnitInput
	UnitMove          = model.UnitMove
	UnitRow           = model.UnitRow
	User              = model.User
	UserInput         = model.UserInput
	UserRow           = model.UserRow
)

const (
	ActionApprove       = model.ActionApprove
	ActionEdit          = model.ActionEdit
	ActionReopen        = model.ActionReopen
	ActionReturn        = model.ActionReturn
	ActionReview        = model.ActionReview
	ActionRevoke        = model.ActionRevoke
	ActionSubmit        = model.ActionSubmit
	DefaultReminder     = model.DefaultReminder
	MaxEvidenceFile     = model.MaxEvidenceFile
	NoticeApproved      = model.NoticeApproved
	NoticeChanged       = model.NoticeChanged
	NoticeDeadline      = model.NoticeDeadline
	NoticeExtended      = model.NoticeExtended
	NoticePasswordReset = model.NoticePasswordReset
	NoticePublished     = model.NoticePublished
	NoticeReminder      = model.NoticeReminder
	NoticeReopened      = model.NoticeReopened
	NoticeReplyDue      = model.NoticeReplyDue
	NoticeReturned      = model.NoticeReturned
	NoticeReviewsDue    = model.NoticeReviewsDue
	NoticeVerifying     = model.NoticeVerifying
	OfficeCommune       = model.OfficeCommune
	OfficeDistrict      = model.OfficeDistrict
	RoleAdmin           = model.RoleAdmin
	RoleCommune         = model.RoleCommune
	RoleDistrict        = model.RoleDistrict
	RoleMinistry        = model.RoleMinistry
	RoleOffice          = model.RoleOffice
	RoleProvince        = model.RoleProvince
	RoleSchool          = model.RoleSchool
	RoleViewer          = model.RoleViewer
	SessionAPI          = model.SessionAPI
	SessionWeb          = model.SessionWeb
	StatusApproved      = model.StatusApproved
	StatusDraft         = model.StatusDraft
	StatusReturned      = model.StatusReturned
	StatusSubmitted     = model.StatusSubmitted
	TrailEvent          = model.TrailEvent
	TrailReply          = model.TrailReply
	TrailRuling         = model.TrailRuling
	VerdictContest      = model.VerdictContest
)

var (
	Actions               = model.Actions
	ErrBusy               = model.ErrBusy
	ErrEvidenceTooLarge   = model.ErrEvidenceTooLarge
	ErrForbidden          = model.ErrForbidden
	ErrMustChangePassword = model.ErrMustChangePassword
	ErrNoSample           = model.ErrNoSample
	ErrNotFound           = model.ErrNotFound
	ErrResetLink          = model.ErrResetLink
	NoticeKinds           = model.NoticeKinds
	Roles                 = model.Roles
	Statuses              = model.Statuses
)

// MayImport says whether a may import units or users (model.MayImport).
func MayImport(a *Actor) error { return model.MayImport(a) }

// RetryAfter says how long to wait before trying again (model.RetryAfter).
func RetryAfter(err error) (time.Duration, bool) { return model.RetryAfter(err) }

// SortByName sorts xs by key in Vietnamese order (model.SortByName).
func SortByName[T any](xs []T, key func(T) string) { model.SortByName(xs, key) }

// ParseCrosswalk reads crosswalk rows (model.ParseCrosswalk).
func ParseCrosswalk(r io.Reader) ([]CrosswalkRow, error) { return model.ParseCrosswalk(r) }

// SortRowErrors sorts import row errors by row (model.SortRowErrors).
func SortRowErrors(errs []RowError) { model.SortRowErrors(errs) }

// The service's own short names for helpers that moved to model with the
// types that use them.
var (
	vietnam         = model.Vietnam
	schoolLevelsAll = model.SchoolLevelsAll
)

func pastDue(due, now time.Time) bool { return model.PastDue(due, now) }
func cleanText(s string) string       { return model.CleanText(s) }
func applicableIndicators(set *indicators.Set, level string) []*indicators.Indicator {
	return model.ApplicableIndicators(set, level)
}
