package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

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

func testUnitTree(t *testing.T, s heed.Store) {
	ctx := t.Context()
	res := mustUpsertUnits(t, s, T0,
		heed.Unit{Key: "acme", Name: "Acme", Responsible: "CEO@Acme.example"},
		heed.Unit{Key: "north", Name: "North", Parent: "acme"},
		heed.Unit{Key: "n1", Name: "North 1", Parent: "north"},
	)
	wantResult(t, res, heed.UpsertResult{Created: 3})

	acme, north, n1 := mustGetUnit(t, s, "acme"), mustGetUnit(t, s, "north"), mustGetUnit(t, s, "n1")
	if acme.Parent != "" || acme.Depth != 0 || acme.Path != fmt.Sprintf("/%d/", acme.ID) {
		t.Errorf("root = parent %q depth %d path %q; want no parent, depth 0, path /%d/", acme.Parent, acme.Depth, acme.Path, acme.ID)
	}
	if acme.Responsible != "ceo@acme.example" {
		t.Errorf("Responsible = %q; want the email lower-cased", acme.Responsible)
	}
	wantPath := fmt.Sprintf("/%d/%d/%d/", acme.ID, north.ID, n1.ID)
	if n1.Parent != "north" || n1.Depth != 2 || n1.Path != wantPath || n1.Name != "North 1" {
		t.Errorf("n1 = %+v; want parent north, depth 2, path %s", n1, wantPath)
	}
	wantTimes(t, "n1", n1.CreatedAt, n1.UpdatedAt, T0, T0)
	byID, err := s.GetUnitByID(ctx, n1.ID)
	if err != nil || byID != n1 {
		t.Errorf("GetUnitByID = %+v, %v; want %+v", byID, err, n1)
	}

	// Re-importing the same units changes nothing, not even updated_at.
	res = mustUpsertUnits(t, s, T0.Add(time.Hour),
		heed.Unit{Key: "acme", Name: "Acme", Responsible: "ceo@acme.example"},
		heed.Unit{Key: "north", Name: "North", Parent: "acme"},
		heed.Unit{Key: "n1", Name: "North 1", Parent: "north"},
	)
	wantResult(t, res, heed.UpsertResult{Unchanged: 3})
	if got := mustGetUnit(t, s, "n1"); got != n1 {
		t.Errorf("after identical upsert n1 = %+v; want %+v", got, n1)
	}

	res = mustUpsertUnits(t, s, T0.Add(2*time.Hour),
		heed.Unit{Key: "north", Name: "North region", Parent: "acme"},
		heed.Unit{Key: "n1", Name: "North 1", Parent: "north"},
		heed.Unit{Key: "n2", Name: "North 2", Parent: "north"},
	)
	wantResult(t, res, heed.UpsertResult{Created: 1, Updated: 1, Unchanged: 1})
	north = mustGetUnit(t, s, "north")
	if north.Name != "North region" {
		t.Errorf("renamed unit's name = %q", north.Name)
	}
	wantTimes(t, "north", north.CreatedAt, north.UpdatedAt, T0, T0.Add(2*time.Hour))

	// Ordered by path: every parent before its children.
	units, err := s.ListUnits(ctx, heed.Scope{All: true})
	if err != nil {
		t.Fatalf("ListUnits: %v", err)
	}
	wantUnitKeys(t, units, "acme", "north", "n1", "n2")
}

func testUnitMove(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0,
		heed.Unit{Key: "a", Name: "A"},
		heed.Unit{Key: "b", Name: "B", Parent: "a"},
		heed.Unit{Key: "c", Name: "C", Parent: "b"},
		heed.Unit{Key: "d", Name: "D", Parent: "c"},
		heed.Unit{Key: "x", Name: "X"},
	)
	tests := []struct {
		parent    string // b's new parent
		wantDepth int    // b's depth after the move
	}{
		{"x", 1},
		{"", 0},
		{"a", 1},
	}
	for _, tt := range tests {
		res := mustUpsertUnits(t, s, T0.Add(time.Hour), heed.Unit{Key: "b", Name: "B", Parent: tt.parent})
		wantResult(t, res, heed.UpsertResult{Updated: 1})
		b, c, d := mustGetUnit(t, s, "b"), mustGetUnit(t, s, "c"), mustGetUnit(t, s, "d")
		prefix := "/"
		if tt.parent != "" {
			prefix = mustGetUnit(t, s, tt.parent).Path
		}
		if b.Parent != tt.parent || b.Depth != tt.wantDepth || b.Path != fmt.Sprintf("%s%d/", prefix, b.ID) {
			t.Errorf("after moving b under %q: b = parent %q depth %d path %q", tt.parent, b.Parent, b.Depth, b.Path)
		}
		// The subtree moves along.
		if c.Depth != tt.wantDepth+1 || c.Path != fmt.Sprintf("%s%d/", b.Path, c.ID) || c.Parent != "b" {
			t.Errorf("after moving b under %q: c = depth %d path %q", tt.parent, c.Depth, c.Path)
		}
		if d.Depth != tt.wantDepth+2 || d.Path != fmt.Sprintf("%s%d/", c.Path, d.ID) {
			t.Errorf("after moving b under %q: d = depth %d path %q", tt.parent, d.Depth, d.Path)
		}
		units, err := s.ListUnits(t.Context(), heed.Scope{All: true})
		if err != nil {
			t.Fatalf("ListUnits: %v", err)
		}
		wantUnitKeys(t, units, "a", "b", "c", "d", "x")
	}
}

func testUnitCycle(t *testing.T, s heed.Store) {
	ctx := t.Context()
	mustUpsertUnits(t, s, T0,
		heed.Unit{Key: "a", Name: "A"},
		heed.Unit{Key: "b", Name: "B", Parent: "a"},
		heed.Unit{Key: "c", Name: "C", Parent: "b"},
	)
	before, err := s.ListUnits(ctx, heed.Scope{All: true})
	if err != nil {
		t.Fatalf("ListUnits: %v", err)
	}
	tests := []struct {
		name  string
		units []heed.Unit
	}{
		{"own parent", []heed.Unit{{Key: "a", Name: "A", Parent: "a"}}},
		{"below own child", []heed.Unit{{Key: "a", Name: "A", Parent: "b"}}},
		{"below own grandchild", []heed.Unit{{Key: "b", Name: "B", Parent: "c"}}},
		{"after a valid row", []heed.Unit{{Key: "z", Name: "Z"}, {Key: "a", Name: "A", Parent: "c"}}},
	}
	for _, tt := range tests {
		_, err := s.UpsertUnits(ctx, tt.units, T0.Add(time.Hour))
		wantErr(t, tt.name, err, heed.EConflict, "parent")
	}
	after, err := s.ListUnits(ctx, heed.Scope{All: true})
	if err != nil {
		t.Fatalf("ListUnits: %v", err)
	}
	if !slices.Equal(before, after) {
		t.Errorf("a rejected move changed the tree:\nbefore %+v\nafter  %+v", before, after)
	}
}

func testEmployees(t *testing.T, s heed.Store) {
	ctx := t.Context()
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "hq", Name: "HQ"}, heed.Unit{Key: "shop", Name: "Shop", Parent: "hq"})
	res := mustUpsertEmployees(t, s, T0,
		heed.Employee{Email: "Ann@Example.COM", Name: "Ann", Role: heed.RoleFrontline, Unit: "shop"},
		heed.Employee{Email: "root@example.com", Name: "Root", Role: heed.RoleAdmin},
		heed.Employee{Email: "max@example.com", Name: "Max", Role: heed.RoleManager, Unit: "hq"},
	)
	wantResult(t, res, heed.UpsertResult{Created: 3})

	ann, err := s.GetEmployee(ctx, "ANN@example.com")
	if err != nil {
		t.Fatalf("GetEmployee with other case: %v", err)
	}
	want := heed.Employee{ID: ann.ID, Email: "ann@example.com", Name: "Ann", Role: heed.RoleFrontline, Unit: "shop",
		CreatedAt: T0, UpdatedAt: T0}
	if ann != want {
		t.Errorf("GetEmployee = %+v; want %+v", ann, want)
	}
	wantTimes(t, "ann", ann.CreatedAt, ann.UpdatedAt, T0, T0)
	if byID, err := s.GetEmployeeByID(ctx, ann.ID); err != nil || byID != ann {
		t.Errorf("GetEmployeeByID = %+v, %v; want %+v", byID, err, ann)
	}

	res = mustUpsertEmployees(t, s, T0.Add(time.Hour),
		heed.Employee{Email: "ann@example.com", Name: "Ann", Role: heed.RoleFrontline, Unit: "shop"},
		heed.Employee{Email: "ROOT@example.com", Name: "Root", Role: heed.RoleAdmin},
		heed.Employee{Email: "max@example.com", Name: "Max", Role: heed.RoleAnalyst},
	)
	wantResult(t, res, heed.UpsertResult{Updated: 1, Unchanged: 2})
	if got := mustGetEmployee(t, s, "ann@example.com"); got != ann {
		t.Errorf("unchanged employee = %+v; want %+v", got, ann)
	}
	maxE := mustGetEmployee(t, s, "max@example.com")
	if maxE.Role != heed.RoleAnalyst || maxE.Unit != "" {
		t.Errorf("updated employee = %+v; want analyst without unit", maxE)
	}
	wantTimes(t, "max", maxE.CreatedAt, maxE.UpdatedAt, T0, T0.Add(time.Hour))

	// Passwords.
	if err := s.SetPassword(ctx, "Ann@example.com", "$argon2id$v=19$fake", T0.Add(2*time.Hour)); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	cred, err := s.GetCredentials(ctx, "ann@EXAMPLE.com")
	if err != nil {
		t.Fatalf("GetCredentials: %v", err)
	}
	shop := mustGetUnit(t, s, "shop")
	if cred.PasswordHash != "$argon2id$v=19$fake" || !cred.Employee.HasPassword ||
		cred.UnitID != shop.ID || cred.UnitPath != shop.Path || cred.Employee.Email != "ann@example.com" {
		t.Errorf("GetCredentials = %+v; want the hash, HasPassword, unit %d %s", cred, shop.ID, shop.Path)
	}
	if byID, err := s.GetCredentialsByID(ctx, ann.ID); err != nil || byID != cred {
		t.Errorf("GetCredentialsByID = %+v, %v; want %+v", byID, err, cred)
	}
	if e := mustGetEmployee(t, s, "ann@example.com"); !e.HasPassword {
		t.Errorf("GetEmployee after SetPassword: HasPassword false")
	}
	root, err := s.GetCredentials(ctx, "root@example.com")
	if err != nil || root.PasswordHash != "" || root.Employee.HasPassword || root.UnitID != 0 || root.UnitPath != "" {
		t.Errorf("credentials without password or unit = %+v, %v", root, err)
	}

	// Listing, with filters.
	tests := []struct {
		f    heed.EmployeeFilter
		want []string
	}{
		{heed.EmployeeFilter{}, []string{"ann@example.com", "max@example.com", "root@example.com"}},
		{heed.EmployeeFilter{Limit: 2}, []string{"ann@example.com", "max@example.com"}},
		{heed.EmployeeFilter{Unit: "hq"}, []string{"ann@example.com"}},
		{heed.EmployeeFilter{Unit: "shop"}, []string{"ann@example.com"}},
	}
	for _, tt := range tests {
		emps, err := s.ListEmployees(ctx, heed.Scope{All: true}, tt.f)
		if err != nil {
			t.Errorf("ListEmployees(%+v): %v", tt.f, err)
			continue
		}
		if got := employeeEmails(emps); !slices.Equal(got, tt.want) {
			t.Errorf("ListEmployees(%+v) = %v; want %v", tt.f, got, tt.want)
		}
	}
}

func testCustomerRoundTrip(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "shop", Name: "Shop"})
	mustUpsertEmployees(t, s, T0, heed.Employee{Email: "ann@example.com", Name: "Ann", Role: heed.RoleFrontline, Unit: "shop"})
	value, _ := heed.ParseDecimal("48000.5")
	neg, _ := heed.ParseDecimal("-12.3456")
	in := []heed.Customer{
		{ExternalID: "C-1", Name: "Zoë Müller", Email: "zoe@example.com", Phone: "+32 470 12 34 56",
			Language: "nl-BE", Segment: "gold", Value: value, Owner: "ANN@example.com", Unit: "shop", Consent: true,
			Attributes: json.RawMessage(`{"tier": "gold", "b": {"z": 1.50, "y": [1e2, "x<y"]}, "a": null}`)},
		{ExternalID: "C-2", Name: "Negative", Value: neg, Unit: "shop"},
		{ExternalID: "C-3", Name: "Null attributes", Unit: "shop", Attributes: json.RawMessage(`null`)},
	}
	// Stores keep microseconds: the nanoseconds of now are dropped.
	now := T0.Add(999 * time.Nanosecond)
	wantResult(t, mustUpsertCustomers(t, s, now, in...), heed.UpsertResult{Created: 3})

	c1 := mustGetCustomer(t, s, "C-1")
	want := heed.Customer{ID: c1.ID, ExternalID: "C-1", Name: "Zoë Müller", Email: "zoe@example.com",
		Phone: "+32 470 12 34 56", Language: "nl-BE", Segment: "gold", Value: value, Owner: "ann@example.com",
		OwnerName: "Ann", Unit: "shop", Consent: true, CreatedAt: T0, UpdatedAt: T0,
		Attributes: json.RawMessage(`{"a":null,"b":{"y":[100,"x<y"],"z":1.50},"tier":"gold"}`)}
	wantCustomer(t, c1, want)
	wantTimes(t, "C-1", c1.CreatedAt, c1.UpdatedAt, T0, T0)
	if c2 := mustGetCustomer(t, s, "C-2"); c2.Value != neg || c2.Value.String() != "-12.3456" || c2.Owner != "" ||
		string(c2.Attributes) != "{}" || c2.Consent {
		t.Errorf("C-2 = %+v; want value -12.3456, no owner, {} attributes, no consent", c2)
	}
	if c3 := mustGetCustomer(t, s, "C-3"); string(c3.Attributes) != "{}" {
		t.Errorf("null attributes read back as %s; want {}", c3.Attributes)
	}

	// The same object written differently is unchanged; the owner's name
	// is read-only.
	same := in[0]
	same.Attributes = json.RawMessage(`{ "a":null, "tier":"gold","b":{"y":[100, "x<y"], "z":1.50} }`)
	same.Owner = "ann@example.com"
	same.OwnerName = "Someone Else"
	c2 := in[1]
	c2.Attributes = json.RawMessage(`{}`)
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(time.Hour), same, c2), heed.UpsertResult{Unchanged: 2})
	wantCustomer(t, mustGetCustomer(t, s, "C-1"), want)

	// Clearing the owner and changing the value are updates.
	changed := same
	changed.Owner = ""
	changed.Value++
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(2*time.Hour), changed), heed.UpsertResult{Updated: 1})
	want.Owner, want.OwnerName, want.Value, want.UpdatedAt = "", "", value+1, T0.Add(2*time.Hour)
	wantCustomer(t, mustGetCustomer(t, s, "C-1"), want)
	if got := mustGetCustomer(t, s, "C-1").Value.String(); got != "48000.5001" {
		t.Errorf("value = %s; want 48000.5001", got)
	}
}

func testCustomerCounts(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "shop", Name: "Shop"}, heed.Unit{Key: "other", Name: "Other"})
	batch := []heed.Customer{
		{ExternalID: "A", Name: "Anna", Unit: "shop"},
		{ExternalID: "B", Name: "Bram", Unit: "shop", Attributes: json.RawMessage(`{"k":"v"}`)},
		{ExternalID: "C", Name: "Cor", Unit: "shop"},
	}
	wantResult(t, mustUpsertCustomers(t, s, T0, batch...), heed.UpsertResult{Created: 3})
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(time.Hour), batch...), heed.UpsertResult{Unchanged: 3})
	for _, c := range batch {
		if got := mustGetCustomer(t, s, c.ExternalID); !got.UpdatedAt.Equal(T0) {
			t.Errorf("%s updated_at = %v after an identical upsert; want %v", c.ExternalID, got.UpdatedAt, T0)
		}
	}
	tests := []struct {
		name   string
		change func(c *heed.Customer)
	}{
		{"name", func(c *heed.Customer) { c.Name = "Anna B" }},
		{"unit", func(c *heed.Customer) { c.Unit = "other" }},
		{"attributes", func(c *heed.Customer) { c.Attributes = json.RawMessage(`{"k":"w"}`) }},
		{"consent", func(c *heed.Customer) { c.Consent = true }},
		{"language", func(c *heed.Customer) { c.Language = "fr" }},
	}
	for i, tt := range tests {
		at := T0.Add(time.Duration(i+2) * time.Hour)
		c := mustGetCustomer(t, s, "A")
		tt.change(&c)
		fresh := heed.Customer{ExternalID: fmt.Sprintf("N%d", i), Name: "New", Unit: "shop"}
		res := mustUpsertCustomers(t, s, at, c, fresh, batch[2])
		wantResult(t, res, heed.UpsertResult{Created: 1, Updated: 1, Unchanged: 1})
		if got := mustGetCustomer(t, s, "A"); !got.UpdatedAt.Equal(at) || !got.CreatedAt.Equal(T0) {
			t.Errorf("after changing %s: times %v, %v; want created %v, updated %v", tt.name, got.CreatedAt, got.UpdatedAt, T0, at)
		}
	}
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

func testCustomerUnitFilter(t *testing.T, s heed.Store) {
	o := seedOrg(t, s)
	tests := []struct {
		scope heed.Scope
		unit  string
		want  []string
	}{
		{heed.Scope{All: true}, "acme", []string{"c1", "c2", "c3", "c4", "c5", "c6"}},
		{heed.Scope{All: true}, "north", []string{"c1", "c2", "c3", "c4", "c6"}},
		{heed.Scope{All: true}, "n2", []string{"c3", "c4"}},
		{o.principal("ann").Scope(), "n2", []string{"c3"}},
		{o.principal("ann").Scope(), "south", nil},
		{o.principal("boss").Scope(), "south", nil},
	}
	for _, tt := range tests {
		page, err := s.ListCustomers(t.Context(), tt.scope, heed.CustomerFilter{Unit: tt.unit})
		if err != nil {
			t.Errorf("ListCustomers(%+v, unit %s): %v", tt.scope, tt.unit, err)
			continue
		}
		if got := customerIDs(page.Customers); !slices.Equal(got, tt.want) {
			t.Errorf("ListCustomers(%+v, unit %s) = %v; want %v", tt.scope, tt.unit, got, tt.want)
		}
	}
}

func testPagination(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "hq", Name: "HQ"}, heed.Unit{Key: "shop", Name: "Shop", Parent: "hq"})
	var custs []heed.Customer
	for i := range 23 {
		// Names repeat, so the external id must break ties.
		custs = append(custs, heed.Customer{ExternalID: fmt.Sprintf("P%02d", 22-i), Name: fmt.Sprintf("Name %d", i%4), Unit: "shop"})
	}
	mustUpsertCustomers(t, s, T0, custs...)
	var want []string
	sort.Slice(custs, func(i, j int) bool {
		a, b := custs[i], custs[j]
		return a.Name < b.Name || a.Name == b.Name && a.ExternalID < b.ExternalID
	})
	for _, c := range custs {
		want = append(want, c.ExternalID)
	}
	tests := []struct {
		scope     heed.Scope
		f         heed.CustomerFilter
		wantPages int
	}{
		{heed.Scope{All: true}, heed.CustomerFilter{Limit: 5}, 5},
		{heed.Scope{All: true}, heed.CustomerFilter{Limit: 1}, 23},
		{heed.Scope{All: true}, heed.CustomerFilter{Limit: 23}, 1},
		{heed.Scope{All: true}, heed.CustomerFilter{}, 1}, // 50 by default
		{heed.Scope{All: true}, heed.CustomerFilter{Limit: 1000, Unit: "hq"}, 1},
		{heed.Scope{UnitPath: mustGetUnit(t, s, "hq").Path}, heed.CustomerFilter{Limit: 4, Query: "name"}, 6},
	}
	for _, tt := range tests {
		got, pages := walkPages(t, s, tt.scope, tt.f)
		if !slices.Equal(got, want) || pages != tt.wantPages {
			t.Errorf("walking %+v: %d pages %v; want %d pages %v", tt.f, pages, got, tt.wantPages, want)
		}
	}
}

// walkPages follows NextCursor to the end, returning every external id
// seen and the number of pages.
func walkPages(t *testing.T, s heed.Store, scope heed.Scope, f heed.CustomerFilter) ([]string, int) {
	t.Helper()
	var ids []string
	for pages := 1; pages < 100; pages++ {
		page, err := s.ListCustomers(t.Context(), scope, f)
		if err != nil {
			t.Fatalf("ListCustomers(%+v): %v", f, err)
		}
		ids = append(ids, customerIDs(page.Customers)...)
		if page.NextCursor == "" {
			return ids, pages
		}
		f.Cursor = page.NextCursor
	}
	t.Fatalf("ListCustomers(%+v): pagination does not end", f)
	return nil, 0
}

func testSearch(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "shop", Name: "Shop"})
	mustUpsertCustomers(t, s, T0,
		heed.Customer{ExternalID: "S-1", Name: "Zoë Müller", Email: "zoe@example.com", Phone: "+32 470 12 34 56", Unit: "shop"},
		heed.Customer{ExternalID: "S-2", Name: "John 100% Smith", Email: "john@example.org", Unit: "shop"},
		heed.Customer{ExternalID: "S_3", Name: "Under_Score", Unit: "shop"},
		heed.Customer{ExternalID: "S-4", Name: "Plain", Email: "PLAIN@EXAMPLE.NET", Unit: "shop"},
		heed.Customer{ExternalID: "X5", Name: "Émile Zola", Unit: "shop"},
		heed.Customer{ExternalID: "X6", Name: "ØRSTED A/S", Unit: "shop"},
		heed.Customer{ExternalID: "X7", Name: "Straße AG", Unit: "shop"},
		heed.Customer{ExternalID: "X8", Name: "Strasse  BV", Unit: "shop"},
	)
	tests := []struct {
		query string
		want  []string // in name order
	}{
		// Case and accents do not matter, on either side.
		{"müller", []string{"S-1"}},
		{"muller", []string{"S-1"}},
		{"MULLER", []string{"S-1"}},
		{"zoe müller", []string{"S-1"}},
		{"emile", []string{"X5"}},
		{"ÉMILE z", []string{"X5"}},
		{"ORSTED", []string{"X6"}},
		{"ørsted a/s", []string{"X6"}},
		{"straße", []string{"X7", "X8"}},
		{"STRASSE", []string{"X7", "X8"}},
		{"strasse bv", []string{"X8"}},        // runs of space count as one
		{"müller zoe", nil},                   // never across two fields
		{"ZOE@", []string{"S-1"}},             // email, other case
		{"470 12", []string{"S-1"}},           // phone
		{"example.net", []string{"S-4"}},      // stored upper case
		{"s-", []string{"S-2", "S-4", "S-1"}}, // external id, other case
		{"100%", []string{"S-2"}},
		{"%", []string{"S-2"}}, // a literal percent sign, not a wildcard
		{"_", []string{"S_3"}}, // a literal underscore
		{`\`, nil},
		{"nobody", nil},
	}
	for _, tt := range tests {
		page, err := s.ListCustomers(t.Context(), heed.Scope{All: true}, heed.CustomerFilter{Query: tt.query})
		if err != nil {
			t.Errorf("search %q: %v", tt.query, err)
			continue
		}
		if got := customerIDs(page.Customers); !slices.Equal(got, tt.want) {
			t.Errorf("search %q = %v; want %v", tt.query, got, tt.want)
		}
	}
}

// CustomerOrder checks that customers list in the order users expect —
// alphabetical whatever the case and accents, ties broken by external id
// in byte order — on every page size, and that the order and search follow
// a renamed customer. Exported so package postgres can also run it on a
// database whose default collation would order otherwise.
func CustomerOrder(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "hq", Name: "HQ"}, heed.Unit{Key: "shop", Name: "Shop", Parent: "hq"})
	mustUpsertEmployees(t, s, T0, heed.Employee{Email: "owner@example.com", Name: "Olga Owner", Role: heed.RoleFrontline, Unit: "shop"})
	// In the order expected; external ids "e-B" < "e-a" < "e-b" in byte
	// order (a case-insensitive collation would put "e-B" last).
	want := []heed.Customer{
		{ExternalID: "ae", Name: "Æble"},
		{ExternalID: "a1", Name: "anna"},
		{ExternalID: "a3", Name: "Anna Maria"},
		{ExternalID: "a2", Name: "Anna-Lena"},
		{ExternalID: "b1", Name: "Bob"},
		{ExternalID: "b2", Name: "BOB"},
		{ExternalID: "e-B", Name: "Émile", Owner: "owner@example.com"},
		{ExternalID: "e-a", Name: "EMILE"},
		{ExternalID: "e-b", Name: "emile"},
		{ExternalID: "l1", Name: "Łukasz"},
		{ExternalID: "m1", Name: "Müller"},
		{ExternalID: "m2", Name: "Muller"},
		{ExternalID: "o1", Name: "Ørsted"},
		{ExternalID: "s1", Name: "ßeta"},
		{ExternalID: "s2", Name: "Straße"},
		{ExternalID: "z1", Name: "Zed"},
		{ExternalID: "z2", Name: "Zoë"},
	}
	in := slices.Clone(want)
	slices.Reverse(in)
	for i := range in {
		in[i].Unit = "shop"
	}
	mustUpsertCustomers(t, s, T0, in...)
	ids := customerIDs(want)
	checkCustomerOrder(t, s, ids)

	// OwnerName comes with every customer listed.
	page, err := s.ListCustomers(t.Context(), heed.Scope{All: true}, heed.CustomerFilter{Query: "emile"})
	if err != nil {
		t.Fatalf("ListCustomers: %v", err)
	}
	for _, c := range page.Customers {
		wantName := ""
		if c.Owner != "" {
			wantName = "Olga Owner"
		}
		if c.OwnerName != wantName {
			t.Errorf("customer %s: owner %q, OwnerName %q; want %q", c.ExternalID, c.Owner, c.OwnerName, wantName)
		}
	}
	if got := customerIDs(page.Customers); !slices.Equal(got, []string{"e-B", "e-a", "e-b"}) {
		t.Errorf("search emile = %v; want [e-B e-a e-b]", got)
	}

	// Identical rows are unchanged; a rename moves the customer and its
	// search text along.
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(time.Hour), in...), heed.UpsertResult{Unchanged: len(in)})
	zed := in[slices.IndexFunc(in, func(c heed.Customer) bool { return c.ExternalID == "z1" })]
	zed.Name = "Aaron"
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(2*time.Hour), zed), heed.UpsertResult{Updated: 1})
	checkCustomerOrder(t, s, append([]string{"z1"}, slices.DeleteFunc(ids, func(id string) bool { return id == "z1" })...))
	for q, want := range map[string][]string{"aaron": {"z1"}, "zed": nil} {
		page, err := s.ListCustomers(t.Context(), heed.Scope{All: true}, heed.CustomerFilter{Query: q})
		if err != nil || !slices.Equal(customerIDs(page.Customers), want) {
			t.Errorf("search %q after rename = %v, %v; want %v", q, customerIDs(page.Customers), err, want)
		}
	}
}

// checkCustomerOrder walks the customers of the fixture of CustomerOrder
// in pages of every size and through both indexes (all, one unit).
func checkCustomerOrder(t *testing.T, s heed.Store, want []string) {
	t.Helper()
	shop := mustGetUnit(t, s, "shop")
	for _, scope := range []heed.Scope{{All: true}, {UnitID: shop.ID}} {
		for _, limit := range []int{1, 2, 3, 5, len(want), 1000} {
			got, _ := walkPages(t, s, scope, heed.CustomerFilter{Limit: limit})
			if !slices.Equal(got, want) {
				t.Errorf("%+v in pages of %d:\n got %v\nwant %v", scope, limit, got, want)
			}
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
			_, err := s.UpsertUnits(ctx, []heed.Unit{{Key: "x", Name: "X", Parent: "y"}, {Key: "y", Name: "Y"}}, T0)
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
	if _, err := s.GetUnit(ctx, "x"); heed.ErrorCode(err) != heed.ENotFound {
		t.Errorf("a rejected unit batch left a row behind: %v", err)
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

// BenchUpsertCustomers imports 10,000 new customers per op through
// UpsertCustomers, as `heed import customers` does, and reports
// customers/s. Package sqlite and package postgres each run it.
func BenchUpsertCustomers(b *testing.B, s heed.Store) {
	const perOp = 10_000
	ctx := b.Context()
	units := []heed.Unit{{Key: "hq", Name: "HQ"}}
	var emps []heed.Employee
	for i := range 10 {
		key := fmt.Sprintf("store-%d", i)
		units = append(units, heed.Unit{Key: key, Name: "Store", Parent: "hq"})
		emps = append(emps, heed.Employee{Email: fmt.Sprintf("am%d@acme.example", i), Name: "AM", Role: heed.RoleFrontline, Unit: key})
	}
	if _, err := s.UpsertUnits(ctx, units, T0); err != nil {
		b.Fatal(err)
	}
	if _, err := s.UpsertEmployees(ctx, emps, T0); err != nil {
		b.Fatal(err)
	}
	ops := 0
	for b.Loop() {
		b.StopTimer()
		custs := make([]heed.Customer, perOp)
		for j := range custs {
			custs[j] = heed.Customer{ExternalID: fmt.Sprintf("B%d-%d", ops, j), Name: fmt.Sprintf("Customer %d", j),
				Email: fmt.Sprintf("c%d@example.com", j), Phone: "+32 470 00 00 00", Language: "nl-BE", Segment: "retail",
				Value: heed.Decimal(j * 10000), Unit: units[1+j%10].Key, Consent: j%2 == 0,
				Attributes: json.RawMessage(`{"tier": "gold", "since": 2019}`)}
			if j%3 == 0 {
				custs[j].Owner = emps[j%10].Email
			}
		}
		b.StartTimer()
		res, err := s.UpsertCustomers(ctx, custs, T0)
		if err != nil || res.Created != perOp {
			b.Fatalf("UpsertCustomers = %+v, %v", res, err)
		}
		ops++
	}
	b.ReportMetric(float64(perOp*ops)/b.Elapsed().Seconds(), "customers/s")
}
