package jobs_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

// TestHandlerDeadlineFollowsTheLease checks that a handler's context ends
// a safety margin before the job's lease does, counted from when the job
// was leased and not from when the handler started: otherwise a slow
// handler outlives its lease and another process runs the job alongside.
// The clock steps a minute per reading, so the handler starts (at least)
// a minute into its 5-minute lease and must stop 30s before it ends.
func TestHandlerDeadlineFollowsTheLease(t *testing.T) {
	eachEngine(t, func(t *testing.T, s heed.Store) {
		clk := newClock()
		cfg := fast(1)
		cfg.LeaseDuration, cfg.Now = 5*time.Minute, clk.Now
		p := jobs.NewPool(s, cfg, nil)
		type seen struct {
			left time.Duration
			ok   bool
		}
		got := make(chan seen, 1)
		p.Handle("slow", func(ctx context.Context, j heed.Job) error {
			d, ok := ctx.Deadline()
			got <- seen{time.Until(d), ok}
			return nil
		})
		if _, err := jobs.Enqueue(t.Context(), s, "slow", nil, clk.Now()); err != nil {
			t.Fatal(err)
		}
		clk.Step(time.Minute)
		start(t, p)
		h := <-got
		// 5m lease - 1m already gone - 30s margin; the lower bound only
		// checks the handler was not starved of all its time.
		if !h.ok || h.left > 3*time.Minute+30*time.Second || h.left < 2*time.Minute {
			t.Fatalf("handler deadline in %v (set: %v); want at most 3m30s: the lease's end minus the 30s margin", h.left, h.ok)
		}
	})
}

// TestLeaseGoneBeforeStart: a job whose lease has (nearly) run out by the
// time its handler would start is not run on borrowed time; the attempt
// fails and the job is retried.
func TestLeaseGoneBeforeStart(t *testing.T) {
	eachEngine(t, func(t *testing.T, s heed.Store) {
		clk := newClock()
		cfg := fast(1)
		cfg.LeaseDuration, cfg.Now = 5*time.Minute, clk.Now
		p := jobs.NewPool(s, cfg, nil)
		var ran atomic.Bool
		p.Handle("late", func(ctx context.Context, j heed.Job) error { ran.Store(true); return nil })
		id, err := jobs.Enqueue(t.Context(), s, "late", nil, clk.Now(), jobs.MaxAttempts(1))
		if err != nil {
			t.Fatal(err)
		}
		clk.Step(5 * time.Minute)
		start(t, p)
		j := jobIs(t, s, id, "finished", func(j heed.Job) bool { return j.State == heed.JobDead || j.State == heed.JobDone })
		if j.State != heed.JobDead || ran.Load() || !strings.Contains(j.LastError, "lease ran out before the handler started") {
			t.Fatalf("job = %+v, handler ran: %v; want it failed without running", j, ran.Load())
		}
	})
}
