package demo

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/events"
	"github.com/heedhq/heed/loyalty"
)

func TestEventsDeterministic(t *testing.T) {
	ds := Generate(4)
	fa, fb := planFeedback(ds, demoNow), planFeedback(ds, demoNow)
	a, ma := planEvents(ds, demoNow, nil, fa), supportMarker(fa)
	b, mb := planEvents(ds, demoNow, nil, fb), supportMarker(fb)
	if !reflect.DeepEqual(a, b) || ma != mb {
		t.Fatal("the same seed and day gave different events")
	}
	if !slices.Contains(a, ma) {
		t.Errorf("the marker %+v is not among the events: a second load would not find it", ma)
	}
	later := supportMarker(planFeedback(ds, demoNow.AddDate(0, 0, 3)))
	if later.Source != ma.Source || later.ExternalID != ma.ExternalID || later.Customer != ma.Customer {
		t.Errorf("the marker is %+v one day and %+v three days later: a second load would not know the first", ma, later)
	}
	first := demoNow.AddDate(0, 0, -eventDays-1)
	for _, e := range a {
		if !e.At.After(first) || e.At.After(demoNow) || (e.Amount != 0) != (e.Kind == heed.EventPurchase) {
			t.Fatalf("event %+v: outside the %d days before now, or an amount on a %s", e, eventDays, e.Kind)
		}
	}
}

// TestLoadEvents loads the demo's events after its surveys into a real
// SQLite file and reads what the customer pages show: every rung of the
// ladder, every level of churn risk — higher in the stores whose story is
// a trouble — and a support contact for every ticket and call.
func TestLoadEvents(t *testing.T) {
	ctx := context.Background()
	ds := Generate(1)
	store := loadOrg(t, ds)
	lp := wire(store)
	if _, err := LoadSurveys(ctx, lp.Surveys, store, ds, demoNow, nil); err != nil {
		t.Fatal(err)
	}
	var done, total int
	rep, err := LoadEvents(ctx, lp.Events, store, ds, demoNow, func(_ string, d, n int) { done, total = d, n })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first load: %+v", rep)
	if rep.Events < 40_000 || rep.Events > 150_000 || done != total || total != rep.Events {
		t.Fatalf("first load %+v, progress %d of %d", rep, done, total)
	}
	for _, k := range heed.CustomerEventKinds() {
		if rep.ByKind[k] < 50 || rep.ByKind[k] > rep.ByKind[heed.EventPurchase] {
			t.Errorf("%d %s events; want some, and fewer than purchases (%d)", rep.ByKind[k], k, rep.ByKind[heed.EventPurchase])
		}
	}

	t.Run("ladder", func(t *testing.T) { checkLadder(t, lp.Events) })
	t.Run("churn", func(t *testing.T) { checkChurn(t, ds, lp.Events) })
	t.Run("support", func(t *testing.T) { checkSupport(t, store, ds) })

	again, err := LoadEvents(ctx, lp.Events, store, ds, demoNow.Add(24*time.Hour), nil)
	if err != nil || again.Events != 0 {
		t.Errorf("second load added %+v (%v)", again, err)
	}
}

// checkLadder: today every rung has customers and none holds most of
// them; a year ago fewer customers were known.
func checkLadder(t *testing.T, ev *events.Service) {
	l, err := ev.Ladder(context.Background(), heed.System(), "", time.Time{}, time.Time{}, events.EveryMonth)
	if err != nil {
		t.Fatal(err)
	}
	first, last := l.Points[0], l.Points[len(l.Points)-1]
	t.Logf("ladder today: %v of %d", last.Counts, last.Known)
	for _, r := range loyalty.Rungs() {
		if n := last.Counts[r]; n < 50 || 2*n > last.Known {
			t.Errorf("%d customers on %s of %d; want some, and not most", n, r, last.Known)
		}
	}
	if last.Known != customers || first.Known >= last.Known {
		t.Errorf("known: %d a year ago, %d today", first.Known, last.Known)
	}
}

// checkChurn: of every third customer, some are at each level of risk,
// for each reason; customers of the stores with a trouble are more at
// risk than the others.
func checkChurn(t *testing.T, ds Dataset, ev *events.Service) {
	levels := map[bool]map[loyalty.Level]int{false: {}, true: {}}
	factors := map[string]int{}
	for i, c := range ds.Customers {
		if i%3 != 0 {
			continue
		}
		p, err := ev.Profile(context.Background(), heed.System(), c.ExternalID)
		if err != nil {
			t.Fatal(err)
		}
		s, ok := storyByUnit[c.Unit]
		levels[ok && s.trouble != ""][p.Churn.Level]++
		for _, f := range p.Churn.Factors {
			factors[f.Key]++
		}
	}
	t.Logf("churn levels, customers of stores with a trouble: %v, of the others: %v; factors %v", levels[true], levels[false], factors)
	for _, l := range []loyalty.Level{loyalty.LevelLow, loyalty.LevelMedium, loyalty.LevelHigh} {
		if levels[false][l]+levels[true][l] < 20 {
			t.Errorf("%d customers at %s risk; want some", levels[false][l]+levels[true][l], l)
		}
	}
	for _, f := range []string{loyalty.FactorCancelled, loyalty.FactorOverdue, loyalty.FactorFewerPurchases,
		loyalty.FactorDetractor, loyalty.FactorPromoter, loyalty.FactorInactive} {
		if factors[f] < 5 {
			t.Errorf("%d customers with the churn factor %s; want some", factors[f], f)
		}
	}
	risk := func(m map[loyalty.Level]int) float64 {
		return float64(m[loyalty.LevelMedium]+m[loyalty.LevelHigh]) / float64(m[loyalty.LevelLow]+m[loyalty.LevelMedium]+m[loyalty.LevelHigh])
	}
	if risk(levels[true]) < 1.5*risk(levels[false]) {
		t.Errorf("%.3f of the troubled stores' customers at risk, %.3f of the others'; want clearly more", risk(levels[true]), risk(levels[false]))
	}
}

// checkSupport: every ticket and call of a known customer is a support
// contact on their profile, with its id and time.
func checkSupport(t *testing.T, store heed.Store, ds Dataset) {
	ctx := context.Background()
	ids := map[string]int64{}
	n := 0
	for _, p := range planFeedback(ds, demoNow) {
		if p.customer == "" || p.in.Kind == heed.FeedbackReview {
			continue
		}
		id, ok := ids[p.customer]
		if !ok {
			c, err := store.GetCustomer(ctx, heed.Scope{All: true}, p.customer)
			if err != nil {
				t.Fatal(err)
			}
			id, ids[p.customer] = c.ID, c.ID
		}
		evs, err := store.ListCustomerEvents(ctx, id, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(evs, func(e heed.CustomerEvent) bool {
			return e.Kind == heed.EventSupport && e.Source == p.in.Source && e.ExternalID == p.in.ExternalID && e.At.Equal(*p.in.At)
		}) {
			t.Errorf("%s %s of %s has no support contact", p.in.Source, p.in.ExternalID, p.customer)
		}
		n++
	}
	if n < 500 {
		t.Errorf("%d tickets and calls of known customers; want most of them", n)
	}
}
