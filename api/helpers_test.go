package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/api"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/webhooks"
)

// env is a running API over a real store, with the services behind it.
type env struct {
	url     string
	handler http.Handler
	store   heed.Store
	dir     *directory.Service
	acc     *accounts.Service
	jobs    *jobs.Service
	surveys *survey.Service
	cases   *cases.Service
	hooks   *webhooks.Service
	tokens  map[string]string // token name → secret
	logs    *bytes.Buffer
	clock   *shiftClock // the survey and cases services' clock
}

// shiftClock is the real clock moved by a shift, so a test can store an
// answer "three days ago" and get a case that is late now.
type shiftClock struct{ shift atomic.Int64 }

func (c *shiftClock) Now() time.Time      { return time.Now().Add(time.Duration(c.shift.Load())) }
func (c *shiftClock) Set(d time.Duration) { c.shift.Store(int64(d)) }

// publicURL is where the tests' respondents would find their links.
const publicURL = "https://feedback.heed.test"

// newEnv starts the API over a fresh store of engine, on loopback.
func newEnv(t *testing.T, engine string) *env {
	t.Helper()
	store := testdb.Open(t, engine)
	e := &env{
		store:  store,
		dir:    directory.New(store, time.Now),
		acc:    accounts.New(store, time.Now, accounts.Config{Argon2: accounts.Argon2{Memory: 64, Time: 1, Threads: 1}}),
		jobs:   jobs.NewService(store, time.Now),
		tokens: map[string]string{},
		logs:   &bytes.Buffer{},
		clock:  &shiftClock{},
	}
	// One logger for both: two handlers on one buffer would race.
	log := slog.New(slog.NewTextHandler(e.logs, nil))
	// Wired as heed serve wires them (cases.Wire): every
	// response stored through the survey service goes through the rules
	// in its transaction. One attempt per webhook delivery, so a test that
	// runs the job pool sees a delivery to a receiver that is down die at
	// once rather than after two days of retries.
	lp := cases.Wire(store,
		survey.Config{PublicURL: publicURL, Logger: log, Now: e.clock.Now},
		webhooks.Config{PublicURL: publicURL, Logger: log, MaxAttempts: 1},
		cases.Config{PublicURL: publicURL, Logger: log, Now: e.clock.Now})
	e.surveys, e.cases, e.hooks = lp.Surveys, lp.Cases, lp.Webhooks
	h, err := api.New(api.Config{
		Directory: e.dir, Accounts: e.acc, Jobs: e.jobs, Surveys: e.surveys, Cases: e.cases, Webhooks: e.hooks, Feedback: lp.Feedback, Events: lp.Events,
		Logger:  log,
		Ping:    store.Ping,
		Version: "test",
	})
	if err != nil {
		t.Fatalf("api.New: %v", err)
	}
	e.handler = h
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

// forEngine runs fn as a subtest on each store engine.
func forEngine(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) { fn(t, engine) })
	}
}

// token creates an API token with the given name and returns its secret.
func (e *env) token(t *testing.T, nt accounts.NewToken) string {
	t.Helper()
	secret, _, err := e.acc.CreateToken(context.Background(), heed.System(), nt)
	if err != nil {
		t.Fatalf("create token %s: %v", nt.Name, err)
	}
	e.tokens[nt.Name] = secret
	return secret
}

// answer is one HTTP response, read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// errorBody is the API's error shape, for assertions.
type errorBody struct {
	Error struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Field   string          `json:"field"`
		Details []heed.RowError `json:"details"`
	} `json:"error"`
}

// call sends a request with the token named who (none if ""); body is
// sent as JSON unless it is a string or []byte.
func (e *env) call(t *testing.T, who, method, path string, body any) answer {
	t.Helper()
	ct := "application/json"
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	return e.send(t, e.tokens[who], method, path, ct, r)
}

// send is call with a literal token and content type.
func (e *env) send(t *testing.T, token, method, path, contentType string, body io.Reader) answer {
	t.Helper()
	req, err := http.NewRequest(method, e.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, path, err)
	}
	return answer{status: res.StatusCode, header: res.Header, body: b}
}

// decode reads a JSON answer into v.
func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("answer %d is not JSON: %v\n%s", a.status, err, a.body)
	}
}

// apiError reads an error answer, failing unless it has the API's shape.
func (a answer) apiError(t *testing.T) errorBody {
	t.Helper()
	var raw map[string]json.RawMessage
	a.decode(t, &raw)
	if len(raw) != 1 || raw["error"] == nil {
		t.Fatalf("answer %d is not {\"error\": {...}}: %s", a.status, a.body)
	}
	var e errorBody
	a.decode(t, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("error without code or message: %s", a.body)
	}
	return e
}

// must fails unless the answer has the status.
func (a answer) must(t *testing.T, status int) answer {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d: %s", a.status, status, a.body)
	}
	return a
}
