package jobs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/jobs"
)

// t0 is the start of every controlled clock.
var t0 = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

// clock is a controlled clock for pools and services.
type clock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration // added after every reading
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.t
	c.t = c.t.Add(c.step)
	return t
}

// Step makes every later reading of the clock d later than the one
// before, as if each took d.
func (c *clock) Step(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.step = d
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fast is a pool config for tests: quick polls, tiny backoff.
func fast(workers int) jobs.PoolConfig {
	return jobs.PoolConfig{
		Workers:      workers,
		PollInterval: 2 * time.Millisecond,
		BackoffBase:  time.Millisecond,
		BackoffMax:   5 * time.Millisecond,
		DrainTimeout: time.Minute,
	}
}

// start runs p until the test ends (or stop is called) and returns stop,
// which cancels Run and returns its error.
func start(t *testing.T, p *jobs.Pool) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() { cancel(); err = <-done })
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

// waitFor polls until cond holds. The bound is only there so a broken
// pool fails the test instead of hanging it; nothing asserts on speed.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// jobIs polls job id until check holds, then returns it.
func jobIs(t testing.TB, s heed.Store, id int64, what string, check func(heed.Job) bool) heed.Job {
	t.Helper()
	var j heed.Job
	waitFor(t, what, func() bool {
		var err error
		j, err = s.GetJob(context.Background(), id)
		if err != nil {
			t.Fatalf("GetJob(%d): %v", id, err)
		}
		return check(j)
	})
	return j
}

// eachEngine runs f against a fresh store of every engine.
func eachEngine(t *testing.T, f func(t *testing.T, s heed.Store)) {
	for _, e := range testdb.Engines {
		t.Run(e, func(t *testing.T) { f(t, testdb.Open(t, e)) })
	}
}
