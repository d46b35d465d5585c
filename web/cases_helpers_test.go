package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/events"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/respond"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/web"
	"github.com/heedhq/heed/webhooks"
)

// loopEnv is env with the loop closed: the survey service hands every
// response to the cases service in its transaction, as heed serve wires
// them (cases.Wire), and the web UI serves the loop's pages.
type loopEnv struct {
	*env
	cs    *cases.Service
	hooks *webhooks.Service
	ev    *events.Service // as cases.Wire made it, on the clock
	clock *shiftClock
	stop  chan struct{} // web.Config.Stop
}

// shiftClock is the real clock moved by a shift, so a test can store an
// answer "three days ago" and get a case that is late now.
type shiftClock struct{ shift atomic.Int64 }

func (c *shiftClock) Now() time.Time      { return time.Now().Add(time.Duration(c.shift.Load())) }
func (c *shiftClock) Set(d time.Duration) { c.shift.Store(int64(d)) }

// newLoopEnv starts the web UI with the cases and webhooks services over
// the fixture of newEnv (SQLite unless told otherwise) and an NPS survey
// "visits". Live pages poll every 100 ms.
func newLoopEnv(t *testing.T, engine string) *loopEnv {
	t.Helper()
	le := loopServices(t, engine)
	le.serve(web.Config{LiveEvery: 100 * time.Millisecond})
	return le
}

// loopServices is newLoopEnv's fixture and services, not yet served.
func loopServices(t *testing.T, engine string) *loopEnv {
	t.Helper()
	if engine == "" {
		engine = "sqlite"
	}
	store := testdb.Open(t, engine)
	quiet := slog.New(slog.DiscardHandler)
	le := &loopEnv{clock: &shiftClock{}, stop: make(chan struct{})}
	lp := cases.Wire(store,
		survey.Config{Logger: quiet, Now: le.clock.Now},
		webhooks.Config{Logger: quiet},
		cases.Config{Logger: quiet, Now: le.clock.Now})
	le.cs, le.hooks, le.ev = lp.Cases, lp.Webhooks, lp.Events
	le.env = &env{
		t:     t,
		store: store,
		dir:   directory.New(store, time.Now),
		acc: accounts.New(store, time.Now, accounts.Config{
			MaxLoginFailures: 3,
			Argon2:           accounts.Argon2{Memory: 64, Time: 1, Threads: 1},
		}),
		jobs: jobs.NewService(store, time.Now),
		sv:   lp.Surveys,
	}
	le.seed()
	le.seedSurvey("visits", heed.SurveyNPS)
	return le
}

// serve starts the web UI over le's services, with cfg's other wiring
// (the feedback explorer's, how often live pages poll).
func (le *loopEnv) serve(cfg web.Config) {
	t := le.t
	t.Helper()
	cfg.Directory, cfg.Accounts, cfg.Jobs, cfg.Surveys = le.dir, le.acc, le.jobs, le.sv
	cfg.Cases, cfg.Webhooks, cfg.Stop, cfg.Version = le.cs, le.hooks, le.stop, "test"
	cfg.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h, err := web.New(cfg)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/s/", respond.New(le.sv, respond.Config{}))
	mux.Handle("/", h)
	le.srv = httptest.NewServer(mux)
	t.Cleanup(le.srv.Close)
}

// answerAs stores a customer's answer to "visits" through the survey
// service, so the rules run as they do for a respondent's answer, and
// returns the case it opened or joined (0 when none).
func (e *loopEnv) answerAs(customer string, score int, comment string) int64 {
	e.t.Helper()
	at := e.clock.Now()
	in := []survey.ResponseInput{{Survey: "visits", Customer: customer, Score: &score, Comment: comment, AnsweredAt: &at}}
	if _, err := e.sv.RecordResponses(context.Background(), heed.System(), "", heed.ChannelAPI, in); err != nil {
		e.t.Fatalf("answer as %s: %v", customer, err)
	}
	cs, err := e.cs.List(context.Background(), heed.System(), cases.Filter{Customer: customer, Open: true, Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(cs) == 0 {
		return 0
	}
	return cs[0].ID
}

// kase reads a case as it is stored.
func (e *loopEnv) kase(id int64) heed.Case {
	e.t.Helper()
	c, err := e.cs.Get(context.Background(), heed.System(), id)
	if err != nil {
		e.t.Fatalf("get case %d: %v", id, err)
	}
	return c
}

// timeline reads a case's events.
func (e *loopEnv) timeline(id int64) []heed.CaseEvent {
	e.t.Helper()
	evs, err := e.cs.Timeline(context.Background(), heed.System(), id)
	if err != nil {
		e.t.Fatalf("timeline of case %d: %v", id, err)
	}
	return evs
}
