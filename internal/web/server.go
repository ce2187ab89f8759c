// Package web is dxindex's HTTP shell: the echo server, its middleware
// (request ids, logging, panic recovery, security headers), the one error
// handler that turns domain errors into statuses, templates and static
// files, and the route table. Feature handlers live here too, one file per
// area; the domain packages below know nothing of HTTP.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Config is what the server needs from its caller.
type Config struct {
	Logger  *slog.Logger
	Pool    *pgxpool.Pool
	Version string
}

// Server is the HTTP application.
type Server struct {
	cfg  Config
	log  *slog.Logger
	echo *echo.Echo
	tmpl *templates
}

// New builds the server and its route table. Templates are parsed here, so
// a broken template fails at start, not on the first request.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		return nil, errors.New("web: no logger")
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, tmpl: tmpl}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Renderer = tmpl
	e.Use(
		middleware.RequestIDWithConfig(middleware.RequestIDConfig{TargetHeader: echo.HeaderXRequestID}),
		s.requestLogger(),
		s.recoverPanics,
		securityHeaders,
		middleware.BodyLimit("2M"),
	)
	s.echo = e
	s.routes()
	return s, nil
}

// Handler returns the server as an http.Handler (for tests).
func (s *Server) Handler() http.Handler { return s.echo }

// Echo exposes the router, for tests that add routes of their own.
func (s *Server) Echo() *echo.Echo { return s.echo }

// routes is the one route table of the application.
func (s *Server) routes() {
	s.get("/healthz", s.healthz)
	s.get("/readyz", s.readyz)
	s.get("/static/*", s.static)
	s.get("/", s.home)
}

// get routes GET and HEAD (which echo does not derive from GET) to h.
func (s *Server) get(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	s.echo.Match([]string{http.MethodGet, http.MethodHead}, path, h, m...)
}

// Serve listens on addr until ctx is cancelled, then shuts down
// gracefully: it stops accepting connections and lets requests in flight
// finish for up to grace. ready, if not nil, receives the bound address
// (useful with port 0).
func (s *Server) Serve(ctx context.Context, addr string, grace time.Duration, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("web: listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // evidence uploads on slow connections
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("web: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing requests in flight", "grace", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("web: shutdown: %w", err)
	}
	return nil
}
