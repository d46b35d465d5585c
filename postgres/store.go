// Package postgres is Heed's shared store for running several `heed`
// processes side by side: PostgreSQL through pgx. It implements
// heed.Store; package storetest holds it to the same contract as package
// sqlite. PostgreSQL is the only shared state, jobs included.
package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is a heed.Store over a pgx connection pool.
type Store struct {
	queries
	pool *pgxpool.Pool
}

var _ heed.Store = (*Store)(nil)

// Open connects to the database at url (postgres://...). Extra run-time
// parameters in the URL, such as search_path, apply to every connection.
// It does not migrate; call Migrate.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s := &Store{pool: pool, queries: queries{db: pool}}
	if err := s.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Pool exposes the connection pool, for tests and tools.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Engine names the engine.
func (s *Store) Engine() string { return "postgres" }

// Ping checks the server answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return &heed.Error{Code: heed.EUnavailable, Message: "database unreachable", Err: err}
	}
	return nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// InTx runs fn in one read-committed transaction (see withTx).
func (s *Store) InTx(ctx context.Context, fn func(q heed.Queries) error) error {
	return s.queries.withTx(ctx, func(q queries) error { return fn(q) })
}

// querier is what *pgxpool.Pool and pgx.Tx share.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}

// queries implements heed.Queries over the pool or one transaction.
// Methods that write several statements use withTx to stay atomic.
type queries struct {
	db querier
	// deltas, inside a transaction, add up how its customer writes change
	// the customers per unit, applied once just before it commits (see
	// applyUnitStats); nil outside a transaction.
	deltas sqlstore.UnitDeltas
}

// withTx runs fn in a transaction: the caller's when inside InTx, else a
// new one. A new one applies the changes to the customers per unit fn
// added up just before it commits, and nothing if fn fails: every
// transaction then locks its unit_stats rows last, all at once and in the
// same order, so two imports never wait for each other in a cycle and a
// unit's row stays locked for a moment, not for a whole import.
func (q queries) withTx(ctx context.Context, fn func(q queries) error) error {
	if q.deltas != nil {
		return fn(q)
	}
	err := pgx.BeginFunc(ctx, q.db, func(tx pgx.Tx) error {
		q := queries{db: tx, deltas: sqlstore.UnitDeltas{}}
		if err := fn(q); err != nil {
			return err
		}
		return q.applyUnitStats(ctx)
	})
	return clashed(err)
}

// clashed turns a deadlock or a serialization failure, which a retry may
// well not meet, into EConflict: a user's "try again", not an internal
// error. The transaction has rolled back by then.
func clashed(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001") {
		return &heed.Error{Code: heed.EConflict,
			Message: "the change clashed with another being made at the same time; try again", Err: err}
	}
	return err
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}
