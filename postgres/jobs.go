package postgres

import (
	"context"
	"time"

	"github.com/heedhq/heed"
)

// TODO(store): stubs to be replaced by the real implementation.

func (q queries) EnqueueJob(ctx context.Context, j heed.NewJob, now time.Time) (int64, error) {
	return 0, errNotImplemented
}

func (q queries) LeaseJobs(ctx context.Context, worker string, n int, now time.Time, lease time.Duration) ([]heed.Job, error) {
	return nil, errNotImplemented
}

func (q queries) CompleteJob(ctx context.Context, id int64, worker string, now time.Time) error {
	return errNotImplemented
}

func (q queries) FailJob(ctx context.Context, id int64, worker, msg string, retryAt time.Time, dead bool, now time.Time) error {
	return errNotImplemented
}

func (q queries) GetJob(ctx context.Context, id int64) (heed.Job, error) {
	return heed.Job{}, errNotImplemented
}

func (q queries) ListJobs(ctx context.Context, f heed.JobFilter) ([]heed.Job, error) {
	return nil, errNotImplemented
}

func (q queries) CountJobs(ctx context.Context) (heed.JobCounts, error) {
	return nil, errNotImplemented
}

func (q queries) RetryJob(ctx context.Context, id int64, now time.Time) error {
	return errNotImplemented
}
