package web

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/labstack/echo/v4"
)

// Rule says who may reach a route. Every route is registered with one
// (s.route); New refuses to build a server with a route that has none, so
// authorization cannot be forgotten. The domain services check the scope
// of the data they touch again, next to the data.
type Rule struct {
	name   string
	public bool
	roles  []model.Role // empty: any signed-in user
	scope  scopeFunc    // optional: the unit touched must be in the actor's scope
	// upload is the largest multipart body (files and their form) the
	// route takes from a signed-in caller; 0: none over defaultBodyLimit.
	upload int64
	// oneTime: reachable while signed in with a one-time password (to
	// change it, or leave); every other route waits for the change.
	oneTime bool
}

// defaultBodyLimit bounds every request body a route has not raised with
// Uploads: forms and JSON are a few kilobytes, so 2 MB is generous and
// still small enough that nobody can make the server read much.
const defaultBodyLimit = 2 << 20

// The routes that take files, and how much. Each is a little over the
// largest file its handler accepts, so a file just too large reaches the
// handler and gets its specific message ("larger than 10 MB") beside the
// form; anything larger is refused unread with a 413.
const (
	// evidenceUploadLimit: one evidence file (model.MaxEvidenceFile),
	// its form fields and the multipart framing.
	evidenceUploadLimit = model.MaxEvidenceFile + 2<<20
	// importUploadLimit: a spreadsheet to import (the handler takes files
	// of up to 20 MB) and its form.
	importUploadLimit = 32 << 20
)

// scopeFunc checks that what a request touches lies in the actor's scope,
// returning a not-found error when it does not (not revealing it exists).
type scopeFunc func(c echo.Context, s *Server, a *model.Actor) error

// Public routes are open to anonymous visitors.
func Public() Rule { return Rule{name: "public", public: true} }

// SignedIn routes need any signed-in user.
func SignedIn() Rule { return Rule{name: "signed-in"} }

// Roles routes need one of roles.
func Roles(roles ...model.Role) Rule {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return Rule{name: "roles:" + strings.Join(names, ","), roles: roles}
}

// InScope adds a scope check to a rule.
func (r Rule) InScope(name string, f scopeFunc) Rule {
	r.name += " scope:" + name
	r.scope = f
	return r
}

// Uploads lets the route take a multipart body of up to n bytes from a
// signed-in caller: a file and its form. Every other body it receives
// (JSON, a plain form), and every body from an anonymous caller, stays
// under defaultBodyLimit, so a large read is only ever done for someone
// whose session is known; the rule's roles and scope are checked before
// the body is read at all.
func (r Rule) Uploads(n int64) Rule {
	r.upload = n
	return r
}

// WithOneTimePassword lets someone signed in with a one-time password
// reach the route: the few a person needs to change it, or to leave.
func (r Rule) WithOneTimePassword() Rule {
	r.oneTime = true
	return r
}

// bodyLimit is how many bytes of body a request to a route with this rule
// may carry.
func (r Rule) bodyLimit(c echo.Context) int64 {
	if r.upload > 0 && actorOf(c) != nil && mediaType(c.Request()) == echo.MIMEMultipartForm {
		return r.upload
	}
	return defaultBodyLimit
}

// String describes the rule, for the route listing and error messages.
func (r Rule) String() string { return r.name }

// routeDoc describes an API route for the OpenAPI document.
type routeDoc struct {
	Summary  string
	Request  any // a value of the request body type, or nil
	Response any // a value of the response type, or nil
	Status   int // success status; default 200
}

type routeInfo struct {
	Method, Path string
	Rule         Rule
	Doc          *routeDoc
}

// route registers a handler with its rule (and, for the API, its doc).
func (s *Server) route(method, path string, rule Rule, h echo.HandlerFunc, doc ...routeDoc) {
	if rule.name == "" {
		// A zero Rule is a programming error; it must fail loudly at start.
		s.ruleErrs = append(s.ruleErrs, fmt.Sprintf("%s %s: empty rule", method, path))
	}
	if rule.public && rule.upload > 0 {
		// Anyone could make the server read that much.
		s.ruleErrs = append(s.ruleErrs, fmt.Sprintf("%s %s: a public route cannot take uploads", method, path))
	}
	info := &routeInfo{Method: method, Path: path, Rule: rule}
	if len(doc) > 0 {
		info.Doc = &doc[0]
	}
	s.rules[method+" "+path] = info
	methods := []string{method}
	if method == http.MethodGet {
		methods = append(methods, http.MethodHead)
		s.rules[http.MethodHead+" "+path] = info
	}
	// The order is the point: the body's limit is set before anything
	// reads it, who is asking is checked before the form is read, and the
	// CSRF token (which may be a form field) only after both.
	s.echo.Match(methods, path, h, limitBody(rule), s.enforce(rule), readForm, s.csrf)
}

// enforce is the middleware that applies a rule.
func (s *Server) enforce(rule Rule) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !rule.public {
				a := actorOf(c)
				if a == nil {
					return errNeedSignIn
				}
				if a.MustChangePassword && !rule.oneTime {
					// A one-time password (imported, or reset by an
					// admin) is changed before anything else.
					if isAPI(c) {
						return model.ErrMustChangePassword
					}
					setFlash(c, tr(langOf(c), "account.must_change"))
					return c.Redirect(http.StatusSeeOther, "/account/password")
				}
				if len(rule.roles) > 0 && !slices.Contains(rule.roles, a.Role) {
					return model.ErrForbidden
				}
				if rule.scope != nil {
					if err := rule.scope(c, s, a); err != nil {
						return err
					}
				}
			}
			return next(c)
		}
	}
}

var errNeedSignIn = errkind.New(errkind.Unauthenticated, "Hãy đăng nhập để tiếp tục.", "please sign in to continue")

// checkRules verifies that every route echo knows was registered with a
// rule: a route added around s.route would otherwise be open to anyone.
func (s *Server) checkRules() error {
	missing := slices.Clone(s.ruleErrs)
	for _, r := range s.echo.Routes() {
		if _, ok := s.rules[r.Method+" "+r.Path]; !ok {
			missing = append(missing, r.Method+" "+r.Path)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("web: routes without an authorization rule: %s", strings.Join(missing, ", "))
	}
	return nil
}

// Routes lists every route with its rule, sorted, for tests and docs.
func (s *Server) Routes() []routeInfo {
	var out []routeInfo
	for _, r := range s.rules {
		if r.Method == http.MethodHead {
			continue
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}
