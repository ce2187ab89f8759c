package web

import "github.com/dxindex/dxindex/survey"

// surveyOf is the real survey service behind s (servicesOn builds one), for
// tests that set it up beyond what the handlers may ask of it.
func surveyOf(s *Server) *survey.Service { return s.survey.(*survey.Service) }
