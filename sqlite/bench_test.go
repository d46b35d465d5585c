package sqlite_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/sqlite"
	"github.com/heedhq/heed/storetest"
)

func BenchmarkUpsertCustomers(b *testing.B) {
	storetest.BenchUpsertCustomers(b, testdb.SQLite(b))
}

// BenchmarkCountCustomers times CountCustomers over 1,000,000 customers
// against oldCountCustomers.
func BenchmarkCountCustomers(b *testing.B) {
	s := testdb.SQLite(b)
	db, err := sql.Open("sqlite", "file:"+s.(*sqlite.Store).Path()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	storetest.BenchCountCustomers(b, s, func(ctx context.Context, scope heed.Scope) (int, error) {
		return oldCountCustomers(ctx, db, scope)
	})
}

// oldCountCustomers is CountCustomers as it was before unit_stats: a
// COUNT(*) over every customer in scope. It is the benchmark's baseline.
func oldCountCustomers(ctx context.Context, db *sql.DB, scope heed.Scope) (int, error) {
	stmt := `SELECT COUNT(*) FROM customers`
	args := sqlstore.NewArgs(func(int) string { return "?" })
	if !scope.All { // every customer has a unit: no need to join for All
		cond := sqlstore.ScopeWhere(scope, args, sqlstore.CustomerScope())
		stmt = `SELECT COUNT(*) FROM customers c JOIN units u ON u.id = c.unit_id WHERE ` + cond
	}
	var n int
	err := db.QueryRowContext(ctx, stmt, args.Values()...).Scan(&n)
	return n, err
}

// BenchmarkCreateResponse is one answer (without an invitation: an API or
// open-link answer) in its own transaction: the response and its
// pre-aggregated count.
func BenchmarkCreateResponse(b *testing.B) {
	storetest.BenchCreateResponse(b, testdb.SQLite(b))
}
