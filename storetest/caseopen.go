package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// testCaseLate: ListCases with LateAt keeps exactly the cases
// heed.Case.Late finds late, and pages through them whole, so a late
// case behind a page of on-time ones is still found.
func testCaseLate(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := caseFixture{invitationFixture: seedInvitations(t, s), cases: map[string]heed.Case{}, names: map[int64]string{}}
	// Half a microsecond past a whole one: stored times are whole
	// microseconds, and a due time at the microsecond just before is late.
	at := T0.Add(10*caseDay + 500)
	floor := at.Truncate(time.Microsecond)
	contacted := T0
	kinds := []struct {
		name                   string
		firstDue, resolveDue   time.Time
		firstContact, closedAt *time.Time
		late                   bool
	}{
		{"not called in time", at.Add(-time.Hour), at.Add(caseDay), nil, nil, true},
		{"called, first due passed", at.Add(-time.Hour), at.Add(caseDay), &contacted, nil, false},
		{"called, resolve due passed", at.Add(-caseDay), at.Add(-time.Hour), &contacted, nil, true},
		{"first due at the microsecond before", floor, at.Add(caseDay), nil, nil, true},
		{"first due at the microsecond after", floor.Add(time.Microsecond), at.Add(caseDay), nil, nil, false},
		{"resolve due at the microsecond before", at.Add(-caseDay), floor, &contacted, nil, true},
		{"closed after both dues", at.Add(-caseDay), at.Add(-time.Hour), nil, &contacted, false},
		{"on time", at.Add(time.Hour), at.Add(caseDay), nil, nil, false},
	}
	customers := []string{"c1", "c2", "c3", "c4", "c5", "c6"}
	var want []string // newest first
	for round := range 3 {
		for i, k := range kinds {
			cust := customers[(round*len(kinds)+i)%len(customers)]
			c := f.newCase(t, s, cust, "n1", "", T0)
			c.FirstContactDue, c.ResolveDue, c.FirstContactAt, c.ClosedAt = k.firstDue, k.resolveDue, k.firstContact, k.closedAt
			if k.closedAt != nil {
				c.Stage = heed.StageClosed
			}
			name := fmt.Sprintf("%s #%d", k.name, round)
			out := mustCreateCase(t, s, c, heed.CaseEvent{}, T0)
			f.cases[name], f.names[out.ID] = out, name
			if out.Late(at) != k.late {
				t.Fatalf("%s: Case.Late = %v; the fixture expects %v", name, out.Late(at), k.late)
			}
			if k.late {
				want = append([]string{name}, want...)
			}
		}
	}
	if len(want) != 12 {
		t.Fatalf("fixture has %d late cases; want 12", len(want))
	}

	all := heed.Scope{All: true}
	var got []string
	var before int64
	for page := 0; ; page++ {
		if page > len(want) {
			t.Fatalf("paging did not end after %d pages", page)
		}
		cases, err := s.ListCases(ctx, all, heed.CaseFilter{LateAt: at, Limit: 5, BeforeID: before})
		if err != nil {
			t.Fatalf("ListCases(late, page %d): %v", page, err)
		}
		got = append(got, f.caseNames(cases)...)
		if len(cases) < 5 {
			break
		}
		before = cases[len(cases)-1].ID
	}
	if !slices.Equal(got, want) {
		t.Errorf("late cases paged through =\n%q\nwant\n%q", got, want)
	}

	// With other filters: they combine.
	k := f.cases["not called in time #1"]
	cases, err := s.ListCases(ctx, all, heed.CaseFilter{LateAt: at, CustomerID: k.CustomerID, Open: true})
	wantNames := []string{}
	for _, name := range want {
		if f.cases[name].CustomerID == k.CustomerID {
			wantNames = append(wantNames, name)
		}
	}
	if names := f.caseNames(cases); err != nil || len(wantNames) == 0 || !slices.Equal(names, wantNames) {
		t.Errorf("late cases of %s = %q, %v; want %q", k.Customer, names, err, wantNames)
	}
	// Before every due time nothing is late.
	if cases, err := s.ListCases(ctx, all, heed.CaseFilter{LateAt: T0}); err != nil || len(cases) != 0 {
		t.Errorf("cases late at T0 = %q, %v; want none", f.caseNames(cases), err)
	}
}

// testOpenCaseRace: several transactions each look for a customer's
// open case and open one when there is none, at once. FindOpenCase holds
// the customer until commit, so exactly one case opens and the others
// find it.
func testOpenCaseRace(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := caseFixture{invitationFixture: seedInvitations(t, s)}
	c := f.newCase(t, s, "c1", "n1", "ann", T0)
	const n = 6
	var start, wg sync.WaitGroup
	start.Add(1)
	created := make([]bool, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			start.Wait()
			errs[i] = s.InTx(ctx, func(q heed.Queries) error {
				_, err := q.FindOpenCase(ctx, c.CustomerID)
				if heed.ErrorCode(err) != heed.ENotFound {
					return err
				}
				// Give the others time to look too: without the hold they
				// would all find none.
				time.Sleep(20 * time.Millisecond)
				_, err = q.CreateCase(ctx, c, heed.CaseEvent{}, T0)
				created[i] = err == nil
				return err
			})
		})
	}
	start.Done()
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("racing transactions: %v", err)
	}
	open, err := s.ListCases(ctx, heed.Scope{All: true}, heed.CaseFilter{CustomerID: c.CustomerID, Open: true})
	if err != nil || len(open) != 1 {
		t.Errorf("open cases of c1 after %d racing transactions = %d, %v; want exactly 1", n, len(open), err)
	}
	if k := slices.Index(created, true); k < 0 || slices.Contains(created[k+1:], true) {
		t.Errorf("transactions that created a case: %v; want exactly one", created)
	}
}
