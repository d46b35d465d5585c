package cases_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
)

// TestReceiverDownGetsEverythingInOrder: while the receiver is down,
// events pile up (attempts are made and refused); when it is back it
// gets every one, each once, in the order they happened: the promise is
// per endpoint, so across cases too.
func TestReceiverDownGetsEverythingInOrder(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			rcv := newReceiver(t)
			rcv.setDown(true)
			wh, err := f.hooks.Create(ctx, heed.System(), heed.Webhook{URL: rcv.URL, Active: true,
				Events: []string{heed.EventCaseOpened, heed.EventCaseUpdated, heed.EventCaseClosed}})
			if err != nil {
				t.Fatal(err)
			}
			f.runPool(t)
			nick, nell := f.who(t, "nick@co.example"), f.who(t, "nell@co.example")
			f.answer(t, "C-1", 2, "one")
			f.answer(t, "C-3", 3, "two")
			c1, c3 := onlyCase(t, f, nick), onlyCase(t, f, nell)
			var want []string // "case:event" in the order they happened
			want = append(want, fmt.Sprintf("%d:case.opened", c1.ID), fmt.Sprintf("%d:case.opened", c3.ID))
			for _, st := range []heed.Stage{heed.StageInvestigating, heed.StageFollowUp, heed.StageClosed} {
				if _, err := f.cs.Transition(ctx, nick, c1.ID, st, "", 0); err != nil {
					t.Fatal(err)
				}
				ev := "case.updated"
				if st == heed.StageClosed {
					ev = "case.closed"
				}
				want = append(want, fmt.Sprintf("%d:%s", c1.ID, ev))
				if _, err := f.cs.LogCall(ctx, nell, c3.ID, heed.CallNoAnswer, ""); err != nil {
					t.Fatal(err)
				}
				want = append(want, fmt.Sprintf("%d:case.updated", c3.ID))
			}
			// Several attempts fail while the clock moves through the backoff.
			waitFor(t, "a failed attempt", func() bool {
				ds, _ := f.hooks.Deliveries(ctx, heed.System(), heed.DeliveryFilter{WebhookID: wh.ID, Limit: 1000})
				return len(ds) == len(want) && ds[len(ds)-1].Attempts > 0
			})
			for range 3 {
				f.advance(t, 6*time.Minute)
				time.Sleep(60 * time.Millisecond)
			}
			if n := len(rcv.all()); n != 0 || rcv.refusals() < 2 {
				t.Fatalf("while down: %d accepted, %d refused; want none accepted after several attempts", n, rcv.refusals())
			}
			rcv.setDown(false)
			f.advance(t, 6*time.Minute)
			waitFor(t, "every event", func() bool { return len(rcv.all()) >= len(want) })
			time.Sleep(100 * time.Millisecond)
			got := rcv.all()
			if len(got) != len(want) {
				t.Fatalf("got %d events; want %d", len(got), len(want))
			}
			ids := map[string]bool{}
			var order []string
			for _, r := range got {
				id := r.Header.Get("webhook-id")
				if ids[id] {
					t.Fatalf("message %s delivered twice", id)
				}
				ids[id] = true
				order = append(order, fmt.Sprintf("%d:%s", r.Case, r.Event.Type))
			}
			if fmt.Sprint(order) != fmt.Sprint(want) {
				t.Fatalf("the endpoint got %v; want %v", order, want)
			}
			// Redelivery sends the same message again, with the same id.
			ds, _ := f.hooks.Deliveries(ctx, heed.System(), heed.DeliveryFilter{WebhookID: wh.ID, Limit: 1})
			if _, err := f.hooks.Redeliver(ctx, heed.System(), ds[0].ID); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the redelivery", func() bool { return len(rcv.all()) == len(want)+1 })
			if last := rcv.all()[len(want)]; last.Header.Get("webhook-id") != ds[0].MessageID {
				t.Fatalf("redelivered with id %s; want %s", last.Header.Get("webhook-id"), ds[0].MessageID)
			}
		})
	}
}
