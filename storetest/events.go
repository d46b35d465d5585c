package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

// testEvents holds customer events and the histories read from them to
// the contract.
func testEvents(t *testing.T, open Opener) {
	t.Run("events round trip and upsert", func(t *testing.T) { testEventUpsert(t, open(t)) })
	t.Run("events refused", func(t *testing.T) { testEventInvalid(t, open(t)) })
	t.Run("events upserted concurrently", func(t *testing.T) { testEventsConcurrently(t, open(t)) })
	t.Run("histories by scope", func(t *testing.T) { testHistoryScope(t, open(t)) })
	t.Run("histories of many customers", func(t *testing.T) { testHistoryPages(t, open(t)) })
}

// event is an event of customer at T0 plus hours.
func event(t *testing.T, s heed.Store, customer string, kind heed.CustomerEventKind, hours int, amount heed.Decimal, source, ext string) heed.CustomerEvent {
	t.Helper()
	c := mustGetCustomer(t, s, customer)
	return heed.CustomerEvent{CustomerID: c.ID, Customer: customer, Kind: kind, At: T0.Add(time.Duration(hours) * time.Hour),
		Amount: amount, Source: source, ExternalID: ext}
}

func mustUpsertEvents(t *testing.T, s heed.Store, now time.Time, events ...heed.CustomerEvent) []heed.EventUpsert {
	t.Helper()
	res, err := s.UpsertEvents(t.Context(), events, now)
	if err != nil {
		t.Fatalf("UpsertEvents: %v", err)
	}
	if len(res) != len(events) {
		t.Fatalf("UpsertEvents of %d events said %d things", len(events), len(res))
	}
	return res
}

func mustListEvents(t *testing.T, s heed.Store, customer string, until time.Time) []heed.CustomerEvent {
	t.Helper()
	list, err := s.ListCustomerEvents(t.Context(), mustGetCustomer(t, s, customer).ID, until)
	if err != nil {
		t.Fatalf("ListCustomerEvents(%s): %v", customer, err)
	}
	return list
}

func testEventUpsert(t *testing.T, s heed.Store) {
	seedOrg(t, s)
	buy := event(t, s, "c1", heed.EventPurchase, 2, 12_5000, "shop", "o-1")
	visit := event(t, s, "c1", heed.EventVisit, 1, 0, "", "") // no external id
	other := event(t, s, "c2", heed.EventCancellation, 0, 0, "crm", "x-1")
	res := mustUpsertEvents(t, s, T0, buy, visit, other)
	for i, r := range res {
		if !r.Created || !r.Changed || r.ID == 0 {
			t.Fatalf("first upsert, event %d: %+v", i+1, r)
		}
	}
	buy.ID, visit.ID, other.ID = res[0].ID, res[1].ID, res[2].ID
	got := mustListEvents(t, s, "c1", time.Time{})
	if want := []heed.CustomerEvent{visit, buy}; !slices.Equal(got, want) {
		t.Fatalf("c1's events =\n%+v\nwant, oldest first,\n%+v", got, want)
	}
	if got := mustListEvents(t, s, "c1", T0.Add(time.Hour)); len(got) != 1 || got[0].ID != visit.ID {
		t.Errorf("c1's events until the visit = %+v; want the visit only", got)
	}
	if got := mustListEvents(t, s, "c3", time.Time{}); got == nil || len(got) != 0 {
		t.Errorf("events of a customer without any = %#v; want []", got)
	}

	// The same again: nothing created, nothing changed, no duplicate.
	res = mustUpsertEvents(t, s, T0.Add(time.Hour), buy, visit, other)
	for i, r := range res {
		if r.Created || r.Changed || r.ID != []int64{buy.ID, visit.ID, other.ID}[i] {
			t.Errorf("sent again, event %d: %+v", i+1, r)
		}
	}
	// By external id: a new amount, time and customer update the event.
	buy.Amount, buy.At = 13_0000, buy.At.Add(30*time.Minute)
	moved := other
	moved.CustomerID, moved.Customer = mustGetCustomer(t, s, "c1").ID, "c1"
	res = mustUpsertEvents(t, s, T0.Add(time.Hour), buy, moved)
	if res[0].Created || !res[0].Changed || res[0].ID != buy.ID || res[1].Created || !res[1].Changed || res[1].ID != other.ID {
		t.Fatalf("changed events: %+v", res)
	}
	got = mustListEvents(t, s, "c1", time.Time{})
	if want := []heed.CustomerEvent{moved, visit, buy}; !slices.Equal(got, want) {
		t.Errorf("after the changes, c1's events =\n%+v\nwant\n%+v", got, want)
	}
	if got := mustListEvents(t, s, "c2", time.Time{}); len(got) != 0 {
		t.Errorf("c2 keeps %+v after its event moved to c1", got)
	}
	// Without an external id, another amount (or time) is another event;
	// and one external id is one event per source only.
	visit2 := visit
	visit2.At = visit.At.Add(time.Minute)
	again := buy
	again.Source = "app"
	res = mustUpsertEvents(t, s, T0, visit2, again)
	if !res[0].Created || !res[1].Created {
		t.Errorf("a visit a minute later and o-1 from another source: %+v; want both created", res)
	}
	if got := mustListEvents(t, s, "c1", time.Time{}); len(got) != 5 {
		t.Errorf("c1 has %d events; want 5", len(got))
	}
}

func testEventInvalid(t *testing.T, s heed.Store) {
	seedOrg(t, s)
	good := event(t, s, "c1", heed.EventPurchase, 0, 10_0000, "shop", "ok")
	for _, tt := range []struct {
		field  string
		code   heed.Code
		change func(*heed.CustomerEvent)
	}{
		{"kind", heed.EInvalid, func(e *heed.CustomerEvent) { e.Kind = "sneeze" }},
		{"at", heed.EInvalid, func(e *heed.CustomerEvent) { e.At = time.Time{} }},
		{"amount", heed.EInvalid, func(e *heed.CustomerEvent) { e.Amount = -1 }},
		{"amount", heed.EInvalid, func(e *heed.CustomerEvent) { e.Kind = heed.EventVisit }},
		{"customer", heed.EInvalid, func(e *heed.CustomerEvent) { e.CustomerID = 0 }},
		{"customer", heed.ENotFound, func(e *heed.CustomerEvent) { e.CustomerID = 999999 }},
		{"external_id", heed.EInvalid, func(e *heed.CustomerEvent) { e.ExternalID = "a\x00b" }},
		{"source", heed.EInvalid, func(e *heed.CustomerEvent) { e.Source = string(make([]byte, 201)) }},
	} {
		bad := good
		bad.ExternalID = "bad-" + tt.field
		tt.change(&bad)
		_, err := s.UpsertEvents(t.Context(), []heed.CustomerEvent{good, bad}, T0)
		wantErr(t, fmt.Sprintf("UpsertEvents with a bad %s", tt.field), err, tt.code, tt.field)
	}
	if got := mustListEvents(t, s, "c1", time.Time{}); len(got) != 0 {
		t.Fatalf("refused batches left %d events", len(got))
	}
}

// testEventsConcurrently: batches racing with the same events, with and
// without external ids, make one event each, and none of them fails.
func testEventsConcurrently(t *testing.T, s heed.Store) {
	seedOrg(t, s)
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			for i := range 10 {
				e := event(t, s, "c1", heed.EventPurchase, i, heed.Decimal(w+1), "shop", fmt.Sprintf("race-%d", i))
				same := event(t, s, "c1", heed.EventVisit, i, 0, "door", "")
				if _, err := s.UpsertEvents(t.Context(), []heed.CustomerEvent{e, same}, T0); err != nil {
					t.Errorf("worker %d, event %d: %v", w, i, err)
				}
			}
		})
	}
	wg.Wait()
	if got := mustListEvents(t, s, "c1", time.Time{}); len(got) != 20 {
		t.Fatalf("%d events after the race; want 20", len(got))
	}
}

// walk collects what EachCustomerHistory hands out.
func walk(t *testing.T, s heed.Store, scope heed.Scope, unit string, until time.Time) ([]heed.CustomerHistory, error) {
	t.Helper()
	var out []heed.CustomerHistory
	err := s.EachCustomerHistory(t.Context(), scope, unit, until, func(h heed.CustomerHistory) error {
		out = append(out, h)
		return nil
	})
	return out, err
}

func historyCustomers(hs []heed.CustomerHistory) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Customer.ExternalID)
	}
	return out
}

func testHistoryScope(t *testing.T, s heed.Store) {
	f := seedInvitations(t, s)
	seedResponses(t, s, f) // c1 9 on day 0, c3 3 on day 1, c5 7 on day 2, c6 10 on day 3, c4 8 on day 6
	mustUpsertEvents(t, s, T0,
		event(t, s, "c3", heed.EventPurchase, 30, 5_0000, "shop", "p-2"),
		event(t, s, "c1", heed.EventVisit, 5, 0, "", ""),
		event(t, s, "c1", heed.EventPurchase, 1, 20_0000, "shop", "p-1"),
		event(t, s, "c5", heed.EventLogin, 2, 0, "app", "l-1"))
	all, err := walk(t, s, heed.Scope{All: true}, "", time.Time{})
	if want := []string{"c1", "c2", "c3", "c4", "c5", "c6"}; err != nil || !slices.Equal(historyCustomers(all), want) {
		t.Fatalf("every history: %v, %v; want %v, in id order", historyCustomers(all), err, want)
	}
	c1 := all[0]
	if len(c1.Events) != 2 || c1.Events[0].Kind != heed.EventPurchase || c1.Events[0].Amount != 20_0000 ||
		c1.Events[1].Kind != heed.EventVisit || c1.Events[0].Customer != "c1" || c1.Customer.Name != "Alice Adams" {
		t.Errorf("c1's history: %+v", c1)
	}
	if want := []heed.ScoredAnswer{{Kind: heed.SurveyNPS, Score: 9, At: T0}}; !slices.Equal(c1.Answers, want) {
		t.Errorf("c1's answers = %+v; want %+v", c1.Answers, want)
	}
	if c2 := all[1]; c2.Events == nil || len(c2.Events) != 0 || c2.Answers == nil || len(c2.Answers) != 0 {
		t.Errorf("c2, who did nothing: %#v", c2)
	}
	if c4 := all[3]; len(c4.Answers) != 1 || c4.Answers[0].Score != 8 {
		t.Errorf("c4's answers: %+v", c4.Answers)
	}
	for _, tt := range []struct {
		name  string
		scope heed.Scope
		unit  string
		want  []string
	}{
		{"manager of north", f.principal("boss").Scope(), "", []string{"c1", "c2", "c3", "c4", "c6"}},
		{"ann: n1 and her customers", f.principal("ann").Scope(), "", []string{"c1", "c2", "c3"}},
		{"sue", f.principal("sue").Scope(), "", []string{"c5"}},
		{"nobody", heed.Scope{}, "", nil},
		{"unit n2", heed.Scope{All: true}, "n2", []string{"c3", "c4"}},
		{"sue in north", f.principal("sue").Scope(), "north", nil},
	} {
		got, err := walk(t, s, tt.scope, tt.unit, time.Time{})
		if err != nil || !slices.Equal(historyCustomers(got), tt.want) {
			t.Errorf("%s: histories of %v, %v; want %v", tt.name, historyCustomers(got), err, tt.want)
		}
	}
	// Until: what was known then.
	early, err := walk(t, s, heed.Scope{All: true}, "n1", T0.Add(2*time.Hour))
	if err != nil || len(early) != 2 || len(early[0].Events) != 1 || len(early[0].Answers) != 1 {
		t.Errorf("n1 until two hours in: %+v, %v; want c1's purchase and answer only", early, err)
	}
	if c3, _ := walk(t, s, heed.Scope{All: true}, "n2", T0.Add(24*time.Hour)); len(c3[0].Events) != 0 || len(c3[0].Answers) != 1 {
		t.Errorf("c3 until day 1: %+v", c3[0])
	}
	_, err = walk(t, s, heed.Scope{All: true}, "attic", time.Time{})
	wantErr(t, "EachCustomerHistory in an unknown unit", err, heed.ENotFound, "unit")
	stop := errors.New("enough")
	n := 0
	err = s.EachCustomerHistory(t.Context(), heed.Scope{All: true}, "", time.Time{}, func(heed.CustomerHistory) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("fn failing: %d calls, %v; want 1 and its error", n, err)
	}
}

// testHistoryPages: a walk over more customers than a page sees each
// once, in id order, with its own events, and may use the store as it
// goes.
func testHistoryPages(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "hq", Name: "HQ"})
	n := 2*sqlstore.HistoryPage + 3
	custs := make([]heed.Customer, n)
	for i := range custs {
		custs[i] = heed.Customer{ExternalID: fmt.Sprintf("k%04d", i), Unit: "hq"}
	}
	mustUpsertCustomers(t, s, T0, custs...)
	var events []heed.CustomerEvent
	for i := 0; i < n; i += 7 {
		events = append(events, event(t, s, custs[i].ExternalID, heed.EventPurchase, i, heed.Decimal(i+1), "shop", custs[i].ExternalID))
	}
	mustUpsertEvents(t, s, T0, events...)
	var seen []string
	var last int64
	err := s.EachCustomerHistory(t.Context(), heed.Scope{All: true}, "hq", time.Time{}, func(h heed.CustomerHistory) error {
		if h.Customer.ID <= last {
			return fmt.Errorf("customer %s (id %d) after id %d", h.Customer.ExternalID, h.Customer.ID, last)
		}
		last = h.Customer.ID
		seen = append(seen, h.Customer.ExternalID)
		i := len(seen) - 1
		switch {
		case i%7 == 0 && (len(h.Events) != 1 || h.Events[0].Customer != h.Customer.ExternalID || h.Events[0].Amount != heed.Decimal(i+1)):
			return fmt.Errorf("%s: events %+v", h.Customer.ExternalID, h.Events)
		case i%7 != 0 && len(h.Events) != 0:
			return fmt.Errorf("%s: events %+v; want none", h.Customer.ExternalID, h.Events)
		}
		_, err := s.GetCustomer(t.Context(), heed.Scope{All: true}, h.Customer.ExternalID) // the store is free meanwhile
		return err
	})
	if err != nil || len(seen) != n || seen[0] != "k0000" || seen[n-1] != fmt.Sprintf("k%04d", n-1) {
		t.Fatalf("walked %d of %d customers (%v); err %v", len(seen), n, seen[:min(3, len(seen))], err)
	}
}

// EventCascade checks that deleting a customer deletes its events and
// nobody else's. deleteCustomer deletes a customer by external id in the
// engine's SQL: no store method deletes customers. Package sqlite and
// package postgres each run it.
func EventCascade(t *testing.T, s heed.Store, deleteCustomer func(externalID string) error) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "hq", Name: "HQ"})
	mustUpsertCustomers(t, s, T0, heed.Customer{ExternalID: "gone", Unit: "hq"}, heed.Customer{ExternalID: "stays", Unit: "hq"})
	gone := mustGetCustomer(t, s, "gone")
	mustUpsertEvents(t, s, T0,
		event(t, s, "gone", heed.EventPurchase, 0, 1_0000, "shop", "g-1"),
		event(t, s, "gone", heed.EventVisit, 1, 0, "", ""),
		event(t, s, "stays", heed.EventVisit, 1, 0, "", ""))
	if err := deleteCustomer("gone"); err != nil {
		t.Fatalf("deleting a customer with events: %v", err)
	}
	if got, err := s.ListCustomerEvents(t.Context(), gone.ID, time.Time{}); err != nil || len(got) != 0 {
		t.Errorf("the deleted customer's events: %+v, %v; want none", got, err)
	}
	if got := mustListEvents(t, s, "stays", time.Time{}); len(got) != 1 {
		t.Errorf("the other customer's events: %+v; want 1", got)
	}
	// Its external id is free again: the event is created anew.
	mustUpsertCustomers(t, s, T0, heed.Customer{ExternalID: "gone", Unit: "hq"})
	if res := mustUpsertEvents(t, s, T0, event(t, s, "gone", heed.EventPurchase, 0, 1_0000, "shop", "g-1")); !res[0].Created {
		t.Errorf("the deleted event sent again: %+v; want created", res[0])
	}
}
