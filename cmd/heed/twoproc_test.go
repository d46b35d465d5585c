package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/jackc/pgx/v5"
)

// binary is the real heed, built once for the tests that need separate
// processes.
var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

// heedBinary builds cmd/heed once per test run and returns its path.
func heedBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		binary.dir, binary.err = os.MkdirTemp("", "heed-bin-")
		if binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "heed")
		out, err := exec.Command("go", "build", "-o", binary.path, ".").CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// processEnv is the environment of a child heed: this process's, without
// any HEED_* setting of the developer's, plus the test's.
func processEnv(extra ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HEED_") {
			out = append(out, kv)
		}
	}
	return append(out, extra...)
}

// process is a `heed serve` running as its own OS process.
type process struct {
	cmd      *exec.Cmd
	url      string
	stderr   *syncBuffer
	waited   chan error
	stopOnce sync.Once
	stopErr  error
}

// startProcess starts the binary with args and waits for its address.
func startProcess(t *testing.T, bin string, env []string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	p := &process{cmd: cmd, stderr: &syncBuffer{}, waited: make(chan error, 1)}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listenLine.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
		p.waited <- cmd.Wait()
	}()
	t.Cleanup(func() { p.stop(t) })
	select {
	case p.url = <-urls:
	case err := <-p.waited:
		p.waited <- err
		t.Fatalf("heed %s exited before listening: %v\n%s", strings.Join(args, " "), err, p.stderr)
	case <-time.After(2 * time.Minute):
		t.Fatalf("heed %s did not print its address\n%s", strings.Join(args, " "), p.stderr)
	}
	return p
}

// stop sends SIGTERM, as a service manager does, and waits for a clean
// exit.
func (p *process) stop(t *testing.T) error {
	t.Helper()
	p.stopOnce.Do(func() {
		p.cmd.Process.Signal(syscall.SIGTERM) // an error means it has exited already
		select {
		case p.stopErr = <-p.waited:
		case <-time.After(time.Minute):
			p.cmd.Process.Kill()
			p.stopErr = fmt.Errorf("heed (pid %d) did not stop within a minute of SIGTERM", p.cmd.Process.Pid)
		}
	})
	return p.stopErr
}

// TestTwoProcessesRunEachJobOnce is the promise of the durable queue:
// two `heed serve` processes on one PostgreSQL share 1,000 jobs so that
// each runs exactly once, and a job that keeps failing is retried and
// then parked dead.
func TestTwoProcessesRunEachJobOnce(t *testing.T) {
	url := testdb.PostgresURL(t) // skips without HEED_TEST_POSTGRES
	bin := heedBinary(t)
	env := processEnv("HEED_DB="+url, "HEED_LOG_LEVEL=warn")
	heedCLI := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("heed %s: %v\n%s", strings.Join(args, " "), err, stderrOf(err))
		}
		return string(out)
	}
	if out := heedCLI("migrate"); !strings.HasPrefix(out, "schema version ") {
		t.Fatalf("heed migrate printed %q", out)
	}

	serveArgs := []string{"serve", "--addr", "127.0.0.1:0", "--workers", "4", "--job-poll", "50ms", "--job-backoff", "20ms"}
	a := startProcess(t, bin, env, serveArgs...)
	b := startProcess(t, bin, env, serveArgs...)

	// Each job works a few milliseconds, so neither process can take the
	// whole queue before the other looks.
	heedCLI("jobs", "enqueue-test", "--count", "1000", "--sleep-ms", "5", "--marker", "once")
	const maxAttempts = 3
	heedCLI("jobs", "enqueue-test", "--fail-times", "100", "--max-attempts", strconv.Itoa(maxAttempts), "--marker", "doomed")

	store := openTestStore(t, url)
	waitForJobs(t, store, func(c heed.JobCounts) bool { return c[heed.JobDone]+c[heed.JobDead] == 1001 })

	for _, p := range []*process{a, b} {
		if err := p.stop(t); err != nil {
			t.Errorf("heed serve (pid %d) did not exit cleanly on SIGTERM: %v\n%s", p.cmd.Process.Pid, err, p.stderr)
		}
	}

	byPID := checkRanOnce(t, url)
	for _, p := range []*process{a, b} {
		if byPID[p.cmd.Process.Pid] == 0 {
			t.Errorf("process %d ran none of the jobs (per process: %v)", p.cmd.Process.Pid, byPID)
		}
	}
	t.Logf("jobs run per process: %v", byPID)

	dead, err := store.ListJobs(context.Background(), heed.JobFilter{State: heed.JobDead})
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 || dead[0].Attempts != maxAttempts || !strings.Contains(string(dead[0].Payload), "doomed") {
		t.Errorf("dead jobs = %+v; want only the doomed one, after %d attempts", dead, maxAttempts)
	}
}

// checkRanOnce asserts every "once" job is done after exactly one
// attempt, and returns how many each process (by pid) ran.
func checkRanOnce(t *testing.T, url string) map[int]int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT id, state, attempts, leased_by FROM jobs WHERE payload->>'marker' = 'once'`)
	if err != nil {
		t.Fatal(err)
	}
	byPID := map[int]int{}
	n := 0
	for rows.Next() {
		var id int64
		var state, leasedBy string
		var attempts int
		if err := rows.Scan(&id, &state, &attempts, &leasedBy); err != nil {
			t.Fatal(err)
		}
		n++
		if state != string(heed.JobDone) || attempts != 1 {
			t.Errorf("job %d: state %s after %d attempts, want done after exactly 1", id, state, attempts)
		}
		// leased_by is host:pid:lease.
		parts := strings.Split(leasedBy, ":")
		pid, _ := strconv.Atoi(parts[min(1, len(parts)-1)])
		byPID[pid]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 1000 {
		t.Errorf("found %d test jobs, want 1000", n)
	}
	return byPID
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
