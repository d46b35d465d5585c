package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

func testJobs(t *testing.T, open Opener) {
	t.Run("enqueue lease complete", func(t *testing.T) { testJobLifecycle(t, open(t)) })
	t.Run("invalid enqueue", func(t *testing.T) { testJobInvalid(t, open(t)) })
	t.Run("future run_at waits", func(t *testing.T) { testJobRunAt(t, open(t)) })
	t.Run("expired lease", func(t *testing.T) { testJobExpiredLease(t, open(t)) })
	t.Run("fail retry dead", func(t *testing.T) { testJobFail(t, open(t)) })
	t.Run("retry by hand", func(t *testing.T) { testJobRetry(t, open(t)) })
	t.Run("list and count", func(t *testing.T) { testJobList(t, open(t)) })
	t.Run("same transaction", func(t *testing.T) { testJobInTx(t, open(t)) })
	t.Run("concurrent leasers", func(t *testing.T) { testJobConcurrentLease(t, open(t)) })
	t.Run("release gives the attempt back", func(t *testing.T) { testJobRelease(t, open(t)) })
	t.Run("delete finished", func(t *testing.T) { testJobDeleteFinished(t, open(t)) })
	t.Run("claim once", func(t *testing.T) { testJobOnce(t, open(t)) })
}

// wantCode fails t unless err carries code.
func wantCode(t *testing.T, what string, err error, code heed.Code) {
	t.Helper()
	if got := heed.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q); want code %q", what, err, got, code)
	}
}

// mustJob enqueues a job or fails t.
func mustJob(t *testing.T, q heed.Queries, j heed.NewJob, now time.Time) int64 {
	t.Helper()
	id, err := q.EnqueueJob(t.Context(), j, now)
	if err != nil {
		t.Fatalf("EnqueueJob(%+v): %v", j, err)
	}
	return id
}

// mustGetJob reads a job or fails t.
func mustGetJob(t *testing.T, s heed.Store, id int64) heed.Job {
	t.Helper()
	j, err := s.GetJob(t.Context(), id)
	if err != nil {
		t.Fatalf("GetJob(%d): %v", id, err)
	}
	return j
}

// mustLease leases or fails t.
func mustLease(t *testing.T, s heed.Store, worker string, n int, now time.Time, lease time.Duration) []heed.Job {
	t.Helper()
	jobs, err := s.LeaseJobs(t.Context(), worker, n, now, lease)
	if err != nil {
		t.Fatalf("LeaseJobs(%s): %v", worker, err)
	}
	return jobs
}

func jobIDs(jobs []heed.Job) []int64 {
	ids := make([]int64, len(jobs))
	for i, j := range jobs {
		ids[i] = j.ID
	}
	return ids
}

func samePayload(t *testing.T, got json.RawMessage, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("payload %s is not JSON: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad wanted payload %s: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("payload = %s; want %s", got, want)
	}
}

func testJobLifecycle(t *testing.T, s heed.Store) {
	ctx := t.Context()
	// A nanosecond part shows times come back truncated to microseconds.
	now := T0.Add(789 * time.Nanosecond)
	id := mustJob(t, s, heed.NewJob{Kind: "test.echo", Payload: json.RawMessage(`{"to": "a@b.example", "n": 2}`)}, now)
	bare := mustJob(t, s, heed.NewJob{Kind: "test.bare", RunAt: T0.Add(time.Hour)}, now)

	j := mustGetJob(t, s, id)
	if j.Kind != "test.echo" || j.State != heed.JobQueued || j.Attempts != 0 ||
		j.MaxAttempts != heed.DefaultMaxAttempts || !j.RunAt.Equal(T0) || j.RunAt.Location() != time.UTC ||
		!j.CreatedAt.Equal(T0) || j.LeasedUntil != nil || j.FinishedAt != nil || j.LeasedBy != "" {
		t.Fatalf("new job = %+v; want queued, 0 attempts, default max, run_at = created_at = T0 (UTC, µs)", j)
	}
	samePayload(t, j.Payload, `{"n": 2, "to": "a@b.example"}`)
	samePayload(t, mustGetJob(t, s, bare).Payload, `{}`)

	lease := 5 * time.Minute
	got := mustLease(t, s, "w1", 10, T0, lease)
	if len(got) != 1 || got[0].ID != id {
		t.Fatalf("lease = %v; want only job %d (the other runs in an hour)", jobIDs(got), id)
	}
	l := got[0]
	if l.State != heed.JobRunning || l.Attempts != 1 || l.LeasedBy != "w1" ||
		l.LeasedUntil == nil || !l.LeasedUntil.Equal(T0.Add(lease)) {
		t.Fatalf("leased job = %+v; want running, attempt 1, by w1 until T0+5m", l)
	}
	samePayload(t, l.Payload, `{"n": 2, "to": "a@b.example"}`)
	if again := mustLease(t, s, "w2", 10, T0.Add(time.Minute), lease); len(again) != 0 {
		t.Fatalf("second lease while held = %v; want none", jobIDs(again))
	}

	done := T0.Add(2 * time.Second)
	wantCode(t, "CompleteJob by a worker that does not hold it", s.CompleteJob(ctx, id, "w2", done), heed.EConflict)
	if err := s.CompleteJob(ctx, id, "w1", done); err != nil {
		t.Fatalf("CompleteJob: %v", err)
	}
	j = mustGetJob(t, s, id)
	if j.State != heed.JobDone || j.FinishedAt == nil || !j.FinishedAt.Equal(done) || j.LeasedUntil != nil ||
		!j.UpdatedAt.Equal(done) || j.Attempts != 1 {
		t.Fatalf("completed job = %+v; want done at T0+2s, 1 attempt, no lease", j)
	}
	wantCode(t, "CompleteJob twice", s.CompleteJob(ctx, id, "w1", done), heed.EConflict)
	wantCode(t, "CompleteJob of a missing job", s.CompleteJob(ctx, 999999, "w1", done), heed.ENotFound)
	_, err := s.GetJob(ctx, 999999)
	wantCode(t, "GetJob of a missing job", err, heed.ENotFound)
}

func testJobInvalid(t *testing.T, s heed.Store) {
	ctx := t.Context()
	_, err := s.EnqueueJob(ctx, heed.NewJob{Kind: ""}, T0)
	wantCode(t, "EnqueueJob without kind", err, heed.EInvalid)
	_, err = s.EnqueueJob(ctx, heed.NewJob{Kind: "x", Payload: json.RawMessage(`{"a":`)}, T0)
	wantCode(t, "EnqueueJob with broken JSON", err, heed.EInvalid)
	_, err = s.EnqueueJob(ctx, heed.NewJob{Kind: "x", MaxAttempts: -1}, T0)
	wantCode(t, "EnqueueJob with negative max attempts", err, heed.EInvalid)
	// Text PostgreSQL cannot store is refused on both engines alike.
	for _, j := range []heed.NewJob{
		{Kind: "x\x00"}, {Kind: "x\xff"}, {Kind: "x", Key: "k\x00"}, {Kind: "x", Key: "k\xff"},
		{Kind: "x", Payload: json.RawMessage("{\"a\":\"\xff\"}")},
		{Kind: "x", Payload: json.RawMessage(`{"note":"a\u0000b"}`)},
	} {
		_, err = s.EnqueueJob(ctx, j, T0)
		wantCode(t, fmt.Sprintf("EnqueueJob(%q, key %q, payload %q)", j.Kind, j.Key, j.Payload), err, heed.EInvalid)
	}
	// An escaped backslash before "u0000" is no NUL: stored as given.
	if _, err := s.EnqueueJob(ctx, heed.NewJob{Kind: "x", Payload: json.RawMessage(`{"path":"c:\\u0000"}`)}, T0); err != nil {
		t.Fatalf(`EnqueueJob with "c:\\u0000" (a backslash, then u0000): %v`, err)
	}
	if c, err := s.CountJobs(ctx); err != nil || c[heed.JobQueued] != 1 {
		t.Fatalf("after rejected enqueues CountJobs = %v, %v; want only the backslash one queued", c, err)
	}
}

func testJobRunAt(t *testing.T, s heed.Store) {
	later := mustJob(t, s, heed.NewJob{Kind: "k", RunAt: T0.Add(10 * time.Minute)}, T0)
	first := mustJob(t, s, heed.NewJob{Kind: "k"}, T0)
	second := mustJob(t, s, heed.NewJob{Kind: "k", RunAt: T0.Add(time.Second)}, T0)

	// Leases last a day so nothing here comes back through expiry.
	const lease = 24 * time.Hour
	got := mustLease(t, s, "w", 1, T0.Add(time.Minute), lease)
	if !reflect.DeepEqual(jobIDs(got), []int64{first}) {
		t.Fatalf("lease 1 = %v; want the earliest run_at %d", jobIDs(got), first)
	}
	got = mustLease(t, s, "w", 10, T0.Add(time.Minute), lease)
	if !reflect.DeepEqual(jobIDs(got), []int64{second}) {
		t.Fatalf("lease at T0+1m = %v; want %d only (%d runs at T0+10m)", jobIDs(got), second, later)
	}
	got = mustLease(t, s, "w", 10, T0.Add(10*time.Minute), lease)
	if !reflect.DeepEqual(jobIDs(got), []int64{later}) {
		t.Fatalf("lease at T0+10m = %v; want %d", jobIDs(got), later)
	}
	if got := mustLease(t, s, "w", 0, T0.Add(time.Hour), lease); len(got) != 0 {
		t.Fatalf("lease of 0 jobs = %v; want none", jobIDs(got))
	}
}

func testJobExpiredLease(t *testing.T, s heed.Store) {
	ctx := t.Context()
	id := mustJob(t, s, heed.NewJob{Kind: "k"}, T0)
	mustLease(t, s, "w1", 1, T0, time.Minute)
	if got := mustLease(t, s, "w2", 1, T0.Add(30*time.Second), time.Minute); len(got) != 0 {
		t.Fatalf("lease before expiry = %v; want none", jobIDs(got))
	}
	// w1 died: its lease ran out, w2 takes the job over.
	got := mustLease(t, s, "w2", 1, T0.Add(2*time.Minute), time.Minute)
	if len(got) != 1 || got[0].ID != id || got[0].Attempts != 2 || got[0].LeasedBy != "w2" {
		t.Fatalf("lease after expiry = %+v; want job %d, attempt 2, by w2", got, id)
	}
	now := T0.Add(150 * time.Second)
	wantCode(t, "CompleteJob by the worker that lost its lease", s.CompleteJob(ctx, id, "w1", now), heed.EConflict)
	wantCode(t, "FailJob by the worker that lost its lease",
		s.FailJob(ctx, id, "w1", "late", now, false, now), heed.EConflict)
	if err := s.CompleteJob(ctx, id, "w2", now); err != nil {
		t.Fatalf("CompleteJob by the new holder: %v", err)
	}
	if j := mustGetJob(t, s, id); j.State != heed.JobDone || j.LastError != "" {
		t.Fatalf("job = %+v; want done with no error (w1's late failure was refused)", j)
	}
}

func testJobFail(t *testing.T, s heed.Store) {
	ctx := t.Context()
	id := mustJob(t, s, heed.NewJob{Kind: "k", MaxAttempts: 2}, T0)
	mustLease(t, s, "w1", 1, T0, time.Minute)
	retryAt := T0.Add(time.Minute)
	if err := s.FailJob(ctx, id, "w1", "smtp: connection refused", retryAt, false, T0.Add(time.Second)); err != nil {
		t.Fatalf("FailJob: %v", err)
	}
	j := mustGetJob(t, s, id)
	if j.State != heed.JobQueued || !j.RunAt.Equal(retryAt) || j.LastError != "smtp: connection refused" ||
		j.LeasedUntil != nil || j.Attempts != 1 || j.FinishedAt != nil {
		t.Fatalf("failed job = %+v; want queued again at T0+1m with the error, 1 attempt", j)
	}
	if got := mustLease(t, s, "w2", 1, T0.Add(30*time.Second), time.Minute); len(got) != 0 {
		t.Fatalf("lease before retry time = %v; want none", jobIDs(got))
	}
	got := mustLease(t, s, "w2", 1, retryAt, time.Minute)
	if len(got) != 1 || got[0].Attempts != 2 {
		t.Fatalf("lease at retry time = %+v; want the job at attempt 2", got)
	}
	deadAt := retryAt.Add(time.Second)
	if err := s.FailJob(ctx, id, "w2", "still refused", deadAt.Add(time.Hour), true, deadAt); err != nil {
		t.Fatalf("FailJob dead: %v", err)
	}
	j = mustGetJob(t, s, id)
	if j.State != heed.JobDead || j.LastError != "still refused" || j.FinishedAt == nil ||
		!j.FinishedAt.Equal(deadAt) || j.Attempts != 2 {
		t.Fatalf("dead job = %+v; want dead at retry+1s with the last error", j)
	}
	if got := mustLease(t, s, "w3", 10, T0.Add(48*time.Hour), time.Minute); len(got) != 0 {
		t.Fatalf("lease of a dead job = %v; want none", jobIDs(got))
	}
}

func testJobRetry(t *testing.T, s heed.Store) {
	ctx := t.Context()
	dead := mustJob(t, s, heed.NewJob{Kind: "k", MaxAttempts: 1}, T0)
	mustLease(t, s, "w", 1, T0, time.Minute)
	if err := s.FailJob(ctx, dead, "w", "boom", T0, true, T0); err != nil {
		t.Fatalf("FailJob: %v", err)
	}
	now := T0.Add(time.Hour)
	if err := s.RetryJob(ctx, dead, now); err != nil {
		t.Fatalf("RetryJob of a dead job: %v", err)
	}
	j := mustGetJob(t, s, dead)
	if j.State != heed.JobQueued || j.Attempts != 0 || !j.RunAt.Equal(now) || j.FinishedAt != nil {
		t.Fatalf("retried job = %+v; want queued now with 0 attempts", j)
	}
	got := mustLease(t, s, "w", 1, now, time.Minute)
	if len(got) != 1 || got[0].ID != dead || got[0].Attempts != 1 {
		t.Fatalf("lease after retry = %+v; want the job at attempt 1", got)
	}
	wantCode(t, "RetryJob of a running job", s.RetryJob(ctx, dead, now), heed.EConflict)
	if err := s.CompleteJob(ctx, dead, "w", now); err != nil {
		t.Fatalf("CompleteJob: %v", err)
	}
	wantCode(t, "RetryJob of a done job", s.RetryJob(ctx, dead, now), heed.EConflict)
	wantCode(t, "RetryJob of a missing job", s.RetryJob(ctx, 999999, now), heed.ENotFound)

	queued := mustJob(t, s, heed.NewJob{Kind: "k", RunAt: now.Add(24 * time.Hour)}, now)
	if err := s.RetryJob(ctx, queued, now); err != nil {
		t.Fatalf("RetryJob of a queued job: %v", err)
	}
	if j := mustGetJob(t, s, queued); !j.RunAt.Equal(now) {
		t.Fatalf("retried queued job runs at %v; want now %v", j.RunAt, now)
	}
}

func testJobList(t *testing.T, s heed.Store) {
	ctx := t.Context()
	var as, bs []int64
	for i := range 5 {
		as = append(as, mustJob(t, s, heed.NewJob{Kind: "a", Payload: json.RawMessage(fmt.Sprintf(`{"i":%d}`, i))}, T0))
		if i < 3 {
			bs = append(bs, mustJob(t, s, heed.NewJob{Kind: "b"}, T0))
		}
	}
	// Lease everything, then finish: a[0] done, b[0] dead, the rest failed back to queued.
	leased := mustLease(t, s, "w", 100, T0, time.Minute)
	if len(leased) != 8 {
		t.Fatalf("leased %d jobs; want 8", len(leased))
	}
	if err := s.CompleteJob(ctx, as[0], "w", T0); err != nil {
		t.Fatal(err)
	}
	if err := s.FailJob(ctx, bs[0], "w", "bad", T0, true, T0); err != nil {
		t.Fatal(err)
	}
	running := as[1] // stays running
	for _, id := range append(append([]int64{}, as[2:]...), bs[1:]...) {
		if err := s.FailJob(ctx, id, "w", "again", T0.Add(time.Hour), false, T0); err != nil {
			t.Fatal(err)
		}
	}

	list := func(f heed.JobFilter) []int64 {
		t.Helper()
		jobs, err := s.ListJobs(ctx, f)
		if err != nil {
			t.Fatalf("ListJobs(%+v): %v", f, err)
		}
		return jobIDs(jobs)
	}
	reversed := func(ids ...int64) []int64 {
		out := make([]int64, len(ids))
		for i, id := range ids {
			out[len(ids)-1-i] = id
		}
		return out
	}
	checks := []struct {
		f    heed.JobFilter
		want []int64
	}{
		{heed.JobFilter{Kind: "a"}, reversed(as...)},
		{heed.JobFilter{Kind: "b"}, reversed(bs...)},
		{heed.JobFilter{State: heed.JobDone}, []int64{as[0]}},
		{heed.JobFilter{State: heed.JobDead, Kind: "b"}, []int64{bs[0]}},
		{heed.JobFilter{State: heed.JobDead, Kind: "a"}, nil},
		{heed.JobFilter{State: heed.JobRunning}, []int64{running}},
		{heed.JobFilter{State: heed.JobQueued, Kind: "a"}, reversed(as[2:]...)},
		{heed.JobFilter{Kind: "a", BeforeID: as[3]}, reversed(as[:3]...)},
	}
	for _, c := range checks {
		if got := list(c.f); !reflect.DeepEqual(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("ListJobs(%+v) = %v; want %v", c.f, got, c.want)
		}
	}

	// Paging newest first with BeforeID visits every job once.
	var paged []int64
	before := int64(0)
	for range 10 {
		page := list(heed.JobFilter{Limit: 3, BeforeID: before})
		if len(page) == 0 {
			break
		}
		if len(page) > 3 {
			t.Fatalf("page of %d jobs; want at most 3", len(page))
		}
		paged = append(paged, page...)
		before = page[len(page)-1]
	}
	all := list(heed.JobFilter{})
	if len(all) != 8 || !reflect.DeepEqual(paged, all) {
		t.Fatalf("paged = %v; unpaged = %v; want the same 8 jobs newest first", paged, all)
	}

	counts, err := s.CountJobs(ctx)
	if err != nil {
		t.Fatalf("CountJobs: %v", err)
	}
	want := heed.JobCounts{heed.JobQueued: 5, heed.JobRunning: 1, heed.JobDone: 1, heed.JobDead: 1}
	if !reflect.DeepEqual(counts, want) {
		t.Fatalf("CountJobs = %v; want %v", counts, want)
	}
}

func testJobInTx(t *testing.T, s heed.Store) {
	ctx := t.Context()
	errRollback := errors.New("the change failed")
	var lost int64
	err := s.InTx(ctx, func(q heed.Queries) error {
		lost = mustJob(t, q, heed.NewJob{Kind: "k"}, T0)
		// Inside the transaction the job is visible to its own reads.
		if _, err := q.GetJob(ctx, lost); err != nil {
			t.Errorf("GetJob inside InTx: %v", err)
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("InTx = %v; want fn's error", err)
	}
	_, err = s.GetJob(ctx, lost)
	wantCode(t, "GetJob of a job enqueued in a rolled-back transaction", err, heed.ENotFound)
	if got := mustLease(t, s, "w", 10, T0.Add(time.Hour), time.Minute); len(got) != 0 {
		t.Fatalf("lease after rollback = %v; want none", jobIDs(got))
	}

	var kept int64
	if err := s.InTx(ctx, func(q heed.Queries) error {
		kept = mustJob(t, q, heed.NewJob{Kind: "k"}, T0)
		return nil
	}); err != nil {
		t.Fatalf("InTx: %v", err)
	}
	if j := mustGetJob(t, s, kept); j.State != heed.JobQueued {
		t.Fatalf("committed job = %+v; want queued", j)
	}
}

func testJobConcurrentLease(t *testing.T, s heed.Store) {
	const jobs, workers = 60, 6
	if err := s.InTx(t.Context(), func(q heed.Queries) error {
		for range jobs {
			mustJob(t, q, heed.NewJob{Kind: "k"}, T0)
		}
		return nil
	}); err != nil {
		t.Fatalf("InTx: %v", err)
	}
	var mu sync.Mutex
	seen := map[int64]string{}
	var wg sync.WaitGroup
	for w := range workers {
		worker := fmt.Sprintf("w%d", w)
		wg.Go(func() {
			for {
				got, err := s.LeaseJobs(t.Context(), worker, 4, T0, time.Hour)
				if err != nil {
					t.Errorf("LeaseJobs(%s): %v", worker, err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, j := range got {
					if prev, dup := seen[j.ID]; dup {
						t.Errorf("job %d leased by %s and %s", j.ID, prev, worker)
					}
					seen[j.ID] = worker
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != jobs {
		t.Fatalf("%d jobs leased; want all %d", len(seen), jobs)
	}
}

// testJobOnce: of many claims of one key, also racing in transactions
// on their own connections, exactly one wins; a rolled-back claim does
// not count.
func testJobOnce(t *testing.T, s heed.Store) {
	ctx := t.Context()
	claim := func(q heed.Queries, key string) bool {
		t.Helper()
		ok, err := q.ClaimOnce(ctx, key, T0)
		if err != nil {
			t.Fatalf("ClaimOnce(%q): %v", key, err)
		}
		return ok
	}
	if !claim(s, "digest/2026-03-01") || claim(s, "digest/2026-03-01") {
		t.Fatal("ClaimOnce twice: want true, then false")
	}
	if !claim(s, "digest/2026-03-02") {
		t.Fatal("ClaimOnce of another key: want true")
	}
	errUndo := errors.New("undo")
	err := s.InTx(ctx, func(q heed.Queries) error {
		if !claim(q, "digest/2026-03-03") {
			t.Error("ClaimOnce of a new key in a transaction: want true")
		}
		return errUndo
	})
	if !errors.Is(err, errUndo) {
		t.Fatalf("InTx = %v", err)
	}
	if !claim(s, "digest/2026-03-03") {
		t.Fatal("ClaimOnce after a rolled-back claim: want true")
	}
	for _, key := range []string{"", strings.Repeat("k", 201), "a\x00b"} {
		_, err := s.ClaimOnce(ctx, key, T0)
		wantErr(t, fmt.Sprintf("ClaimOnce(%q)", key), err, heed.EInvalid, "key")
	}

	const racers = 8
	var won atomic.Int32
	var wg sync.WaitGroup
	for range racers {
		wg.Go(func() {
			err := s.InTx(ctx, func(q heed.Queries) error {
				ok, err := q.ClaimOnce(ctx, "digest/race", T0)
				if ok {
					won.Add(1)
				}
				return err
			})
			if err != nil {
				t.Errorf("InTx(ClaimOnce): %v", err)
			}
		})
	}
	wg.Wait()
	if n := won.Load(); n != 1 {
		t.Fatalf("%d of %d racing claims won; want exactly 1", n, racers)
	}
}

func testJobRelease(t *testing.T, s heed.Store) {
	ctx := t.Context()
	id := mustJob(t, s, heed.NewJob{Kind: "k", MaxAttempts: 2}, T0)
	mustLease(t, s, "w1", 1, T0, time.Minute)
	if err := s.FailJob(ctx, id, "w1", "first try failed", T0, false, T0); err != nil {
		t.Fatalf("FailJob: %v", err)
	}
	// The last attempt: its worker shuts down and hands the job back.
	if got := mustLease(t, s, "w2", 1, T0, time.Minute); len(got) != 1 || got[0].Attempts != 2 {
		t.Fatalf("lease = %+v; want the job at attempt 2 of 2", got)
	}
	now := T0.Add(10 * time.Second)
	wantCode(t, "ReleaseJob by a worker that does not hold it", s.ReleaseJob(ctx, id, "w1", now), heed.EConflict)
	if err := s.ReleaseJob(ctx, id, "w2", now); err != nil {
		t.Fatalf("ReleaseJob: %v", err)
	}
	j := mustGetJob(t, s, id)
	if j.State != heed.JobQueued || j.Attempts != 1 || !j.RunAt.Equal(now) || j.LeasedUntil != nil ||
		j.FinishedAt != nil || j.LastError != "first try failed" || !j.UpdatedAt.Equal(now) {
		t.Fatalf("released job = %+v; want queued at T0+10s, back to 1 attempt, earlier error kept", j)
	}
	wantCode(t, "ReleaseJob of a queued job", s.ReleaseJob(ctx, id, "w2", now), heed.EConflict)
	wantCode(t, "ReleaseJob of a missing job", s.ReleaseJob(ctx, 999999, "w2", now), heed.ENotFound)
	got := mustLease(t, s, "w3", 1, now, time.Minute)
	if len(got) != 1 || got[0].ID != id || got[0].Attempts != 2 {
		t.Fatalf("lease after release = %+v; want the job again at attempt 2, still within its 2", got)
	}
}

func testJobDeleteFinished(t *testing.T, s heed.Store) {
	ctx := t.Context()
	cutoff := T0.Add(time.Hour)
	finish := func(at time.Time, dead bool) int64 {
		t.Helper()
		id := mustJob(t, s, heed.NewJob{Kind: "k", MaxAttempts: 1}, at)
		if got := mustLease(t, s, "w", 1, at, time.Minute); len(got) != 1 || got[0].ID != id {
			t.Fatalf("lease = %v; want job %d", jobIDs(got), id)
		}
		var err error
		if dead {
			err = s.FailJob(ctx, id, "w", "boom", at, true, at)
		} else {
			err = s.CompleteJob(ctx, id, "w", at)
		}
		if err != nil {
			t.Fatalf("finish job %d: %v", id, err)
		}
		return id
	}
	old := []int64{finish(T0, false), finish(T0.Add(time.Minute), false), finish(T0.Add(59*time.Minute), false)}
	keep := []int64{
		finish(cutoff, false),                // finished at the cutoff, not before it
		finish(cutoff.Add(time.Hour), false), // recent
		finish(T0, true),                     // dead: an operator may want it
		mustJob(t, s, heed.NewJob{Kind: "k", RunAt: cutoff.Add(24 * time.Hour)}, T0), // queued
	}

	if n, err := s.DeleteFinishedJobs(ctx, cutoff, 0); err != nil || n != 0 {
		t.Fatalf("DeleteFinishedJobs(limit 0) = %d, %v; want 0, nil", n, err)
	}
	var batches []int
	for range 5 {
		n, err := s.DeleteFinishedJobs(ctx, cutoff, 2)
		if err != nil {
			t.Fatalf("DeleteFinishedJobs: %v", err)
		}
		batches = append(batches, n)
		if n < 2 {
			break
		}
	}
	if !reflect.DeepEqual(batches, []int{2, 1}) {
		t.Fatalf("batches deleted %v; want [2 1] (3 old done jobs, at most 2 at a time)", batches)
	}
	for _, id := range old {
		_, err := s.GetJob(ctx, id)
		wantCode(t, "GetJob of a deleted job", err, heed.ENotFound)
	}
	for _, id := range keep {
		mustGetJob(t, s, id)
	}
	want := heed.JobCounts{heed.JobQueued: 1, heed.JobRunning: 0, heed.JobDone: 2, heed.JobDead: 1}
	if c, err := s.CountJobs(ctx); err != nil || !reflect.DeepEqual(c, want) {
		t.Fatalf("CountJobs = %v, %v; want %v", c, err, want)
	}
}

// testJobKeys: a job with a key merges into a queued one of the same kind
// and key, taking the earlier run time; once that one is leased, the next
// is queued anew. Jobs without a key never merge.
// testJobKeys: a keyed job merges into a queued job of the same kind,
// key and payload that has not been tried yet, which then runs at the
// earlier of the two times; anything else queues a job of its own.
func testJobKeys(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	enqueue := func(what string, j heed.NewJob) int64 {
		t.Helper()
		id, err := s.EnqueueJob(ctx, j, T0)
		if err != nil {
			t.Fatalf("%s: EnqueueJob: %v", what, err)
		}
		return id
	}
	runAt := func(id int64) time.Time { return mustGetJob(t, s, id).RunAt }
	payload := json.RawMessage(`{"webhook": 1}`)

	// Later, then earlier: the earlier time wins.
	a := enqueue("first", heed.NewJob{Kind: "k", Key: "w:1", Payload: payload, RunAt: T0.Add(time.Hour)})
	if b := enqueue("earlier", heed.NewJob{Kind: "k", Key: "w:1", Payload: payload}); b != a {
		t.Errorf("an earlier job of the same kind, key and payload = %d; want merged into %d", b, a)
	}
	if got := runAt(a); !got.Equal(T0) {
		t.Errorf("after an earlier merge the job runs at %v; want %v", got, T0)
	}
	// Earlier, then later: the earlier time stays. The payload is the
	// same once compacted.
	if b := enqueue("later", heed.NewJob{Kind: "k", Key: "w:1", Payload: json.RawMessage(`{"webhook":1}`),
		RunAt: T0.Add(2 * time.Hour)}); b != a {
		t.Errorf("a later job of the same kind, key and payload = %d; want merged into %d", b, a)
	}
	if got := runAt(a); !got.Equal(T0) {
		t.Errorf("after a later merge the job runs at %v; want still %v", got, T0)
	}

	// Anything else is a job of its own.
	others := map[string]heed.NewJob{
		"another key":       {Kind: "k", Key: "w:2", Payload: payload},
		"another kind":      {Kind: "k2", Key: "w:1", Payload: payload},
		"another payload":   {Kind: "k", Key: "w:1", Payload: json.RawMessage(`{"webhook":2}`)},
		"no payload":        {Kind: "k", Key: "w:1"},
		"no key":            {Kind: "k", Payload: payload},
		"no key, once more": {Kind: "k", Payload: payload},
	}
	ids := map[int64]string{a: "first"}
	for what, j := range others {
		id := enqueue(what, j)
		if prev, ok := ids[id]; ok {
			t.Errorf("%s: merged into %q (%d); want a job of its own", what, prev, id)
		}
		ids[id] = what
	}

	// A job that failed waits out its backoff: a new job is not merged
	// into it (it would wait too, or cut the backoff short).
	leased := mustLease(t, s, "w", 100, T0, time.Minute)
	if len(leased) != len(ids) {
		t.Fatalf("leased %d jobs; want all %d", len(leased), len(ids))
	}
	retryAt := T0.Add(time.Hour)
	if err := s.FailJob(ctx, a, "w", "boom", retryAt, false, T0); err != nil {
		t.Fatalf("FailJob: %v", err)
	}
	c := enqueue("after a failure", heed.NewJob{Kind: "k", Key: "w:1", Payload: payload})
	if c == a {
		t.Errorf("a keyed job merged into a failed one waiting to be retried")
	}
	if j := mustGetJob(t, s, a); !j.RunAt.Equal(retryAt) || j.Attempts != 1 {
		t.Errorf("the failed job runs at %v after %d attempts; want %v after 1", j.RunAt, j.Attempts, retryAt)
	}
	// A running job takes no merge either; the new job merges into the
	// one queued after the failure.
	if d := enqueue("while another runs", heed.NewJob{Kind: "k", Key: "w:2", Payload: payload}); d == c || ids[d] != "" {
		t.Errorf("a keyed job merged into a running or another job (%d)", d)
	}
	if d := enqueue("again after a failure", heed.NewJob{Kind: "k", Key: "w:1", Payload: payload}); d != c {
		t.Errorf("a keyed job = %d; want merged into %d, queued after the failure", d, c)
	}

	if s.Engine() == "sqlite" {
		return // one writer at a time: no transaction can hold a job while another merges
	}
	testJobKeyHeld(t, s)
}

// testJobKeyHeld: a keyed job whose match another open transaction holds
// (it merged into it and has not committed) neither waits for that
// transaction nor fails: it queues a job of its own.
func testJobKeyHeld(t *testing.T, s heed.Store) {
	ctx := t.Context()
	j := heed.NewJob{Kind: "held", Key: "w:9", Payload: json.RawMessage(`{"webhook":9}`)}
	first := mustJob(t, s, j, T0)
	held, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	var holdErr error
	wg.Go(func() {
		holdErr = s.InTx(ctx, func(q heed.Queries) error {
			id, err := q.EnqueueJob(ctx, j, T0)
			if err == nil && id != first {
				err = fmt.Errorf("merged into %d; want %d", id, first)
			}
			close(held)
			<-release
			return err
		})
	})
	<-held
	type result struct {
		id  int64
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		r.err = s.InTx(ctx, func(q heed.Queries) error {
			var err error
			r.id, err = q.EnqueueJob(ctx, j, T0)
			return err
		})
		done <- r
	}()
	select {
	case r := <-done:
		if r.err != nil || r.id == first {
			t.Errorf("enqueue while another transaction holds the job = %d, %v; want a job of its own", r.id, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("enqueue waited for the transaction holding the job")
	}
	close(release)
	wg.Wait()
	if holdErr != nil {
		t.Errorf("the holding transaction: %v", holdErr)
	}
}
