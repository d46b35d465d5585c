package api

import (
	"context"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

type listJobsInput struct {
	State  string `query:"state" enum:"queued,running,done,dead" doc:"Only jobs in this state"`
	Kind   string `query:"kind" doc:"Only jobs of this kind"`
	Limit  int    `query:"limit" minimum:"1" maximum:"1000" default:"100" doc:"Page size"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
}

type jobsOutput struct {
	Body struct {
		Jobs       []heed.Job `json:"jobs"`
		NextCursor string     `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last"`
	}
}

func (s *server) listJobs(ctx context.Context, in *listJobsInput) (*jobsOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	before, err := decodeIDCursor(jobCursorPrefix, in.Cursor)
	if err != nil {
		return nil, err
	}
	list, err := s.cfg.Jobs.List(ctx, p, heed.JobFilter{
		State: heed.JobState(in.State), Kind: in.Kind, Limit: in.Limit, BeforeID: before,
	})
	if err != nil {
		return nil, err
	}
	out := &jobsOutput{}
	out.Body.Jobs = nonNil(list)
	if in.Limit > 0 && len(list) == in.Limit {
		out.Body.NextCursor = encodeIDCursor(jobCursorPrefix, list[len(list)-1].ID)
	}
	return out, nil
}

const jobCursorPrefix = "job:"

type jobID struct {
	ID int64 `path:"id" doc:"The job's id"`
}

type jobOutput struct {
	Body heed.Job
}

func (s *server) getJob(ctx context.Context, in *jobID) (*jobOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	j, err := s.cfg.Jobs.Get(ctx, p, in.ID)
	if err != nil {
		return nil, err
	}
	return &jobOutput{Body: j}, nil
}

func (s *server) retryJob(ctx context.Context, in *jobID) (*jobOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Jobs.Retry(ctx, p, in.ID); err != nil {
		return nil, err
	}
	return s.getJob(ctx, in)
}

type testJobInput struct {
	Body *struct {
		FailTimes   int    `json:"fail_times,omitempty" minimum:"0" doc:"Fail this many attempts, then succeed"`
		SleepMS     int    `json:"sleep_ms,omitempty" minimum:"0" doc:"Work this long per attempt"`
		Marker      string `json:"marker,omitempty" doc:"Free text to find the job again"`
		MaxAttempts int    `json:"max_attempts,omitempty" minimum:"0" doc:"Attempts before the job is parked dead"`
	}
}

func (s *server) enqueueTestJob(ctx context.Context, in *testJobInput) (*jobOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var payload jobs.TestPayload
	if b := in.Body; b != nil {
		payload = jobs.TestPayload{FailTimes: b.FailTimes, SleepMS: b.SleepMS, Marker: b.Marker, MaxAttempts: b.MaxAttempts}
	}
	id, err := s.cfg.Jobs.EnqueueTest(ctx, p, payload)
	if err != nil {
		return nil, err
	}
	return s.getJob(ctx, &jobID{ID: id})
}
