package api_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
)

// TestRules: admins add, rewrite and delete rules; analysts read them;
// an active rule acts on the next response; a try counts what a rule
// would have done without doing it.
func TestRules(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv := loopFixtures(t, e)
		ruleKeys := func(token string) []string {
			t.Helper()
			var out struct{ Rules []heed.Rule }
			e.call(t, token, "GET", "/api/v1/rules", nil).must(t, http.StatusOK).decode(t, &out)
			var keys []string
			for _, r := range out.Rules {
				keys = append(keys, r.Key)
			}
			return keys
		}
		if got := ruleKeys("analyst"); !slices.Equal(got, []string{"detractor-case", "promoter-advocacy"}) {
			t.Errorf("the rules out of the box: %v", got)
		}
		e.call(t, "mgr-ra", "GET", "/api/v1/rules", nil).must(t, http.StatusForbidden)
		e.call(t, "fl-a1", "GET", "/api/v1/rules/detractor-case", nil).must(t, http.StatusForbidden)

		rude := map[string]any{
			"name": "Rude staff", "active": true, "position": 5,
			"when": map[string]any{"words": []string{"rude"}, "unit": "rb"},
			"then": []map[string]any{{"kind": "tag", "tag": "staff"}, {"kind": "notify_managers"}},
		}
		var r heed.Rule
		e.call(t, "admin", "POST", "/api/v1/rules", rude).must(t, http.StatusCreated).decode(t, &r)
		if r.Key != "rude-staff" || !r.Active || r.Position != 5 || r.When.Unit != "rb" || len(r.Then) != 2 || r.Then[1].Levels != 1 {
			t.Errorf("created %+v", r)
		}
		if got := ruleKeys("admin"); !slices.Equal(got, []string{"rude-staff", "detractor-case", "promoter-advocacy"}) {
			t.Errorf("rules by position: %v", got)
		}
		e.call(t, "admin", "POST", "/api/v1/rules", rude).must(t, http.StatusConflict)
		e.call(t, "analyst", "POST", "/api/v1/rules", map[string]any{"name": "Mine", "then": []map[string]any{{"kind": "tag", "tag": "x"}}}).
			must(t, http.StatusForbidden)
		for _, c := range []struct {
			body   map[string]any
			status int
			field  string
		}{
			{map[string]any{"name": "No actions"}, 422, "then"},
			{map[string]any{"name": "Bad kind", "then": []map[string]any{{"kind": "explode"}}}, 422, "then[0].kind"},
			{map[string]any{"name": "No kind", "then": []map[string]any{{"tag": "x"}}}, 422, "then[0].kind"},
			{map[string]any{"name": "Bad tag", "then": []map[string]any{{"kind": "tag"}}}, 422, "then[0].tag"},
			{map[string]any{"name": "No hook", "then": []map[string]any{{"kind": "webhook", "webhook": 999}}}, 404, "then[0].webhook"},
			{map[string]any{"name": "Bad category", "when": map[string]any{"category": "angry"}, "then": []map[string]any{{"kind": "open_case"}}}, 422, "when.category"},
			{map[string]any{"name": "No survey", "when": map[string]any{"surveys": []string{"nope"}}, "then": []map[string]any{{"kind": "open_case"}}}, 404, "when.surveys[0]"},
			{map[string]any{"name": "Odd field", "then": []map[string]any{{"kind": "open_case"}}, "if": true}, 422, "if"},
		} {
			got := e.call(t, "admin", "POST", "/api/v1/rules", c.body).must(t, c.status).apiError(t).Error
			if got.Field != c.field {
				t.Errorf("%v: field %q, want %q", c.body["name"], got.Field, c.field)
			}
		}

		// The rule acts on the next answer from region B, in the response's
		// transaction: the response is tagged.
		id := postAnswer(t, e, sv, customerOf("b2"), 6, "The cashier was rude")
		other := postAnswer(t, e, sv, customerOf("a2"), 6, "The cashier was rude")
		for resp, want := range map[int64][]string{id: {"staff"}, other: nil} {
			tags, err := e.store.ListResponseTags(context.Background(), resp)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tags, want) {
				t.Errorf("response %d tags %v, want %v", resp, tags, want)
			}
		}

		// A fetched rule goes back as it is, with a change.
		a := e.call(t, "analyst", "GET", "/api/v1/rules/rude-staff", nil).must(t, http.StatusOK)
		var body map[string]any
		a.decode(t, &body)
		body["active"] = false
		e.call(t, "admin", "PUT", "/api/v1/rules/rude-staff", body).must(t, http.StatusOK).decode(t, &r)
		if r.Active || r.Position != 5 || len(r.Then) != 2 {
			t.Errorf("updated %+v", r)
		}
		e.call(t, "admin", "PUT", "/api/v1/rules/other", body).must(t, http.StatusUnprocessableEntity) // the key differs
		delete(body, "key")
		e.call(t, "admin", "PUT", "/api/v1/rules/nope", body).must(t, http.StatusNotFound)
		e.call(t, "analyst", "PUT", "/api/v1/rules/rude-staff", body).must(t, http.StatusForbidden)

		// Tries: the detractors of the last 30 days, two of them with a
		// customer (the fixtures' answers are promoters without one).
		postAnswer(t, e, sv, customerOf("a1"), 0, "")
		try := func(token string, body map[string]any) cases.Trial {
			t.Helper()
			var tr cases.Trial
			e.call(t, token, "POST", "/api/v1/rules/try", body).must(t, http.StatusOK).decode(t, &tr)
			return tr
		}
		detractors := map[string]any{"when": map[string]any{"category": "detractor"}}
		tr := try("analyst", map[string]any{"rule": detractors})
		if tr.Responses != len(unitKeys())+3 || tr.Matched != 3 || tr.Customers != 3 || len(tr.Examples) != 3 ||
			tr.To.Sub(tr.From) != 30*24*time.Hour || time.Since(tr.To) > time.Minute {
			t.Errorf("try the detractors: %+v", tr)
		}
		tr = try("admin", map[string]any{"rule": map[string]any{"when": map[string]any{"words": []string{"RUDE"}, "unit": "ra"}}})
		if tr.Matched != 1 || tr.Examples[0].ID != other {
			t.Errorf("try rude in region A: %+v", tr)
		}
		if tr := try("admin", map[string]any{"rule": detractors, "from": "2020-01-01T00:00:00Z", "to": "2020-02-01T00:00:00Z"}); tr.Responses != 0 || tr.Matched != 0 || tr.Examples == nil {
			t.Errorf("try 2020: %+v", tr)
		}
		// A try does nothing: no case for a1 beyond the one its answer opened.
		if cs, err := e.cases.List(context.Background(), heed.System(), cases.Filter{Customer: customerOf("a1")}); err != nil || len(cs) != 1 {
			t.Errorf("cases of a1 after tries: %d, %v", len(cs), err)
		}
		for _, c := range []struct {
			body   map[string]any
			status int
			field  string
		}{
			{map[string]any{"rule": detractors, "from": "2020-02-01T00:00:00Z", "to": "2020-01-01T00:00:00Z"}, 422, "to"},
			{map[string]any{"rule": map[string]any{"when": map[string]any{"unit": "nope"}}}, 404, "rule.when.unit"},
			{map[string]any{"from": "2020-01-01T00:00:00Z"}, 422, "rule"},
			{map[string]any{"rule": detractors, "from": "yesterday"}, 422, "from"},
		} {
			got := e.call(t, "admin", "POST", "/api/v1/rules/try", c.body).must(t, c.status).apiError(t).Error
			if got.Field != c.field {
				t.Errorf("try %v: field %q, want %q", c.body, got.Field, c.field)
			}
		}
		e.call(t, "mgr-ra", "POST", "/api/v1/rules/try", map[string]any{"rule": detractors}).must(t, http.StatusForbidden)

		e.call(t, "analyst", "DELETE", "/api/v1/rules/rude-staff", nil).must(t, http.StatusForbidden)
		e.call(t, "admin", "DELETE", "/api/v1/rules/rude-staff", nil).must(t, http.StatusNoContent)
		e.call(t, "admin", "GET", "/api/v1/rules/rude-staff", nil).must(t, http.StatusNotFound)
		e.call(t, "admin", "DELETE", "/api/v1/rules/rude-staff", nil).must(t, http.StatusNotFound)
		if got := ruleKeys("admin"); !slices.Equal(got, []string{"detractor-case", "promoter-advocacy"}) {
			t.Errorf("after the delete: %v", got)
		}
	})
}
