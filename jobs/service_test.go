package jobs_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/jobs"
)

func TestServiceOnlyAdmins(t *testing.T) {
	s := testdb.SQLite(t)
	svc := jobs.NewService(s, newClock().Now)
	ctx := t.Context()
	admin := heed.Principal{Kind: heed.KindEmployee, Name: "root@x.example", Role: heed.RoleAdmin}
	id, err := svc.EnqueueTest(ctx, admin, jobs.TestPayload{Marker: "m"})
	if err != nil {
		t.Fatalf("EnqueueTest as admin: %v", err)
	}
	for _, role := range []heed.Role{heed.RoleFrontline, heed.RoleManager, heed.RoleAnalyst, ""} {
		p := heed.Principal{Kind: heed.KindToken, Name: "t", Role: role}
		calls := map[string]error{
			"List":        func() error { _, err := svc.List(ctx, p, heed.JobFilter{}); return err }(),
			"Get":         func() error { _, err := svc.Get(ctx, p, id); return err }(),
			"Counts":      func() error { _, err := svc.Counts(ctx, p); return err }(),
			"Retry":       svc.Retry(ctx, p, id),
			"EnqueueTest": func() error { _, err := svc.EnqueueTest(ctx, p, jobs.TestPayload{}); return err }(),
		}
		for name, err := range calls {
			if heed.ErrorCode(err) != heed.EForbidden {
				t.Errorf("%s as %q = %v; want forbidden", name, role, err)
			}
		}
	}
	if c, _ := s.CountJobs(ctx); c[heed.JobQueued] != 1 {
		t.Fatalf("queued jobs = %d; want only the admin's 1", c[heed.JobQueued])
	}
}

func TestServiceAdmin(t *testing.T) {
	s := testdb.SQLite(t)
	clk := newClock()
	svc := jobs.NewService(s, clk.Now)
	ctx := t.Context()
	admin := heed.System()

	id, err := svc.EnqueueTest(ctx, admin, jobs.TestPayload{FailTimes: 5, Marker: "hello", MaxAttempts: 1})
	if err != nil {
		t.Fatalf("EnqueueTest: %v", err)
	}
	j, err := svc.Get(ctx, admin, id)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	var pl jobs.TestPayload
	if err := json.Unmarshal(j.Payload, &pl); err != nil || pl.Marker != "hello" || pl.FailTimes != 5 ||
		j.Kind != jobs.TestKind || j.MaxAttempts != 1 || !j.RunAt.Equal(t0) {
		t.Fatalf("test job = %+v (payload %+v, %v); want heed.test, 1 attempt max, run now", j, pl, err)
	}

	// Run it once by hand: it fails and, with one attempt allowed, dies.
	p := jobs.NewPool(s, jobs.PoolConfig{Workers: 1, PollInterval: time.Millisecond, Now: clk.Now}, nil)
	jobs.RegisterTestJob(p)
	stop := start(t, p)
	jobIs(t, s, id, "dead", func(j heed.Job) bool { return j.State == heed.JobDead })
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	dead, err := svc.List(ctx, admin, heed.JobFilter{State: heed.JobDead})
	if err != nil || len(dead) != 1 || dead[0].ID != id {
		t.Fatalf("List dead = %v, %v; want the test job", dead, err)
	}
	clk.Advance(time.Hour)
	if err := svc.Retry(ctx, admin, id); err != nil {
		t.Fatalf("Retry: %v", err)
	}
	counts, err := svc.Counts(ctx, admin)
	if err != nil || counts[heed.JobQueued] != 1 || counts[heed.JobDead] != 0 {
		t.Fatalf("Counts after retry = %v, %v; want 1 queued, 0 dead", counts, err)
	}
	if err := svc.Retry(ctx, admin, 424242); heed.ErrorCode(err) != heed.ENotFound {
		t.Fatalf("Retry of a missing job = %v; want not found", err)
	}
	if list, err := svc.List(ctx, admin, heed.JobFilter{Kind: "nothing"}); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("empty List = %#v, %v; want an empty, non-nil list", list, err)
	}
}

func TestServiceRejectsBadInput(t *testing.T) {
	svc := jobs.NewService(testdb.SQLite(t), newClock().Now)
	ctx := t.Context()
	admin := heed.System()
	_, err := svc.List(ctx, admin, heed.JobFilter{State: "sleeping"})
	wantField(t, "List with a bad state", err, "state")
	_, err = svc.List(ctx, admin, heed.JobFilter{Limit: 5000})
	wantField(t, "List with a huge limit", err, "limit")
	for field, pl := range map[string]jobs.TestPayload{
		"fail_times":   {FailTimes: -1},
		"sleep_ms":     {SleepMS: 3_600_000},
		"max_attempts": {MaxAttempts: -2},
	} {
		_, err := svc.EnqueueTest(ctx, admin, pl)
		wantField(t, "EnqueueTest", err, field)
	}
}

func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	if heed.ErrorCode(err) != heed.EInvalid || heed.ErrorField(err) != field {
		t.Errorf("%s = %v; want invalid %s", what, err, field)
	}
}

// TestJobsHideSecrets: a payload's token (a survey link that answers in a
// customer's name) never leaves through the job list or a job's page.
func TestJobsHideSecrets(t *testing.T) {
	store := testdb.SQLite(t)
	ctx := t.Context()
	var id int64
	err := store.InTx(ctx, func(q heed.Queries) error {
		var err error
		id, err = jobs.Enqueue(ctx, q, "survey.email", map[string]any{"invitation": 7, "token": "s3cr3t-link"}, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	svc := jobs.NewService(store, time.Now)
	list, err := svc.List(ctx, heed.System(), heed.JobFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("List = %v, %v", list, err)
	}
	one, err := svc.Get(ctx, heed.System(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range []heed.Job{list[0], one} {
		if strings.Contains(string(j.Payload), "s3cr3t") || !strings.Contains(string(j.Payload), `"invitation":7`) {
			t.Errorf("payload shown = %s; want the token hidden and the rest kept", j.Payload)
		}
	}
}
