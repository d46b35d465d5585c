package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/heedhq/heed"
)

// TestPaginationWalksEveryCustomerOnce pages through more customers than
// fit a page, as an admin and as a regional manager, and searches.
func TestPaginationWalksEveryCustomerOnce(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		var batch []heed.Customer
		for i := range 103 {
			unit := []string{"a1", "a2", "b1"}[i%3]
			name := fmt.Sprintf("Bulk %03d", i)
			if i%40 == 7 {
				name = fmt.Sprintf("Needle %d", i) // 7, 47, 87
			}
			// Equal names on purpose: the order must still be total.
			if i%10 == 0 {
				name = "Same Name"
			}
			batch = append(batch, heed.Customer{ExternalID: fmt.Sprintf("bulk-%03d", i), Name: name, Unit: unit,
				Email: fmt.Sprintf("bulk%d@example.com", i)})
		}
		if _, err := e.dir.UpsertCustomers(context.Background(), heed.System(), batch); err != nil {
			t.Fatal(err)
		}

		all := listCustomers(t, e, "admin", url.Values{"limit": {"7"}})
		if len(all) != len(batch)+len(fixtureCustomers()) {
			t.Errorf("admin walked %d customers, want %d", len(all), len(batch)+len(fixtureCustomers()))
		}
		seen := map[string]int{}
		for _, id := range all {
			seen[id]++
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("%s seen %d times", id, n)
			}
		}

		// A regional manager pages through region A only.
		var wantRA []string
		for _, c := range batch {
			if c.Unit != "b1" {
				wantRA = append(wantRA, c.ExternalID)
			}
		}
		wantRA = append(wantRA, append(customersOf("ra", "a1", "a2", "a1t"), ownedElsewhere)...)
		sameKeys(t, "manager region A, 5 a page", listCustomers(t, e, "mgr-ra", url.Values{"limit": {"5"}}), wantRA)

		// Search: by name, case-insensitively, and by email; with a unit.
		sameKeys(t, "q=needle", listCustomers(t, e, "admin", url.Values{"q": {"needle"}, "limit": {"2"}}),
			[]string{"bulk-007", "bulk-047", "bulk-087"})
		sameKeys(t, "q=bulk47@", listCustomers(t, e, "admin", url.Values{"q": {"bulk47@"}}), []string{"bulk-047"})
		sameKeys(t, "q=needle&unit=a2", listCustomers(t, e, "admin", url.Values{"q": {"needle"}, "unit": {"a2"}}),
			[]string{"bulk-007"}) // customer i is in unit a1, a2, b1 for i%3 = 0, 1, 2
		sameKeys(t, "q=needle as frontline B1", listCustomers(t, e, "fl-b1", url.Values{"q": {"needle"}}), []string{"bulk-047"})
	})
}

func TestPutAnswersCreatedThenOK(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		body := map[string]any{"name": "Ann", "unit": "a1", "value": 48000.5, "attributes": map[string]any{"tier": "gold"}, "consent": true}
		var c heed.Customer
		e.call(t, "admin", "PUT", "/api/v1/customers/new-1", body).must(t, http.StatusCreated).decode(t, &c)
		if c.ExternalID != "new-1" || c.Value.String() != "48000.5" || !c.Consent || !strings.Contains(string(c.Attributes), "gold") {
			t.Errorf("created %+v", c)
		}
		// A fetched customer can be sent back as it is.
		got := e.call(t, "admin", "GET", "/api/v1/customers/new-1", nil).must(t, http.StatusOK)
		e.call(t, "admin", "PUT", "/api/v1/customers/new-1", got.body).must(t, http.StatusOK)
		// A value as a string, and an exact decimal.
		body["value"] = "0.0001"
		e.call(t, "admin", "PUT", "/api/v1/customers/new-1", body).must(t, http.StatusOK).decode(t, &c)
		if c.Value.String() != "0.0001" {
			t.Errorf("value %s, want 0.0001", c.Value)
		}

		e.call(t, "admin", "PUT", "/api/v1/units/a3", map[string]any{"key": "a3", "name": "Store A3", "parent": "ra"}).must(t, http.StatusCreated)
		u := e.call(t, "admin", "GET", "/api/v1/units/a3", nil).must(t, http.StatusOK)
		e.call(t, "admin", "PUT", "/api/v1/units/a3", u.body).must(t, http.StatusOK)

		var emp heed.Employee
		e.call(t, "admin", "PUT", "/api/v1/employees/New.Person@heed.test", map[string]any{"role": "frontline", "unit": "a3"}).
			must(t, http.StatusCreated).decode(t, &emp)
		if emp.Email != "new.person@heed.test" || emp.Name != "new.person" {
			t.Errorf("employee %+v", emp)
		}
		e.call(t, "admin", "PUT", "/api/v1/employees/new.person@heed.test", map[string]any{"email": "NEW.person@heed.test", "role": "manager", "unit": "a3"}).
			must(t, http.StatusOK)

		var res heed.UpsertResult
		e.call(t, "admin", "POST", "/api/v1/customers", []map[string]any{
			{"external_id": "new-1", "name": "Ann", "unit": "a1", "value": "0.0001", "attributes": map[string]any{"tier": "gold"}, "consent": true},
			{"external_id": "new-2", "unit": "a3"},
			{"external_id": "c-a1", "name": "Customer a1", "unit": "a1"},
			{"external_id": "c-a2", "name": "Renamed", "unit": "a2"},
		}).must(t, http.StatusOK).decode(t, &res)
		if res != (heed.UpsertResult{Created: 1, Updated: 1, Unchanged: 2}) {
			t.Errorf("upsert result %+v, want 1 created, 1 updated, 2 unchanged", res)
		}
	})
}
