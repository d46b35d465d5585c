package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/demo"
	"github.com/heedhq/heed/internal/testdb"
)

// TestServe starts `heed serve` on a free port and checks what an
// operator checks: health, metrics, that jobs run, and a clean stop when
// the process is told to end.
func TestServe(t *testing.T) {
	db := dbURL(t, "sqlite")
	e := env{"HEED_DB": db, "HEED_ADDR": "127.0.0.1:0", "HEED_WORKERS": "2", "HEED_JOB_POLL": "50ms"}
	token := createToken(t, e, "ops", "--role", "admin")
	s := startHeed(t, e, "serve")

	status, body := get(t, s.url+"/healthz", "")
	if status != http.StatusOK || strings.TrimSpace(body) != `{"status":"ok"}` {
		t.Errorf("GET /healthz = %d %s, want 200 {\"status\":\"ok\"}", status, body)
	}

	r := mustRun(t, e, "", "jobs", "enqueue-test", "--count", "3")
	if !strings.Contains(r.stdout, "enqueued 3 test jobs") {
		t.Errorf("jobs enqueue-test printed %q", r.stdout)
	}
	waitForJobs(t, openTestStore(t, db), func(c heed.JobCounts) bool { return c[heed.JobDone] == 3 })
	r = mustRun(t, e, "", "jobs", "list", "--state", "done")
	if n := strings.Count(r.stdout, "heed.test"); n != 3 {
		t.Errorf("jobs list --state done shows %d test jobs, want 3:\n%s", n, r.stdout)
	}

	// API requests are counted under the API's route pattern, not under
	// the "/api/v1/" it is mounted at (which only requests refused before
	// routing keep).
	if status, body := get(t, s.url+"/api/v1/customers/X", token); status != http.StatusNotFound {
		t.Errorf("GET /api/v1/customers/X = %d %s, want 404", status, body)
	}
	if status, _ := get(t, s.url+"/api/v1/customers/X", ""); status != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/customers/X without a token = %d, want 401", status)
	}

	status, body = get(t, s.url+"/metrics", "")
	for _, want := range []string{
		"go_goroutines ",
		"process_cpu_seconds_total ",
		`heed_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`,
		`heed_http_request_duration_seconds_count{method="GET",route="GET /healthz",status="200"} 1`,
		`heed_http_requests_total{method="GET",route="GET /api/v1/customers/{external_id}",status="404"} 1`,
		`heed_http_requests_total{method="GET",route="/api/v1/",status="401"} 1`,
		`heed_jobs{state="done"} 3`,
		`heed_jobs{state="dead"} 0`,
	} {
		if status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET /metrics (%d) lacks %q", status, want)
		}
	}

	if err := s.stop(t); err != nil {
		t.Fatalf("heed serve ended with %v after its context was cancelled\n%s", err, s.stderr)
	}
	if _, err := http.Get(s.url + "/healthz"); err == nil {
		t.Error("heed serve still answers after it stopped")
	}
	for _, want := range []string{"shutting down", "msg=stopped"} {
		if !strings.Contains(s.stderr.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, s.stderr)
		}
	}
}

// TestHealthzUnavailable checks /healthz answers 503 once the store is
// gone, so a load balancer stops sending traffic.
func TestHealthzUnavailable(t *testing.T) {
	store := testdb.SQLite(t)
	a := &app{getenv: env{}.get, stdout: &syncBuffer{}, stderr: &syncBuffer{}, log: newLogger(&syncBuffer{}, "text", "error"), version: "test"}
	srv, err := newServer(a, store, ServeFlags{Workers: 0}, "http://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.handler)
	defer ts.Close()
	if status, _ := get(t, ts.URL+"/healthz", ""); status != http.StatusOK {
		t.Fatalf("GET /healthz = %d before the store closed, want 200", status)
	}
	store.Close()
	status, body := get(t, ts.URL+"/healthz", "")
	if status != http.StatusServiceUnavailable || strings.TrimSpace(body) != `{"status":"unavailable"}` {
		t.Errorf("GET /healthz = %d %s with the store closed, want 503 {\"status\":\"unavailable\"}", status, body)
	}
}

// TestUserAndTokens adds a user and tokens from the CLI, then uses the
// tokens against the REST API of a running server.
func TestUserAndTokens(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			e := env{"HEED_DB": dbURL(t, engine)}
			mustRun(t, e, "", "import", "units", writeFile(t, "units.csv", unitsCSV))
			r := mustRun(t, e, "correct horse battery staple\n", "user", "add",
				"--email", "Ann@Example.com", "--role", "manager", "--unit", "north", "--name", "Ann North", "--password-stdin")
			if !strings.Contains(r.stdout, "ann@example.com") || strings.Contains(r.stdout, "password:") {
				t.Errorf("user add printed %q", r.stdout)
			}
			r = mustRun(t, e, "", "user", "add", "--email", "root@example.com", "--role", "admin")
			if !regexp.MustCompile(`(?m)^password: \S{12,}$`).MatchString(r.stdout) {
				t.Errorf("user add without a terminal should generate and print a password, printed %q", r.stdout)
			}

			annToken := createToken(t, e, "ann-sync", "--employee", "ann@example.com")
			adminToken := createToken(t, e, "ops", "--role", "admin")

			s := startHeed(t, e, "serve", "--addr", "127.0.0.1:0", "--workers", "0")
			status, body := get(t, s.url+"/api/v1/units", annToken)
			if status != http.StatusOK || !strings.Contains(body, `"store-1"`) || strings.Contains(body, `"south"`) {
				t.Errorf("GET /api/v1/units as Ann (manager of north) = %d %s; want north's subtree only", status, body)
			}
			if status, body := get(t, s.url+"/api/v1/units", adminToken); status != http.StatusOK || !strings.Contains(body, `"south"`) {
				t.Errorf("GET /api/v1/units as admin = %d %s; want every unit", status, body)
			}
			status, body = get(t, s.url+"/api/v1/units", "")
			var apiErr struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if status != http.StatusUnauthorized || json.Unmarshal([]byte(body), &apiErr) != nil || apiErr.Error.Code == "" {
				t.Errorf("GET /api/v1/units without a token = %d %s; want 401 with an error object", status, body)
			}

			list := mustRun(t, e, "", "token", "list").stdout
			if !strings.Contains(list, "ann-sync") || !strings.Contains(list, "employee ann@example.com") {
				t.Errorf("token list:\n%s", list)
			}
			id := regexp.MustCompile(`(?m)^(\d+)\s+ann-sync`).FindStringSubmatch(list)
			if id == nil {
				t.Fatalf("token list shows no id for ann-sync:\n%s", list)
			}
			mustRun(t, e, "", "token", "revoke", id[1])
			if status, _ := get(t, s.url+"/api/v1/units", annToken); status != http.StatusUnauthorized {
				t.Errorf("GET /api/v1/units with a revoked token = %d, want 401", status)
			}
		})
	}
}

// createToken runs heed token create and checks it prints only the token.
func createToken(t *testing.T, e env, name string, args ...string) string {
	t.Helper()
	r := mustRun(t, e, "", append([]string{"token", "create", "--name", name}, args...)...)
	if !regexp.MustCompile(`^\S{20,}\n$`).MatchString(r.stdout) {
		t.Fatalf("token create printed %q on stdout, want only the token", r.stdout)
	}
	return strings.TrimSpace(r.stdout)
}

func TestTokenCreateNeedsRoleOrEmployee(t *testing.T) {
	e := env{"HEED_DB": dbURL(t, "sqlite")}
	for _, args := range [][]string{
		{"token", "create", "--name", "x"},
		{"token", "create", "--name", "x", "--role", "admin", "--employee", "a@example.com"},
		{"token", "create", "--name", "x", "--role", "emperor"},
	} {
		if r := heedRun(t, e, "", args...); r.err == nil || r.stdout != "" {
			t.Errorf("heed %s succeeded (stdout %q)", strings.Join(args, " "), r.stdout)
		}
	}
}

// TestDemo runs the demo twice on one database: the first run loads the
// organisation and prints the logins; the second changes nothing.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo loads 12,000 customers; skipped with -short")
	}
	db := dbURL(t, "sqlite")
	args := []string{"demo", "--db", db, "--addr", "127.0.0.1:0", "--workers", "1"}
	s := startHeed(t, env{}, args...)
	out := s.stdout.String()
	for _, l := range demo.Generate(1).Logins {
		if !regexp.MustCompile(regexp.QuoteMeta(l.Email) + `\s+` + regexp.QuoteMeta(l.Password)).MatchString(out) {
			t.Errorf("the demo does not print the login %s with its password:\n%s", l.Email, out)
		}
	}
	if !regexp.MustCompile(`customers: +[1-9]\d* created`).MatchString(out) {
		t.Errorf("the first demo run created no customers:\n%s", out)
	}
	if status, _ := get(t, s.url+"/healthz", ""); status != http.StatusOK {
		t.Errorf("GET /healthz on the demo = %d", status)
	}
	checkREADMEAPIExamples(t, s.url, db)
	if err := s.stop(t); err != nil {
		t.Fatal(err)
	}

	again := startHeed(t, env{}, args...).stdout.String()
	for _, what := range []string{"units", "employees", "customers"} {
		if !regexp.MustCompile(what + `: +0 created, 0 updated, [1-9]\d* unchanged`).MatchString(again) {
			t.Errorf("the second demo run changed %s:\n%s", what, again)
		}
	}
}

// waitForJobs polls the store until cond holds for the job counts.
func waitForJobs(t *testing.T, s heed.Store, cond func(heed.JobCounts) bool) heed.JobCounts {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute) // a guard against hanging, not a speed test
	for {
		c, err := s.CountJobs(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if cond(c) {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs did not reach the expected state; counts %v", c)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
