package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"time"
	"unicode/utf8"

	"github.com/heedhq/heed"
)

// work runs one leased job and records the outcome.
func (p *Pool) work(base, handlerCtx context.Context, worker string, j heed.Job) {
	log := p.log.With("job_id", j.ID, "kind", j.Kind, "attempt", j.Attempts, "max_attempts", j.MaxAttempts)
	if j.Attempts > j.MaxAttempts {
		// Only an expired lease gets a job here: the worker of its last
		// attempt vanished mid-run, perhaps killed by this very job.
		p.record(base, worker, j, fmt.Errorf("gave up: the lease of the last attempt ran out before the job finished (previous error: %q)", j.LastError), log)
		return
	}
	p.metrics.started()
	start := time.Now()
	err := p.call(handlerCtx, j, log)
	p.metrics.ran(j.Kind, time.Since(start))
	if err != nil && handlerCtx.Err() != nil {
		// Our own shutdown cancelled it, which is no fault of the job's.
		p.release(base, worker, j, err, log)
		return
	}
	p.record(base, worker, j, err, log)
}

// call runs the handler of j's kind, turning a panic into an error. The
// handler's context ends a margin before j's lease does, so it stops
// before another worker may lease the job again.
func (p *Pool) call(ctx context.Context, j heed.Job, log *slog.Logger) (err error) {
	h := p.handler(j.Kind)
	if h == nil {
		return fmt.Errorf("no handler for job kind %q in this process", j.Kind)
	}
	left := p.handlerTime(j)
	if left <= 0 {
		return fmt.Errorf("the lease ran out before the handler started (%v late)", -left)
	}
	ctx, cancel := context.WithTimeout(ctx, left)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			log.Error("jobs: handler panicked", "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return h(ctx, j)
}

// handlerTime is how long j's handler may still run: until leaseMargin
// before its lease ends. The lease end is on the pool's clock, so the
// time left is measured on that clock and then spent in real time.
func (p *Pool) handlerTime(j heed.Job) time.Duration {
	left := p.cfg.LeaseDuration
	if j.LeasedUntil != nil {
		left = j.LeasedUntil.Sub(p.cfg.Now())
	}
	return left - leaseMargin(p.cfg.LeaseDuration)
}

// leaseMargin is how long before its lease ends a handler's context
// does: a tenth of the lease, at most 30s. It leaves time to record the
// outcome, and absorbs clock skew between processes.
func leaseMargin(lease time.Duration) time.Duration {
	return min(lease/10, maxLeaseMargin)
}

// record stores the outcome of one attempt: done, queued again after a
// backoff, or dead after the last attempt.
func (p *Pool) record(base context.Context, worker string, j heed.Job, runErr error, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(base, storeTimeout)
	defer cancel()
	now := p.cfg.Now()
	if runErr == nil {
		if err := p.store.CompleteJob(ctx, j.ID, worker, now); err != nil {
			p.logLost(log, j.Kind, "complete", err)
			return
		}
		p.metrics.finished(j.Kind, "done")
		log.Debug("jobs: job done")
		return
	}
	dead := j.Attempts >= j.MaxAttempts || errors.As(runErr, new(*stopError))
	retryAt := now.Add(Backoff(j.Attempts, p.cfg.BackoffBase, p.cfg.BackoffMax, rand.Float64()))
	if err := p.store.FailJob(ctx, j.ID, worker, truncate(runErr.Error()), retryAt, dead, now); err != nil {
		p.logLost(log, j.Kind, "fail", err)
		return
	}
	if dead {
		p.metrics.finished(j.Kind, "dead")
		log.Error("jobs: job failed for the last time; parked dead", "error", runErr)
		return
	}
	p.metrics.finished(j.Kind, "retry")
	log.Warn("jobs: job failed; will retry", "error", runErr, "retry_at", retryAt)
}

// release hands back a job whose handler shutdown cancelled: it is queued
// to run again at once, and the attempt does not count, so a job on its
// last attempt is not parked dead for a deploy.
func (p *Pool) release(base context.Context, worker string, j heed.Job, runErr error, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(base, storeTimeout)
	defer cancel()
	if err := p.store.ReleaseJob(ctx, j.ID, worker, p.cfg.Now()); err != nil {
		p.logLost(log, j.Kind, "release", err)
		return
	}
	p.metrics.finished(j.Kind, "released")
	log.Warn("jobs: handler cancelled by shutdown; job queued to run again, attempt not counted", "error", runErr)
}

// logLost logs a failure to record an outcome. EConflict means the lease
// ran out first and the job is someone else's now.
func (p *Pool) logLost(log *slog.Logger, kind, what string, err error) {
	if heed.ErrorCode(err) == heed.EConflict {
		p.metrics.finished(kind, "lease_lost")
		log.Warn("jobs: lease lost before the job finished; it may run again", "error", err)
		return
	}
	log.Error("jobs: could not record the outcome; the job runs again when its lease ends", "op", what, "error", err)
}

// Backoff is the delay before the retry that follows attempt (1-based):
// exponential from base, capped at max, with full jitter (r in [0,1)
// scales it) so failed jobs do not come back all at once.
func Backoff(attempt int, base, max time.Duration, r float64) time.Duration {
	d := base
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return time.Duration(r * float64(d))
}

func truncate(s string) string {
	if len(s) <= maxErrorLen {
		return s
	}
	n := maxErrorLen
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Stop wraps an error no retry can mend (the job's input is wrong, not the
// world): the pool parks the job dead at once, for an operator to look at
// and retry once mended, instead of retrying it with backoff.
func Stop(err error) error { return &stopError{err} }

type stopError struct{ err error }

func (e *stopError) Error() string { return e.err.Error() }
func (e *stopError) Unwrap() error { return e.err }
