package directory_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/importer"
	"github.com/heedhq/heed/internal/testdb"
)

var t0 = time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return t0 }

// each runs f against a fresh store of every engine.
func each(t *testing.T, f func(t *testing.T, s heed.Store, d *directory.Service)) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			s := testdb.Open(t, engine)
			f(t, s, directory.New(s, clock))
		})
	}
}

func importCSV(t *testing.T, d *directory.Service, kind directory.ImportKind, file, body string, skip bool) (directory.ImportReport, error) {
	t.Helper()
	return d.Import(context.Background(), heed.System(), directory.ImportRequest{
		Kind: kind, File: file, Format: importer.CSV, Body: strings.NewReader(body), SkipInvalid: skip,
	})
}

const unitsCSV = `key,name,parent,responsible
store-1,Store One,north,
north,North,acme,ann@acme.example
acme,Acme,,
south,South,acme,
store-2,Store Two,south,
`

const employeesCSV = `email,name,role,unit
ann@acme.example,Ann,manager,north
bob@acme.example,Bob,frontline,store-1
cat@acme.example,Cat,frontline,store-2
`

func seed(t *testing.T, d *directory.Service) {
	t.Helper()
	if _, err := importCSV(t, d, directory.ImportUnits, "units.csv", unitsCSV, false); err != nil {
		t.Fatalf("import units: %v", err)
	}
	if _, err := importCSV(t, d, directory.ImportEmployees, "employees.csv", employeesCSV, false); err != nil {
		t.Fatalf("import employees: %v", err)
	}
}

func TestImportOrdersParentsFirstAndIsIdempotent(t *testing.T) {
	each(t, func(t *testing.T, s heed.Store, d *directory.Service) {
		ctx := context.Background()
		rep, err := importCSV(t, d, directory.ImportUnits, "units.csv", unitsCSV, false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Result != (heed.UpsertResult{Created: 5}) || rep.Rows != 5 {
			t.Fatalf("first import = %+v, want 5 rows created", rep)
		}
		u, err := d.GetUnit(ctx, heed.System(), "store-1")
		if err != nil || u.Parent != "north" || u.Depth != 2 {
			t.Fatalf("store-1 = %+v, %v; want parent north at depth 2", u, err)
		}
		rep, err = importCSV(t, d, directory.ImportUnits, "units.csv", unitsCSV, false)
		if err != nil || rep.Result != (heed.UpsertResult{Unchanged: 5}) {
			t.Fatalf("re-import = %+v, %v; want 5 unchanged", rep.Result, err)
		}
	})
}

func TestImportRejectsWholeFileAndNamesLineAndField(t *testing.T) {
	each(t, func(t *testing.T, s heed.Store, d *directory.Service) {
		ctx := context.Background()
		seed(t, d)
		file := "customers.csv"
		body := `external_id,name,email,unit,owner,value,consent
c1,Ada,ada@example.com,store-1,bob@acme.example,1200.50,yes
c2,Bea,not-an-email,store-1,,10,no
c3,Cid,cid@example.com,nowhere,,5,yes
c4,Dee,dee@example.com,store-2,zed@acme.example,5,yes
`
		_, err := importCSV(t, d, directory.ImportCustomers, file, body, false)
		var rs heed.RowErrors
		if !errors.As(err, &rs) {
			t.Fatalf("import of a bad file = %v, want row errors", err)
		}
		want := []string{
			"customers.csv:3: email: is not an email address: \"not-an-email\"",
			"customers.csv:4: unit: no unit \"nowhere\"",
			"customers.csv:5: owner: no employee \"zed@acme.example\"",
		}
		if len(rs) != len(want) {
			t.Fatalf("got %d problems %v, want %d", len(rs), rs, len(want))
		}
		for i, w := range want {
			if rs[i].String() != w {
				t.Errorf("problem %d = %q, want %q", i, rs[i].String(), w)
			}
		}
		if n, _ := d.CountCustomers(ctx, heed.System()); n != 0 {
			t.Fatalf("%d customers written by a rejected import, want 0", n)
		}

		rep, err := importCSV(t, d, directory.ImportCustomers, file, body, true)
		if err != nil {
			t.Fatalf("import --skip-invalid: %v", err)
		}
		if rep.Result.Created != 1 || len(rep.Rejected) != 3 || rep.Rows != 4 {
			t.Fatalf("skip-invalid report = %+v, want 1 created, 3 rejected of 4 rows", rep)
		}
		c, err := d.GetCustomer(ctx, heed.System(), "c1")
		if err != nil || c.Value.String() != "1200.5" || !c.Consent || c.Owner != "bob@acme.example" {
			t.Fatalf("c1 = %+v, %v", c, err)
		}
	})
}

func TestImportUnitProblems(t *testing.T) {
	each(t, func(t *testing.T, s heed.Store, d *directory.Service) {
		body := `key,name,parent
a,A,b
b,B,a
c,C,ghost
,Nameless,
d,D,
d,D again,
`
		_, err := importCSV(t, d, directory.ImportUnits, "u.csv", body, false)
		var rs heed.RowErrors
		if !errors.As(err, &rs) {
			t.Fatalf("got %v, want row errors", err)
		}
		var lines []string
		for _, r := range rs {
			lines = append(lines, r.String())
		}
		got := strings.Join(lines, "\n")
		for _, w := range []string{"u.csv:2: parent", "u.csv:4: parent: no unit \"ghost\"", "u.csv:5: key: is required", "u.csv:7: key: \"d\" appears twice (first on line 6)"} {
			if !strings.Contains(got, w) {
				t.Errorf("problems %s\nlack %q", got, w)
			}
		}
		units, _ := d.ListUnits(context.Background(), heed.System())
		if len(units) != 0 {
			t.Fatalf("%d units written by a rejected import", len(units))
		}
	})
}

func TestAccessRules(t *testing.T) {
	each(t, func(t *testing.T, s heed.Store, d *directory.Service) {
		ctx := context.Background()
		seed(t, d)
		if _, err := d.UpsertCustomers(ctx, heed.System(), []heed.Customer{
			{ExternalID: "n1", Name: "North One", Unit: "store-1"},
			{ExternalID: "s1", Name: "South One", Unit: "store-2", Owner: "bob@acme.example"},
			{ExternalID: "s2", Name: "South Two", Unit: "store-2"},
		}); err != nil {
			t.Fatal(err)
		}
		ann := principal(t, s, "ann@acme.example")
		bob := principal(t, s, "bob@acme.example")
		analyst := heed.Principal{Kind: heed.KindToken, Role: heed.RoleAnalyst}
		cases := []struct {
			who     string
			p       heed.Principal
			visible []string
		}{
			{"manager of north sees its subtree", ann, []string{"n1"}},
			{"frontline sees own unit and own customers", bob, []string{"n1", "s1"}},
			{"analyst sees all", analyst, []string{"n1", "s1", "s2"}},
			{"nobody sees nothing", heed.Principal{}, nil},
		}
		for _, c := range cases {
			page, err := d.ListCustomers(ctx, c.p, heed.CustomerFilter{})
			if err != nil {
				t.Fatalf("%s: %v", c.who, err)
			}
			var got []string
			for _, cu := range page.Customers {
				got = append(got, cu.ExternalID)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.visible) {
				t.Errorf("%s: saw %v, want %v", c.who, got, c.visible)
			}
		}
		if _, err := d.GetCustomer(ctx, ann, "s2"); heed.ErrorCode(err) != heed.ENotFound {
			t.Errorf("manager reading another region's customer: %v, want not_found", err)
		}
		if _, err := d.GetUnit(ctx, ann, "south"); heed.ErrorCode(err) != heed.ENotFound {
			t.Errorf("manager reading another region: %v, want not_found", err)
		}
		if _, _, err := d.PutUnit(ctx, analyst, heed.Unit{Key: "x", Name: "X"}); heed.ErrorCode(err) != heed.EForbidden {
			t.Errorf("analyst changing a unit: %v, want forbidden", err)
		}
		if _, err := importCSV(t, d, directory.ImportUnits, "u.csv", unitsCSV, false); err != nil {
			t.Errorf("system import: %v", err)
		}
		if _, err := d.Import(ctx, ann, directory.ImportRequest{Kind: directory.ImportUnits, File: "u.csv", Body: strings.NewReader(unitsCSV)}); heed.ErrorCode(err) != heed.EForbidden {
			t.Errorf("manager importing: %v, want forbidden", err)
		}
	})
}

func TestMovingUnitUnderItsDescendantConflicts(t *testing.T) {
	each(t, func(t *testing.T, s heed.Store, d *directory.Service) {
		seed(t, d)
		_, _, err := d.PutUnit(context.Background(), heed.System(), heed.Unit{Key: "north", Name: "North", Parent: "store-1"})
		if heed.ErrorCode(err) != heed.EConflict {
			t.Fatalf("moving north under its own store: %v, want conflict", err)
		}
	})
}

// principal builds the principal of an employee as the accounts service
// would, from stored credentials.
func principal(t *testing.T, s heed.Store, email string) heed.Principal {
	t.Helper()
	c, err := s.GetCredentials(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return heed.Principal{Kind: heed.KindEmployee, Name: email, Role: c.Employee.Role,
		EmployeeID: c.Employee.ID, UnitID: c.UnitID, UnitPath: c.UnitPath}
}

func TestNULIsRefusedOnBothEngines(t *testing.T) {
	each(t, func(t *testing.T, s heed.Store, d *directory.Service) {
		seed(t, d)
		_, _, err := d.PutCustomer(context.Background(), heed.System(), heed.Customer{ExternalID: "n", Name: "Bad\x00Name", Unit: "store-1"})
		if heed.ErrorCode(err) != heed.EInvalid || heed.ErrorField(err) != "name" {
			t.Fatalf("customer name with NUL: %v (field %q), want invalid on field name", err, heed.ErrorField(err))
		}
	})
}

// TestEveryProblemOfARowIsListed: a value that cannot be read does not
// hide the row's other problems.
func TestEveryProblemOfARowIsListed(t *testing.T) {
	each(t, func(t *testing.T, s heed.Store, d *directory.Service) {
		seed(t, d)
		body := "external_id,email,unit,value,consent\n" +
			"c1,not-an-email,nowhere,1e5,maybe\n"
		_, err := importCSV(t, d, directory.ImportCustomers, "c.csv", body, false)
		var rs heed.RowErrors
		if !errors.As(err, &rs) {
			t.Fatalf("got %v, want row errors", err)
		}
		fields := map[string]bool{}
		for _, r := range rs {
			fields[r.Field] = true
		}
		for _, f := range []string{"email", "unit", "value", "consent"} {
			if !fields[f] {
				t.Errorf("problems %v lack field %s", rs, f)
			}
		}
		if len(rs) != 4 {
			t.Errorf("got %d problems %v, want 4 (one per field)", len(rs), rs)
		}
	})
}

// TestMovingUnitBelowItselfIsARowError: a file that moves a stored unit
// under its own stored descendant names the line, like any other problem.
func TestMovingUnitBelowItselfIsARowError(t *testing.T) {
	each(t, func(t *testing.T, s heed.Store, d *directory.Service) {
		seed(t, d)
		_, err := importCSV(t, d, directory.ImportUnits, "u.csv", "key,name,parent\nnorth,North,store-1\n", false)
		var rs heed.RowErrors
		if !errors.As(err, &rs) || len(rs) != 1 || rs[0].String() != `u.csv:2: parent: "store-1" is below "north"; a unit cannot move below itself` {
			t.Fatalf("got %v, want one row error on line 2, field parent", err)
		}
	})
}

func TestTheLastAdminCannotBeDemoted(t *testing.T) {
	each(t, func(t *testing.T, s heed.Store, d *directory.Service) {
		ctx := context.Background()
		seed(t, d)
		if _, _, err := d.PutEmployee(ctx, heed.System(), heed.Employee{Email: "boss@acme.example", Role: heed.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(ctx, "boss@acme.example", "$argon2id$stub", t0); err != nil {
			t.Fatal(err)
		}
		_, err := importCSV(t, d, directory.ImportEmployees, "e.csv", "email,role,unit\nboss@acme.example,frontline,store-1\n", false)
		if heed.ErrorCode(err) != heed.EConflict {
			t.Fatalf("demoting the only admin: %v, want conflict", err)
		}
		if e, _ := d.GetEmployee(ctx, heed.System(), "boss@acme.example"); e.Role != heed.RoleAdmin {
			t.Fatalf("boss is %s after a refused import, want admin", e.Role)
		}
		if _, _, err := d.PutEmployee(ctx, heed.System(), heed.Employee{Email: "second@acme.example", Role: heed.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(ctx, "second@acme.example", "$argon2id$stub", t0); err != nil {
			t.Fatal(err)
		}
		if _, err := importCSV(t, d, directory.ImportEmployees, "e.csv", "email,role,unit\nboss@acme.example,frontline,store-1\n", false); err != nil {
			t.Fatalf("demoting one of two admins: %v", err)
		}
	})
}
