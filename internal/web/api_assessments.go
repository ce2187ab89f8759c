package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// assessmentRoutes registers the workflow's API: answers, evidence,
// submission, review and publication. Each assessment route needs a
// signed-in user; the survey service checks the assessment is in the
// actor's scope and that the actor's role may take the action.
func (s *Server) assessmentRoutes() {
	const GET, POST, PUT, DELETE = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	evaluators := Roles(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune)
	school := Roles(model.RoleSchool, model.RoleOffice) // self-assessors: a school's people, an office's own staff
	aid := SignedIn().InScope("assessment", assessmentParamScope)

	s.route(GET, "/api/v1/assessments/:aid", aid, s.apiAssessment,
		routeDoc{Summary: "An assessment in full: answers (value, version, evidence, review), self and validated scores, gap, status, history", Response: model.Assessment{}})
	s.route(PUT, "/api/v1/assessments/:aid/answers/:indicator", school.InScope("assessment", assessmentParamScope), s.apiSaveAnswer,
		routeDoc{Summary: "Save one answer; version is the version replaced (0 for a new answer); a stale version gets 409 with the current answer; with ?panel=1 the answer also carries panel_html, the score panel rendered from the saved score", Request: answerRequest{}, Response: model.SavedAnswer{}})
	s.route(POST, "/api/v1/assessments/:aid/evidence/:indicator", school.InScope("assessment", assessmentParamScope).Uploads(evidenceUploadLimit), s.apiAddEvidence,
		routeDoc{Summary: "Attach evidence: a multipart file (field \"file\") or JSON {\"url\"}", Request: evidenceLinkRequest{}, Response: model.Evidence{}, Status: http.StatusCreated})
	s.route(DELETE, "/api/v1/assessments/:aid/evidence/:eid", school.InScope("assessment", assessmentParamScope), s.apiDeleteEvidence,
		routeDoc{Summary: "Remove a piece of evidence", Status: http.StatusNoContent})
	s.route(GET, "/api/v1/assessments/:aid/evidence/:eid", aid, s.evidenceDownload,
		routeDoc{Summary: "Download an evidence file"})
	s.route(POST, "/api/v1/assessments/:aid/submit", school.InScope("assessment", assessmentParamScope), s.apiSubmit,
		routeDoc{Summary: "Submit the self-assessment; 422 lists what is missing", Response: model.Assessment{}})
	s.route(POST, "/api/v1/assessments/:aid/return", evaluators.InScope("assessment", assessmentParamScope), s.apiReturn,
		routeDoc{Summary: "Return to the school with a comment", Request: commentRequest{}, Response: model.Assessment{}})
	s.route(POST, "/api/v1/assessments/:aid/approve", evaluators.InScope("assessment", assessmentParamScope), s.apiApprove,
		routeDoc{Summary: "Approve: the validated score becomes final", Request: commentRequest{}, Response: model.Assessment{}})
	s.route(POST, "/api/v1/assessments/:aid/revoke", evaluators.InScope("assessment", assessmentParamScope), s.apiRevoke,
		routeDoc{Summary: "Revoke an approval, with a reason", Request: reasonRequest{}, Response: model.Assessment{}})
	s.route(PUT, "/api/v1/assessments/:aid/review/:indicator", evaluators.InScope("assessment", assessmentParamScope), s.apiReview,
		routeDoc{Summary: "External evaluation: the evaluator's value for an indicator, with a required reason (null removes it)", Request: reviewRequest{}, Response: indicators.Result{}})
	s.route(GET, "/api/v1/assessments/:aid/review-trail", evaluators.InScope("assessment", assessmentParamScope), s.apiReviewTrail,
		routeDoc{Summary: "Who changed which value, from what, to what and why", Response: []model.ReviewChange{}})
	s.route(POST, "/api/v1/assessments/:aid/comments", aid, s.apiComment,
		routeDoc{Summary: "Comment on an indicator or (without indicator) on the whole assessment", Request: commentOnRequest{}, Response: model.Comment{}, Status: http.StatusCreated})
	s.route(POST, "/api/v1/campaigns/:id/approve", evaluators.InScope("campaign", campaignParamScope), s.apiBulkApprove,
		routeDoc{Summary: "Approve several submitted assessments; each is reported", Request: bulkRequest{}, Response: []model.BulkResult{}})
	s.route(GET, "/api/v1/campaigns/:id/publish/coverage", evaluators.InScope("campaign", campaignParamScope), s.apiPublishCoverage,
		routeDoc{Summary: "What publishing now would publish: approved assessments of the caller's scope (n) among all (N), per unit", Response: model.Coverage{}})
	s.route(POST, "/api/v1/campaigns/:id/publish", evaluators.InScope("campaign", campaignParamScope), s.apiPublish,
		routeDoc{Summary: "Publish the approved results of the caller's scope as a new revision; with approved (the n read from publish/coverage), nothing is published if n changed meanwhile", Request: publishRequest{}, Response: model.Publication{}, Status: http.StatusCreated})
	s.route(GET, "/api/v1/campaigns/:id/results/:code", Public(), s.apiPublishedResult,
		routeDoc{Summary: "A unit's published result (latest revision), for anyone", Response: model.PublishedResult{}})
}

// assessmentParamScope: the assessment :aid exists and is in the actor's
// scope (the service checks again, with the role's rights).
func assessmentParamScope(c echo.Context, s *Server, a *model.Actor) error {
	id, err := idParam(c, "aid")
	if err != nil {
		return err
	}
	ok, err := s.survey.AssessmentVisible(c.Request().Context(), a, id)
	if err != nil {
		return err
	}
	if !ok {
		return model.ErrNotFound
	}
	return nil
}

type answerRequest struct {
	Value   json.RawMessage `json:"value"`
	Version *int            `json:"version" validate:"required,gte=0"`
}

type evidenceLinkRequest struct {
	URL string `json:"url" validate:"required,max=2000"`
	// CheckedOn is the day the link was checked, yyyy-mm-dd (optional;
	// fresh evidence, issue 17).
	CheckedOn string `json:"checked_on,omitempty" validate:"max=10"`
}

type commentRequest struct {
	Comment string `json:"comment" validate:"max=4000"`
}

type reasonRequest struct {
	Reason string `json:"reason" validate:"required,max=4000"`
}

type reviewRequest struct {
	Value  json.RawMessage `json:"value"`
	Reason string          `json:"reason" validate:"required,max=4000"`
}

type commentOnRequest struct {
	Indicator string `json:"indicator" validate:"max=64"`
	Body      string `json:"body" validate:"required,max=4000"`
}

type bulkRequest struct {
	IDs []int64 `json:"ids" validate:"required,min=1,max=1000"`
}

type publishRequest struct {
	Note string `json:"note" validate:"max=1000"`
	// Approved, when given, is the number of approved assessments the
	// caller saw in publish/coverage and confirms: the same check the
	// page's confirmation makes.
	Approved *int `json:"approved,omitempty" validate:"omitempty,min=0"`
}

func (s *Server) apiAssessment(c echo.Context) error { return assessmentJSON(c, s.survey.Assessment) }

// assessmentJSON answers with what get returns for the assessment :aid.
func assessmentJSON[T any](c echo.Context, get func(context.Context, *model.Actor, int64) (T, error)) error {
	id, _ := idParam(c, "aid")
	v, err := get(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// conflictBody is the 409 of a stale answer: the error and the answer as
// it now stands, so the client can show it and decide.
type conflictBody struct {
	Error   apiErrorBody          `json:"error"`
	Current *model.AnswerConflict `json:"current"`
}

func (s *Server) apiSaveAnswer(c echo.Context) error {
	id, _ := idParam(c, "aid")
	var req answerRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	saved, err := s.survey.SaveAnswer(c.Request().Context(), actorOf(c), id, c.Param("indicator"), req.Value, *req.Version)
	var conflict *model.AnswerConflict
	if errors.As(err, &conflict) {
		_, code, msg, _ := classify(err, langOf(c))
		return c.JSON(http.StatusConflict, conflictBody{Error: apiErrorBody{Code: code, Message: msg, RequestID: requestID(c)}, Current: conflict})
	}
	if err != nil {
		return err
	}
	// The form's script asks for the score panel rendered from this save's
	// score, so the page shows exactly what a reload would.
	if c.QueryParam("panel") == "1" {
		if body, err := s.savedWithPanel(c, id, saved); err == nil {
			return c.JSON(http.StatusOK, body)
		}
	}
	return c.JSON(http.StatusOK, saved)
}

// savedPanel is a save's answer with the score panel as HTML.
type savedPanel struct {
	*model.SavedAnswer
	PanelHTML string `json:"panel_html"`
}

// savedWithPanel renders the panel from the saved score, without another
// read of the assessment: the set is cached and the save carries the
// score, the progress and the gap.
func (s *Server) savedWithPanel(c echo.Context, id int64, saved *model.SavedAnswer) (*savedPanel, error) {
	ctx := c.Request().Context()
	x, err := s.survey.AssessmentTarget(ctx, actorOf(c), id)
	if err != nil {
		return nil, err
	}
	set, err := s.survey.Set(ctx, x.SetCode, x.SetVersion)
	if err != nil {
		return nil, err
	}
	lang := langOf(c)
	html, err := s.renderPanel(lang, buildPanel(lang, set, x.SchoolLevel, saved.Self, nil, saved.Gap, saved.Answered, saved.Applicable, saved.Revision))
	if err != nil {
		return nil, err
	}
	return &savedPanel{SavedAnswer: saved, PanelHTML: html}, nil
}

// readUpload reads the multipart field "file". The route's limit
// (evidenceUploadLimit) has bounded the body and readForm has read it,
// in memory, before this runs; a file over MaxEvidenceFile that fitted in
// the limit gets the evidence's own message.
func readUpload(c echo.Context) (string, []byte, error) {
	fh, err := c.FormFile("file")
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return "", nil, tooLarge(c, err)
	}
	if err != nil {
		return "", nil, errkind.New(errkind.Invalid, "Hãy chọn một tệp (trường \"file\").", "send the file in the multipart field \"file\"")
	}
	if fh.Size > model.MaxEvidenceFile {
		return "", nil, model.ErrEvidenceTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, model.MaxEvidenceFile+1))
	if err != nil {
		return "", nil, err
	}
	return fh.Filename, data, nil
}

func (s *Server) apiAddEvidence(c echo.Context) error {
	id, _ := idParam(c, "aid")
	ctx := c.Request().Context()
	ind := c.Param("indicator")
	var ev *model.Evidence
	var err error
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mt == "multipart/form-data" {
		name, data, rerr := readUpload(c)
		if rerr != nil {
			return rerr
		}
		// issued_on: the day the document was issued (fresh evidence).
		dated, bad := evidenceDate(c.FormValue("issued_on"), langOf(c))
		if bad != "" {
			return evidenceDateError("issued_on")
		}
		ev, err = s.survey.AddDatedEvidenceFile(ctx, actorOf(c), id, ind, name, data, dated)
	} else {
		var req evidenceLinkRequest
		if err := bind(c, &req); err != nil {
			return err
		}
		dated, bad := evidenceDate(req.CheckedOn, langOf(c))
		if bad != "" {
			return evidenceDateError("checked_on")
		}
		ev, err = s.survey.AddDatedEvidenceLink(ctx, actorOf(c), id, ind, req.URL, dated)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, ev)
}

func (s *Server) apiDeleteEvidence(c echo.Context) error {
	id, _ := idParam(c, "aid")
	eid, err := idParam(c, "eid")
	if err != nil {
		return err
	}
	if err := s.survey.DeleteEvidence(c.Request().Context(), actorOf(c), id, eid); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// evidenceDownload serves a stored file to those allowed to read the
// assessment, as an attachment with its detected type, never rendered
// inline as HTML.
func (s *Server) evidenceDownload(c echo.Context) error {
	id, _ := idParam(c, "aid")
	eid, err := idParam(c, "eid")
	if err != nil {
		return err
	}
	ev, data, err := s.survey.EvidenceFile(c.Request().Context(), actorOf(c), id, eid)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Filename}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return c.Blob(http.StatusOK, ev.ContentType, data)
}

func (s *Server) respondAssessment(c echo.Context, id int64) error {
	x, err := s.survey.Assessment(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, x)
}

func (s *Server) apiSubmit(c echo.Context) error {
	id, _ := idParam(c, "aid")
	if err := s.survey.Submit(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	return s.respondAssessment(c, id)
}

func (s *Server) apiReturn(c echo.Context) error  { return s.commented(c, s.survey.Return) }
func (s *Server) apiApprove(c echo.Context) error { return s.commented(c, s.survey.Approve) }

// commented takes a step with the request's comment on the assessment :aid
// and answers with the assessment.
func (s *Server) commented(c echo.Context, step func(context.Context, *model.Actor, int64, string) error) error {
	id, _ := idParam(c, "aid")
	var req commentRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if err := step(c.Request().Context(), actorOf(c), id, req.Comment); err != nil {
		return err
	}
	return s.respondAssessment(c, id)
}

func (s *Server) apiRevoke(c echo.Context) error {
	id, _ := idParam(c, "aid")
	var req reasonRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if err := s.survey.Revoke(c.Request().Context(), actorOf(c), id, req.Reason); err != nil {
		return err
	}
	return s.respondAssessment(c, id)
}

func (s *Server) apiReview(c echo.Context) error {
	id, _ := idParam(c, "aid")
	var req reviewRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	v, err := s.survey.Review(c.Request().Context(), actorOf(c), id, c.Param("indicator"), req.Value, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (s *Server) apiReviewTrail(c echo.Context) error { return assessmentJSON(c, s.survey.ReviewTrail) }

func (s *Server) apiComment(c echo.Context) error {
	id, _ := idParam(c, "aid")
	var req commentOnRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	cm, err := s.survey.AddComment(c.Request().Context(), actorOf(c), id, req.Indicator, req.Body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cm)
}

func (s *Server) apiBulkApprove(c echo.Context) error {
	var req bulkRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.survey.BulkApprove(c.Request().Context(), actorOf(c), req.IDs, langOf(c)))
}

func (s *Server) apiPublish(c echo.Context) error {
	id, _ := idParam(c, "id")
	var req publishRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	var pub *model.Publication
	var err error
	if req.Approved != nil {
		pub, err = s.survey.PublishConfirmed(c.Request().Context(), actorOf(c), id, req.Note, *req.Approved)
	} else {
		pub, err = s.survey.Publish(c.Request().Context(), actorOf(c), id, req.Note)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, pub)
}

func (s *Server) apiPublishCoverage(c echo.Context) error {
	id, _ := idParam(c, "id")
	cov, err := s.survey.PublishCoverage(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cov)
}

func (s *Server) apiPublishedResult(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.survey.PublishedResultOf(c.Request().Context(), id, c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// parseIDs reads the ids of checked boxes ("ids" form values).
func parseIDs(values []string) ([]int64, error) {
	var ids []int64
	for _, v := range values {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			return nil, errkind.New(errkind.Invalid, fmt.Sprintf("Mã bản đánh giá không hợp lệ: %q.", v), fmt.Sprintf("invalid assessment id %q", v))
		}
		ids = append(ids, id)
	}
	return ids, nil
}
