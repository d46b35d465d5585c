// Package jobs runs Heed's durable background work: emails, alerts,
// webhooks and the like are rows in the jobs table, enqueued in the same
// transaction as the change that causes them, leased by a Pool of workers
// in any number of processes, retried with exponential backoff and parked
// dead after too many failures. Service exposes them to the faces.
package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/heedhq/heed"
)

// Option changes a job being enqueued.
type Option func(*heed.NewJob)

// RunAt delays the job until t.
func RunAt(t time.Time) Option { return func(j *heed.NewJob) { j.RunAt = t } }

// Key merges the job into a queued one of the same kind and key (see
// heed.NewJob.Key).
func Key(k string) Option { return func(j *heed.NewJob) { j.Key = k } }

// MaxAttempts sets how often the job is tried before it is parked dead.
func MaxAttempts(n int) Option { return func(j *heed.NewJob) { j.MaxAttempts = n } }

// Enqueue marshals payload to JSON and enqueues a job of kind. Services
// call it with the Queries of Store.InTx so the job commits, or not, with
// the change that causes it.
func Enqueue(ctx context.Context, q heed.Queries, kind string, payload any, now time.Time, opts ...Option) (int64, error) {
	j := heed.NewJob{Kind: kind}
	if payload != nil {
		raw, err := json.Marshal(payload)
		if err != nil {
			return 0, fmt.Errorf("jobs: marshal %s payload: %w", kind, err)
		}
		j.Payload = raw
	}
	for _, o := range opts {
		o(&j)
	}
	id, err := q.EnqueueJob(ctx, j, now)
	if err != nil {
		return 0, fmt.Errorf("jobs: enqueue %s: %w", kind, err)
	}
	return id, nil
}
