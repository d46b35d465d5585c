package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/heedhq/heed"
)

// TestKind is the built-in job that does nothing useful: operators
// enqueue it (CLI, API) to see the queue, retries and dead jobs work.
const TestKind = "heed.test"

// TestPayload is the payload of a TestKind job.
type TestPayload struct {
	FailTimes int    `json:"fail_times"`       // fail this many attempts, then succeed
	SleepMS   int    `json:"sleep_ms"`         // work this long per attempt
	Marker    string `json:"marker,omitempty"` // free text to find the job again
	// MaxAttempts, when set, overrides heed.DefaultMaxAttempts, so a job
	// with FailTimes >= MaxAttempts ends dead.
	MaxAttempts int `json:"max_attempts,omitempty"`
}

// RegisterTestJob makes p run TestKind jobs.
func RegisterTestJob(p *Pool) { p.Handle(TestKind, RunTestJob) }

// RunTestJob is the TestKind handler: it sleeps SleepMS, then fails while
// the attempt number is at most FailTimes.
func RunTestJob(ctx context.Context, job heed.Job) error {
	var pl TestPayload
	if err := json.Unmarshal(job.Payload, &pl); err != nil {
		return fmt.Errorf("%s: bad payload: %w", TestKind, err)
	}
	if pl.SleepMS > 0 && !sleep(ctx, time.Duration(pl.SleepMS)*time.Millisecond) {
		return fmt.Errorf("%s: interrupted: %w", TestKind, ctx.Err())
	}
	if job.Attempts <= pl.FailTimes {
		msg := fmt.Sprintf("%s: planned failure %d of %d", TestKind, job.Attempts, pl.FailTimes)
		if pl.Marker != "" {
			msg += fmt.Sprintf(" (marker %q)", pl.Marker)
		}
		return errors.New(msg)
	}
	return nil
}

// check validates a test payload given by a user.
func (pl TestPayload) check() error {
	switch {
	case pl.FailTimes < 0 || pl.FailTimes > 100:
		return heed.FieldErrorf(heed.EInvalid, "fail_times", "fail_times must be between 0 and 100")
	case pl.SleepMS < 0 || pl.SleepMS > 60000:
		return heed.FieldErrorf(heed.EInvalid, "sleep_ms", "sleep_ms must be between 0 and 60000")
	case len(pl.Marker) > 200:
		return heed.FieldErrorf(heed.EInvalid, "marker", "marker must be at most 200 bytes")
	case pl.MaxAttempts < 0 || pl.MaxAttempts > 100:
		return heed.FieldErrorf(heed.EInvalid, "max_attempts", "max_attempts must be between 0 and 100")
	}
	return nil
}
