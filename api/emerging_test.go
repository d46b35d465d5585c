package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/heedhq/heed/feedback"
)

// TestEmergingAPI: a phrase no theme finds, said in six items of the
// week, is listed with its examples; a manager may not ignore it, an
// admin may, and it is listed no more.
func TestEmergingAPI(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		var body []map[string]any
		for i := range 6 {
			body = append(body, map[string]any{"kind": "review", "source": "google", "external_id": fmt.Sprint("g-", i),
				"text": "The parking ticket machine ate my coins.", "at": "2026-03-05T10:00:00Z"})
		}
		e.call(t, "admin", "POST", "/api/v1/feedback", body).must(t, http.StatusOK)

		var out struct{ Phrases []feedback.EmergingPhrase }
		list := func() map[string]feedback.EmergingPhrase {
			t.Helper()
			e.call(t, "admin", "GET", "/api/v1/emerging-themes?week_ending=2026-03-07", nil).must(t, http.StatusOK).decode(t, &out)
			m := map[string]feedback.EmergingPhrase{}
			for _, p := range out.Phrases {
				m[p.Phrase] = p
			}
			return m
		}
		got := list()["ticket machine ate"]
		if got.Count != 6 || got.Status != "new" || len(got.Examples) != 3 {
			t.Fatalf("GET: %+v; want ticket machine ate in 6 items, new, 3 examples", out.Phrases)
		}
		e.call(t, "admin", "GET", "/api/v1/emerging-themes?week_ending=2026-03-04", nil).must(t, http.StatusOK).decode(t, &out)
		if len(out.Phrases) != 0 {
			t.Errorf("the week before the items: %+v; want none", out.Phrases)
		}
		e.call(t, "admin", "GET", "/api/v1/emerging-themes?week_ending=March", nil).must(t, http.StatusUnprocessableEntity)

		ignore := map[string]string{"phrase": "Ticket Machine Ate"}
		e.call(t, "mgr-ra", "POST", "/api/v1/emerging-themes/ignore", ignore).must(t, http.StatusForbidden)
		e.call(t, "admin", "POST", "/api/v1/emerging-themes/ignore", ignore).must(t, http.StatusNoContent)
		if p, ok := list()["ticket machine ate"]; ok {
			t.Errorf("after ignoring: %+v still listed", p)
		}
	})
}
