package jobs_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

func TestBackoff(t *testing.T) {
	base, max := 10*time.Second, time.Hour
	cases := []struct {
		attempt int
		r       float64
		want    time.Duration
	}{
		{1, 0.5, 5 * time.Second},  // half of base
		{2, 0.5, 10 * time.Second}, // half of 2×base
		{3, 0.999999, 40*time.Second - 40*time.Microsecond},
		{4, 0, 0}, // full jitter reaches down to zero
		{10, 1, time.Hour},
		{1000, 0.25, 15 * time.Minute}, // capped, no overflow
	}
	for _, c := range cases {
		if got := jobs.Backoff(c.attempt, base, max, c.r); got != c.want {
			t.Errorf("Backoff(%d, r=%v) = %v; want %v", c.attempt, c.r, got, c.want)
		}
	}
}

// TestRetryBackoffThenDead drives a failing job through its attempts on
// a controlled clock: each retry waits within the backoff bound, and the
// last failure parks the job dead.
func TestRetryBackoffThenDead(t *testing.T) {
	eachEngine(t, func(t *testing.T, s heed.Store) {
		clk := newClock()
		cfg := fast(2)
		cfg.BackoffBase, cfg.BackoffMax, cfg.Now = 10*time.Second, 15*time.Second, clk.Now
		p := jobs.NewPool(s, cfg, nil)
		var calls atomic.Int32
		p.Handle("always.fails", func(ctx context.Context, j heed.Job) error {
			calls.Add(1)
			return errors.New("remote said no")
		})
		id, err := jobs.Enqueue(t.Context(), s, "always.fails", map[string]int{"n": 1}, clk.Now(), jobs.MaxAttempts(3))
		if err != nil {
			t.Fatal(err)
		}
		start(t, p)

		queuedAfter := func(n int) func(heed.Job) bool {
			return func(j heed.Job) bool { return j.State == heed.JobQueued && j.Attempts == n }
		}
		j := jobIs(t, s, id, "first failure", queuedAfter(1))
		if j.LastError != "remote said no" || j.RunAt.Before(t0) || j.RunAt.After(t0.Add(10*time.Second)) {
			t.Fatalf("after attempt 1: %+v; want the error and a retry within 10s (base)", j)
		}
		clk.Advance(10 * time.Second)
		j = jobIs(t, s, id, "second failure", queuedAfter(2))
		now := clk.Now()
		if j.RunAt.Before(now) || j.RunAt.After(now.Add(15*time.Second)) {
			t.Fatalf("after attempt 2 run_at = %v; want within 15s (20s capped) of %v", j.RunAt, now)
		}
		clk.Advance(15 * time.Second)
		j = jobIs(t, s, id, "dead", func(j heed.Job) bool { return j.State == heed.JobDead })
		if j.Attempts != 3 || j.LastError != "remote said no" || j.FinishedAt == nil || !j.FinishedAt.Equal(clk.Now()) {
			t.Fatalf("dead job = %+v; want 3 attempts, the error, finished now", j)
		}
		if n := calls.Load(); n != 3 {
			t.Fatalf("handler ran %d times; want 3", n)
		}
	})
}

func TestPanicIsAFailure(t *testing.T) {
	eachEngine(t, func(t *testing.T, s heed.Store) {
		p := jobs.NewPool(s, fast(1), nil)
		p.Handle("flaky", func(ctx context.Context, j heed.Job) error {
			if j.Attempts == 1 {
				panic("kaboom")
			}
			return nil
		})
		id, err := jobs.Enqueue(t.Context(), s, "flaky", nil, time.Now(), jobs.MaxAttempts(2))
		if err != nil {
			t.Fatal(err)
		}
		start(t, p)
		j := jobIs(t, s, id, "done", func(j heed.Job) bool { return j.State == heed.JobDone })
		if j.Attempts != 2 || !strings.Contains(j.LastError, "panic: kaboom") {
			t.Fatalf("job = %+v; want done on attempt 2 after a recorded panic", j)
		}
	})
}

func TestUnknownKind(t *testing.T) {
	eachEngine(t, func(t *testing.T, s heed.Store) {
		p := jobs.NewPool(s, fast(1), nil)
		jobs.RegisterTestJob(p)
		id, err := jobs.Enqueue(t.Context(), s, "no.such.kind", nil, time.Now(), jobs.MaxAttempts(1))
		if err != nil {
			t.Fatal(err)
		}
		start(t, p)
		j := jobIs(t, s, id, "dead", func(j heed.Job) bool { return j.State == heed.JobDead })
		if want := `no handler for job kind "no.such.kind"`; !strings.Contains(j.LastError, want) {
			t.Fatalf("last_error = %q; want it to say %s", j.LastError, want)
		}
	})
}

// TestStopParksDead: a handler that says no retry can help (jobs.Stop)
// has its job parked dead after one attempt, with the error kept.
func TestStopParksDead(t *testing.T) {
	eachEngine(t, func(t *testing.T, s heed.Store) {
		p := jobs.NewPool(s, fast(1), nil)
		p.Handle("broken", func(ctx context.Context, j heed.Job) error {
			return jobs.Stop(errors.New("the subject has a line break"))
		})
		id, err := jobs.Enqueue(t.Context(), s, "broken", nil, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		start(t, p)
		j := jobIs(t, s, id, "dead", func(j heed.Job) bool { return j.State == heed.JobDead })
		if j.Attempts != 1 || !strings.Contains(j.LastError, "line break") {
			t.Fatalf("job = %+v; want dead after 1 attempt with the error", j)
		}
	})
}

// TestGracefulDrain stops a pool while a handler runs: Run waits for it,
// its job is recorded done, and nothing new is leased.
func TestGracefulDrain(t *testing.T) {
	eachEngine(t, func(t *testing.T, s heed.Store) {
		p := jobs.NewPool(s, fast(1), nil)
		jobs.RegisterTestJob(p)
		started, release := make(chan struct{}), make(chan struct{})
		p.Handle("slow", func(ctx context.Context, j heed.Job) error {
			close(started)
			<-release
			return nil
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		runErr := make(chan error, 1)
		go func() { runErr <- p.Run(ctx) }()

		slow, err := jobs.Enqueue(t.Context(), s, "slow", nil, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		<-started
		cancel()
		later, err := jobs.Enqueue(t.Context(), s, jobs.TestKind, jobs.TestPayload{}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-runErr:
			t.Fatalf("Run returned (%v) while a handler was still running", err)
		default:
		}
		close(release)
		if err := <-runErr; err != nil {
			t.Fatalf("Run after drain = %v; want nil", err)
		}
		if j, _ := s.GetJob(t.Context(), slow); j.State != heed.JobDone {
			t.Fatalf("drained job = %+v; want done", j)
		}
		if j, _ := s.GetJob(t.Context(), later); j.State != heed.JobQueued || j.Attempts != 0 {
			t.Fatalf("job enqueued after shutdown = %+v; want untouched", j)
		}
	})
}

// TestDrainTimeout stops a pool whose handler, on the job's last
// attempt, does not finish in time: the handler is cancelled, and since
// that is the shutdown's doing and not the job's, the job is queued again
// at once with the attempt given back, not parked dead. The next pool
// runs it.
func TestDrainTimeout(t *testing.T) {
	eachEngine(t, func(t *testing.T, s heed.Store) {
		cfg := fast(1)
		cfg.DrainTimeout = 10 * time.Millisecond
		p := jobs.NewPool(s, cfg, nil)
		started := make(chan struct{})
		p.Handle("stuck", func(ctx context.Context, j heed.Job) error {
			close(started)
			<-ctx.Done()
			return ctx.Err()
		})
		id, err := jobs.Enqueue(t.Context(), s, "stuck", nil, time.Now(), jobs.MaxAttempts(1))
		if err != nil {
			t.Fatal(err)
		}
		stop := start(t, p)
		<-started
		before := time.Now().UTC()
		if err := stop(); err != nil {
			t.Fatalf("Run = %v; want nil (the handler returned once cancelled)", err)
		}
		j, err := s.GetJob(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if j.State != heed.JobQueued || j.Attempts != 0 || j.LeasedUntil != nil ||
			j.RunAt.Before(before.Truncate(time.Microsecond)) || j.RunAt.After(time.Now()) {
			t.Fatalf("interrupted job = %+v; want queued again to run at once, its attempt given back", j)
		}

		next := jobs.NewPool(s, fast(1), nil)
		next.Handle("stuck", func(ctx context.Context, j heed.Job) error { return nil })
		start(t, next)
		j = jobIs(t, s, id, "finished by the next pool", func(j heed.Job) bool { return j.State == heed.JobDone || j.State == heed.JobDead })
		if j.State != heed.JobDone || j.Attempts != 1 {
			t.Fatalf("job = %+v; want done on its one attempt", j)
		}
	})
}
