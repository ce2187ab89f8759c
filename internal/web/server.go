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

	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Config is what the server needs from its caller.
type Config struct {
	Logger *slog.Logger
	// Services are the domain services requests are handed to, built by
	// the caller (cmd/dxindex): the web layer holds no database of its own.
	Services Services
	Version  string
	// TrustedProxies: the reverse proxies (addresses or networks) whose
	// X-Forwarded-For and X-Forwarded-Proto are believed; nobody else's
	// are, or anyone could pick the address sign-in throttling counts by,
	// or claim HTTPS. Empty: the connection's peer is the client.
	TrustedProxies []*net.IPNet
	// Notify says how notices are delivered, for the admin's mail page
	// and for recording webhook jobs (issue 16).
	Notify NotifyInfo
}

// Services are what the handlers call. Any may be nil in tests that
// exercise only the shell (rules, middleware); a route that needs a
// missing one fails its request, not the start.
type Services struct {
	Survey    Survey
	Dashboard Dashboard
	Sets      Sets
	Exports   Exports
	Health    Health
}

// Health answers the readiness probe: whether the database answers and
// which migrations it still lacks (postgres.Health is the one in use).
type Health interface {
	Ping(ctx context.Context) error
	Pending(ctx context.Context) ([]string, error)
}

// Server is the HTTP application.
type Server struct {
	cfg    Config
	log    *slog.Logger
	echo   *echo.Echo
	tmpl   *templates
	survey Survey
	dash   Dashboard
	sets   Sets

	rules    map[string]*routeInfo // "METHOD /path" → rule
	ruleErrs []string
	openapi  openAPICache
}

// New builds the server and its route table. Templates are parsed here, so
// a broken template fails at start, not on the first request.
func New(cfg Config) (*Server, error) { return newServer(cfg, nil) }

// newServer builds the server; extra, if not nil, adds routes before the
// rule check (tests use it to show a route without a rule is refused).
func newServer(cfg Config, extra func(*Server)) (*Server, error) {
	if cfg.Logger == nil {
		return nil, errors.New("web: no logger")
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, tmpl: tmpl, rules: map[string]*routeInfo{},
		survey: cfg.Services.Survey, dash: cfg.Services.Dashboard, sets: cfg.Services.Sets}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Renderer = tmpl
	e.Validator = newValidator()
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	e.Use(
		middleware.RequestIDWithConfig(middleware.RequestIDConfig{TargetHeader: echo.HeaderXRequestID}),
		s.requestLogger(),
		s.recoverPanics,
		securityHeaders,
		compress(alreadyCompressed),
		checkURL,
		s.authenticate,
		// Each route then applies, in order, its body limit, its rule,
		// the form read and the CSRF check (s.route): the limit depends
		// on the route and on who is asking, so it cannot be set here.
	)
	s.echo = e
	s.routes()
	if extra != nil {
		extra(s)
	}
	if err := s.checkRules(); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler returns the server as an http.Handler (for tests).
func (s *Server) Handler() http.Handler { return s.echo }

// Echo exposes the router, for tests that add routes of their own.
func (s *Server) Echo() *echo.Echo { return s.echo }

// routes is the one route table of the application: every route with
// the rule of who may reach it.
func (s *Server) routes() {
	const GET, POST, PUT = http.MethodGet, http.MethodPost, http.MethodPut
	admin := Roles(model.RoleAdmin)
	campaignMakers := Roles(model.RoleAdmin, model.RoleProvince)

	s.route(GET, "/healthz", Public(), s.healthz)
	s.route(GET, "/readyz", Public(), s.readyz)
	s.route(GET, "/static/*", Public(), s.static)
	s.route(GET, "/", Public(), s.home)

	// Sign-in, account, language.
	s.route(GET, "/login", Public(), s.loginPage)
	s.route(POST, "/login", Public(), s.loginSubmit)
	s.route(POST, "/logout", SignedIn().WithOneTimePassword(), s.logout)
	s.route(GET, "/account/password", SignedIn().WithOneTimePassword(), s.passwordPage)
	s.route(POST, "/account/password", SignedIn().WithOneTimePassword(), s.passwordSubmit)
	s.route(POST, "/lang", Public(), s.switchLang)
	s.accountRoutes()

	// Administration of units and users.
	s.route(GET, "/admin/units", admin, s.unitsPage)
	s.route(POST, "/admin/units", admin, s.unitCreate)
	s.route(GET, "/admin/units/:code", admin.InScope("unit", unitParamScope), s.unitPage)
	s.route(POST, "/admin/units/:code", admin.InScope("unit", unitParamScope), s.unitUpdate)
	s.route(POST, "/admin/units/:code/move", admin.InScope("unit", unitParamScope), s.unitMove)
	s.route(GET, "/admin/users", admin, s.usersPage)
	s.route(POST, "/admin/users", admin, s.userCreate)
	s.route(POST, "/admin/users/:username/lock", admin, s.userLock)
	s.route(POST, "/admin/users/:username/unlock", admin, s.userUnlock)

	// Campaigns.
	s.route(GET, "/campaigns", SignedIn(), s.campaignsPage)
	s.route(POST, "/campaigns", campaignMakers, s.campaignCreate)
	s.route(GET, "/campaigns/:id", SignedIn().InScope("campaign", campaignParamScope), s.campaignPage)
	s.campaignOfficeRoutes()

	s.apiRoutes()
	s.dashboardRoutes()
	s.assessmentRoutes()
	s.assessmentPageRoutes()
	s.trustRoutes()
	s.importRoutes()
	s.setRoutes()
	s.setMoveRoutes()
	s.govRoutes()
	s.exportAnswersRoutes()
	s.notifyRoutes()
	s.sampleRoutes()
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
