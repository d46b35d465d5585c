package cases_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testclock"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/mail"
	"github.com/heedhq/heed/mail/sink"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/webhooks"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday

// fixture is a small company: regions north (stores n1, n2) and south
// (store s1), each unit with a responsible employee, customers C-1…C-6
// (two per store; C-2 owned by an account manager of n1), an NPS survey
// and the services wired as heed serve wires them.
type fixture struct {
	store heed.Store
	clock *testclock.Clock
	sv    *survey.Service
	cs    *cases.Service
	hooks *webhooks.Service
	fb    *feedback.Service
	mail  *sink.Server
	surv  heed.Survey
}

func newFixture(t *testing.T, engine string) *fixture {
	t.Helper()
	store := testdb.Open(t, engine)
	clk := testclock.New(t0)
	srv, err := sink.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cfg, err := mail.ParseURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	m, err := mail.NewSMTP(cfg, "Heed <heed@co.example>")
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	f := &fixture{store: store, clock: clk, mail: srv}
	lp := cases.Wire(store,
		survey.Config{PublicURL: "http://heed.test", Mailer: m, Now: clk.Now, Logger: quiet},
		webhooks.Config{Now: clk.Now, Logger: quiet, Backoff: []time.Duration{time.Minute, 5 * time.Minute}, MaxAttempts: 50},
		cases.Config{PublicURL: "http://heed.test", Mailer: m, Now: clk.Now, Logger: quiet, DigestHour: 7, Location: time.UTC})
	f.sv, f.cs, f.hooks, f.fb = lp.Surveys, lp.Cases, lp.Webhooks, lp.Feedback
	f.org(t)
	if f.surv, err = f.sv.CreateSurvey(t.Context(), heed.System(), heed.Survey{Kind: heed.SurveyNPS, Name: "Store visit"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) org(t *testing.T) {
	t.Helper()
	dir := directory.New(f.store, f.clock.Now)
	ctx := t.Context()
	_, err := dir.UpsertEmployees(ctx, heed.System(), []heed.Employee{
		{Email: "admin@co.example", Name: "Ada Admin", Role: heed.RoleAdmin},
	})
	if err != nil {
		t.Fatal(err)
	}
	must(t)(dir.UpsertUnits(ctx, heed.System(), []heed.Unit{
		{Key: "co", Name: "Company", Responsible: "ceo@co.example"},
		{Key: "north", Name: "North", Parent: "co", Responsible: "nora@co.example"},
		{Key: "south", Name: "South", Parent: "co", Responsible: "sam@co.example"},
		{Key: "n1", Name: "North One", Parent: "north", Responsible: "nick@co.example"},
		{Key: "n2", Name: "North Two", Parent: "north", Responsible: "nell@co.example"},
		{Key: "s1", Name: "South One", Parent: "south", Responsible: "sue@co.example"},
	}))
	must(t)(dir.UpsertEmployees(ctx, heed.System(), []heed.Employee{
		{Email: "ceo@co.example", Name: "Cleo Ceo", Role: heed.RoleManager, Unit: "co"},
		{Email: "nora@co.example", Name: "Nora North", Role: heed.RoleManager, Unit: "north"},
		{Email: "sam@co.example", Name: "Sam South", Role: heed.RoleManager, Unit: "south"},
		{Email: "nick@co.example", Name: "Nick Store", Role: heed.RoleFrontline, Unit: "n1"},
		{Email: "nell@co.example", Name: "Nell Store", Role: heed.RoleFrontline, Unit: "n2"},
		{Email: "sue@co.example", Name: "Sue Store", Role: heed.RoleFrontline, Unit: "s1"},
		{Email: "kim@co.example", Name: "Kim Account", Role: heed.RoleFrontline, Unit: "n1"},
	}))
	var custs []heed.Customer
	for i, unit := range []string{"n1", "n1", "n2", "n2", "s1", "s1"} {
		c := heed.Customer{ExternalID: fmt.Sprintf("C-%d", i+1), Name: fmt.Sprintf("Customer %d", i+1),
			Email: fmt.Sprintf("c%d@mail.example", i+1), Unit: unit, Consent: true, Language: "en"}
		if i == 1 {
			c.Owner = "kim@co.example"
		}
		custs = append(custs, c)
	}
	must(t)(dir.UpsertCustomers(ctx, heed.System(), custs))
}

// must fails the test on an upsert's error: must(t)(dir.UpsertUnits(…)).
func must(t *testing.T) func(heed.UpsertResult, error) {
	return func(_ heed.UpsertResult, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// who is the principal of an employee, as the web and the API build it.
func (f *fixture) who(t *testing.T, email string) heed.Principal {
	t.Helper()
	e, err := f.store.GetEmployee(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	p := heed.Principal{Kind: heed.KindEmployee, Name: email, Role: e.Role, EmployeeID: e.ID}
	if e.Unit != "" {
		u, err := f.store.GetUnit(t.Context(), e.Unit)
		if err != nil {
			t.Fatal(err)
		}
		p.UnitID, p.UnitPath = u.ID, u.Path
	}
	return p
}

// answer invites a customer by link and answers with score and comment,
// as the respondent's page does.
func (f *fixture) answer(t *testing.T, customer string, score int, comment string) heed.Response {
	t.Helper()
	res, err := f.sv.Invite(t.Context(), heed.System(), f.surv.Key, survey.InviteRequest{Customers: []string{customer}})
	if err != nil || len(res) != 1 || res[0].URL == "" {
		t.Fatalf("invite %s = %+v, %v", customer, res, err)
	}
	u, _ := url.Parse(res[0].URL)
	rc, err := f.sv.AnswerLink(t.Context(), strings.TrimPrefix(u.Path, "/s/"), survey.Answer{Score: &score, Comment: &comment})
	if err != nil {
		t.Fatalf("answer %s: %v", customer, err)
	}
	return rc.Response
}

// runPool runs the job pool on the fixture's clock until the test ends.
func (f *fixture) runPool(t *testing.T) {
	t.Helper()
	pool := jobs.NewPool(f.store, jobs.PoolConfig{Workers: 4, PollInterval: 10 * time.Millisecond,
		BackoffBase: 10 * time.Millisecond, Now: f.clock.Now}, nil)
	f.sv.RegisterJobs(pool)
	f.cs.RegisterJobs(pool)
	f.hooks.RegisterJobs(pool)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- pool.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// receiver is a webhook endpoint on loopback that records what it
// accepts and can be told to fail, counting what it refuses.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	got     []received
	down    bool
	refused int
}

type received struct {
	Header http.Header
	Body   []byte
	Event  webhooks.Event
	Case   int64
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.down {
			r.refused++
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		var ev struct {
			webhooks.Event
			Data struct {
				Case struct {
					ID int64 `json:"id"`
				} `json:"case"`
			} `json:"data"`
		}
		json.Unmarshal(body, &ev)
		ev.Event.Type = ev.Type
		r.got = append(r.got, received{Header: req.Header.Clone(), Body: body, Event: ev.Event, Case: ev.Data.Case.ID})
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) setDown(down bool) { r.mu.Lock(); r.down = down; r.mu.Unlock() }

func (r *receiver) refusals() int { r.mu.Lock(); defer r.mu.Unlock(); return r.refused }

func (r *receiver) all() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var linkRE = regexp.MustCompile(`http://heed\.test/s/([A-Za-z0-9_-]+)`)

// answerInvitation answers the invitation whose email reached the
// customer, through the link in it, as the customer would.
func answerInvitation(t *testing.T, f *fixture, invitationID int64, score int) {
	t.Helper()
	inv, err := f.store.GetInvitation(t.Context(), invitationID)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.store.GetCustomer(t.Context(), heed.Scope{All: true}, inv.Customer)
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.mail.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if m := linkRE.FindStringSubmatch(msgs[i].Text); m != nil && msgs[i].To[0] == c.Email {
			if _, err := f.sv.AnswerLink(t.Context(), m[1], survey.Answer{Score: &score}); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no email with a link reached %s", c.Email)
}

// advance moves the clock once the job pool has nothing running or due:
// jumping it under a running job would expire that job's lease (the pool
// reads the same clock) and run it twice, which no real clock does.
func (f *fixture) advance(t *testing.T, d time.Duration) {
	t.Helper()
	waitFor(t, "the job queue to settle", func() bool {
		running, err := f.store.ListJobs(t.Context(), heed.JobFilter{State: heed.JobRunning, Limit: 1})
		if err != nil || len(running) > 0 {
			return false
		}
		queued, err := f.store.ListJobs(t.Context(), heed.JobFilter{State: heed.JobQueued, Limit: 1000})
		if err != nil {
			return false
		}
		for _, j := range queued {
			if !j.RunAt.After(f.clock.Now()) {
				return false
			}
		}
		return true
	})
	f.clock.Add(d)
}
