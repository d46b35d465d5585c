package postgres_test

import (
	"testing"

	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/storetest"
)

func BenchmarkUpsertCustomers(b *testing.B) {
	storetest.BenchUpsertCustomers(b, testdb.Postgres(b))
}
