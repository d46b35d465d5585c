package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/heedhq/heed"
)

// testOrg runs the contract for units (units.go), employees (employees.go)
// and customers (customers.go); the tests in this file cut across all three.
func testOrg(t *testing.T, open Opener) {
	t.Run("unit tree", func(t *testing.T) { testUnitTree(t, open(t)) })
	t.Run("unit move", func(t *testing.T) { testUnitMove(t, open(t)) })
	t.Run("unit cycle", func(t *testing.T) { testUnitCycle(t, open(t)) })
	t.Run("employees", func(t *testing.T) { testEmployees(t, open(t)) })
	t.Run("customer round trip", func(t *testing.T) { testCustomerRoundTrip(t, open(t)) })
	t.Run("customer upsert counts", func(t *testing.T) { testCustomerCounts(t, open(t)) })
	t.Run("scope", func(t *testing.T) { testScope(t, open(t)) })
	t.Run("customer unit filter", func(t *testing.T) { testCustomerUnitFilter(t, open(t)) })
	t.Run("pagination", func(t *testing.T) { testPagination(t, open(t)) })
	t.Run("search", func(t *testing.T) { testSearch(t, open(t)) })
	t.Run("customer order", func(t *testing.T) { CustomerOrder(t, open(t)) })
	t.Run("not found", func(t *testing.T) { testOrgNotFound(t, open(t)) })
	t.Run("bad input", func(t *testing.T) { testOrgBadInput(t, open(t)) })
	t.Run("in tx", func(t *testing.T) { testOrgInTx(t, open(t)) })
}

// scopeCase is one row of the visibility matrix: a scope and what it sees.
type scopeCase struct {
	name      string
	scope     heed.Scope
	units     []string // in path order
	employees []string // short names, in email order
	customers []string // external ids, in name order
}

func testScope(t *testing.T, s heed.Store) {
	ctx := t.Context()
	o := seedOrg(t, s)
	tests := []scopeCase{
		{"all", heed.System().Scope(),
			[]string{"acme", "north", "n1", "n2", "south", "s1"},
			[]string{"admin", "ann", "bob", "boss", "sue"},
			[]string{"c1", "c2", "c3", "c4", "c5", "c6"}},
		{"manager subtree", o.principal("boss").Scope(),
			[]string{"north", "n1", "n2"}, []string{"ann", "bob", "boss"}, []string{"c1", "c2", "c3", "c4", "c6"}},
		{"leaf subtree", heed.Scope{UnitPath: o.units["n1"].Path},
			[]string{"n1"}, []string{"ann"}, []string{"c1", "c2"}},
		{"frontline unit or owner", o.principal("ann").Scope(),
			[]string{"n1"}, []string{"ann"}, []string{"c1", "c2", "c3"}},
		{"unit only", heed.Scope{UnitID: o.units["north"].ID},
			[]string{"north"}, []string{"boss"}, []string{"c6"}},
		{"owner only", heed.Scope{OwnerID: o.emps["bob"].Employee.ID},
			nil, nil, []string{"c4"}},
		{"none", heed.Scope{}, nil, nil, nil},
		{"manager without unit", heed.Principal{Role: heed.RoleManager}.Scope(), nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			units, err := s.ListUnits(ctx, tt.scope)
			if err != nil {
				t.Fatalf("ListUnits: %v", err)
			}
			wantUnitKeys(t, units, tt.units...)

			emps, err := s.ListEmployees(ctx, tt.scope, heed.EmployeeFilter{})
			if err != nil {
				t.Fatalf("ListEmployees: %v", err)
			}
			var wantEmails []string
			for _, n := range tt.employees {
				wantEmails = append(wantEmails, n+"@acme.example")
			}
			if got := employeeEmails(emps); !slices.Equal(got, wantEmails) {
				t.Errorf("ListEmployees = %v; want %v", got, wantEmails)
			}
			checkCustomerScope(t, s, tt)
		})
	}
}

// checkCustomerScope checks list, count and get of customers for one scope.
func checkCustomerScope(t *testing.T, s heed.Store, tt scopeCase) {
	t.Helper()
	ctx := t.Context()
	page, err := s.ListCustomers(ctx, tt.scope, heed.CustomerFilter{Limit: 1000})
	if err != nil {
		t.Fatalf("ListCustomers: %v", err)
	}
	if got := customerIDs(page.Customers); !slices.Equal(got, tt.customers) || page.NextCursor != "" {
		t.Errorf("ListCustomers = %v, cursor %q; want %v and no cursor", got, page.NextCursor, tt.customers)
	}
	if page.Customers == nil {
		t.Errorf("ListCustomers returned nil customers; want an empty list")
	}
	n, err := s.CountCustomers(ctx, tt.scope)
	if err != nil || n != len(tt.customers) {
		t.Errorf("CountCustomers = %d, %v; want %d", n, err, len(tt.customers))
	}
	for _, id := range []string{"c1", "c2", "c3", "c4", "c5", "c6"} {
		c, err := s.GetCustomer(ctx, tt.scope, id)
		switch {
		case slices.Contains(tt.customers, id) && (err != nil || c.ExternalID != id):
			t.Errorf("GetCustomer(%s) = %v; want it visible", id, err)
		case !slices.Contains(tt.customers, id):
			wantErr(t, "GetCustomer("+id+") outside scope", err, heed.ENotFound, "")
		}
	}
}

func testOrgNotFound(t *testing.T, s heed.Store) {
	ctx := t.Context()
	seedOrg(t, s)
	tests := []struct {
		name string
		call func() error
	}{
		{"GetUnit", func() error { _, err := s.GetUnit(ctx, "nope"); return err }},
		{"GetUnitByID", func() error { _, err := s.GetUnitByID(ctx, 987654); return err }},
		{"GetEmployee", func() error { _, err := s.GetEmployee(ctx, "nobody@acme.example"); return err }},
		{"GetEmployeeByID", func() error { _, err := s.GetEmployeeByID(ctx, 987654); return err }},
		{"GetCredentials", func() error { _, err := s.GetCredentials(ctx, "nobody@acme.example"); return err }},
		{"GetCredentialsByID", func() error { _, err := s.GetCredentialsByID(ctx, 987654); return err }},
		{"SetPassword", func() error { return s.SetPassword(ctx, "nobody@acme.example", "x", T0) }},
		{"GetCustomer", func() error { _, err := s.GetCustomer(ctx, heed.Scope{All: true}, "nope"); return err }},
	}
	for _, tt := range tests {
		wantErr(t, tt.name, tt.call(), heed.ENotFound, "")
	}
}

func testOrgBadInput(t *testing.T, s heed.Store) {
	ctx := t.Context()
	seedOrg(t, s)
	all := heed.Scope{All: true}
	cust := func(c heed.Customer) func() error {
		return func() error {
			_, err := s.UpsertCustomers(ctx, []heed.Customer{{ExternalID: "new-1", Name: "Fine", Unit: "n1"}, c}, T0)
			return err
		}
	}
	tests := []struct {
		name  string
		call  func() error
		code  heed.Code
		field string
	}{
		{"unit with unknown parent", func() error {
			// "fine" is valid and written first: the batch must take it back.
			_, err := s.UpsertUnits(ctx, []heed.Unit{{Key: "fine", Name: "Fine"}, {Key: "x", Name: "X", Parent: "y"}, {Key: "y", Name: "Y"}}, T0)
			return err
		}, heed.ENotFound, "parent"},
		{"unit without key", func() error {
			_, err := s.UpsertUnits(ctx, []heed.Unit{{Name: "X"}}, T0)
			return err
		}, heed.EInvalid, "key"},
		{"employee in unknown unit", func() error {
			_, err := s.UpsertEmployees(ctx, []heed.Employee{{Email: "x@acme.example", Name: "X", Role: heed.RoleFrontline, Unit: "nope"}}, T0)
			return err
		}, heed.ENotFound, "unit"},
		{"employee with unknown role", func() error {
			_, err := s.UpsertEmployees(ctx, []heed.Employee{{Email: "x@acme.example", Name: "X", Role: "boss", Unit: "n1"}}, T0)
			return err
		}, heed.EInvalid, "role"},
		{"customer in unknown unit", cust(heed.Customer{ExternalID: "x", Unit: "nope"}), heed.ENotFound, "unit"},
		{"customer with unknown owner", cust(heed.Customer{ExternalID: "x", Unit: "n1", Owner: "nobody@acme.example"}), heed.ENotFound, "owner"},
		{"customer without unit", cust(heed.Customer{ExternalID: "x"}), heed.EInvalid, "unit"},
		{"customer without external id", cust(heed.Customer{Unit: "n1"}), heed.EInvalid, "external_id"},
		{"attributes not an object", cust(heed.Customer{ExternalID: "x", Unit: "n1", Attributes: json.RawMessage(`[1]`)}), heed.EInvalid, "attributes"},
		{"attributes not JSON", cust(heed.Customer{ExternalID: "x", Unit: "n1", Attributes: json.RawMessage(`{"a":`)}), heed.EInvalid, "attributes"},
		{"employees of unknown unit", func() error {
			_, err := s.ListEmployees(ctx, all, heed.EmployeeFilter{Unit: "nope"})
			return err
		}, heed.ENotFound, "unit"},
		{"customers of unknown unit", func() error {
			_, err := s.ListCustomers(ctx, all, heed.CustomerFilter{Unit: "nope"})
			return err
		}, heed.ENotFound, "unit"},
		{"limit too large", func() error {
			_, err := s.ListCustomers(ctx, all, heed.CustomerFilter{Limit: 1001})
			return err
		}, heed.EInvalid, "limit"},
		{"negative limit", func() error {
			_, err := s.ListCustomers(ctx, all, heed.CustomerFilter{Limit: -1})
			return err
		}, heed.EInvalid, "limit"},
		{"cursor not base64", func() error {
			_, err := s.ListCustomers(ctx, all, heed.CustomerFilter{Cursor: "%%%"})
			return err
		}, heed.EBadRequest, "cursor"},
		{"cursor of nothing", func() error {
			_, err := s.ListCustomers(ctx, all, heed.CustomerFilter{Cursor: "bm9wZQ"}) // "nope"
			return err
		}, heed.EBadRequest, "cursor"},
	}
	for _, tt := range tests {
		wantErr(t, tt.name, tt.call(), tt.code, tt.field)
	}
	// Every rejected batch was rolled back whole.
	if _, err := s.GetCustomer(ctx, all, "new-1"); heed.ErrorCode(err) != heed.ENotFound {
		t.Errorf("a rejected customer batch left its valid row behind: %v", err)
	}
	if _, err := s.GetUnit(ctx, "fine"); heed.ErrorCode(err) != heed.ENotFound {
		t.Errorf("a rejected unit batch left its valid row behind: %v", err)
	}
}

func testOrgInTx(t *testing.T, s heed.Store) {
	ctx := t.Context()
	errRollback := errors.New("roll back")
	err := s.InTx(ctx, func(q heed.Queries) error {
		if _, err := q.UpsertUnits(ctx, []heed.Unit{{Key: "shop", Name: "Shop"}}, T0); err != nil {
			return err
		}
		if _, err := q.UpsertCustomers(ctx, []heed.Customer{{ExternalID: "c1", Unit: "shop"}}, T0); err != nil {
			return err
		}
		if _, err := q.GetCustomer(ctx, heed.Scope{All: true}, "c1"); err != nil {
			return fmt.Errorf("own write not visible inside the transaction: %w", err)
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("InTx = %v; want the function's error", err)
	}
	if _, err := s.GetUnit(ctx, "shop"); heed.ErrorCode(err) != heed.ENotFound {
		t.Errorf("after rollback GetUnit = %v; want not found", err)
	}
	err = s.InTx(ctx, func(q heed.Queries) error {
		if _, err := q.UpsertUnits(ctx, []heed.Unit{{Key: "shop", Name: "Shop"}}, T0); err != nil {
			return err
		}
		_, err := q.UpsertCustomers(ctx, []heed.Customer{{ExternalID: "c1", Unit: "shop"}}, T0)
		return err
	})
	if err != nil {
		t.Fatalf("InTx: %v", err)
	}
	mustGetCustomer(t, s, "c1")
}
