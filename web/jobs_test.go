package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

func TestJobsPage(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx, now := context.Background(), time.Now()
	// A job that failed its only attempt, parked dead, as a worker would.
	id, err := e.store.EnqueueJob(ctx, heed.NewJob{Kind: "example.fail", Payload: []byte(`{}`), MaxAttempts: 1}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.LeaseJobs(ctx, "test-worker", 10, now, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := e.store.FailJob(ctx, id, "test-worker", "mail server said no", now, true, now); err != nil {
		t.Fatal(err)
	}

	c := e.signedIn("admin@acme.test")
	p := e.get(c, "/jobs")
	wantStatus(t, p, http.StatusOK, "jobs")
	wantContains(t, p, "jobs", "example.fail", "mail server said no", fmt.Sprintf(`action="/jobs/%d/retry"`, id),
		`<span class="stat-value">1</span> <span class="stat-label">dead`, "Enqueue test job",
		`class="stat stat-dead stat-some"`) // red: there is a dead job

	p = e.post(c, fmt.Sprintf("/jobs/%d/retry", id), nil)
	wantStatus(t, p, http.StatusSeeOther, "retry")
	p = e.get(c, p.header.Get("Location"))
	wantContains(t, p, "jobs after retry", fmt.Sprintf("Job %d is queued to run again.", id),
		`<span class="stat-value">1</span> <span class="stat-label">queued`)
	wantNotContains(t, p, "jobs after retry", fmt.Sprintf(`action="/jobs/%d/retry"`, id))
	// No dead jobs: the zero is not shown in red.
	wantContains(t, p, "jobs after retry", `class="stat stat-dead">`)
	// Retrying a job that is not dead any more is refused politely.
	wantStatus(t, e.post(c, "/jobs/999999/retry", nil), http.StatusNotFound, "retry of a missing job")

	p = e.post(c, "/jobs/test", nil)
	wantStatus(t, p, http.StatusSeeOther, "enqueue test job")
	p = e.get(c, p.header.Get("Location"))
	wantContains(t, p, "jobs after enqueue", "Test job", "was enqueued", "heed.test",
		`<span class="stat-value">2</span> <span class="stat-label">queued`)

	p = e.get(c, "/jobs?state=dead")
	wantContains(t, p, "dead jobs", "No jobs in this state")
}

// TestJobsPageDoneJobErrorIsHistory checks that a job which failed once
// and then succeeded does not show its old error as a current problem.
func TestJobsPageDoneJobErrorIsHistory(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx, now := context.Background(), time.Now()
	id, err := e.store.EnqueueJob(ctx, heed.NewJob{Kind: "example.flaky", Payload: []byte(`{}`), MaxAttempts: 3}, now)
	if err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt <= 2; attempt++ {
		if _, err := e.store.LeaseJobs(ctx, "test-worker", 10, now, time.Minute); err != nil {
			t.Fatal(err)
		}
		if attempt == 1 {
			err = e.store.FailJob(ctx, id, "test-worker", "flaky failure once", now, false, now)
		} else {
			err = e.store.CompleteJob(ctx, id, "test-worker", now)
		}
		if err != nil {
			t.Fatalf("attempt %d: %v", attempt, err)
		}
	}
	p := e.get(e.signedIn("admin@acme.test"), "/jobs")
	wantContains(t, p, "done job", `<span class="muted">Earlier attempt: flaky failure once</span>`)
	wantNotContains(t, p, "done job", `<span class="error-text">flaky failure once`)
}

func TestJobsAdminsOnly(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.signedIn("nora@acme.test")
	wantStatus(t, e.get(c, "/jobs"), http.StatusForbidden, "jobs page for a manager")
	wantStatus(t, e.post(c, "/jobs/test", nil), http.StatusForbidden, "enqueue for a manager")
}
