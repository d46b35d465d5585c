package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/sqlite"
	"github.com/heedhq/heed/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t testing.TB) heed.Store { return testdb.Open(t, "sqlite") })
}

// TestPingDuringTransaction checks Ping answers while a transaction holds
// the one write connection, as a big import does for minutes: /healthz
// and heed.CheckOutage ping, and a busy writer is not an outage.
func TestPingDuringTransaction(t *testing.T) {
	s := testdb.Open(t, "sqlite")
	err := s.InTx(t.Context(), func(heed.Queries) error {
		// Bounded so that a Ping waiting for the write connection, which
		// this transaction holds until it returns, fails instead of hanging.
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		return s.Ping(ctx)
	})
	if err != nil {
		t.Fatalf("Ping inside a transaction: %v; want nil", err)
	}
}

func TestStaleKeys(t *testing.T) {
	s := testdb.Open(t, "sqlite")
	db, err := sql.Open("sqlite", s.(*sqlite.Store).Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.StaleKeys(t, s, func(ext, sortName, searchText string) error {
		_, err := db.ExecContext(t.Context(), `UPDATE customers SET sort_name = ?, search_text = ? WHERE external_id = ?`,
			sortName, searchText, ext)
		return err
	})
}

func TestEventCascade(t *testing.T) {
	s := testdb.Open(t, "sqlite")
	// Foreign keys are per connection in SQLite: on, as the store has them.
	db, err := sql.Open("sqlite", "file:"+s.(*sqlite.Store).Path()+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.EventCascade(t, s, func(ext string) error {
		_, err := db.ExecContext(t.Context(), `DELETE FROM customers WHERE external_id = ?`, ext)
		return err
	})
}

func TestOpenRefusesPathsTheDriverWouldMisread(t *testing.T) {
	for _, p := range []string{"", filepath.Join(t.TempDir(), "a?b.db"), filepath.Join(t.TempDir(), "a#b.db")} {
		if _, err := sqlite.Open(context.Background(), p); heed.ErrorCode(err) != heed.EInvalid {
			t.Errorf("Open(%q) = %v, want invalid", p, err)
		}
	}
}
