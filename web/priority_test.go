package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/web"
)

// withPriorities serves the loop's pages again with the feedback and
// events services, as heed serve does, so the inbox ranks by priority.
func withPriorities(t *testing.T, e *loopEnv) {
	t.Helper()
	e.serve(web.Config{Feedback: feedback.New(e.store, feedback.Config{}), Events: e.ev})
}

// TestInboxRanksByPriority: a detractor's case from a customer worth
// 48,000 and a late one from a customer worth nothing both rank high,
// each saying why (an overdue call weighs as much as a valuable
// customer; between equals the late one comes first); in the feedback
// list the valuable customer's fresh answer leads.
func TestInboxRanksByPriority(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newLoopEnv(t, engine)
			withPriorities(t, e)
			ctx := context.Background()
			for ext, value := range map[string]int64{"C-100": 0, "C-101": 48_000} {
				c, err := e.store.GetCustomer(ctx, heed.Scope{All: true}, ext)
				if err != nil {
					t.Fatal(err)
				}
				c.Value = heed.Decimal(value * 10_000)
				if _, err := e.store.UpsertCustomers(ctx, []heed.Customer{c}, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			e.clock.Set(-72 * time.Hour)
			alice := e.answerAs("C-100", 5, "The queue was endless and nobody helped.")
			e.clock.Set(-time.Hour)
			e.answerAs("C-101", 1, "Broken on arrival")
			e.clock.Set(0)
			if c := e.kase(alice); !c.Late(time.Now()) {
				t.Fatalf("Alice's case should be late: %+v", c)
			}

			p := e.get(e.signedIn("fred@acme.test"), "/inbox")
			wantStatus(t, p, http.StatusOK, "fred's inbox")
			calls := between(p.body, `id="calls"`, `id="feedback"`)
			wantContains(t, page{body: calls}, "fred's call list", "High priority", "detractor, value 48,000", "detractor, late")
			a, b := strings.Index(calls, "Alice Archer"), strings.Index(calls, "Bob Baker")
			if a < 0 || b < 0 || a > b {
				t.Errorf("Alice's late case should come before Bob's (both high; the late call is overdue)")
			}
			if why := strings.Index(calls, "detractor, value 48,000"); why < b {
				t.Errorf("the parts of Bob's priority are not shown beside his case")
			}
			if why := strings.Index(calls, "detractor, late"); why < a || why > b {
				t.Errorf("the parts of Alice's priority are not shown beside her case")
			}
			answers := between(p.body, `id="feedback"`, "</section>")
			if a, b := strings.Index(answers, "The queue was endless"), strings.Index(answers, "Broken on arrival"); b < 0 || a < b {
				t.Errorf("Bob's answer should lead the new feedback")
			}
		})
	}
}
