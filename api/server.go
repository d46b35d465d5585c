// Package api is Heed's REST API v1: JSON over HTTP under /api/v1, for
// integrations and scripts. Requests authenticate with an API token
// (Authorization: Bearer), but those to an inbound source's URL, which
// other systems authenticate with the source's secret; handlers call the
// same services as the web UI and the CLI, so the same access rules hold. The OpenAPI 3 document is
// generated from the handlers by huma and served at /api/v1/openapi.json.
package api

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/events"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/webhooks"
)

// Prefix is where the API lives; every path it serves starts with it.
const Prefix = "/api/v1"

// openAPIPath is the document, which needs no token.
const openAPIPath = Prefix + "/openapi.json"

// Config is what the API needs from the rest of the program.
type Config struct {
	Directory *directory.Service
	Accounts  *accounts.Service
	Jobs      *jobs.Service
	Surveys   *survey.Service
	// Cases and Webhooks close the loop. Each is optional: without it,
	// its routes are not served (nor documented), and the metrics answer
	// carries no loop figures.
	Cases    *cases.Service
	Webhooks *webhooks.Service
	// Feedback brings in and lists feedback from every source; optional,
	// as Cases.
	Feedback *feedback.Service
	// Events brings in what customers do and profiles them (RFM, churn
	// risk, the loyalty ladder); optional, as Cases.
	Events  *events.Service
	Logger  *slog.Logger
	Version string
	// Ping checks that the database answers (heed.Store's Ping). When set,
	// an unexpected error is answered 503 "database unavailable" instead
	// of 500 if the database does not answer.
	Ping func(context.Context) error
}

// server is the API's handler: authentication around a mux on which huma
// registered every operation.
type server struct {
	cfg     Config
	log     *slog.Logger
	mux     *patternMux
	api     huma.API
	limiter *failureLimiter
	openapi []byte // the document, rendered once all routes are registered
}

// New returns the handler for everything under /api/v1/ (mount it at
// "/api/v1/" on the root mux; it sees full paths).
func New(cfg Config) (http.Handler, error) {
	if cfg.Directory == nil || cfg.Accounts == nil || cfg.Jobs == nil || cfg.Surveys == nil {
		return nil, fmt.Errorf("api: Directory, Accounts, Jobs and Surveys services are required")
	}
	useHeedErrorsInHuma()
	s := &server{
		cfg:     cfg,
		log:     cfg.Logger,
		mux:     &patternMux{ServeMux: http.NewServeMux()},
		limiter: newFailureLimiter(failedBearerLimit, failedBearerWindow, time.Now),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.api = huma.NewAPI(humaConfig(cfg.Version), humago.NewAdapter(s.mux, ""))
	s.registerRoutes()
	doc, err := json.Marshal(s.api.OpenAPI())
	if err != nil {
		return nil, fmt.Errorf("api: render the OpenAPI document: %w", err)
	}
	s.openapi = doc
	s.mux.HandleFunc("GET "+openAPIPath, s.serveOpenAPI)
	s.mux.HandleFunc(Prefix+"/", s.noRoute)
	return s, nil
}

// ServeHTTP tags the request with an id, authenticates it and routes it.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get("X-Request-Id")
	if !validRequestID(id) {
		id = rand.Text()[:16]
	}
	w.Header().Set("X-Request-Id", id)
	// Answers carry personal data: no caching, no content sniffing.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	r = r.WithContext(withRequestID(r.Context(), id))
	defer s.recoverPanic(w, r)
	if !s.needsToken(r) {
		s.route(w, r)
		return
	}
	p, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	s.route(w, r.WithContext(heed.WithPrincipal(r.Context(), p)))
}

// route hands r to the mux and notes the pattern that matched in the
// caller's route recorder (see WithRouteRecorder), even if the handler
// panics.
func (s *server) route(w http.ResponseWriter, r *http.Request) {
	defer func() { recordRoute(r.Context(), r.Pattern) }()
	s.mux.ServeHTTP(w, r)
}

// recoverPanic turns a handler's panic into a logged 500 instead of a
// dropped connection.
func (s *server) recoverPanic(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	s.log.ErrorContext(r.Context(), "api: panic", "request_id", requestID(r.Context()), "panic", v,
		"method", r.Method, "path", r.URL.Path)
	writeError(w, newError(http.StatusInternalServerError, "internal", "", "internal error"))
}

// serveOpenAPI serves the document rendered in New. Rendering it once,
// after registration, also avoids huma's lazily cached copy, which two
// first requests could race to fill.
func (s *server) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/openapi+json")
	w.Write(s.openapi)
}

// noRoute answers every path under /api/v1 that no operation serves: 405
// when the path exists for other methods, 404 otherwise, in the API's
// error shape rather than the mux's plain text.
func (s *server) noRoute(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := *r
		probe.Method = m
		if _, pattern := s.mux.Handler(&probe); pattern != Prefix+"/" && pattern != "" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		e := newError(http.StatusMethodNotAllowed, "method_not_allowed", "", "%s is not allowed on %s", r.Method, r.URL.Path)
		e.headers = http.Header{"Allow": {strings.Join(allowed, ", ")}}
		writeError(w, e)
		return
	}
	writeError(w, newError(http.StatusNotFound, "not_found", "", "no route %s %s", r.Method, r.URL.Path))
}

// humaConfig is huma's default configuration minus what Heed does not
// want: the docs UI, the schema routes, and the link transformer that adds
// "$schema" to every response body (clients see exactly the fields of
// Heed's types).
func humaConfig(version string) huma.Config {
	if version == "" {
		version = "dev"
	}
	c := huma.DefaultConfig("Heed API", version)
	c.Info.Description = "Heed's REST API v1. Every operation needs an API token: `Authorization: Bearer <token>`, " +
		"but POST /inbound/{key}, where other systems authenticate with the inbound source's secret. " +
		"Errors are always `{\"error\": {\"code\", \"message\", \"field\", \"details\"}}`."
	c.OpenAPIPath = ""
	c.DocsPath = ""
	c.SchemasPath = ""
	c.CreateHooks = nil
	c.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An API token made with `heed token create` or POST /api/v1/tokens."},
	}
	c.Security = []map[string][]string{{"bearer": {}}}
	registerDecimal(c.Components.Schemas)
	registerLoopFigures(c.Components.Schemas)
	registerFeedbackNames(c.Components.Schemas)
	return c
}

// patternMux is the API's router. It notes every pattern registered on
// it, by huma or by hand, so a test can hold the OpenAPI document to the
// routes actually served.
type patternMux struct {
	*http.ServeMux
	patterns []string
}

func (m *patternMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

func (m *patternMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}
