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

// writeRows writes rows in chunks inside ONE transaction, so an import
// that fails half-way (a lost connection, a crash) leaves nothing behind.
// check, if set, runs last inside the transaction: an error undoes it all.
func writeRows[T any](ctx context.Context, s *Service, rows []row[T], progress progressFunc,
	upsert func(ctx context.Context, q heed.Queries, items []T, now time.Time) (heed.UpsertResult, error),
	check func(ctx context.Context, q heed.Queries) error) (heed.UpsertResult, error) {
	var total heed.UpsertResult
	now := s.now()
	err := s.store.InTx(ctx, func(q heed.Queries) error {
		total = heed.UpsertResult{}
		items := make([]T, 0, min(chunk, len(rows)))
		for start := 0; start < len(rows); start += chunk {
			items = items[:0]
			for _, r := range rows[start:min(start+chunk, len(rows))] {
				items = append(items, r.item)
			}
			res, err := upsert(ctx, q, items, now)
			if err != nil {
				return err
			}
			total.Add(res)
			if progress != nil {
				progress(min(start+chunk, len(rows)), len(rows))
			}
		}
		if check != nil {
			return check(ctx, q)
		}
		return nil
	})
	return total, err
}

func (s *Service) writeUnits(ctx context.Context, rows []row[heed.Unit], progress progressFunc) (heed.UpsertResult, error) {
	return writeRows(ctx, s, rows, progress, func(ctx context.Context, q heed.Queries, items []heed.Unit, now time.Time) (heed.UpsertResult, error) {
		return q.UpsertUnits(ctx, items, now)
	}, nil)
}

func (s *Service) writeEmployees(ctx context.Context, rows []row[heed.Employee], progress progressFunc) (heed.UpsertResult, error) {
	demotes := false
	for _, r := range rows {
		demotes = demotes || r.item.Role != heed.RoleAdmin
	}
	var check func(context.Context, heed.Queries) error
	if demotes {
		check = keepAnAdmin
	}
	return writeRows(ctx, s, rows, progress, func(ctx context.Context, q heed.Queries, items []heed.Employee, now time.Time) (heed.UpsertResult, error) {
		return q.UpsertEmployees(ctx, items, now)
	}, check)
}

// keepAnAdmin refuses a change that leaves no admin who can sign in,
// when there was one: an employees file with a wrong role column must not
// lock everyone out of the settings. (On a new database, before any user
// exists, there is nothing to keep.)
func keepAnAdmin(ctx context.Context, q heed.Queries) error {
	emps, err := q.ListEmployees(ctx, heed.Scope{All: true}, heed.EmployeeFilter{})
	if err != nil {
		return err
	}
	for _, e := range emps {
		if e.Role == heed.RoleAdmin && e.HasPassword {
			return nil
		}
	}
	for _, e := range emps {
		if e.HasPassword {
			return heed.FieldErrorf(heed.EConflict, "role", "this change would leave no admin who can sign in; keep at least one")
		}
	}
	return nil
}

func (s *Service) writeCustomers(ctx context.Context, rows []row[heed.Customer], progress progressFunc) (heed.UpsertResult, error) {
	return writeRows(ctx, s, rows, progress, func(ctx context.Context, q heed.Queries, items []heed.Customer, now time.Time) (heed.UpsertResult, error) {
		return q.UpsertCustomers(ctx, items, now)
	}, nil)
}
