package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/events"
	"github.com/heedhq/heed/loyalty"
)

// TestEventsAPI: POST /events records what customers did, all or
// nothing, without duplicates when sent again; the profile of a customer
// shows RFM, churn risk with its factors and the ladder rung, to those
// who may see the customer; the ladder counts rungs over time within the
// reader's part of the tree.
func TestEventsAPI(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		now := time.Now().UTC()
		ago := func(days int) string { return now.AddDate(0, 0, -days).Format(time.RFC3339) }
		body := []map[string]any{
			{"customer": customerOf("a1"), "kind": "purchase", "at": ago(40), "amount": "30.50", "source": "shop", "external_id": "o-1"},
			{"customer": customerOf("a1"), "kind": "purchase", "at": ago(10), "amount": 19.5, "source": "shop", "external_id": "o-2"},
			{"customer": customerOf("a1"), "kind": "support", "at": ago(3)},
			{"customer": customerOf("a1"), "kind": "support", "at": ago(2)},
			{"customer": customerOf("a1"), "kind": "support", "at": ago(1)},
			{"customer": customerOf("b1"), "kind": "visit", "at": ago(5), "source": "door"},
		}
		var out struct{ Results []heed.EventUpsert }
		e.call(t, "admin", "POST", "/api/v1/events", body).must(t, http.StatusOK).decode(t, &out)
		if len(out.Results) != len(body) || !out.Results[0].Created || out.Results[0].ID == 0 {
			t.Fatalf("recorded %+v", out.Results)
		}
		e.call(t, "admin", "POST", "/api/v1/events", body).must(t, http.StatusOK).decode(t, &out)
		for i, r := range out.Results {
			if r.Created || r.Changed {
				t.Errorf("sent again, event %d: %+v; want neither created nor changed", i+1, r)
			}
		}

		var p events.Profile
		e.call(t, "mgr-ra", "GET", "/api/v1/customers/"+customerOf("a1")+"/profile", nil).must(t, http.StatusOK).decode(t, &p)
		if p.Customer != customerOf("a1") || p.RFM.Recency == nil || *p.RFM.Recency != 10 || p.RFM.Frequency != 2 ||
			p.RFM.Monetary != 50_0000 || p.Events.Total != 5 {
			t.Errorf("profile: %+v (recency %v); want 2 purchases worth 50, the last 10 days ago, 5 events (no duplicates)", p, p.RFM.Recency)
		}
		if p.Churn.Score != 10 || p.Churn.Level != loyalty.LevelLow || len(p.Churn.Factors) != 1 ||
			p.Churn.Factors[0].Key != loyalty.FactorSupport || p.Churn.Factors[0].Detail != "3 in the last 30 days" {
			t.Errorf("churn: %+v; want 10 points for 3 support contacts", p.Churn)
		}
		if p.Rung != loyalty.RungRepeat || !strings.Contains(p.RungReason, "bought 2 times in the last 365 days") {
			t.Errorf("rung %q: %q", p.Rung, p.RungReason)
		}
		e.call(t, "mgr-ra", "GET", "/api/v1/customers/"+customerOf("b1")+"/profile", nil).must(t, http.StatusNotFound)
		e.call(t, "admin", "GET", "/api/v1/customers/c-nobody/profile", nil).must(t, http.StatusNotFound)

		var all events.Ladder
		e.call(t, "analyst", "GET", "/api/v1/ladder", nil).must(t, http.StatusOK).decode(t, &all)
		if all.Every != "month" || len(all.Points) != 12 || len(all.Rungs) != 7 || all.Points[0].Known != 0 {
			t.Fatalf("the ladder over 12 months: %+v", all)
		}
		last := all.Points[11]
		if last.Known != len(fixtureCustomers()) || last.Counts[loyalty.RungRepeat] != 1 || last.Counts[loyalty.RungConsideration] != 1 ||
			last.Counts[loyalty.RungAwareness] != len(fixtureCustomers())-2 {
			t.Errorf("the ladder now: %+v", last)
		}
		var a1 events.Ladder
		e.call(t, "mgr-ra", "GET", "/api/v1/ladder?unit=a1&every=week&from="+now.AddDate(0, 0, -20).Format(time.DateOnly), nil).
			must(t, http.StatusOK).decode(t, &a1)
		if n := len(a1.Points); n < 3 || n > 5 || a1.Unit != "a1" || a1.Points[n-1].Known != 2 || a1.Points[n-1].Counts[loyalty.RungRepeat] != 1 {
			t.Errorf("store A1 by week: %+v", a1)
		}

		// Refused.
		e.call(t, "mgr-ra", "POST", "/api/v1/events", body).must(t, http.StatusForbidden)
		e.call(t, "mgr-ra", "GET", "/api/v1/ladder?unit=rb", nil).must(t, http.StatusNotFound)
		e.call(t, "admin", "GET", "/api/v1/ladder?every=year", nil).must(t, http.StatusUnprocessableEntity)
		bad := []map[string]any{
			{"customer": customerOf("a1"), "kind": "purchase", "at": ago(1), "amount": 5, "external_id": "o-3"},
			{"customer": "c-nobody", "kind": "visit", "at": ago(1)},
			{"customer": customerOf("a1"), "kind": "purchase", "at": ago(1), "amount": -5},
		}
		got := e.call(t, "admin", "POST", "/api/v1/events", bad).must(t, http.StatusUnprocessableEntity).apiError(t).Error
		if len(got.Details) != 2 || got.Details[0].Line != 2 || got.Details[0].Field != "customer" ||
			!strings.Contains(got.Details[0].Problem, "c-nobody") || got.Details[1].Line != 3 || got.Details[1].Field != "amount" {
			t.Errorf("an unknown customer and a negative amount: %+v", got)
		}
		bad[2]["amount"], bad[1]["weather"] = "lots", "rainy"
		got = e.call(t, "admin", "POST", "/api/v1/events", bad).must(t, http.StatusUnprocessableEntity).apiError(t).Error
		if len(got.Details) != 2 || got.Details[0].Field != "weather" || got.Details[0].Problem != "is not an event field" ||
			got.Details[1].Field != "amount" {
			t.Errorf("an unknown field and an amount that is no number: %+v", got)
		}
		if p := profileOf(t, e, customerOf("a1")); p.Events.Total != 5 {
			t.Errorf("refused batches left %d events; want 5", p.Events.Total)
		}
		many := make([]map[string]any, events.MaxBatch+1)
		for i := range many {
			many[i] = map[string]any{"customer": customerOf("a1"), "kind": "visit", "at": ago(1)}
		}
		e.call(t, "admin", "POST", "/api/v1/events", many).must(t, http.StatusRequestEntityTooLarge)
	})
}

func profileOf(t *testing.T, e *env, customer string) events.Profile {
	t.Helper()
	var p events.Profile
	e.call(t, "admin", "GET", "/api/v1/customers/"+customer+"/profile", nil).must(t, http.StatusOK).decode(t, &p)
	return p
}
