package jobs

import (
	"context"
	"time"
)

// sweepLoop deletes old done jobs once at start, then every
// SweepInterval until ctx ends. Every process sweeps: the deletes are
// idempotent and cheap, and no process has to be elected to do it.
func (p *Pool) sweepLoop(ctx, base context.Context) {
	p.sweep(ctx, base)
	t := time.NewTicker(p.cfg.SweepInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.sweep(ctx, base)
		}
	}
}

// sweep deletes done jobs that finished more than Retention ago, a batch
// at a time so no transaction grows large, until a batch comes back short
// or ctx ends. Its first batch always runs, so a pool stopped at once
// still sweeps once.
func (p *Pool) sweep(ctx, base context.Context) {
	before := p.cfg.Now().Add(-p.cfg.Retention)
	total := 0
	for {
		n, err := p.deleteBatch(base, before)
		total += n
		if err != nil {
			p.log.Error("jobs: deleting old done jobs failed", "error", err, "deleted", total)
			return
		}
		if n < sweepBatch || ctx.Err() != nil {
			break
		}
	}
	if total > 0 {
		p.log.Info("jobs: deleted old done jobs", "deleted", total, "finished_before", before)
		return
	}
	p.log.Debug("jobs: no old done jobs to delete", "finished_before", before)
}

func (p *Pool) deleteBatch(base context.Context, before time.Time) (int, error) {
	ctx, cancel := context.WithTimeout(base, storeTimeout)
	defer cancel()
	return p.store.DeleteFinishedJobs(ctx, before, sweepBatch)
}
