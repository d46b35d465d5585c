package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

// jobsCmd groups the commands that look at and steer the job queue.
type jobsCmd struct {
	DBFlag
	List        jobsListCmd        `cmd:"" help:"List jobs, newest first."`
	Retry       jobsRetryCmd       `cmd:"" help:"Run a dead or queued job now, with its attempts reset."`
	EnqueueTest jobsEnqueueTestCmd `cmd:"" name:"enqueue-test" help:"Enqueue test jobs, to see the workers, retries and dead jobs at work."`
}

type jobsListCmd struct {
	State string `name:"state" placeholder:"STATE" help:"Only jobs in this state: queued, running, done or dead."`
	Kind  string `name:"kind" help:"Only jobs of this kind, e.g. heed.test."`
	Limit int    `name:"limit" default:"50" help:"At most this many jobs (1 to 1000)."`
}

func (c *jobsListCmd) Run(ctx context.Context, a *app, j *jobsCmd) error {
	if c.Limit < 1 || c.Limit > 1000 {
		// The service reads 0 as "no limit"; the flag promises 1 to 1000.
		return heed.Errorf(heed.EInvalid, "--limit must be between 1 and 1000")
	}
	store, err := openStore(ctx, j.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	list, err := jobs.NewService(store, time.Now).List(ctx, heed.System(),
		heed.JobFilter{State: heed.JobState(c.State), Kind: c.Kind, Limit: c.Limit})
	if err != nil {
		return flagError(err, map[string]string{"state": "--state", "limit": "--limit"})
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATE\tATTEMPTS\tRUN AT\tLAST ERROR")
	for _, job := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d/%d\t%s\t%s\n", job.ID, job.Kind, job.State, job.Attempts, job.MaxAttempts,
			job.RunAt.Local().Format(time.DateTime), firstLine(job.LastError, 60))
	}
	return tw.Flush()
}

// firstLine shortens an error message to one table cell.
func firstLine(s string, n int) string {
	for i, r := range s {
		if r == '\n' || i >= n {
			return s[:i] + "…"
		}
	}
	return s
}

type jobsRetryCmd struct {
	ID int64 `arg:"" help:"The job's id (see heed jobs list --state dead)."`
}

func (c *jobsRetryCmd) Run(ctx context.Context, a *app, j *jobsCmd) error {
	store, err := openStore(ctx, j.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := jobs.NewService(store, time.Now).Retry(ctx, heed.System(), c.ID); err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.stdout, "job %d queued again\n", c.ID)
	return err
}

type jobsEnqueueTestCmd struct {
	Count       int    `name:"count" default:"1" help:"How many test jobs to enqueue."`
	FailTimes   int    `name:"fail-times" default:"0" help:"Each job fails this many attempts before it succeeds (0 to 100)."`
	MaxAttempts int    `name:"max-attempts" default:"0" help:"Attempts before a job is parked dead; 0 for the default (8). Fewer than --fail-times+1 makes it die."`
	Sleep       int    `name:"sleep-ms" default:"0" help:"Each attempt works this many milliseconds."`
	Marker      string `name:"marker" help:"Free text stored in the payload, to find the jobs again."`
}

// testJobFlags names the flags of the test job's payload fields.
func testJobFlags() map[string]string {
	return map[string]string{"fail_times": "--fail-times", "sleep_ms": "--sleep-ms", "max_attempts": "--max-attempts"}
}

func (c *jobsEnqueueTestCmd) Run(ctx context.Context, a *app, j *jobsCmd) error {
	if c.Count < 1 {
		return heed.Errorf(heed.EInvalid, "--count must be at least 1")
	}
	store, err := openStore(ctx, j.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	svc := jobs.NewService(store, time.Now)
	pl := jobs.TestPayload{FailTimes: c.FailTimes, SleepMS: c.Sleep, Marker: c.Marker, MaxAttempts: c.MaxAttempts}
	var first, last int64
	for i := range c.Count {
		id, err := svc.EnqueueTest(ctx, heed.System(), pl)
		if err != nil {
			return fmt.Errorf("enqueued %d of %d: %w", i, c.Count, flagError(err, testJobFlags()))
		}
		if i == 0 {
			first = id
		}
		last = id
	}
	if c.Count == 1 {
		_, err = fmt.Fprintf(a.stdout, "enqueued test job %d\n", first)
	} else {
		_, err = fmt.Fprintf(a.stdout, "enqueued %d test jobs (ids %d to %d)\n", c.Count, first, last)
	}
	return err
}
