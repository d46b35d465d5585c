// Package sqlite is Heed's embedded store: one SQLite file in WAL mode,
// driven by the pure-Go modernc.org/sqlite, so `go install` works without
// cgo. It implements heed.Store; package storetest holds it to the same
// contract as package postgres.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is a heed.Store over one SQLite file. Writes go through a pool of
// one connection that begins transactions IMMEDIATE, so writers queue
// instead of failing with SQLITE_BUSY on upgrade; reads use a separate
// pool that runs in parallel thanks to WAL.
type Store struct {
	queries
	write *sql.DB
	read  *sql.DB
	path  string
}

var _ heed.Store = (*Store)(nil)

// Open opens (creating if needed) the SQLite file at path, creating its
// folder too. It does not migrate; call Migrate.
func Open(ctx context.Context, path string) (*Store, error) {
	// The driver reads the path as a URI: a '?' or '#' in it would open a
	// different file than the one named, silently.
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, heed.FieldErrorf(heed.EInvalid, "db", "sqlite: %q cannot be a database path (empty, or with '?' or '#')", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create folder for %s: %w", path, err)
		}
	}
	write, err := openPool(path, "_txlock=immediate", 1)
	if err != nil {
		return nil, err
	}
	read, err := openPool(path, "_txlock=deferred", max(4, runtime.NumCPU()))
	if err != nil {
		write.Close()
		return nil, err
	}
	s := &Store{write: write, read: read, path: path}
	s.queries = queries{w: write, r: read}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openPool opens a connection pool whose every connection gets the pragmas
// Heed relies on: WAL (readers never block the writer), a busy timeout
// (writers from other processes wait rather than fail), foreign keys on.
func openPool(path, txlock string, conns int) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	dsn := "file:" + path + "?" + q.Encode() + "&" + txlock
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// Engine names the engine.
func (s *Store) Engine() string { return "sqlite" }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Ping checks the file answers, through the read pool only: the write
// pool's one connection is busy for as long as a transaction runs (a big
// import: minutes), and a busy writer is no outage.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return &heed.Error{Code: heed.EUnavailable, Message: "database unreachable", Err: err}
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	err1 := s.read.Close()
	err2 := s.write.Close()
	if err1 != nil {
		return err1
	}
	return err2
}

// InTx runs fn in one IMMEDIATE transaction on the write pool. Reads
// inside fn see fn's own writes because they use the same transaction.
func (s *Store) InTx(ctx context.Context, fn func(q heed.Queries) error) error {
	return s.queries.withTx(ctx, func(q queries) error { return fn(q) })
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queries implements heed.Queries over either the two pools or one
// transaction. Methods that write several statements must use withTx so
// they stay atomic outside InTx too.
type queries struct {
	w, r querier
	// deltas, inside a transaction, add up how its customer writes change
	// the customers per unit, applied once just before it commits (see
	// applyUnitStats); nil outside a transaction.
	deltas sqlstore.UnitDeltas
}

// withTx runs fn in a transaction: the caller's when already inside InTx,
// else a new one on the write pool. A new one applies the changes to the
// customers per unit fn added up just before it commits, and nothing if
// fn fails, as package postgres does (see sqlstore.UnitDeltas).
func (q queries) withTx(ctx context.Context, fn func(q queries) error) error {
	if q.deltas != nil {
		return fn(q)
	}
	db, ok := q.w.(*sql.DB)
	if !ok {
		return heed.Internal(fmt.Errorf("%T cannot begin", q.w), "sqlite: begin")
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return heed.Internal(err, "sqlite: begin")
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	tq := queries{w: tx, r: tx, deltas: sqlstore.UnitDeltas{}}
	if err := fn(tq); err != nil {
		return err
	}
	if err := tq.applyUnitStats(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return heed.Internal(err, "sqlite: commit")
	}
	return nil
}

// micros and fromMicros convert times to the INTEGER microseconds stored.
func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// nullMicros converts a nullable column.
func nullMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}
