package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"slices"
	"testing"

	"github.com/heedhq/heed/postgres"
	"github.com/heedhq/heed/storetest"
	"github.com/jackc/pgx/v5"
)

// TestCustomerOrderCollation runs the customer-order contract in a database
// whose default collation is a linguistic one (en-US), where ORDER BY name
// would give [anna Bob Zed] rather than SQLite's [Bob Zed anna]: the list
// order must not depend on it. The test server's own database uses C.UTF-8,
// which would hide the difference.
func TestCustomerOrderCollation(t *testing.T) {
	base := os.Getenv("HEED_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("HEED_REQUIRE_POSTGRES") != "" {
			t.Fatal("HEED_REQUIRE_POSTGRES is set but HEED_TEST_POSTGRES is empty: the PostgreSQL tests cannot run")
		}
		t.Skip("PostgreSQL tests skipped: set HEED_TEST_POSTGRES=postgres://user@host:5432/db to run them")
	}
	dsn := linguisticDatabase(t, base)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	var order []string
	err = conn.QueryRow(ctx, `SELECT array_agg(x ORDER BY x) FROM unnest(ARRAY['Zed', 'anna', 'Bob']) x`).Scan(&order)
	if err != nil || !slices.Equal(order, []string{"anna", "Bob", "Zed"}) {
		t.Fatalf("the database's collation orders %v, %v; want [anna Bob Zed], else this test proves nothing", order, err)
	}

	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	storetest.CustomerOrder(t, s)
}

// linguisticDatabase creates a throw-away database whose default collation
// is en-US (glibc's en_US.UTF-8, or ICU's where glibc lacks it), dropped
// when t ends, and returns a URL to it. It skips t when the server has
// neither.
func linguisticDatabase(t *testing.T, base string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to HEED_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	name := "heed_coll_" + hex.EncodeToString(b)
	_, errLibc := conn.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 LC_COLLATE 'en_US.UTF-8' LC_CTYPE 'en_US.UTF-8'`)
	if errLibc != nil {
		// PostgreSQL 15 and later can take the collation from ICU instead.
		_, errICU := conn.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`)
		if errICU != nil {
			t.Skipf("the server has neither an en_US.UTF-8 locale (%v) nor ICU's en-US (%v): cannot test another collation", errLibc, errICU)
		}
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("HEED_TEST_POSTGRES is not a URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
