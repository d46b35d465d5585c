package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Helpers shared by units.go, employees.go and customers.go; what both
// engines share is in package sqlstore.

// newArgs collects arguments behind PostgreSQL's "$n" placeholders.
func newArgs() *sqlstore.Args {
	return sqlstore.NewArgs(func(n int) string { return "$" + strconv.Itoa(n) })
}

// rowErr classifies the error of a one-row query: no row is notFound,
// any other error an internal one under op, nil stays nil.
func rowErr(err, notFound error, op string) error {
	if errors.Is(err, pgx.ErrNoRows) || unstorableText(err) {
		return notFound
	}
	return heed.Internal(err, op)
}

// unstorableText reports PostgreSQL refusing a text argument (a NUL, or
// invalid UTF-8: character_not_in_repertoire). In a lookup by key such a
// key names no row — what SQLite, which stores any bytes, answers too —
// rather than an internal error; writes of such text are refused before
// they reach the store (heed.TextProblem).
func unstorableText(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "22021"
}

// rowTouched classifies the outcome of a write by id or key: notFound
// when it touched no row, an internal error under op when it failed.
func rowTouched(tag pgconn.CommandTag, err, notFound error, op string) error {
	switch {
	case err != nil:
		return heed.Internal(err, op)
	case tag.RowsAffected() == 0:
		return notFound
	}
	return nil
}

// found classifies the error of a one-row query where no row is an
// answer (an upsert's "not stored yet"), not a failure.
func found(err error, op string) (bool, error) {
	if errors.Is(err, pgx.ErrNoRows) || unstorableText(err) {
		return false, nil
	}
	return err == nil, heed.Internal(err, op)
}

// lookupID is a sqlstore.Lookup running stmt, which selects one id by a
// key.
func (q queries) lookupID(stmt, op string) sqlstore.Lookup {
	return func(ctx context.Context, key string) (int64, bool, error) {
		var id int64
		ok, err := found(q.db.QueryRow(ctx, stmt, key).Scan(&id), op)
		return id, ok, err
	}
}

// unitPath is a sqlstore.PathLookup: the path of the unit with key, for
// subtree filters.
func (q queries) unitPath(ctx context.Context, key string) (string, bool, error) {
	var path string
	ok, err := found(q.db.QueryRow(ctx, `SELECT path FROM units WHERE key = $1`, key).Scan(&path), "postgres: unit path")
	return path, ok, err
}

// queryList runs stmt on db and reads every row with scan, appending to
// into; any failure is an internal error under op.
func queryList[T any](ctx context.Context, db querier, stmt string, args []any, into []T,
	scan func(sqlstore.Scanner) (T, error), op string) ([]T, error) {
	rows, err := db.Query(ctx, stmt, args...)
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

// utc is how times are written and read: UTC, truncated (not rounded, as
// PostgreSQL would) to microseconds, SQLite's precision too, so both
// engines return equal times.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// utcPtr is utc for a nullable column.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := utc(*t)
	return &u
}

// nullIfZero stores 0 as NULL, for optional foreign keys. It is typed,
// unlike sqlstore.NullID, because the customer import fills a []*int64
// column with it, sent as one bigint[] array.
func nullIfZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// createdConcurrently is the error for an insert that lost a race with
// another transaction inserting the same key (unique_violation): SQLite's
// single writer never sees one.
func createdConcurrently(field string) error {
	return heed.FieldErrorf(heed.EConflict, field, "created at the same time by someone else; try again")
}
