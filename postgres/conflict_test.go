package postgres_test

import (
	"errors"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/postgres"
	"github.com/heedhq/heed/storetest"
)

// TestDeadlockIsConflict makes two transactions update the same two
// customers in opposite orders, one call each at a time: PostgreSQL
// breaks the deadlock by failing one of them, which must reach the
// caller as EConflict ("try again"), not as an internal error, while the
// other commits.
func TestDeadlockIsConflict(t *testing.T) {
	s := testdb.Open(t, "postgres")
	ctx := t.Context()
	if _, err := s.UpsertUnits(ctx, []heed.Unit{{Key: "hq", Name: "HQ"}}, storetest.T0); err != nil {
		t.Fatal(err)
	}
	x, y := heed.Customer{ExternalID: "x", Name: "X", Unit: "hq"}, heed.Customer{ExternalID: "y", Name: "Y", Unit: "hq"}
	if _, err := s.UpsertCustomers(ctx, []heed.Customer{x, y}, storetest.T0); err != nil {
		t.Fatal(err)
	}
	var both sync.WaitGroup // both transactions have locked their first customer
	both.Add(2)
	write := func(first, second heed.Customer, name string) error {
		first.Name, second.Name = name, name
		return s.InTx(ctx, func(q heed.Queries) error {
			_, err := q.UpsertCustomers(ctx, []heed.Customer{first}, storetest.T0)
			both.Done()
			if err != nil {
				return err
			}
			both.Wait()
			_, err = q.UpsertCustomers(ctx, []heed.Customer{second}, storetest.T0)
			return err
		})
	}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	wg.Go(func() { errs[0] = write(x, y, "A") })
	wg.Go(func() { errs[1] = write(y, x, "B") })
	wg.Wait()
	failed := 0
	for _, err := range errs {
		if err == nil {
			continue
		}
		failed++
		if heed.ErrorCode(err) != heed.EConflict {
			t.Errorf("the transaction PostgreSQL failed returned %v (code %s); want %s", err, heed.ErrorCode(err), heed.EConflict)
		}
	}
	if failed != 1 {
		t.Errorf("%d of 2 transactions failed (%v); want 1: a deadlock ends one", failed, errs)
	}
}

// TestInsertOrderNoDeadlock makes two batches insert the same new
// customers listed in opposite orders, [a m z] and [z m a], and lines
// them up: a third transaction holds m, uncommitted, until both batches
// wait (one having written a, the other z, were they written as listed).
// Written as listed, each would then wait for the row the other wrote: a
// deadlock. UpsertCustomers writes in external-id order, so both commit.
func TestInsertOrderNoDeadlock(t *testing.T) {
	ctx := t.Context()
	u, err := url.Parse(testdb.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	app := u.Query().Get("search_path") // unique to this test: tells its sessions apart
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertUnits(ctx, []heed.Unit{{Key: "hq", Name: "HQ"}}, storetest.T0); err != nil {
		t.Fatal(err)
	}
	cust := func(id string) heed.Customer { return heed.Customer{ExternalID: id, Name: id, Unit: "hq"} }
	holding, release := make(chan struct{}), make(chan struct{})
	errs := make([]error, 3)
	var wg sync.WaitGroup
	wg.Go(func() {
		errs[0] = s.InTx(ctx, func(q heed.Queries) error {
			_, err := q.UpsertCustomers(ctx, []heed.Customer{cust("m")}, storetest.T0)
			close(holding)
			<-release
			return err
		})
	})
	<-holding
	for i, batch := range [][]heed.Customer{{cust("a"), cust("m"), cust("z")}, {cust("z"), cust("m"), cust("a")}} {
		wg.Go(func() { _, errs[i+1] = s.UpsertCustomers(ctx, batch, storetest.T0) })
	}
	lined := waitForLockWaits(t, s, app, 2)
	close(release)
	wg.Wait()
	if !lined {
		t.Fatal("the two batches never both waited for m: the test proves nothing")
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v; want no error", i, err)
		}
	}
	if n, err := s.CountCustomers(ctx, heed.Scope{All: true}); err != nil || n != 3 {
		t.Errorf("CountCustomers(all) = %d, %v; want 3", n, err)
	}
}

// waitForLockWaits waits until n sessions named app wait for a lock;
// false after a minute, so a broken test fails rather than hangs.
func waitForLockWaits(t *testing.T, s *postgres.Store, app string, n int) bool {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		var waiting int
		err := s.Pool().QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock'`, app).Scan(&waiting)
		if err != nil {
			t.Errorf("counting sessions waiting for a lock: %v", err)
			return false
		}
		if waiting >= n {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

// TestImportHoldsNoUnitCount checks a transaction that has written
// customers (an import between two chunks) does not keep its units'
// counts locked: a one-customer write to the same unit goes through
// before it commits, rather than waiting for the whole import.
func TestImportHoldsNoUnitCount(t *testing.T) {
	s := testdb.Open(t, "postgres")
	ctx := t.Context()
	if _, err := s.UpsertUnits(ctx, []heed.Unit{{Key: "hq", Name: "HQ"}}, storetest.T0); err != nil {
		t.Fatal(err)
	}
	single := make(chan error, 1)
	err := s.InTx(ctx, func(q heed.Queries) error {
		chunk := []heed.Customer{{ExternalID: "import-1", Name: "A", Unit: "hq"}}
		if _, err := q.UpsertCustomers(ctx, chunk, storetest.T0); err != nil {
			return err
		}
		go func() {
			_, err := s.UpsertCustomers(ctx, []heed.Customer{{ExternalID: "single", Name: "B", Unit: "hq"}}, storetest.T0)
			single <- err
		}()
		// Bounded: were hq's count locked, the write would wait for this
		// transaction, which waits for it.
		select {
		case err := <-single:
			return err
		case <-time.After(20 * time.Second):
			return errors.New("a one-customer write waited for an open import's transaction")
		}
	})
	if err != nil {
		t.Fatalf("InTx: %v", err)
	}
	if n, err := s.CountCustomers(ctx, heed.Scope{All: true}); err != nil || n != 2 {
		t.Errorf("CountCustomers(all) = %d, %v; want 2", n, err)
	}
}
