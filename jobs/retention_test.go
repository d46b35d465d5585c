package jobs_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

// logRecorder is a slog.Handler that keeps every record.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *logRecorder) WithGroup(string) slog.Handler            { return r }
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Clone())
	return nil
}

// deleted sums the "deleted" attribute of the records saying msg.
func (r *logRecorder) deleted(msg string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var n int64
	for _, rec := range r.records {
		if rec.Message != msg {
			continue
		}
		rec.Attrs(func(a slog.Attr) bool {
			if a.Key == "deleted" {
				n += a.Value.Int64()
			}
			return true
		})
	}
	return n
}

// finishJob enqueues, leases and finishes (done or dead) a job at time at.
func finishJob(t *testing.T, s heed.Store, at time.Time, dead bool) int64 {
	t.Helper()
	ctx := t.Context()
	id, err := s.EnqueueJob(ctx, heed.NewJob{Kind: "k", MaxAttempts: 1}, at)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.LeaseJobs(ctx, "seed", 1, at, time.Minute)
	if err != nil || len(got) != 1 || got[0].ID != id {
		t.Fatalf("lease = %v, %v; want job %d", got, err, id)
	}
	if dead {
		err = s.FailJob(ctx, id, "seed", "boom", at, true, at)
	} else {
		err = s.CompleteJob(ctx, id, "seed", at)
	}
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func gone(t *testing.T, s heed.Store, id int64) bool {
	t.Helper()
	_, err := s.GetJob(t.Context(), id)
	if err != nil && heed.ErrorCode(err) != heed.ENotFound {
		t.Fatalf("GetJob(%d): %v", id, err)
	}
	return err != nil
}

// TestRetentionSweep: a pool deletes done jobs older than the retention
// (7 days by default) when it starts and then periodically, logs how
// many, and keeps dead jobs for an operator.
func TestRetentionSweep(t *testing.T) {
	eachEngine(t, func(t *testing.T, s heed.Store) {
		clk := newClock()
		day := 24 * time.Hour
		old := []int64{finishJob(t, s, t0.Add(-30*day), false), finishJob(t, s, t0.Add(-8*day), false)}
		recent := finishJob(t, s, t0.Add(-6*day), false)
		dead := finishJob(t, s, t0.Add(-30*day), true)

		logs := &logRecorder{}
		cfg := fast(1)
		cfg.Now, cfg.SweepInterval = clk.Now, 5*time.Millisecond
		start(t, jobs.NewPool(s, cfg, slog.New(logs)))
		// The log comes after the deletes, so once it is there they are done.
		waitFor(t, "a sweep logging deletions", func() bool { return logs.deleted("jobs: deleted old done jobs") > 0 })
		if n := logs.deleted("jobs: deleted old done jobs"); n != 2 || !gone(t, s, old[0]) || !gone(t, s, old[1]) {
			t.Fatalf("logs say %d jobs deleted; want the 2 older than 7 days deleted", n)
		}
		if gone(t, s, recent) || gone(t, s, dead) {
			t.Fatalf("the 6-day-old done job or the dead job was deleted; want both kept")
		}

		// Two days on, a later sweep finds the 6-day-old job past 7 days.
		clk.Advance(2 * day)
		waitFor(t, "the formerly recent job deleted", func() bool { return gone(t, s, recent) })
		if gone(t, s, dead) {
			t.Fatal("the dead job was deleted; want it kept")
		}
	})
}

// TestRetentionDisabled: a negative Retention keeps done jobs forever.
// Run always sweeps once before it returns when retention is on, so a
// pool stopped at once shows whether it swept.
func TestRetentionDisabled(t *testing.T) {
	eachEngine(t, func(t *testing.T, s heed.Store) {
		clk := newClock()
		ancient := finishJob(t, s, t0.Add(-365*24*time.Hour), false)
		for _, retention := range []time.Duration{-1, 0} {
			cfg := fast(1)
			cfg.Now, cfg.Retention = clk.Now, retention
			stop := start(t, jobs.NewPool(s, cfg, nil))
			if err := stop(); err != nil {
				t.Fatal(err)
			}
			if want := retention < 0; gone(t, s, ancient) == want {
				t.Fatalf("Retention %v: year-old done job deleted: %v; want %v", retention, !want, want)
			}
		}
	})
}
