// Package survey is the service that asks customers and receives their
// answers: surveys and programs, invitations and their emails (through
// durable jobs), the respondent's side of a personal or anonymous link,
// responses and the NPS/CSAT/CES figures computed from them. The web UI,
// the public survey pages, the REST API and the CLI all call it, and the
// access rules live here.
package survey

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/mail"
)

// Config is what the service needs from the operator.
type Config struct {
	// PublicURL is where respondents reach this server, e.g.
	// "https://feedback.example.com"; every link in an email starts with it.
	PublicURL string
	// Mailer sends the emails; nil: emails are logged, not sent.
	Mailer mail.Sender
	// Logger receives the service's logs; nil: slog.Default().
	Logger *slog.Logger
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// OnResponse, when set, runs inside the transaction of every response
	// written (created or changed), so what it writes — cases, jobs —
	// lands with the response or not at all. The closing-the-loop service
	// evaluates its rules here.
	OnResponse ResponseHook
}

// ResponseHook is called with a response just written in q's
// transaction. old is the response as it was before a change (the
// respondent's page posts the score first and the comment later, an API
// re-send corrects an answer), nil when r was created.
type ResponseHook func(ctx context.Context, q heed.Queries, r heed.Response, old *heed.Response, now time.Time) error

// Service asks customers and receives their answers.
type Service struct {
	store  heed.Store
	public string
	mailer mail.Sender
	log    *slog.Logger
	now    func() time.Time
	hook   ResponseHook
}

// New returns a Service over store.
func New(store heed.Store, cfg Config) *Service {
	s := &Service{
		store:  store,
		public: strings.TrimRight(cfg.PublicURL, "/"),
		mailer: cfg.Mailer,
		log:    cfg.Logger,
		now:    cfg.Now,
		hook:   cfg.OnResponse,
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.mailer == nil {
		s.mailer = mail.Log{Logger: s.log}
	}
	if s.public == "" {
		s.public = "http://localhost:8080"
	}
	return s
}

// written runs the response hook, if any, in q's transaction; old is
// nil when r was created.
func (s *Service) written(ctx context.Context, q heed.Queries, r heed.Response, old *heed.Response, now time.Time) error {
	if s.hook == nil {
		return nil
	}
	return s.hook(ctx, q, r, old, now)
}

// PublicURL is the base of the links respondents get.
func (s *Service) PublicURL() string { return s.public }

func requireAdmin(p heed.Principal, what string) error {
	if !p.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may %s", what)
	}
	return nil
}

// requireReader lets every signed-in role read survey and program
// definitions: they hold no customer data.
func requireReader(p heed.Principal) error {
	if !p.Role.Valid() {
		return heed.Errorf(heed.EForbidden, "sign in to read surveys")
	}
	return nil
}

// CreateSurvey stores a new survey (admins only). A survey given only a
// kind and a name gets that kind's default questions and texts in every
// shipped language.
func (s *Service) CreateSurvey(ctx context.Context, p heed.Principal, sv heed.Survey) (heed.Survey, error) {
	if err := requireAdmin(p, "create surveys"); err != nil {
		return heed.Survey{}, err
	}
	if err := normalizeSurvey(&sv); err != nil {
		return heed.Survey{}, err
	}
	return s.store.CreateSurvey(ctx, sv, s.now())
}

// UpdateSurvey rewrites a survey (admins only); its kind never changes.
func (s *Service) UpdateSurvey(ctx context.Context, p heed.Principal, sv heed.Survey) (heed.Survey, error) {
	if err := requireAdmin(p, "change surveys"); err != nil {
		return heed.Survey{}, err
	}
	old, err := s.store.GetSurvey(ctx, sv.Key)
	if err != nil {
		return heed.Survey{}, err
	}
	if sv.Kind == "" {
		sv.Kind = old.Kind
	}
	if err := normalizeSurvey(&sv); err != nil {
		return heed.Survey{}, err
	}
	return s.store.UpdateSurvey(ctx, sv, s.now())
}

// GetSurvey returns the survey with key.
func (s *Service) GetSurvey(ctx context.Context, p heed.Principal, key string) (heed.Survey, error) {
	if err := requireReader(p); err != nil {
		return heed.Survey{}, err
	}
	return s.store.GetSurvey(ctx, key)
}

// ListSurveys returns every survey.
func (s *Service) ListSurveys(ctx context.Context, p heed.Principal) ([]heed.Survey, error) {
	if err := requireReader(p); err != nil {
		return nil, err
	}
	return s.store.ListSurveys(ctx)
}

// RewardPool is the state of a survey's reward codes.
type RewardPool struct {
	Added int `json:"added"`
	Total int `json:"total"`
	Left  int `json:"left"`
}

// AddRewardCodes adds codes to a survey's pool (admins only); blank lines
// are skipped and codes already in the pool are not added twice.
func (s *Service) AddRewardCodes(ctx context.Context, p heed.Principal, key string, codes []string) (RewardPool, error) {
	if err := requireAdmin(p, "add reward codes"); err != nil {
		return RewardPool{}, err
	}
	sv, err := s.store.GetSurvey(ctx, key)
	if err != nil {
		return RewardPool{}, err
	}
	var clean []string
	for i, c := range codes {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if len(c) > 100 {
			return RewardPool{}, heed.FieldErrorf(heed.EInvalid, "codes", "code %d is longer than 100 bytes", i+1)
		}
		if p := heed.TextProblem(c); p != "" {
			return RewardPool{}, heed.FieldErrorf(heed.EInvalid, "codes", "code %d %s", i+1, p)
		}
		clean = append(clean, c)
	}
	var pool RewardPool
	if pool.Added, err = s.store.AddRewardCodes(ctx, sv.ID, clean, s.now()); err != nil {
		return RewardPool{}, err
	}
	pool.Total, pool.Left, err = s.store.CountRewardCodes(ctx, sv.ID)
	return pool, err
}

// RewardCodes reports the size of a survey's pool.
func (s *Service) RewardCodes(ctx context.Context, p heed.Principal, key string) (RewardPool, error) {
	if err := requireReader(p); err != nil {
		return RewardPool{}, err
	}
	sv, err := s.store.GetSurvey(ctx, key)
	if err != nil {
		return RewardPool{}, err
	}
	var pool RewardPool
	pool.Total, pool.Left, err = s.store.CountRewardCodes(ctx, sv.ID)
	return pool, err
}

// CreateProgram stores a new program (admins only).
func (s *Service) CreateProgram(ctx context.Context, p heed.Principal, pr heed.Program) (heed.Program, error) {
	if err := requireAdmin(p, "create programs"); err != nil {
		return heed.Program{}, err
	}
	if err := s.checkProgram(ctx, &pr); err != nil {
		return heed.Program{}, err
	}
	if pr.Seed == 0 {
		pr.Seed = s.now().UnixNano()
	}
	return s.store.CreateProgram(ctx, pr, s.now())
}

// UpdateProgram rewrites a program (admins only).
func (s *Service) UpdateProgram(ctx context.Context, p heed.Principal, pr heed.Program) (heed.Program, error) {
	if err := requireAdmin(p, "change programs"); err != nil {
		return heed.Program{}, err
	}
	old, err := s.store.GetProgram(ctx, pr.Key)
	if err != nil {
		return heed.Program{}, err
	}
	if pr.Seed == 0 {
		pr.Seed = old.Seed
	}
	if err := s.checkProgram(ctx, &pr); err != nil {
		return heed.Program{}, err
	}
	return s.store.UpdateProgram(ctx, pr, s.now())
}

// GetProgram returns the program with key.
func (s *Service) GetProgram(ctx context.Context, p heed.Principal, key string) (heed.Program, error) {
	if err := requireReader(p); err != nil {
		return heed.Program{}, err
	}
	return s.store.GetProgram(ctx, key)
}

// ListPrograms returns every program.
func (s *Service) ListPrograms(ctx context.Context, p heed.Principal) ([]heed.Program, error) {
	if err := requireReader(p); err != nil {
		return nil, err
	}
	return s.store.ListPrograms(ctx)
}

// checkProgram validates a program and that its units exist: a program
// over a unit that does not would fail every run.
func (s *Service) checkProgram(ctx context.Context, pr *heed.Program) error {
	if err := normalizeProgram(pr); err != nil {
		return err
	}
	for i, key := range pr.Units {
		if _, err := s.store.GetUnit(ctx, key); heed.IsNotFound(err) {
			return heed.FieldErrorf(heed.EInvalid, fmt.Sprintf("units[%d]", i), "no unit %q", key)
		} else if err != nil {
			return err
		}
	}
	return nil
}
