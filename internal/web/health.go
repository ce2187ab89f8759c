package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// healthz answers while the process is alive: for a supervisor's liveness
// probe, which must not restart the app because the database is down.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

type readiness struct {
	Status  string   `json:"status"`
	Reason  string   `json:"reason,omitempty"`
	Pending []string `json:"pending_migrations,omitempty"`
	Version string   `json:"version,omitempty"`
}

// readyz answers 200 only when the database is reachable and its schema is
// current: a load balancer sends traffic to this instance only then.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	h := s.cfg.Services.Health
	if h == nil {
		return c.JSON(http.StatusServiceUnavailable, readiness{Status: "not_ready", Reason: "no database configured"})
	}
	if err := h.Ping(ctx); err != nil {
		return c.JSON(http.StatusServiceUnavailable, readiness{Status: "not_ready", Reason: "database unreachable"})
	}
	pending, err := h.Pending(ctx)
	if err != nil {
		return c.JSON(http.StatusServiceUnavailable, readiness{Status: "not_ready", Reason: "cannot read the schema version"})
	}
	if len(pending) > 0 {
		return c.JSON(http.StatusServiceUnavailable, readiness{Status: "not_ready", Reason: "migrations pending", Pending: pending})
	}
	return c.JSON(http.StatusOK, readiness{Status: "ready", Version: s.cfg.Version})
}
