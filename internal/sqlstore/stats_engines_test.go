package sqlstore_test

import (
	"context"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/postgres"
	"github.com/heedhq/heed/sqlite"
	"github.com/heedhq/heed/storetest"
)

// writers is how many store handles write at once in
// TestUnitStatsConcurrent.
const writers = 4

// TestUnitStatsConcurrent checks, on both engines, that the customers
// per unit that UpsertCustomers keeps by deltas stay exact when several
// processes (here: several Store handles on one database) write at once.
func TestUnitStatsConcurrent(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := testdb.SQLitePath(t)
		storetest.ConcurrentCounts(t, openHandles(t, func(ctx context.Context) (heed.Store, error) {
			return sqlite.Open(ctx, path)
		}))
	})
	t.Run("postgres", func(t *testing.T) {
		url := testdb.PostgresURL(t)
		storetest.ConcurrentCounts(t, openHandles(t, func(ctx context.Context) (heed.Store, error) {
			return postgres.Open(ctx, url)
		}))
	})
}

// openHandles opens writers stores with open, each migrated (the first
// creates the schema, the others find it done), closed when t ends.
func openHandles(t *testing.T, open func(context.Context) (heed.Store, error)) []heed.Store {
	t.Helper()
	var stores []heed.Store
	for range writers {
		s, err := open(t.Context())
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(t.Context()); err != nil {
			t.Fatalf("migrate: %v", err)
		}
		stores = append(stores, s)
	}
	return stores
}
