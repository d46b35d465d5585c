package jobs_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/jobs"
)

// BenchmarkEnqueueAndRun measures end-to-end throughput: each job is
// enqueued in its own transaction (as a service would) while a pool of 4
// workers runs them; jobs/s counts jobs recorded done.
func BenchmarkEnqueueAndRun(b *testing.B) {
	for _, engine := range testdb.Engines {
		b.Run(engine, func(b *testing.B) {
			s := testdb.Open(b, engine)
			ctx := context.Background()
			p := jobs.NewPool(s, jobs.PoolConfig{Workers: 4, PollInterval: time.Millisecond}, nil)
			var ran atomic.Int64
			p.Handle("bench", func(ctx context.Context, j heed.Job) error { ran.Add(1); return nil })
			runCtx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- p.Run(runCtx) }()

			b.ResetTimer()
			began := time.Now()
			for i := range b.N {
				if _, err := jobs.Enqueue(ctx, s, "bench", map[string]int{"i": i}, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
			waitFor(b, "all bench jobs done", func() bool {
				if ran.Load() < int64(b.N) {
					return false
				}
				c, err := s.CountJobs(ctx)
				return err == nil && c[heed.JobDone] == b.N
			})
			elapsed := time.Since(began)
			b.StopTimer()
			cancel()
			if err := <-done; err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "jobs/s")
		})
	}
}
