// Package cases closes the loop: it routes every response to the employee
// who owns the customer, applies the admins' rules in the transaction that
// stores the response (cases, alerts, webhooks, tags, thank-yous), works
// cases through the nine stages with their call log, escalates the late
// ones up the tree, re-surveys the customer after a case is closed, and
// computes the closed-loop figures. The web UI, the REST API and the CLI
// all call it, and the access rules live here.
package cases

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/mail"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/webhooks"
)

// Config is what the service needs from the operator.
type Config struct {
	// PublicURL starts the links in alert emails.
	PublicURL string
	// Mailer sends alerts; nil: logged, not sent.
	Mailer mail.Sender
	// EscalateAfter is how long after the first escalation of a late case
	// the second (one level higher) follows; default 24h.
	EscalateAfter time.Duration
	// Backfill: a response answered longer than this before it is stored
	// (an import of old answers) fires no rules; default 48h.
	Backfill time.Duration
	// DigestHour is the hour (0-23, in Location) each morning when the
	// managers get the digest of the day before; below 0, no digests.
	DigestHour int
	// Location is the zone of the digest's days; nil: time.Local (the
	// zone of the programs' days too).
	Location *time.Location
	Logger   *slog.Logger
	// Now is the clock; nil: time.Now.
	Now func() time.Time
}

// Service closes the loop.
type Service struct {
	store    heed.Store
	surveys  *survey.Service
	webhooks *webhooks.Service
	cfg      Config
	log      *slog.Logger
	mailer   mail.Sender
}

// New returns a Service. surveys makes the verification re-surveys and
// hooks may be nil only in tests that need no webhooks.
func New(store heed.Store, surveys *survey.Service, hooks *webhooks.Service, cfg Config) *Service {
	if cfg.EscalateAfter <= 0 {
		cfg.EscalateAfter = DefaultEscalateAfter
	}
	if cfg.Backfill <= 0 {
		cfg.Backfill = 48 * time.Hour
	}
	if cfg.DigestHour > 23 {
		cfg.DigestHour = 23
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://localhost:8080"
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	mailer := cfg.Mailer
	if mailer == nil {
		mailer = mail.Log{Logger: log}
	}
	return &Service{store: store, surveys: surveys, webhooks: hooks, cfg: cfg, log: log, mailer: mailer}
}

// Job kinds.
const (
	EmailJob    = "cases.email"    // an alert, escalation, redirect or advocacy email
	EscalateJob = "cases.escalate" // check a case's service level and escalate it
	ResurveyJob = "cases.resurvey" // invite the customer of a closed case again
)

// DigestJob (see digest.go) fans out a day's digests.

// RegisterJobs makes pool run the service's jobs.
func (s *Service) RegisterJobs(pool *jobs.Pool) {
	pool.Handle(EmailJob, s.SendEmail)
	pool.Handle(EscalateJob, s.Escalate)
	pool.Handle(ResurveyJob, s.Resurvey)
	pool.Handle(DigestJob, s.RunDigest)
}

func (s *Service) now() time.Time { return s.cfg.Now() }

// emit queues a webhook event in q's transaction (nothing without a
// webhooks service).
func (s *Service) emit(ctx context.Context, q heed.Queries, event string, caseID int64, data any, now time.Time) error {
	if s.webhooks == nil {
		return nil
	}
	return s.webhooks.Emit(ctx, q, event, caseID, data, now)
}

func requireAdmin(p heed.Principal, what string) error {
	if !p.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may %s", what)
	}
	return nil
}

// CanWork reports whether p may change the cases it sees: everyone but
// analysts, who change nothing. Faces ask it to decide what to offer; the
// service enforces it.
func CanWork(p heed.Principal) bool { return p.Role.Valid() && p.Role != heed.RoleAnalyst }

// CanPlan reports whether p may create and change preventive actions:
// managers and admins own process fixes.
func CanPlan(p heed.Principal) bool { return p.Role == heed.RoleAdmin || p.Role == heed.RoleManager }

// DefaultTrialSpan is how far back a rule is tried when no period is given.
const DefaultTrialSpan = 30 * 24 * time.Hour

// requireWorker enforces CanWork.
func requireWorker(p heed.Principal) error {
	if !CanWork(p) {
		return heed.Errorf(heed.EForbidden, "analysts may read cases but not change them")
	}
	return nil
}

func requireReader(p heed.Principal) error {
	if !p.Role.Valid() {
		return heed.Errorf(heed.EForbidden, "sign in to read cases")
	}
	return nil
}
