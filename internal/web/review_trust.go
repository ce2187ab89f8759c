package web

// Review you can trust (issue 17): the school's right of reply to the
// evaluator's changes, rulings on contests, and why an approval is not
// possible yet (four eyes, the reply window).

import (
	"net/http"

	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

type replyRequest struct {
	Verdict     string `json:"verdict" form:"verdict" validate:"required,oneof=accept contest"`
	Comment     string `json:"comment" form:"comment" validate:"max=4000"`
	EvidenceURL string `json:"evidence_url" form:"evidence_url" validate:"max=2000"`
}

type rulingRequest struct {
	Ruling string `json:"ruling" form:"ruling" validate:"required,oneof=uphold reverse"`
	Reason string `json:"reason" form:"reason" validate:"max=4000"`
}

func (s *Server) trustRoutes() {
	const GET, POST, PUT = http.MethodGet, http.MethodPost, http.MethodPut
	evaluators := Roles(model.RoleAdmin, model.RoleMinistry, model.RoleProvince, model.RoleDistrict, model.RoleCommune)
	// The unit assessed replies: a school's own people, or an office's own
	// staff on the office's assessment (Decision 3806); survey checks the
	// unit (Assessment.CanEdit).
	school := Roles(model.RoleSchool, model.RoleOffice)
	scope := func(r Rule) Rule { return r.InScope("assessment", assessmentParamScope) }

	s.route(GET, "/api/v1/assessments/:aid/replies", scope(SignedIn()), s.apiReplies,
		routeDoc{Summary: "The right of reply: each value the evaluator changed, with its reason, the school's reply (accept or contest) and the ruling on a contest; the school sees it once the changes are sent to it", Response: model.ReplyState{}})
	s.route(POST, "/api/v1/assessments/:aid/send-for-reply", scope(evaluators), s.apiSendForReply,
		routeDoc{Summary: "Send the evaluator's changes to the school, which has the campaign's reply window (reply_days) to accept or contest each", Response: model.ReplyState{}})
	s.route(PUT, "/api/v1/assessments/:aid/replies/:indicator", scope(school), s.apiReply,
		routeDoc{Summary: "The school (or, on an office's assessment, the office's own staff) accepts or contests (with a comment and optionally an evidence link) the change of one indicator, within the reply window", Request: replyRequest{}, Response: model.ReplyState{}})
	s.route(POST, "/api/v1/assessments/:aid/replies/:indicator/ruling", scope(evaluators), s.apiRuling,
		routeDoc{Summary: "A reviewer who did not make the change (or the Sở) upholds or reverses a contested change, with a reason", Request: rulingRequest{}, Response: model.ReplyState{}})
	s.route(GET, "/api/v1/assessments/:aid/approval-check", scope(evaluators), s.apiApprovalCheck,
		routeDoc{Summary: "Why the caller cannot approve now (four eyes: who changed values and who may approve instead; the reply window; contests to rule on); null when nothing stands in the way", Response: model.ApprovalCheck{}})
	s.trustPageRoutes()
}

func (s *Server) respondReplies(c echo.Context, id int64) error {
	st, err := s.survey.Replies(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

func (s *Server) apiReplies(c echo.Context) error {
	id, _ := idParam(c, "aid")
	return s.respondReplies(c, id)
}

func (s *Server) apiSendForReply(c echo.Context) error {
	id, _ := idParam(c, "aid")
	if err := s.survey.SendForReply(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	return s.respondReplies(c, id)
}

func (s *Server) apiReply(c echo.Context) error {
	id, _ := idParam(c, "aid")
	var req replyRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if err := s.survey.ReplyToChange(c.Request().Context(), actorOf(c), id, c.Param("indicator"), req.Verdict, req.Comment, req.EvidenceURL); err != nil {
		return err
	}
	return s.respondReplies(c, id)
}

func (s *Server) apiRuling(c echo.Context) error {
	id, _ := idParam(c, "aid")
	var req rulingRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if err := s.survey.RuleOnReply(c.Request().Context(), actorOf(c), id, c.Param("indicator"), req.Ruling, req.Reason); err != nil {
		return err
	}
	return s.respondReplies(c, id)
}

func (s *Server) apiApprovalCheck(c echo.Context) error {
	id, _ := idParam(c, "aid")
	chk, err := s.survey.CheckApproval(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, chk)
}
