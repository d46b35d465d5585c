// Package testdb opens real, migrated, throw-away stores for tests: a
// SQLite file in the test's temp dir, and a fresh schema on the PostgreSQL
// server named by HEED_TEST_POSTGRES, dropped when the test ends.
//
// Without HEED_TEST_POSTGRES the PostgreSQL tests skip with a message; with
// HEED_REQUIRE_POSTGRES=1 (set by .ci/run) that skip is a failure instead,
// so CI can never pass by silently testing one engine.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/postgres"
	"github.com/heedhq/heed/sqlite"
	"github.com/jackc/pgx/v5"
)

// Engines lists the engines a contract test runs against.
var Engines = []string{"sqlite", "postgres"}

// Open returns a migrated store of the named engine ("sqlite" or
// "postgres"), closed (and for PostgreSQL dropped) when t ends.
func Open(t testing.TB, engine string) heed.Store {
	t.Helper()
	switch engine {
	case "sqlite":
		return SQLite(t)
	case "postgres":
		return Postgres(t)
	}
	t.Fatalf("testdb: unknown engine %q", engine)
	return nil
}

// SQLite returns a migrated store on a new file in t.TempDir().
func SQLite(t testing.TB) heed.Store {
	t.Helper()
	return openAndMigrate(t, "sqlite:"+SQLitePath(t))
}

// SQLitePath returns a fresh database path in t.TempDir().
func SQLitePath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "heed.db")
}

// Postgres returns a migrated store on a new schema of the test server.
func Postgres(t testing.TB) heed.Store {
	t.Helper()
	return openAndMigrate(t, PostgresURL(t))
}

// PostgresURL creates a new empty schema on the server named by
// HEED_TEST_POSTGRES and returns a URL whose connections use it (so several
// processes in one test can share it). The schema is dropped when t ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("HEED_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("HEED_REQUIRE_POSTGRES") != "" {
			t.Fatal("HEED_REQUIRE_POSTGRES is set but HEED_TEST_POSTGRES is empty: the PostgreSQL tests cannot run")
		}
		t.Skip("PostgreSQL tests skipped: set HEED_TEST_POSTGRES=postgres://user@host:5432/db to run them")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("testdb: connect to HEED_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "heed_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("testdb: create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("testdb: drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("testdb: drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("testdb: HEED_TEST_POSTGRES is not a URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openAndMigrate opens dsn ("sqlite:PATH" or a postgres URL) and migrates.
func openAndMigrate(t testing.TB, dsn string) heed.Store {
	t.Helper()
	ctx := context.Background()
	var s heed.Store
	var err error
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		s, err = sqlite.Open(ctx, path)
	} else {
		s, err = postgres.Open(ctx, dsn)
	}
	if err != nil {
		t.Fatalf("testdb: open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("testdb: migrate: %v", err)
	}
	return s
}
