package respond_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/respond"
	"github.com/heedhq/heed/survey"
)

// shopOrigin is the site that may embed the widget of survey "visit".
const shopOrigin = "http://shop.example"

// env is the respondent's pages on loopback over a real, migrated store
// (SQLite unless told otherwise) holding one unit tree, three customers and two surveys:
//
//   - "visit" (NPS, en/nl/de): a required single-choice question "visit",
//     a multiple-choice "topics", a text "note"; hidden fields store and
//     order; the open link on; the widget allowed on shopOrigin.
//   - "gift" (CSAT): hands out reward codes from a pool of two.
//
// Customers: C-1 (English), C-NL (Dutch), C-DE (German), all consenting.
type env struct {
	t     *testing.T
	srv   *httptest.Server
	store heed.Store
	svc   *survey.Service
	dir   *directory.Service
	clock *clock
}

type envOptions struct {
	rateLimit int
	engine    string // "sqlite" (default) or "postgres"
}

// clock is the one clock of the service and the rate limiter.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newEnv(t *testing.T, o envOptions) *env {
	t.Helper()
	if o.engine == "" {
		o.engine = "sqlite"
	}
	store := testdb.Open(t, o.engine)
	e := &env{t: t, store: store, clock: &clock{now: time.Now().UTC().Truncate(time.Second)}}
	var h http.Handler
	mux := http.NewServeMux()
	mux.Handle("/s/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	e.svc = survey.New(store, survey.Config{PublicURL: e.srv.URL, Logger: logger, Now: e.clock.Now})
	e.dir = directory.New(store, e.clock.Now)
	h = respond.New(e.svc, respond.Config{Logger: logger, Now: e.clock.Now, RateLimit: o.rateLimit})
	e.seed()
	return e
}

// testWriter sends the server's log lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (e *env) seed() {
	t, ctx, sys := e.t, context.Background(), heed.System()
	units := []heed.Unit{{Key: "acme", Name: "Acme"}, {Key: "store-1", Name: "Leeds", Parent: "acme"}}
	if _, err := e.dir.UpsertUnits(ctx, sys, units); err != nil {
		t.Fatalf("seed units: %v", err)
	}
	custs := []heed.Customer{
		{ExternalID: "C-1", Name: "Alice Archer", Email: "alice@example.com", Language: "en", Unit: "store-1", Consent: true},
		{ExternalID: "C-NL", Name: "Daan de Vries", Email: "daan@example.nl", Language: "nl", Unit: "store-1", Consent: true},
		{ExternalID: "C-DE", Name: "Greta Graf", Email: "greta@example.de", Language: "de-AT", Unit: "store-1", Consent: true},
	}
	if _, err := e.dir.UpsertCustomers(ctx, sys, custs); err != nil {
		t.Fatalf("seed customers: %v", err)
	}
	texts := survey.DefaultTexts(heed.SurveyNPS)
	en, nl := texts["en"], texts["nl"]
	en.Questions = map[string]map[string]string{
		"visit":  {"label": "Why did you visit?", "shop": "To shop", "return": "To return something"},
		"topics": {"label": "What stood out?", "price": "Prices", "staff": "Staff", "wait": "Waiting time"},
		"note":   {"label": "Anything else?"},
	}
	nl.Questions = map[string]map[string]string{
		"visit":  {"label": "Waarom kwam u langs?", "shop": "Om te winkelen", "return": "Om iets te ruilen"},
		"topics": {"label": "Wat viel op?", "price": "Prijzen", "staff": "Personeel", "wait": "Wachttijd"},
		"note":   {"label": "Verder nog iets?"},
	}
	texts["en"], texts["nl"] = en, nl
	visit := heed.Survey{
		Key: "visit", Name: "Store visit", Kind: heed.SurveyNPS, Language: "en", Texts: texts,
		Questions: []heed.Question{
			{ID: "visit", Type: heed.QuestionSingle, Required: true, Options: []string{"shop", "return"}},
			{ID: "topics", Type: heed.QuestionMultiple, Options: []string{"price", "staff", "wait"}},
			{ID: "note", Type: heed.QuestionText},
		},
		Hidden: []string{"store", "order"}, Origins: []string{shopOrigin}, OpenLink: true,
	}
	if _, err := e.svc.CreateSurvey(ctx, sys, visit); err != nil {
		t.Fatalf("seed survey visit: %v", err)
	}
	gift := heed.Survey{Key: "gift", Name: "Gift", Kind: heed.SurveyCSAT, Language: "en", OpenLink: true, Reward: true}
	if _, err := e.svc.CreateSurvey(ctx, sys, gift); err != nil {
		t.Fatalf("seed survey gift: %v", err)
	}
	if _, err := e.svc.AddRewardCodes(ctx, sys, "gift", []string{"THANKS-0001", "THANKS-0002"}); err != nil {
		t.Fatalf("seed reward codes: %v", err)
	}
}

// invite makes a personal link of surveyKey for customer and returns its
// path (/s/TOKEN) and invitation id.
func (e *env) invite(surveyKey, customer string) (string, int64) {
	e.t.Helper()
	res, err := e.svc.Invite(context.Background(), heed.System(), surveyKey,
		survey.InviteRequest{Customers: []string{customer}, Channel: heed.ChannelLink})
	if err != nil || len(res) != 1 || res[0].URL == "" {
		e.t.Fatalf("invite %s to %s: %v %+v", customer, surveyKey, err, res)
	}
	path, ok := strings.CutPrefix(res[0].URL, e.srv.URL)
	if !ok || !strings.HasPrefix(path, "/s/") {
		e.t.Fatalf("invitation URL %q is not under %s/s/", res[0].URL, e.srv.URL)
	}
	return path, res[0].InvitationID
}

// responses returns the responses to surveyKey, newest first.
func (e *env) responses(surveyKey string) []heed.Response {
	e.t.Helper()
	rs, err := e.svc.ListResponses(context.Background(), heed.System(), surveyKey, heed.ResponseFilter{Limit: 1000})
	if err != nil {
		e.t.Fatalf("list responses of %s: %v", surveyKey, err)
	}
	return rs
}

// responsesOf returns the responses through one invitation.
func (e *env) responsesOf(surveyKey string, invitation int64) []heed.Response {
	var out []heed.Response
	for _, r := range e.responses(surveyKey) {
		if r.InvitationID == invitation {
			out = append(out, r)
		}
	}
	return out
}

// onlyResponse returns the one response of an invitation, failing the
// test when there is not exactly one.
func (e *env) onlyResponse(surveyKey string, invitation int64) heed.Response {
	e.t.Helper()
	rs := e.responsesOf(surveyKey, invitation)
	if len(rs) != 1 {
		e.t.Fatalf("invitation %d has %d responses; want exactly 1: %+v", invitation, len(rs), rs)
	}
	return rs[0]
}

func (e *env) customer(id string) heed.Customer {
	e.t.Helper()
	c, err := e.dir.GetCustomer(context.Background(), heed.System(), id)
	if err != nil {
		e.t.Fatalf("get customer %s: %v", id, err)
	}
	return c
}

// page is a response read whole.
type page struct {
	status int
	header http.Header
	body   string
}

// do sends req and reads the answer without following redirects.
func (e *env) do(req *http.Request) page {
	e.t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("read %s %s: %v", req.Method, req.URL.Path, err)
	}
	return page{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (e *env) request(method, path string, body io.Reader, h http.Header) *http.Request {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	return req
}

func (e *env) get(path string, h http.Header) page {
	return e.do(e.request(http.MethodGet, path, nil, h))
}

// post sends a form as a browser on this site does (Sec-Fetch-Site:
// same-origin and the Origin of the server), with the extra headers h.
func (e *env) post(path string, form url.Values, h http.Header) page {
	req := e.request(http.MethodPost, path, strings.NewReader(form.Encode()), h)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, ok := h["Sec-Fetch-Site"]; !ok {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", e.srv.URL)
	}
	return e.do(req)
}

func wantStatus(t *testing.T, p page, want int, what string) {
	t.Helper()
	if p.status != want {
		t.Fatalf("%s: status %d; want %d\n%s", what, p.status, want, p.body)
	}
}

func wantContains(t *testing.T, p page, what string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(p.body, s) {
			t.Errorf("%s: page lacks %q\n%s", what, s, p.body)
		}
	}
}

func wantNotContains(t *testing.T, p page, what string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(p.body, s) {
			t.Errorf("%s: page contains %q\n%s", what, s, p.body)
		}
	}
}

// form builds url.Values from pairs: form("score", "9", "comment", "Hi").
func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}
