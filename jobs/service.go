package jobs

import (
	"context"
	"encoding/json"
	"time"

	"github.com/heedhq/heed"
)

// Service is what the faces (CLI, API, web) use to look at and steer the
// queue. Jobs can carry any customer's data, so only admins may see them.
type Service struct {
	store heed.Store
	now   func() time.Time
}

// NewService returns the jobs service; now is its clock (time.Now if nil,
// as for the other services).
func NewService(store heed.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

func checkAdmin(p heed.Principal) error {
	if !p.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may see and retry jobs")
	}
	return nil
}

// List returns jobs newest first, filtered by f.
func (s *Service) List(ctx context.Context, p heed.Principal, f heed.JobFilter) ([]heed.Job, error) {
	if err := checkAdmin(p); err != nil {
		return nil, err
	}
	switch f.State {
	case "", heed.JobQueued, heed.JobRunning, heed.JobDone, heed.JobDead:
	default:
		return nil, heed.FieldErrorf(heed.EInvalid, "state", "state must be queued, running, done or dead")
	}
	if f.Limit < 0 || f.Limit > 1000 {
		return nil, heed.FieldErrorf(heed.EInvalid, "limit", "limit must be between 1 and 1000")
	}
	if f.BeforeID < 0 {
		return nil, heed.FieldErrorf(heed.EInvalid, "before", "before must be a job id")
	}
	jobs, err := s.store.ListJobs(ctx, f)
	if err != nil {
		return nil, err
	}
	if jobs == nil {
		jobs = []heed.Job{} // a JSON list, never null
	}
	for i := range jobs {
		jobs[i] = hideSecrets(jobs[i])
	}
	return jobs, nil
}

// secretKeys are payload fields the faces never show: a survey email's
// link token answers in a customer's name, so it leaves the database
// only in the email.
var secretKeys = []string{"token", "secret"}

// hideSecrets replaces the secret fields of a job's payload with a mark.
func hideSecrets(j heed.Job) heed.Job {
	var fields map[string]json.RawMessage
	if json.Unmarshal(j.Payload, &fields) != nil {
		return j
	}
	changed := false
	for _, k := range secretKeys {
		if _, ok := fields[k]; ok {
			fields[k] = json.RawMessage(`"(hidden)"`)
			changed = true
		}
	}
	if changed {
		if b, err := json.Marshal(fields); err == nil {
			j.Payload = b
		}
	}
	return j
}

// Get returns one job.
func (s *Service) Get(ctx context.Context, p heed.Principal, id int64) (heed.Job, error) {
	if err := checkAdmin(p); err != nil {
		return heed.Job{}, err
	}
	j, err := s.store.GetJob(ctx, id)
	return hideSecrets(j), err
}

// Counts returns the number of jobs in each state.
func (s *Service) Counts(ctx context.Context, p heed.Principal) (heed.JobCounts, error) {
	if err := checkAdmin(p); err != nil {
		return nil, err
	}
	return s.store.CountJobs(ctx)
}

// Retry puts a dead (or waiting) job back in the queue to run now with
// its attempts reset.
func (s *Service) Retry(ctx context.Context, p heed.Principal, id int64) error {
	if err := checkAdmin(p); err != nil {
		return err
	}
	return s.store.RetryJob(ctx, id, s.now())
}

// EnqueueTest enqueues a TestKind job and returns its id.
func (s *Service) EnqueueTest(ctx context.Context, p heed.Principal, payload TestPayload) (int64, error) {
	if err := checkAdmin(p); err != nil {
		return 0, err
	}
	if err := payload.check(); err != nil {
		return 0, err
	}
	return Enqueue(ctx, s.store, TestKind, payload, s.now(), MaxAttempts(payload.MaxAttempts))
}
