package feedback

import (
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

// RereadJob re-reads every stored item with the taxonomy last saved.
const RereadJob = "feedback.reanalyze"

// RereadPage is how many items one transaction of the re-reading reads.
const RereadPage = 500

// rereadBudget is how long one run of the job goes on before it hands
// over to a new one, well inside the job's lease.
const rereadBudget = 2 * time.Minute

// RegisterJobs makes pool run the service's jobs.
func (s *Service) RegisterJobs(pool *jobs.Pool) { pool.Handle(RereadJob, s.Reread) }

// Reread is the handler of RereadJob: it re-reads the stored items,
// newest first, a page per transaction, with the taxonomy saved last,
// writing only those whose language, sentiment or themes change, and
// records its progress with each page, so a run cut short goes on where
// it stopped. It writes through the store, not Record: re-reading is no
// new feedback, and the rules do not fire again.
func (s *Service) Reread(ctx context.Context, _ heed.Job) error {
	start := time.Now()
	for {
		if time.Since(start) > rereadBudget {
			return s.store.InTx(ctx, func(q heed.Queries) error {
				_, err := jobs.Enqueue(ctx, q, RereadJob, struct{}{}, s.cfg.Now(), jobs.Key("taxonomy"))
				return err
			})
		}
		done, err := s.rereadPage(ctx)
		switch {
		case heed.ErrorCode(err) == heed.EConflict:
			continue // saved again, or another run moved on: read where things stand now
		case err != nil:
			return err
		case done:
			return nil
		}
	}
}

// rereadPage re-reads the next page and reports whether none is left.
func (s *Service) rereadPage(ctx context.Context) (bool, error) {
	done := false
	err := s.store.InTx(ctx, func(q heed.Queries) error {
		saved, err := q.GetTaxonomy(ctx)
		if heed.IsNotFound(err) || err == nil && saved.Reread.FinishedAt != nil {
			done = true
			return nil
		}
		if err != nil {
			return err
		}
		tax, err := s.tax.compiled(saved)
		if err != nil {
			return err
		}
		from := saved.Reread.Cursor
		items, err := q.ListFeedback(ctx, heed.Scope{All: true}, heed.FeedbackFilter{Limit: RereadPage, BeforeID: from})
		if err != nil {
			return err
		}
		to := from
		for i := range items {
			readWith(&items[i], items[i].Language, tax)
			to = items[i].ID
		}
		now := s.cfg.Now()
		if _, err := q.UpsertFeedback(ctx, items, now); err != nil {
			return err
		}
		done = len(items) < RereadPage
		return q.RecordReread(ctx, saved.Version, from, to, len(items), done, now)
	})
	return done, err
}
