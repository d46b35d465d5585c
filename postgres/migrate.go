package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/migration"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrateLockID keys the advisory lock that keeps two processes starting
// at once from applying the same migration twice.
const migrateLockID = 0x48454544 // "HEED"

// Migrate applies the embedded migrations newer than the schema's
// version, in order, each in its own transaction, holding an advisory
// lock meanwhile, and returns the version reached: the last applied
// one's when one fails.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLockID); err != nil {
		return 0, fmt.Errorf("postgres: migrate lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockID) //nolint:errcheck
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		return 0, fmt.Errorf("postgres: create schema_migrations: %w", err)
	}
	files, err := migration.Read(migrationFS)
	if err != nil {
		return 0, err
	}
	current, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	for _, m := range files {
		if m.Version <= current {
			continue
		}
		if err := apply(ctx, conn, m); err != nil {
			return current, err
		}
		current = m.Version
	}
	return current, nil
}

// apply runs one migration and records it, in one transaction on conn.
func apply(ctx context.Context, conn *pgxpool.Conn, m migration.Migration) error {
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: migration %s: %w", m.Name, err)
	}
	return nil
}

// SchemaVersion is the highest applied migration, 0 on a new database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table
		return 0, nil
	}
	if err != nil {
		return 0, heed.Internal(err, "postgres: schema version")
	}
	return v, nil
}
