package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/migration"
)

// Migrate applies the embedded migrations newer than the schema's
// version, in order, each in its own transaction, and returns the version
// reached: the last applied one's when one fails.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return 0, fmt.Errorf("sqlite: create schema_migrations: %w", err)
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
		if err := s.apply(ctx, m); err != nil {
			return current, err
		}
		current = m.Version
	}
	return current, nil
}

func (s *Store) apply(ctx context.Context, m migration.Migration) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
	}
	defer tx.Rollback() //nolint:errcheck
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, micros(time.Now())); err != nil {
		return fmt.Errorf("sqlite: record migration %s: %w", m.Name, err)
	}
	return tx.Commit()
}

// SchemaVersion is the highest applied migration, 0 on a new database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.write.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return 0, nil
		}
		return 0, heed.Internal(err, "sqlite: schema version")
	}
	return v, nil
}
