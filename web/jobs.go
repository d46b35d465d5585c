package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

// recentJobs is how many jobs the jobs page lists.
const recentJobs = 50

// jobsBody is the content of jobs.html.
type jobsBody struct {
	Counts []stateCount
	Total  int
	State  heed.JobState // the filter in force; "" for all
	Jobs   []heed.Job
	Notice string
}

// stateCount is one tile of the counts row.
type stateCount struct {
	State  heed.JobState
	Count  int
	Active bool
}

// jobList shows the queue to admins: counts per state and recent jobs,
// optionally of one state (?state=dead).
func (s *server) jobList(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	state := heed.JobState(r.URL.Query().Get("state"))
	counts, err := s.jobs.Counts(ctx, v.P)
	if err != nil {
		return err
	}
	list, err := s.jobs.List(ctx, v.P, heed.JobFilter{State: state, Limit: recentJobs})
	if err != nil {
		return err
	}
	body := jobsBody{State: state, Jobs: list, Notice: jobNotice(r)}
	for _, st := range []heed.JobState{heed.JobQueued, heed.JobRunning, heed.JobDone, heed.JobDead} {
		body.Counts = append(body.Counts, stateCount{State: st, Count: counts[st], Active: st == state})
		body.Total += counts[st]
	}
	return s.render(w, r, http.StatusOK, "jobs", view{Title: "Jobs", Section: "jobs", Body: body})
}

// jobNotice is the confirmation shown after a button was pressed; it is
// built from known words only, never echoed from the query.
func jobNotice(r *http.Request) string {
	id, err := strconv.ParseInt(r.URL.Query().Get("id"), 10, 64)
	if err != nil {
		return ""
	}
	switch r.URL.Query().Get("done") {
	case "enqueued":
		return fmt.Sprintf("Test job %d was enqueued.", id)
	case "retried":
		return fmt.Sprintf("Job %d is queued to run again.", id)
	}
	return ""
}

// jobEnqueueTest enqueues the built-in test job. With fail=1 it fails
// every attempt and ends dead, so the Retry button can be tried too.
func (s *server) jobEnqueueTest(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	payload := jobs.TestPayload{Marker: "web:" + v.Email}
	if r.PostFormValue("fail") == "1" {
		payload.FailTimes, payload.MaxAttempts = 3, 3
	}
	id, err := s.jobs.EnqueueTest(r.Context(), v.P, payload)
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/jobs?done=enqueued&id=%d", id), http.StatusSeeOther)
	return nil
}

// jobRetry puts a dead job back in the queue.
func (s *server) jobRetry(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return heed.Errorf(heed.ENotFound, "no job %q", r.PathValue("id"))
	}
	if err := s.jobs.Retry(r.Context(), v.P, id); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/jobs?done=retried&id=%d", id), http.StatusSeeOther)
	return nil
}
