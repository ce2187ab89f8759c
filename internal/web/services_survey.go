package web

import (
	"context"
	"encoding/json"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/setstore/setview"
	"github.com/dxindex/dxindex/survey/model"
)

// Survey is what the handlers ask of the survey service: exactly the
// methods they call, so internal/web depends on the service's behaviour and
// its pure types (survey/model), not on the package that implements it over
// PostgreSQL. cmd/dxindex hands it a *survey.Service (and asserts that it
// fits); tests hand it the same, built on their database.
type Survey interface {
	SurveyAccounts
	SurveyUnits
	SurveyCampaigns
	SurveySets
	SurveyAssessments
	SurveyReviews
	SurveySampling
	SurveyPublication
	SurveyNotices

	// CurrentTime is the service's clock (survey.Service.Now), so pages
	// count days to a deadline as the service decides them.
	CurrentTime() time.Time
}

// SurveyAccounts: sign-in, sessions, passwords and accounts.
type SurveyAccounts interface {
	Login(ctx context.Context, username string, password string, ip string, kind string) (*model.Actor, *model.Session, error)
	SessionByToken(ctx context.Context, token string, kind string) (*model.Actor, *model.Session, error)
	Logout(ctx context.Context, token string) error
	EndSession(ctx context.Context, tokenHash []byte) error
	ChangePassword(ctx context.Context, a *model.Actor, keepTokenHash []byte, current string, next string) error
	RequestPasswordReset(ctx context.Context, login string) error
	CheckResetLink(ctx context.Context, token string) (username string, err error)
	ResetPasswordWithLink(ctx context.Context, token string, next string) error
	AdminResetPassword(ctx context.Context, a *model.Actor, username string) (string, error)
	CreateUser(ctx context.Context, a *model.Actor, in model.UserInput) (*model.User, error)
	ListUsers(ctx context.Context, a *model.Actor) ([]*model.User, error)
	UserByUsername(ctx context.Context, a *model.Actor, username string) (*model.User, error)
	SetContacts(ctx context.Context, a *model.Actor, username string, in model.ContactsInput) (*model.User, error)
	SetLocked(ctx context.Context, a *model.Actor, username string, locked bool) (*model.User, error)
	SetLanguage(ctx context.Context, a *model.Actor, lang string) error
}

// SurveyUnits: the unit tree, its history and reorganisation, and imports.
type SurveyUnits interface {
	ListUnits(ctx context.Context, a *model.Actor, f model.UnitFilter) ([]*model.Unit, error)
	UnitByCode(ctx context.Context, code string) (*model.Unit, error)
	CreateUnit(ctx context.Context, a *model.Actor, in model.UnitInput) (*model.Unit, error)
	UpdateUnit(ctx context.Context, a *model.Actor, code string, in model.UnitInput) (*model.Unit, error)
	MoveUnit(ctx context.Context, a *model.Actor, code string, newParentCode string, reason string) (*model.Unit, error)
	History(ctx context.Context, code string) (*model.UnitHistory, error)
	Reorganize(ctx context.Context, a *model.Actor, cw *model.Crosswalk, effective time.Time, dryRun bool) (*model.ReorgReport, error)
	ImportUnits(ctx context.Context, a *model.Actor, rows []model.UnitRow, read []model.RowError) (*model.ImportReport, error)
	ImportUsers(ctx context.Context, a *model.Actor, rows []model.UserRow, read []model.RowError) (*model.ImportReport, []model.Credential, error)
}

// SurveyCampaigns: campaigns, their deadlines, routing and reminders.
type SurveyCampaigns interface {
	ListCampaigns(ctx context.Context, a *model.Actor) ([]*model.Campaign, error)
	Campaign(ctx context.Context, a *model.Actor, id int64) (*model.Campaign, error)
	CreateCampaign(ctx context.Context, a *model.Actor, in model.CampaignInput) (*model.Campaign, error)
	UpdateCampaign(ctx context.Context, a *model.Actor, id int64, in model.CampaignEdit) (*model.Campaign, error)
	CampaignScope(ctx context.Context, id int64) ([]int64, error)
	CampaignAssessments(ctx context.Context, a *model.Actor, campaignID int64, f ...model.QueueFilter) ([]model.AssessmentRow, error)
	MyAssessments(ctx context.Context, a *model.Actor) ([]model.MyAssessment, error)
	ExtendDeadline(ctx context.Context, a *model.Actor, campaignID int64, unitCode string, until time.Time, reason string) (int, error)
	Reopen(ctx context.Context, a *model.Actor, id int64, until time.Time, reason string) error
	ReviewRouting(ctx context.Context, a *model.Actor, campaignID int64) (map[string]string, error)
	SetReviewRouting(ctx context.Context, a *model.Actor, campaignID int64, routing map[string]string) (map[string]string, error)
	Remind(ctx context.Context, a *model.Actor, campaignID int64, unitCode string, message string) (int, error)
	LateSchools(rows []model.AssessmentRow) []model.AssessmentRow
}

// SurveySets: indicator sets and moving a campaign to another version.
type SurveySets interface {
	Set(ctx context.Context, code string, version string) (*indicators.Set, error)
	SetVersions(ctx context.Context, a *model.Actor) ([]*setview.Stored, error)
	LoadSet(ctx context.Context, a *model.Actor, set *indicators.Set) (*model.SetLoad, error)
	SetMoveVersions(ctx context.Context, a *model.Actor, campaignID int64) (*model.Campaign, []string, error)
	PreviewSetMove(ctx context.Context, a *model.Actor, campaignID int64, version string) (*model.SetMove, error)
	ApplySetMove(ctx context.Context, a *model.Actor, campaignID int64, version string, reason string) (*model.SetMove, error)
}

// SurveyAssessments: one assessment: reading it, answers, evidence, comments, submission.
type SurveyAssessments interface {
	Assessment(ctx context.Context, a *model.Actor, id int64) (*model.Assessment, error)
	AssessmentTarget(ctx context.Context, a *model.Actor, id int64) (*model.Assessment, error)
	AssessmentVisible(ctx context.Context, a *model.Actor, id int64) (bool, error)
	SaveAnswer(ctx context.Context, a *model.Actor, id int64, indicator string, value json.RawMessage, version int) (*model.SavedAnswer, error)
	AddDatedEvidenceLink(ctx context.Context, a *model.Actor, id int64, indicator string, link string, checkedOn time.Time) (*model.Evidence, error)
	AddDatedEvidenceFile(ctx context.Context, a *model.Actor, id int64, indicator string, filename string, data []byte, issuedOn time.Time) (*model.Evidence, error)
	DeleteEvidence(ctx context.Context, a *model.Actor, id int64, evidenceID int64) error
	EvidenceFile(ctx context.Context, a *model.Actor, id int64, evidenceID int64) (*model.Evidence, []byte, error)
	AddComment(ctx context.Context, a *model.Actor, id int64, indicator string, body string) (*model.Comment, error)
	Submit(ctx context.Context, a *model.Actor, id int64) error
}

// SurveyReviews: review: evaluators' values, the school's replies, rulings, approval.
type SurveyReviews interface {
	Review(ctx context.Context, a *model.Actor, id int64, indicator string, value json.RawMessage, reason string) (*indicators.Result, error)
	ReviewTrail(ctx context.Context, a *model.Actor, id int64) ([]model.ReviewChange, error)
	Trail(ctx context.Context, a *model.Actor, id int64) ([]model.TrailEntry, error)
	Return(ctx context.Context, a *model.Actor, id int64, comment string) error
	Approve(ctx context.Context, a *model.Actor, id int64, comment string) error
	BulkApprove(ctx context.Context, a *model.Actor, ids []int64, lang string) []model.BulkResult
	Revoke(ctx context.Context, a *model.Actor, id int64, reason string) error
	CheckApproval(ctx context.Context, a *model.Actor, id int64) (*model.ApprovalCheck, error)
	SendForReply(ctx context.Context, a *model.Actor, id int64) error
	Replies(ctx context.Context, a *model.Actor, id int64) (*model.ReplyState, error)
	ReplyToChange(ctx context.Context, a *model.Actor, id int64, indicator string, verdict string, comment string, evidenceURL string) error
	RuleOnReply(ctx context.Context, a *model.Actor, id int64, indicator string, ruling string, reason string) error
}

// SurveySampling: sampled verification.
type SurveySampling interface {
	DrawSample(ctx context.Context, a *model.Actor, campaignID int64, in model.SampleInput) (*model.Sample, error)
	SampleOf(ctx context.Context, a *model.Actor, campaignID int64) (*model.Sample, error)
	SampledIndicators(ctx context.Context, a *model.Actor, id int64) ([]string, bool, error)
	ApproveUnsampled(ctx context.Context, a *model.Actor, campaignID int64, lang string) ([]model.BulkResult, error)
}

// SurveyPublication: publication and what it published.
type SurveyPublication interface {
	PublishCoverage(ctx context.Context, a *model.Actor, campaignID int64) (*model.Coverage, error)
	Publish(ctx context.Context, a *model.Actor, campaignID int64, note string) (*model.Publication, error)
	PublishConfirmed(ctx context.Context, a *model.Actor, campaignID int64, note string, approved int) (*model.Publication, error)
	PublishedCampaigns(ctx context.Context) ([]model.PublishedCampaign, error)
	PublishedResultOf(ctx context.Context, campaignID int64, unitCode string) (*model.PublishedResult, error)
	CampaignEvidence(ctx context.Context, campaignID int64, unitCode string) ([]model.EvidenceRef, error)
}

// SurveyNotices: notices, their preferences and the mail queue.
type SurveyNotices interface {
	Notifications(ctx context.Context, a *model.Actor, limit int) ([]model.Notification, error)
	NotificationsPage(ctx context.Context, a *model.Actor, limit int, offset int) (*model.NotificationPage, error)
	UnreadNotices(ctx context.Context, a *model.Actor) (int, error)
	OpenNotice(ctx context.Context, a *model.Actor, id int64) (string, error)
	MarkAllRead(ctx context.Context, a *model.Actor) error
	NoticePrefs(ctx context.Context, a *model.Actor) (map[model.NoticeKind]bool, string, error)
	SetNoticePrefs(ctx context.Context, a *model.Actor, on map[model.NoticeKind]bool) error
	UpdateNoticePrefs(ctx context.Context, a *model.Actor, set map[model.NoticeKind]bool) error
	MailQueue(ctx context.Context, a *model.Actor, limit int) ([]model.Notification, error)
	MailCounts(ctx context.Context) (map[string]int, error)
	NotificationForDelivery(ctx context.Context, id int64) (*model.Notification, error)
}
