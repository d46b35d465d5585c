package storetest

import (
	"encoding/json"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// org is the fixture most tests start from:
//
//	acme
//	├── north           boss (manager), customer c6
//	│   ├── n1          ann (frontline), customers c1 (ann's), c2
//	│   └── n2          bob (frontline), customers c3 (ann's), c4 (bob's)
//	└── south
//	    └── s1          sue (frontline), customer c5 (sue's)
//
// plus admin, who has no unit.
type org struct {
	units map[string]heed.Unit
	emps  map[string]heed.Credentials // by short name: "ann", "boss", ...
}

func seedOrg(t *testing.T, s heed.Store) org {
	t.Helper()
	mustUpsertUnits(t, s, T0,
		heed.Unit{Key: "acme", Name: "Acme", Responsible: "CEO@Acme.example"},
		heed.Unit{Key: "north", Name: "North", Parent: "acme"},
		heed.Unit{Key: "n1", Name: "North 1", Parent: "north"},
		heed.Unit{Key: "n2", Name: "North 2", Parent: "north"},
		heed.Unit{Key: "south", Name: "South", Parent: "acme"},
		heed.Unit{Key: "s1", Name: "South 1", Parent: "south"},
	)
	mustUpsertEmployees(t, s, T0,
		heed.Employee{Email: "admin@acme.example", Name: "Ada Admin", Role: heed.RoleAdmin},
		heed.Employee{Email: "boss@acme.example", Name: "Bo Boss", Role: heed.RoleManager, Unit: "north"},
		heed.Employee{Email: "Ann@Acme.example", Name: "Ann", Role: heed.RoleFrontline, Unit: "n1"},
		heed.Employee{Email: "bob@acme.example", Name: "Bob", Role: heed.RoleFrontline, Unit: "n2"},
		heed.Employee{Email: "sue@acme.example", Name: "Sue", Role: heed.RoleFrontline, Unit: "s1"},
	)
	mustUpsertCustomers(t, s, T0,
		heed.Customer{ExternalID: "c1", Name: "Alice Adams", Unit: "n1", Owner: "ann@acme.example"},
		heed.Customer{ExternalID: "c2", Name: "Bert Brown", Unit: "n1"},
		heed.Customer{ExternalID: "c3", Name: "Carla Cruz", Unit: "n2", Owner: "ann@acme.example"},
		heed.Customer{ExternalID: "c4", Name: "Dirk de Vries", Unit: "n2", Owner: "bob@acme.example"},
		heed.Customer{ExternalID: "c5", Name: "Eva Evans", Unit: "s1", Owner: "sue@acme.example"},
		heed.Customer{ExternalID: "c6", Name: "Frank Fox", Unit: "north"},
	)
	o := org{units: map[string]heed.Unit{}, emps: map[string]heed.Credentials{}}
	for _, k := range []string{"acme", "north", "n1", "n2", "south", "s1"} {
		o.units[k] = mustGetUnit(t, s, k)
	}
	for _, n := range []string{"admin", "boss", "ann", "bob", "sue"} {
		c, err := s.GetCredentials(t.Context(), n+"@acme.example")
		if err != nil {
			t.Fatalf("GetCredentials(%s): %v", n, err)
		}
		o.emps[n] = c
	}
	return o
}

// principal is what the services make of a signed-in employee.
func (o org) principal(name string) heed.Principal {
	c := o.emps[name]
	return heed.Principal{Kind: heed.KindEmployee, Name: c.Employee.Email, Role: c.Employee.Role,
		EmployeeID: c.Employee.ID, UnitID: c.UnitID, UnitPath: c.UnitPath}
}

// Helpers.

func mustUpsertUnits(t *testing.T, s heed.Store, now time.Time, units ...heed.Unit) heed.UpsertResult {
	t.Helper()
	res, err := s.UpsertUnits(t.Context(), units, now)
	if err != nil {
		t.Fatalf("UpsertUnits: %v", err)
	}
	return res
}

func mustUpsertEmployees(t *testing.T, s heed.Store, now time.Time, emps ...heed.Employee) heed.UpsertResult {
	t.Helper()
	res, err := s.UpsertEmployees(t.Context(), emps, now)
	if err != nil {
		t.Fatalf("UpsertEmployees: %v", err)
	}
	return res
}

func mustUpsertCustomers(t *testing.T, s heed.Store, now time.Time, custs ...heed.Customer) heed.UpsertResult {
	t.Helper()
	res, err := s.UpsertCustomers(t.Context(), custs, now)
	if err != nil {
		t.Fatalf("UpsertCustomers: %v", err)
	}
	return res
}

func mustGetUnit(t *testing.T, s heed.Store, key string) heed.Unit {
	t.Helper()
	u, err := s.GetUnit(t.Context(), key)
	if err != nil {
		t.Fatalf("GetUnit(%s): %v", key, err)
	}
	return u
}

func mustGetEmployee(t *testing.T, s heed.Store, email string) heed.Employee {
	t.Helper()
	e, err := s.GetEmployee(t.Context(), email)
	if err != nil {
		t.Fatalf("GetEmployee(%s): %v", email, err)
	}
	return e
}

func mustGetCustomer(t *testing.T, s heed.Store, id string) heed.Customer {
	t.Helper()
	c, err := s.GetCustomer(t.Context(), heed.Scope{All: true}, id)
	if err != nil {
		t.Fatalf("GetCustomer(%s): %v", id, err)
	}
	return c
}

func wantResult(t *testing.T, got, want heed.UpsertResult) {
	t.Helper()
	if got != want {
		t.Errorf("upsert result = %+v; want %+v", got, want)
	}
}

// wantErr checks err's code and, when field is set, the field it names.
func wantErr(t *testing.T, what string, err error, code heed.Code, field string) {
	t.Helper()
	if heed.ErrorCode(err) != code || field != "" && heed.ErrorField(err) != field {
		t.Errorf("%s: error %v (code %q, field %q); want code %q, field %q",
			what, err, heed.ErrorCode(err), heed.ErrorField(err), code, field)
	}
}

// wantTimes checks times round-trip exactly, in UTC.
func wantTimes(t *testing.T, what string, created, updated, wantCreated, wantUpdated time.Time) {
	t.Helper()
	if !created.Equal(wantCreated) || !updated.Equal(wantUpdated) ||
		created.Location() != time.UTC || updated.Location() != time.UTC {
		t.Errorf("%s: created %v, updated %v; want %v, %v in UTC", what, created, updated, wantCreated, wantUpdated)
	}
}

func wantCustomer(t *testing.T, got, want heed.Customer) {
	t.Helper()
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	// Marshal compacts raw JSON, so compare the attributes' bytes apart.
	if string(gj) != string(wj) || got.ID != want.ID || string(got.Attributes) != string(want.Attributes) {
		t.Errorf("customer =\n%s\nwant\n%s", gj, wj)
	}
}

// wantUnitKeys checks the units are exactly keys, in path order, every
// parent before its children.
func wantUnitKeys(t *testing.T, units []heed.Unit, keys ...string) {
	t.Helper()
	if units == nil {
		t.Errorf("ListUnits returned nil; want an empty list")
	}
	got := make([]string, len(units))
	seen := map[string]bool{}
	for i, u := range units {
		got[i] = u.Key
		if u.Parent != "" && !seen[u.Parent] && slices.Contains(keys, u.Parent) {
			t.Errorf("unit %s listed before its parent %s", u.Key, u.Parent)
		}
		seen[u.Key] = true
	}
	if !sort.SliceIsSorted(units, func(i, j int) bool { return units[i].Path < units[j].Path }) {
		t.Errorf("units not in path order: %v", got)
	}
	gotSorted, wantSorted := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(keys))
	if !slices.Equal(gotSorted, wantSorted) {
		t.Errorf("units = %v; want %v", got, keys)
	}
}

func employeeEmails(emps []heed.Employee) []string {
	var out []string
	for _, e := range emps {
		out = append(out, e.Email)
	}
	return out
}

func customerIDs(custs []heed.Customer) []string {
	var out []string
	for _, c := range custs {
		out = append(out, c.ExternalID)
	}
	return out
}
