package postgres_test

import (
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/postgres"
	"github.com/heedhq/heed/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t testing.TB) heed.Store { return testdb.Open(t, "postgres") })
}

func TestStaleKeys(t *testing.T) {
	s := testdb.Open(t, "postgres")
	storetest.StaleKeys(t, s, func(ext, sortName, searchText string) error {
		_, err := s.(*postgres.Store).Pool().Exec(t.Context(),
			`UPDATE customers SET sort_name = $1, search_text = $2 WHERE external_id = $3`, sortName, searchText, ext)
		return err
	})
}

func TestEventCascade(t *testing.T) {
	s := testdb.Open(t, "postgres")
	storetest.EventCascade(t, s, func(ext string) error {
		_, err := s.(*postgres.Store).Pool().Exec(t.Context(), `DELETE FROM customers WHERE external_id = $1`, ext)
		return err
	})
}
