package cases_test

import (
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/internal/testdb"
)

// TestEscalatesTwoLevels: a case nobody answers climbs to the owner's
// manager when its first contact is due, and a day later to the next
// level; each is emailed and sees it among their escalated cases. A case
// contacted in time does not climb.
func TestEscalatesTwoLevels(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			rcv := newReceiver(t)
			if _, err := f.hooks.Create(ctx, heed.System(), heed.Webhook{URL: rcv.URL, Events: []string{heed.EventCaseEscalated}, Active: true}); err != nil {
				t.Fatal(err)
			}
			f.answer(t, "C-1", 2, "Broken on arrival") // nobody calls
			f.answer(t, "C-3", 1, "Rude staff")        // called in time
			nell := f.who(t, "nell@co.example")
			if _, err := f.cs.LogCall(ctx, nell, onlyCase(t, f, nell).ID, heed.CallReached, "sorted"); err != nil {
				t.Fatal(err)
			}
			f.runPool(t)
			level := func(customer string) heed.Case {
				cs, err := f.cs.List(ctx, heed.System(), cases.Filter{Customer: customer})
				if err != nil || len(cs) != 1 {
					t.Fatalf("cases of %s: %v", customer, err)
				}
				return cs[0]
			}
			f.advance(t, 47*time.Hour)
			time.Sleep(150 * time.Millisecond)
			if c := level("C-1"); c.EscalationLevel != 0 {
				t.Fatalf("escalated before the due time: %+v", c)
			}
			f.advance(t, time.Hour+time.Second)
			waitFor(t, "level 1", func() bool { return level("C-1").EscalationLevel == 1 })
			if c := level("C-1"); c.EscalatedTo != "nora@co.example" {
				t.Fatalf("level 1 went to %q; want nora, nick's manager", c.EscalatedTo)
			}
			esc, err := f.cs.List(ctx, f.who(t, "nora@co.example"), cases.Filter{Escalated: "me"})
			if err != nil || len(esc) != 1 {
				t.Fatalf("nora's escalated cases = %v, %v", esc, err)
			}
			f.advance(t, 23*time.Hour)
			time.Sleep(150 * time.Millisecond)
			if c := level("C-1"); c.EscalationLevel != 1 {
				t.Fatalf("level 2 came early: %+v", c)
			}
			f.advance(t, time.Hour+time.Second)
			waitFor(t, "level 2", func() bool { return level("C-1").EscalationLevel == 2 })
			if c := level("C-1"); c.EscalatedTo != "ceo@co.example" {
				t.Fatalf("level 2 went to %q; want the ceo, one level further up", c.EscalatedTo)
			}
			if c := level("C-3"); c.EscalationLevel != 0 {
				t.Fatalf("the case called in time escalated: %+v", c)
			}
			waitFor(t, "two escalation emails", func() bool {
				n := 0
				for _, m := range f.mail.Messages() {
					if m.To[0] == "nora@co.example" || m.To[0] == "ceo@co.example" {
						n++
					}
				}
				return n == 2
			})
			waitFor(t, "two case.escalated webhooks", func() bool { return len(rcv.all()) == 2 })
			f.advance(t, 10*24*time.Hour)
			time.Sleep(150 * time.Millisecond)
			if c := level("C-1"); c.EscalationLevel != 2 {
				t.Fatalf("climbed past the second level: %+v", c)
			}
		})
	}
}

// TestEscalationStopsAtTheTop: a case whose owner has one manager above
// climbs to that manager once; at the second level there is nobody
// further up, and the same manager is not emailed again.
func TestEscalationStopsAtTheTop(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			// C-7 belongs to the region itself: Nora owns the case and only
			// the CEO is above her.
			dir := directory.New(f.store, f.clock.Now)
			must(t)(dir.UpsertCustomers(ctx, heed.System(), []heed.Customer{{ExternalID: "C-7", Name: "Customer 7",
				Email: "c7@mail.example", Unit: "north", Consent: true, Language: "en"}}))
			f.answer(t, "C-7", 1, "Nobody called")
			f.runPool(t)
			kase := func() heed.Case {
				cs, err := f.cs.List(ctx, heed.System(), cases.Filter{Customer: "C-7"})
				if err != nil || len(cs) != 1 {
					t.Fatalf("cases of C-7: %v, %v", cs, err)
				}
				return cs[0]
			}
			if c := kase(); c.Owner != "nora@co.example" {
				t.Fatalf("owner %q; want nora", c.Owner)
			}
			f.advance(t, 48*time.Hour+time.Second)
			waitFor(t, "level 1", func() bool { return kase().EscalationLevel == 1 })
			if c := kase(); c.EscalatedTo != "ceo@co.example" {
				t.Fatalf("level 1 went to %q; want the ceo", c.EscalatedTo)
			}
			f.advance(t, 24*time.Hour+time.Second)
			f.advance(t, time.Second) // the level-2 job has run once the queue settles
			if c := kase(); c.EscalationLevel != 1 || c.EscalatedTo != "ceo@co.example" {
				t.Fatalf("after level 2 was due: %+v; want it left at level 1", c)
			}
			n := 0
			for _, m := range f.mail.Messages() {
				if m.To[0] == "ceo@co.example" && strings.HasPrefix(m.Subject, "Escalated") {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("the ceo got %d escalation emails; want 1", n)
			}
		})
	}
}
