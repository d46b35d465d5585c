package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

// Helpers shared by units.go, employees.go and customers.go; what both
// engines share is in package sqlstore.

// newArgs collects arguments behind SQLite's positional "?": add them in
// the order they stand in the statement.
func newArgs() *sqlstore.Args {
	return sqlstore.NewArgs(func(int) string { return "?" })
}

// rowErr classifies the error of a one-row query: no row is notFound,
// any other error an internal one under op, nil stays nil.
func rowErr(err, notFound error, op string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound
	}
	return heed.Internal(err, op)
}

// rowTouched classifies the outcome of a write by id or key: notFound
// when it touched no row, an internal error under op when it failed.
func rowTouched(res sql.Result, err, notFound error, op string) error {
	n, err := affected(res, err)
	switch {
	case err != nil:
		return heed.Internal(err, op)
	case n == 0:
		return notFound
	}
	return nil
}

// affected is the number of rows a write touched, or its error.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// found classifies the error of a one-row query where no row is an
// answer (an upsert's "not stored yet"), not a failure.
func found(err error, op string) (bool, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, heed.Internal(err, op)
}

// lookupID is a sqlstore.Lookup running stmt, which selects one id by a
// key, on q's write side: inside a transaction it sees the batch's own
// writes.
func (q queries) lookupID(stmt, op string) sqlstore.Lookup {
	return func(ctx context.Context, key string) (int64, bool, error) {
		var id int64
		ok, err := found(q.w.QueryRowContext(ctx, stmt, key).Scan(&id), op)
		return id, ok, err
	}
}

// unitPath is a sqlstore.PathLookup: the path of the unit with key, for
// subtree filters.
func (q queries) unitPath(ctx context.Context, key string) (string, bool, error) {
	var path string
	ok, err := found(q.r.QueryRowContext(ctx, `SELECT path FROM units WHERE key = ?`, key).Scan(&path), "sqlite: unit path")
	return path, ok, err
}

// queryList runs stmt on db and reads every row with scan, appending to
// into; any failure is an internal error under op.
func queryList[T any](ctx context.Context, db querier, stmt string, args []any, into []T,
	scan func(sqlstore.Scanner) (T, error), op string) ([]T, error) {
	rows, err := db.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, heed.Internal(err, op)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, heed.Internal(err, op)
		}
		into = append(into, v)
	}
	if err := rows.Err(); err != nil {
		return nil, heed.Internal(err, op)
	}
	return into, nil
}

// upsertTx runs the upsert of a batch in one transaction (see withTx), so
// it writes all or none, and reports what it wrote only if it did.
func (q queries) upsertTx(ctx context.Context, upsert func(q queries) (heed.UpsertResult, error)) (heed.UpsertResult, error) {
	var res heed.UpsertResult
	err := q.withTx(ctx, func(q queries) error {
		var err error
		res, err = upsert(q)
		return err
	})
	if err != nil {
		return heed.UpsertResult{}, err
	}
	return res, nil
}

// preparer is what *sql.DB and *sql.Tx share for prepared statements.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// prepare prepares stmt on q's write side (a transaction inside withTx).
func (q queries) prepare(ctx context.Context, stmt string) (*sql.Stmt, error) {
	p, ok := q.w.(preparer)
	if !ok {
		return nil, heed.Internal(fmt.Errorf("%T cannot prepare", q.w), "sqlite: prepare")
	}
	st, err := p.PrepareContext(ctx, stmt)
	if err != nil {
		return nil, heed.Internal(err, "sqlite: prepare")
	}
	return st, nil
}
