package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/respond"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/web"
)

// password is every fixture user's password.
const password = "correct horse battery"

// env is a running web UI over a real, migrated store with the fixture
// organisation below.
type env struct {
	t     *testing.T
	srv   *httptest.Server
	store heed.Store
	dir   *directory.Service
	acc   *accounts.Service
	jobs  *jobs.Service
	sv    *survey.Service
}

type envOptions struct {
	engine        string
	secureCookies bool
	ping          bool // give web.New the store's Ping
}

// newEnv starts the web UI on loopback over a fresh store of the engine
// ("sqlite" unless told otherwise) holding the fixture organisation:
//
//	acme (Acme Ltd)
//	├── north (North region; manager nora)
//	│   ├── north-1 (Leeds; frontline fred)
//	│   └── north-2 (York; frontline yara, without a password)
//	└── south (South region; manager sam)
//	    └── south-1 (Bristol)
//
// Customers: C-100 in Leeds, C-101 in York owned by fred, C-102 in York,
// C-200 in Bristol. admin@acme.test is an admin.
func newEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	if o.engine == "" {
		o.engine = "sqlite"
	}
	store := testdb.Open(t, o.engine)
	e := &env{
		t:     t,
		store: store,
		dir:   directory.New(store, time.Now),
		acc: accounts.New(store, time.Now, accounts.Config{
			MaxLoginFailures: 3,
			// Cheap hashing: the tests check behaviour, not hash strength.
			Argon2: accounts.Argon2{Memory: 64, Time: 1, Threads: 1},
		}),
		jobs: jobs.NewService(store, time.Now),
		sv:   survey.New(store, survey.Config{Logger: slog.New(slog.DiscardHandler)}),
	}
	e.seed()
	cfg := web.Config{
		Directory:     e.dir,
		Accounts:      e.acc,
		Jobs:          e.jobs,
		Surveys:       e.sv,
		Logger:        slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		SecureCookies: o.secureCookies,
		Version:       "test",
	}
	if o.ping {
		cfg.Ping = store.Ping
	}
	h, err := web.New(cfg)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	// As heed serve mounts them: the respondent's pages (whose stylesheet
	// the editor's preview links) beside the web UI.
	mux := http.NewServeMux()
	mux.Handle("/s/", respond.New(e.sv, respond.Config{}))
	mux.Handle("/", h)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

// testWriter sends the server's log lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (e *env) seed() {
	t, ctx := e.t, context.Background()
	units := []heed.Unit{
		{Key: "acme", Name: "Acme Ltd"},
		{Key: "north", Name: "North region", Parent: "acme"},
		{Key: "south", Name: "South region", Parent: "acme"},
		{Key: "north-1", Name: "Leeds", Parent: "north"},
		{Key: "north-2", Name: "York", Parent: "north"},
		{Key: "south-1", Name: "Bristol", Parent: "south"},
	}
	if _, err := e.dir.UpsertUnits(ctx, heed.System(), units); err != nil {
		t.Fatalf("seed units: %v", err)
	}
	users := []accounts.NewUser{
		{Email: "admin@acme.test", Name: "Ada Admin", Role: heed.RoleAdmin},
		{Email: "nora@acme.test", Name: "Nora North", Role: heed.RoleManager, Unit: "north"},
		{Email: "sam@acme.test", Name: "Sam South", Role: heed.RoleManager, Unit: "south"},
		{Email: "fred@acme.test", Name: "Fred Front", Role: heed.RoleFrontline, Unit: "north-1"},
	}
	for _, u := range users {
		u.Password = password
		if _, err := e.acc.AddUser(ctx, heed.System(), u); err != nil {
			t.Fatalf("seed user %s: %v", u.Email, err)
		}
	}
	yara := heed.Employee{Email: "yara@acme.test", Name: "Yara York", Role: heed.RoleFrontline, Unit: "north-2"}
	if _, err := e.dir.UpsertEmployees(ctx, heed.System(), []heed.Employee{yara}); err != nil {
		t.Fatalf("seed employee: %v", err)
	}
	units[1].Responsible, units[2].Responsible, units[3].Responsible = "nora@acme.test", "sam@acme.test", "fred@acme.test"
	if _, err := e.dir.UpsertUnits(ctx, heed.System(), units); err != nil {
		t.Fatalf("seed responsible people: %v", err)
	}
	custs := []heed.Customer{
		{ExternalID: "C-100", Name: "Alice Archer", Email: "alice@example.com", Phone: "+44 113 496 0000", Language: "en",
			Segment: "Gold", Value: 480000000, Unit: "north-1", Consent: true,
			Attributes: json.RawMessage(`{"tier":"gold","visits":12,"tags":["vip","early"]}`)},
		{ExternalID: "C-101", Name: "Bob Baker", Email: "bob@example.com", Unit: "north-2", Owner: "fred@acme.test"},
		{ExternalID: "C-102", Name: "Carol Cole", Email: "carol@example.com", Unit: "north-2"},
		{ExternalID: "C-200", Name: "Dan Dale", Email: "dan@example.com", Unit: "south-1"},
	}
	if _, err := e.dir.UpsertCustomers(ctx, heed.System(), custs); err != nil {
		t.Fatalf("seed customers: %v", err)
	}
}

// client is a browser-like client: it keeps cookies and does not follow
// redirects, so tests can check where they point.
func (e *env) client() *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// page is a response read whole.
type page struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(c *http.Client, req *http.Request) page {
	e.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return page{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (e *env) get(c *http.Client, path string) page {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.do(c, req)
}

// post sends a form as a same-origin browser would.
func (e *env) post(c *http.Client, path string, form url.Values) page {
	e.t.Helper()
	return e.postWith(c, path, form, http.Header{"Origin": {e.srv.URL}, "Sec-Fetch-Site": {"same-origin"}})
}

func (e *env) postWith(c *http.Client, path string, form url.Values, h http.Header) page {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, vs := range h {
		req.Header[k] = vs
	}
	return e.do(c, req)
}

// login signs c in as email and fails the test if that does not work.
func (e *env) login(c *http.Client, email string) {
	e.t.Helper()
	p := e.post(c, "/login", url.Values{"email": {email}, "password": {password}})
	if p.status != http.StatusSeeOther {
		e.t.Fatalf("sign in as %s: status %d, want 303\n%s", email, p.status, p.body)
	}
}

// signedIn returns a new client signed in as email.
func (e *env) signedIn(email string) *http.Client {
	c := e.client()
	e.login(c, email)
	return c
}

func wantStatus(t *testing.T, p page, want int, what string) {
	t.Helper()
	if p.status != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, p.status, want, p.body)
	}
}

func wantContains(t *testing.T, p page, what string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(p.body, s) {
			t.Errorf("%s: page does not contain %q", what, s)
		}
	}
}

func wantNotContains(t *testing.T, p page, what string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(p.body, s) {
			t.Errorf("%s: page contains %q, which it must not", what, s)
		}
	}
}
