package jobs_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/postgres"
	"github.com/heedhq/heed/sqlite"
)

// openTwice opens two independent stores on one database, as two `heed
// serve` processes would, and migrates it once.
func openTwice(t *testing.T, engine string) (heed.Store, heed.Store) {
	t.Helper()
	ctx := context.Background()
	var dsn string
	open := func() heed.Store {
		var s heed.Store
		var err error
		if engine == "sqlite" {
			s, err = sqlite.Open(ctx, dsn)
		} else {
			s, err = postgres.Open(ctx, dsn)
		}
		if err != nil {
			t.Fatalf("open %s: %v", engine, err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	if engine == "sqlite" {
		dsn = testdb.SQLitePath(t)
	} else {
		dsn = testdb.PostgresURL(t)
	}
	a := open()
	if _, err := a.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return a, open()
}

// runLog counts executions per job and per pool.
type runLog struct {
	mu      sync.Mutex
	perJob  map[int64]int
	perPool map[string]int
	both    chan struct{} // closed once every pool has run a job
}

func (l *runLog) record(pool string, id int64, pools int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.perJob[id]++
	l.perPool[pool]++
	if len(l.perPool) == pools && l.both != nil {
		close(l.both)
		l.both = nil
	}
}

func (l *runLog) waitBoth(ctx context.Context) {
	l.mu.Lock()
	both := l.both
	l.mu.Unlock()
	if both != nil {
		select {
		case <-both:
		case <-ctx.Done():
		}
	}
}

// TestTwoProcessesRunEachJobOnce is the guarantee behind scaling out: two
// pools, each with its own connection to one database, share 1,000 jobs
// and run every one exactly once; a job that keeps failing is retried and
// then parked dead.
func TestTwoProcessesRunEachJobOnce(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) { testTwoProcesses(t, engine) })
	}
}

func testTwoProcesses(t *testing.T, engine string) {
	const n, pools = 1000, 2
	s1, s2 := openTwice(t, engine)
	log := &runLog{perJob: map[int64]int{}, perPool: map[string]int{}, both: make(chan struct{})}
	for i, s := range []heed.Store{s1, s2} {
		name := fmt.Sprintf("pool%d", i+1)
		p := jobs.NewPool(s, fast(4), nil)
		p.Handle(jobs.TestKind, func(ctx context.Context, j heed.Job) error {
			log.record(name, j.ID, pools)
			// Hold the first jobs until both pools have one, so the test
			// cannot pass with one pool doing all the work.
			log.waitBoth(ctx)
			return jobs.RunTestJob(ctx, j)
		})
		start(t, p)
	}

	ctx := t.Context()
	var failing int64
	want := map[int64]bool{}
	err := s1.InTx(ctx, func(q heed.Queries) error {
		for i := range n {
			id, err := jobs.Enqueue(ctx, q, jobs.TestKind, jobs.TestPayload{Marker: fmt.Sprint(i)}, time.Now())
			if err != nil {
				return err
			}
			want[id] = true
		}
		var err error
		failing, err = jobs.Enqueue(ctx, q, jobs.TestKind, jobs.TestPayload{FailTimes: 100, Marker: "doomed"},
			time.Now(), jobs.MaxAttempts(3))
		return err
	})
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}

	waitFor(t, "all jobs done and the failing one dead", func() bool {
		c, err := s2.CountJobs(ctx)
		if err != nil {
			t.Fatalf("CountJobs: %v", err)
		}
		return c[heed.JobDone] == n && c[heed.JobDead] == 1
	})

	log.mu.Lock()
	defer log.mu.Unlock()
	total := 0
	for id := range want {
		if log.perJob[id] != 1 {
			t.Errorf("job %d ran %d times; want exactly once", id, log.perJob[id])
		}
		total += log.perJob[id]
	}
	if total != n {
		t.Errorf("%d runs of the %d good jobs; want %d", total, n, n)
	}
	if log.perJob[failing] != 3 {
		t.Errorf("failing job ran %d times; want 3 (its max attempts)", log.perJob[failing])
	}
	j, err := s1.GetJob(ctx, failing)
	if err != nil || j.State != heed.JobDead || j.Attempts != 3 || j.LastError == "" {
		t.Errorf("failing job = %+v, %v; want dead after 3 attempts with its error", j, err)
	}
	t.Logf("%s: runs per pool %v", engine, log.perPool)
}
