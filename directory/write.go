package directory

import (
	"context"
	"time"

	"github.com/heedhq/heed"
)

// chunk is how many rows go to the store per call: large enough to be
// fast, small enough to report progress on big files.
const chunk = 2000

// progressFunc is told how many rows of a batch have been written.
type progressFunc func(done, total int)

// upsertFunc writes one chunk: a heed.Queries method, as a method
// expression (heed.Queries.UpsertUnits, ...).
type upsertFunc[T any] func(q heed.Queries, ctx context.Context, items []T, now time.Time) (heed.UpsertResult, error)

// writeRows writes rows in chunks inside ONE transaction, so an import
// that fails half-way (a lost connection, a crash) leaves nothing behind.
// guard, if set, wraps the writing inside the transaction (to compare
// before and after): an error from it undoes everything.
func writeRows[T any](ctx context.Context, s *Service, rows []row[T], progress progressFunc, upsert upsertFunc[T],
	guard func(ctx context.Context, q heed.Queries, write func() error) error) (heed.UpsertResult, error) {
	if guard == nil {
		guard = func(_ context.Context, _ heed.Queries, write func() error) error { return write() }
	}
	var total heed.UpsertResult
	now := s.now()
	err := s.store.InTx(ctx, func(q heed.Queries) error {
		return guard(ctx, q, func() error { return writeChunks(ctx, q, rows, progress, now, upsert, &total) })
	})
	return total, err
}

// writeChunks upserts rows a chunk at a time, adding up into total.
func writeChunks[T any](ctx context.Context, q heed.Queries, rows []row[T], progress progressFunc, now time.Time,
	upsert upsertFunc[T], total *heed.UpsertResult) error {
	items := make([]T, 0, min(chunk, len(rows)))
	for start := 0; start < len(rows); start += chunk {
		items = items[:0]
		for _, r := range rows[start:min(start+chunk, len(rows))] {
			items = append(items, r.item)
		}
		res, err := upsert(q, ctx, items, now)
		if err != nil {
			return err
		}
		total.Add(res)
		if progress != nil {
			progress(min(start+chunk, len(rows)), len(rows))
		}
	}
	return nil
}

func (s *Service) writeUnits(ctx context.Context, rows []row[heed.Unit], progress progressFunc) (heed.UpsertResult, error) {
	return writeRows(ctx, s, rows, progress, heed.Queries.UpsertUnits, nil)
}

func (s *Service) writeEmployees(ctx context.Context, rows []row[heed.Employee], progress progressFunc) (heed.UpsertResult, error) {
	return writeRows(ctx, s, rows, progress, heed.Queries.UpsertEmployees, heed.KeepAnAdmin)
}

func (s *Service) writeCustomers(ctx context.Context, rows []row[heed.Customer], progress progressFunc) (heed.UpsertResult, error) {
	return writeRows(ctx, s, rows, progress, heed.Queries.UpsertCustomers, nil)
}
