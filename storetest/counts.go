package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// CountCustomers reads counts kept per unit as customers are written
// (DESIGN.md: dashboards never scan every customer per page view). These
// tests hold those counts to the truth, a walk through ListCustomers, for
// every kind of scope after every kind of write.
func testCounts(t *testing.T, open Opener) {
	t.Run("creates and re-upserts", func(t *testing.T) { testCountsCreate(t, open(t)) })
	t.Run("customer moves", func(t *testing.T) { testCountsMove(t, open(t)) })
	t.Run("unit moves", func(t *testing.T) { testCountsUnitMove(t, open(t)) })
	t.Run("owner changes", func(t *testing.T) { testCountsOwner(t, open(t)) })
	t.Run("failed batch", func(t *testing.T) { testCountsRollback(t, open(t)) })
	t.Run("several batches in a transaction", func(t *testing.T) { testCountsInTx(t, open(t)) })
}

func testCountsCreate(t *testing.T, s heed.Store) {
	o := seedOrg(t, s)
	wantCounts(t, s, "after creates")
	if n, err := s.CountCustomers(t.Context(), o.principal("ann").Scope()); err != nil || n != 3 {
		t.Errorf("CountCustomers(ann) = %d, %v; want 3 (c1, c2 in n1; c3 owned)", n, err)
	}
	all := allCustomers(t, s)
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(time.Hour), all...), heed.UpsertResult{Unchanged: len(all)})
	wantCounts(t, s, "after re-upserting every customer unchanged")
	more := []heed.Customer{
		{ExternalID: "c7", Name: "Gus", Unit: "s1"},
		{ExternalID: "c8", Name: "Hil", Unit: "acme", Owner: "bob@acme.example"},
		{ExternalID: "c9", Name: "Ivo", Unit: "n2"},
	}
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(2*time.Hour), append(more, all[0])...),
		heed.UpsertResult{Created: 3, Unchanged: 1})
	wantCounts(t, s, "after creating more next to an unchanged one")
}

func testCountsMove(t *testing.T, s heed.Store) {
	seedOrg(t, s)
	c1, c5 := mustGetCustomer(t, s, "c1"), mustGetCustomer(t, s, "c5")
	c1.Unit, c5.Unit = "s1", "north"
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(time.Hour), c1, c5), heed.UpsertResult{Updated: 2})
	wantCounts(t, s, "after moving c1 to s1 and c5 to north")
	// One id twice in a batch: the later row wins, the count moves once.
	c2 := mustGetCustomer(t, s, "c2")
	first, second := c2, c2
	first.Unit, second.Unit = "n2", "south"
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(2*time.Hour), first, second), heed.UpsertResult{Updated: 2})
	if got := mustGetCustomer(t, s, "c2"); got.Unit != "south" {
		t.Errorf("c2 in %q after moving it twice in a batch; want south", got.Unit)
	}
	wantCounts(t, s, "after moving c2 twice in one batch")
	// Created and moved back and forth in one batch.
	c10 := heed.Customer{ExternalID: "c10", Name: "Jo", Unit: "n1"}
	away, back := c10, c10
	away.Unit = "s1"
	mustUpsertCustomers(t, s, T0.Add(3*time.Hour), c10, away, back)
	wantCounts(t, s, "after creating c10 and moving it away and back in one batch")
}

func testCountsUnitMove(t *testing.T, s heed.Store) {
	seedOrg(t, s)
	// n2 (c3, c4) goes from north to south with a new child holding c7.
	mustUpsertUnits(t, s, T0.Add(time.Hour),
		heed.Unit{Key: "n2", Name: "North 2", Parent: "south"},
		heed.Unit{Key: "n2a", Name: "North 2a", Parent: "n2"})
	mustUpsertCustomers(t, s, T0.Add(time.Hour), heed.Customer{ExternalID: "c7", Name: "Gus", Unit: "n2a"})
	wantCounts(t, s, "after moving n2 below south")
	if n, err := s.CountCustomers(t.Context(), heed.Scope{UnitPath: mustGetUnit(t, s, "south").Path}); err != nil || n != 4 {
		t.Errorf("CountCustomers(south subtree) = %d, %v; want 4 (c3, c4, c5, c7)", n, err)
	}
	// The whole north region becomes a root, then goes back.
	mustUpsertUnits(t, s, T0.Add(2*time.Hour), heed.Unit{Key: "north", Name: "North"})
	wantCounts(t, s, "after making north a root")
	mustUpsertUnits(t, s, T0.Add(3*time.Hour), heed.Unit{Key: "north", Name: "North", Parent: "acme"})
	wantCounts(t, s, "after moving north back below acme")
}

func testCountsOwner(t *testing.T, s heed.Store) {
	o := seedOrg(t, s)
	c2, c3, c5 := mustGetCustomer(t, s, "c2"), mustGetCustomer(t, s, "c3"), mustGetCustomer(t, s, "c5")
	c2.Owner = "sue@acme.example" // owned outside sue's unit
	c3.Owner = ""                 // ann no longer owns it (it stays in n2)
	c5.Owner = "bob@acme.example" // from sue to bob, in sue's unit
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(time.Hour), c2, c3, c5), heed.UpsertResult{Updated: 3})
	wantCounts(t, s, "after changing owners")
	for name, want := range map[string]int{"ann": 2, "bob": 3, "sue": 2} {
		if n, err := s.CountCustomers(t.Context(), o.principal(name).Scope()); err != nil || n != want {
			t.Errorf("CountCustomers(%s) = %d, %v; want %d", name, n, err, want)
		}
	}
	// Owner and unit change together.
	c2.Owner, c2.Unit = "ann@acme.example", "s1"
	mustUpsertCustomers(t, s, T0.Add(2*time.Hour), c2)
	wantCounts(t, s, "after changing c2's owner and unit at once")
}

func testCountsRollback(t *testing.T, s heed.Store) {
	seedOrg(t, s)
	c1 := mustGetCustomer(t, s, "c1")
	c1.Unit = "s1"
	c7 := heed.Customer{ExternalID: "c7", Name: "Gus", Unit: "n1"}
	// c1 twice: on PostgreSQL the batch writes a first statement before
	// it meets the unknown unit.
	_, err := s.UpsertCustomers(t.Context(), []heed.Customer{c1, c7, c1,
		{ExternalID: "c8", Name: "Hil", Unit: "nowhere"}}, T0.Add(time.Hour))
	wantErr(t, "UpsertCustomers with an unknown unit", err, heed.ENotFound, "unit")
	wantCounts(t, s, "after a batch that failed")
	errBail := errors.New("bail")
	err = s.InTx(t.Context(), func(q heed.Queries) error {
		if _, err := q.UpsertCustomers(t.Context(), []heed.Customer{c1, c7}, T0.Add(time.Hour)); err != nil {
			return err
		}
		return errBail
	})
	if !errors.Is(err, errBail) {
		t.Fatalf("InTx = %v; want the error its function returned", err)
	}
	wantCounts(t, s, "after a transaction that rolled back")
	if n, err := s.CountCustomers(t.Context(), heed.Scope{All: true}); err != nil || n != 6 {
		t.Errorf("CountCustomers(all) = %d, %v after failed writes; want 6", n, err)
	}
}

func testCountsInTx(t *testing.T, s heed.Store) {
	seedOrg(t, s)
	c1 := mustGetCustomer(t, s, "c1")
	c1.Unit = "s1"
	err := s.InTx(t.Context(), func(q heed.Queries) error {
		batches := [][]heed.Customer{
			{{ExternalID: "c7", Name: "Gus", Unit: "n1"}, c1},
			{{ExternalID: "c8", Name: "Hil", Unit: "s1"}},
		}
		for i, b := range batches {
			if _, err := q.UpsertCustomers(t.Context(), b, T0.Add(time.Hour)); err != nil {
				return err
			}
			// A transaction's own writes count from its commit on.
			if n, err := q.CountCustomers(t.Context(), heed.Scope{All: true}); err != nil || n != 6 {
				t.Errorf("CountCustomers(all) in the transaction after batch %d = %d, %v; want 6 (as committed)", i, n, err)
			}
		}
		c1.Unit = "n2"
		_, err := q.UpsertCustomers(t.Context(), []heed.Customer{c1}, T0.Add(time.Hour))
		return err
	})
	if err != nil {
		t.Fatalf("InTx: %v", err)
	}
	wantCounts(t, s, "after a transaction of several batches")
}

// allCustomers lists every customer, in list order.
func allCustomers(t *testing.T, s heed.Store) []heed.Customer {
	t.Helper()
	var all []heed.Customer
	f := heed.CustomerFilter{Limit: 1000}
	for {
		page, err := s.ListCustomers(t.Context(), heed.Scope{All: true}, f)
		if err != nil {
			t.Fatalf("ListCustomers: %v", err)
		}
		all = append(all, page.Customers...)
		if page.NextCursor == "" {
			return all
		}
		f.Cursor = page.NextCursor
	}
}

// countScopes are scopes of every kind over s's units and employees:
// everything, nothing, each unit's subtree, each unit alone, each
// employee's customers, each frontline view (unit or owned) and a
// subtree with an owner's customers besides.
func countScopes(t *testing.T, s heed.Store) map[string]heed.Scope {
	t.Helper()
	ctx := t.Context()
	units, err := s.ListUnits(ctx, heed.Scope{All: true})
	if err != nil {
		t.Fatalf("ListUnits: %v", err)
	}
	emps, err := s.ListEmployees(ctx, heed.Scope{All: true}, heed.EmployeeFilter{})
	if err != nil {
		t.Fatalf("ListEmployees: %v", err)
	}
	scopes := map[string]heed.Scope{"all": {All: true}, "none": {}}
	byKey := map[string]heed.Unit{}
	for _, u := range units {
		byKey[u.Key] = u
		scopes["subtree "+u.Key] = heed.Scope{UnitPath: u.Path}
		scopes["unit "+u.Key] = heed.Scope{UnitID: u.ID}
	}
	for _, e := range emps {
		scopes["owner "+e.Email] = heed.Scope{OwnerID: e.ID}
		if u, ok := byKey[e.Unit]; ok {
			scopes["frontline "+e.Email] = heed.Scope{UnitID: u.ID, OwnerID: e.ID}
			scopes["subtree and owner "+e.Email] = heed.Scope{UnitPath: u.Path, OwnerID: e.ID}
		}
	}
	return scopes
}

// wantCounts checks CountCustomers for every scope of countScopes
// against the number of customers ListCustomers shows in it.
func wantCounts(t *testing.T, s heed.Store, when string) {
	t.Helper()
	for name, scope := range countScopes(t, s) {
		ids, _ := walkPages(t, s, scope, heed.CustomerFilter{Limit: 1000})
		n, err := s.CountCustomers(t.Context(), scope)
		if err != nil || n != len(ids) {
			t.Errorf("%s: CountCustomers(%s) = %d, %v; ListCustomers shows %d", when, name, n, err, len(ids))
		}
	}
}

// ConcurrentCounts has several writers, one per store in stores (each
// its own handle on one database, as several heed processes have),
// upsert customers at once: each its own customers, created then moved
// between units, and customers all of them write, each moving them to
// units of its own; one writer also moves a region back and forth
// meanwhile. Afterwards CountCustomers must still equal what
// ListCustomers shows, for every scope. Package sqlite and package
// postgres each run it on their engine.
func ConcurrentCounts(t *testing.T, stores []heed.Store) {
	if len(stores) < 2 {
		t.Fatalf("ConcurrentCounts needs at least 2 stores, got %d", len(stores))
	}
	leaves := seedConcurrentOrg(t, stores[0])
	var wg sync.WaitGroup
	errs := make(chan error, len(stores)+1)
	for g, s := range stores {
		wg.Go(func() { errs <- concurrentWriter(t, s, g, leaves) })
	}
	wg.Go(func() { errs <- concurrentUnitMover(t, stores[len(stores)-1]) })
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range stores[:2] {
		wantCounts(t, s, "after concurrent writers")
	}
	want := len(stores)*own + shared
	if n, err := stores[0].CountCustomers(t.Context(), heed.Scope{All: true}); err != nil || n != want {
		t.Errorf("CountCustomers(all) = %d, %v after concurrent writers; want %d", n, err, want)
	}
}

// What each writer of ConcurrentCounts does: rounds transactions of
// calls UpsertCustomers each, over own customers of its own and shared
// customers every writer writes.
const rounds, calls, own, shared = 8, 4, 40, 32

// seedConcurrentOrg makes two regions of four leaves each, with a
// frontline employee per leaf, and returns the leaves' keys.
func seedConcurrentOrg(t *testing.T, s heed.Store) []string {
	t.Helper()
	units := []heed.Unit{{Key: "hq", Name: "HQ"}, {Key: "east", Name: "East", Parent: "hq"},
		{Key: "west", Name: "West", Parent: "hq"}}
	var emps []heed.Employee
	var leaves []string
	for i := range 8 {
		key := fmt.Sprintf("leaf%d", i)
		units = append(units, heed.Unit{Key: key, Name: key, Parent: []string{"east", "west"}[i%2]})
		emps = append(emps, heed.Employee{Email: key + "@acme.example", Name: key, Role: heed.RoleFrontline, Unit: key})
		leaves = append(leaves, key)
	}
	mustUpsertUnits(t, s, T0, units...)
	mustUpsertEmployees(t, s, T0, emps...)
	return leaves
}

// concurrentWriter is writer g of ConcurrentCounts. Each round is one
// transaction of several UpsertCustomers calls, as a file import makes
// (one per chunk). Call c writes into the units of group c (leaves 2c
// and 2c+1) for even writers and of group calls-1-c for odd ones: the
// units of their calls come in opposite orders. The shared customers all
// go in the last call: writing the same customers in several calls of
// one transaction, in different orders, would be a deadlock of the
// writers' own making. No batch is sorted: odd writers list theirs
// backwards, so two batches name the same new customers in opposite
// orders.
func concurrentWriter(t *testing.T, s heed.Store, g int, leaves []string) error {
	for r := range rounds {
		batches := make([][]heed.Customer, calls)
		leaf := func(c, i int) string { // a leaf of call c's group
			group, per := []int{c, calls - 1 - c}[g%2], len(leaves)/calls
			return leaves[group*per+(g+r+i)%per]
		}
		for i := range shared {
			c := calls - 1
			batches[c] = append(batches[c], heed.Customer{ExternalID: fmt.Sprintf("shared-%03d", i), Name: "Shared",
				Unit: leaf(c, i), Owner: leaves[(g+i)%len(leaves)] + "@acme.example"})
		}
		// Round r writes r+1 eighths of its own customers: it creates an
		// eighth and moves those it made before to other units.
		for i := range (r + 1) * own / rounds {
			c := i % calls
			batches[c] = append(batches[c], heed.Customer{ExternalID: fmt.Sprintf("w%d-%03d", g, i), Name: "Own",
				Unit: leaf(c, i+g)})
		}
		if g%2 == 1 {
			for _, batch := range batches {
				slices.Reverse(batch)
			}
		}
		err := s.InTx(t.Context(), func(q heed.Queries) error {
			for _, batch := range batches {
				if _, err := q.UpsertCustomers(t.Context(), batch, T0.Add(time.Duration(r)*time.Minute)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("writer %d, round %d: %w", g, r, err)
		}
	}
	return nil
}

// concurrentUnitMover moves leaf0 between the regions while customers
// are written: its customers' counts must go along.
func concurrentUnitMover(t *testing.T, s heed.Store) error {
	for i := range 6 {
		parent := []string{"west", "east"}[i%2]
		if _, err := s.UpsertUnits(t.Context(), []heed.Unit{{Key: "leaf0", Name: "leaf0", Parent: parent}},
			T0.Add(time.Duration(i)*time.Minute)); err != nil {
			return fmt.Errorf("moving leaf0 below %s: %w", parent, err)
		}
	}
	return nil
}

// BenchCountCustomers builds 1,000,000 customers in 40 units (a root,
// 3 regions of 12 shops; one frontline employee per shop; 1 customer in
// 50 owned by the employee of another shop) through UpsertCustomers, once,
// then times CountCustomers against baseline, the same count computed
// another way (an engine's old COUNT(*) over every customer in scope),
// for everything, a region and a frontline employee. Package sqlite and
// package postgres each run it.
func BenchCountCustomers(b *testing.B, s heed.Store, baseline func(ctx context.Context, scope heed.Scope) (int, error)) {
	const total, batch = 1_000_000, 50_000
	ctx := b.Context()
	shops := seedBenchOrg(b, s)
	start := time.Now()
	for from := 0; from < total; from += batch {
		custs := make([]heed.Customer, batch)
		for j := range custs {
			i := from + j
			custs[j] = heed.Customer{ExternalID: fmt.Sprintf("C%07d", i), Name: fmt.Sprintf("Customer %d", i),
				Email: fmt.Sprintf("c%d@example.com", i), Unit: shops[i%len(shops)]}
			if i%50 == 0 { // owned by the employee of another shop than its own
				custs[j].Owner = shops[(i/50+7)%len(shops)] + "@acme.example"
			}
		}
		if _, err := s.UpsertCustomers(ctx, custs, T0); err != nil {
			b.Fatalf("UpsertCustomers: %v", err)
		}
	}
	b.Logf("%d customers written in %s", total, time.Since(start).Round(time.Second))
	region, shop := benchUnit(b, s, "region-1"), benchUnit(b, s, shops[0])
	emp, err := s.GetEmployee(ctx, shops[0]+"@acme.example")
	if err != nil {
		b.Fatal(err)
	}
	scopes := []struct {
		name  string
		scope heed.Scope
	}{
		{"all", heed.Scope{All: true}},
		{"region", heed.Scope{UnitPath: region.Path}},
		{"frontline", heed.Scope{UnitID: shop.ID, OwnerID: emp.ID}},
	}
	for _, sc := range scopes {
		want, err := baseline(ctx, sc.scope)
		if n, err2 := s.CountCustomers(ctx, sc.scope); err != nil || err2 != nil || n != want {
			b.Fatalf("%s: CountCustomers = %d, %v; baseline %d, %v", sc.name, n, err2, want, err)
		}
		b.Logf("%s: %d customers", sc.name, want)
		for _, way := range []struct {
			name  string
			count func(context.Context, heed.Scope) (int, error)
		}{{"unit_stats", s.CountCustomers}, {"count(*)", baseline}} {
			b.Run(sc.name+"/"+way.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := way.count(ctx, sc.scope); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// seedBenchOrg makes the 40 units and 36 employees of
// BenchCountCustomers and returns the shops' keys.
func seedBenchOrg(b *testing.B, s heed.Store) []string {
	units := []heed.Unit{{Key: "hq", Name: "HQ"}}
	var emps []heed.Employee
	var shops []string
	for r := range 3 {
		region := fmt.Sprintf("region-%d", r)
		units = append(units, heed.Unit{Key: region, Name: region, Parent: "hq"})
		for i := range 12 {
			key := fmt.Sprintf("shop-%d-%02d", r, i)
			units = append(units, heed.Unit{Key: key, Name: key, Parent: region})
			emps = append(emps, heed.Employee{Email: key + "@acme.example", Name: key, Role: heed.RoleFrontline, Unit: key})
			shops = append(shops, key)
		}
	}
	if _, err := s.UpsertUnits(b.Context(), units, T0); err != nil {
		b.Fatal(err)
	}
	if _, err := s.UpsertEmployees(b.Context(), emps, T0); err != nil {
		b.Fatal(err)
	}
	return shops
}

func benchUnit(b *testing.B, s heed.Store, key string) heed.Unit {
	u, err := s.GetUnit(b.Context(), key)
	if err != nil {
		b.Fatal(err)
	}
	return u
}
