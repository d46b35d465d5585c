package sqlite_test

import (
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t testing.TB) heed.Store { return testdb.Open(t, "sqlite") })
}
