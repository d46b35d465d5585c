package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/postgres"
	"github.com/heedhq/heed/sqlite"
)

// env is a fake process environment for run's getenv.
type env map[string]string

func (e env) get(k string) string { return e[k] }

// result is what one run of heed left behind.
type result struct {
	stdout, stderr string
	err            error
}

// output is everything the user would see: stdout, stderr and the error
// as main prints it.
func (r result) output() string {
	var b bytes.Buffer
	b.WriteString(r.stdout)
	b.WriteString(r.stderr)
	if r.err != nil {
		printError(&b, r.err)
	}
	return b.String()
}

// heedRun runs the program in-process, as `heed args...`.
func heedRun(t *testing.T, e env, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"heed"}, args...), e.get, strings.NewReader(stdin), &out, &errb)
	return result{out.String(), errb.String(), err}
}

// mustRun runs heed and fails the test if it fails.
func mustRun(t *testing.T, e env, stdin string, args ...string) result {
	t.Helper()
	r := heedRun(t, e, stdin, args...)
	if r.err != nil {
		t.Fatalf("heed %s: %v\n%s", strings.Join(args, " "), r.err, r.output())
	}
	return r
}

// dbURL returns a --db value for a fresh, empty database of the engine;
// PostgreSQL tests skip (with a message) without HEED_TEST_POSTGRES.
func dbURL(t *testing.T, engine string) string {
	t.Helper()
	if engine == "postgres" {
		return testdb.PostgresURL(t)
	}
	// A folder that does not exist yet: heed creates it.
	return "sqlite:" + filepath.Join(t.TempDir(), "data", "heed.db")
}

// openTestStore opens the database a test ran heed against, to check
// what heed wrote the way a user would: by reading it back.
func openTestStore(t *testing.T, dsn string) heed.Store {
	t.Helper()
	ctx := context.Background()
	var s heed.Store
	var err error
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		s, err = sqlite.Open(ctx, path)
	} else {
		s, err = postgres.Open(ctx, dsn)
	}
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// writeFile writes a file in the test's temp dir and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// syncBuffer is a buffer a running server writes to while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serving is a `heed serve` (or demo) running in-process.
type serving struct {
	url            string
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	done           chan error
	once           sync.Once
	err            error
}

var listenLine = regexp.MustCompile(`Heed listening on (http://\S+)`)

// startHeed runs heed in the background until the test ends (or stop),
// and returns once it prints the address it listens on.
func startHeed(t *testing.T, e env, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	go func() {
		s.done <- run(ctx, append([]string{"heed"}, args...), e.get, strings.NewReader(""), s.stdout, s.stderr)
	}()
	t.Cleanup(func() { s.stop(t) })
	deadline := time.Now().Add(2 * time.Minute) // a guard against hanging, not a speed test
	for time.Now().Before(deadline) {
		if m := listenLine.FindStringSubmatch(s.stdout.String()); m != nil {
			s.url = m[1]
			return s
		}
		select {
		case err := <-s.done:
			s.err = err
			s.once.Do(func() {})
			t.Fatalf("heed %s ended before listening: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, s.stdout, s.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("heed %s did not print its address\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), s.stdout, s.stderr)
	return nil
}

// stop cancels heed's context, as SIGINT does, and returns what run
// returned.
func (s *serving) stop(t *testing.T) error {
	t.Helper()
	s.once.Do(func() {
		s.cancel()
		select {
		case s.err = <-s.done:
		case <-time.After(time.Minute):
			t.Errorf("heed did not stop within a minute of its context ending\nstderr:\n%s", s.stderr)
		}
	})
	return s.err
}

// get fetches url with an optional bearer token and returns the status
// and body.
func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	return resp.StatusCode, string(body)
}
