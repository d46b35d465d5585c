package main

import (
	"context"
	"strings"
	"testing"

	"github.com/heedhq/heed"
)

const unitsCSV = `key,name,parent,responsible
acme,Acme,,
north,North,acme,
store-1,Store 1,north,
south,South,acme,
`

// employeesCSV has one bad row: line 3's role.
const employeesCSV = `email,name,role,unit
ann@example.com,Ann North,manager,north
bob@example.com,Bob Boss,boss,store-1
cid@example.com,Cid Store,frontline,store-1
`

func TestImport(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			db := dbURL(t, engine)
			e := env{"HEED_DB": db}
			units := writeFile(t, "units.csv", unitsCSV)
			r := mustRun(t, e, "", "import", "units", units)
			if want := "units: 4 created, 0 updated, 0 unchanged\n"; r.stdout != want {
				t.Errorf("import units printed %q, want %q", r.stdout, want)
			}

			// One bad row: every problem as FILE:LINE: field: problem, a
			// failure, and nothing written.
			emps := writeFile(t, "employees.csv", employeesCSV)
			r = heedRun(t, e, "", "import", "employees", emps)
			if r.err == nil {
				t.Fatalf("importing a file with a bad row succeeded:\n%s", r.output())
			}
			if !strings.Contains(r.output(), emps+":3: role: ") {
				t.Errorf("the error does not name %s:3: role:\n%s", emps, r.output())
			}
			if n := countEmployees(t, db); n != 0 {
				t.Errorf("after the rejected import the store has %d employees, want 0", n)
			}

			// --skip-invalid writes the rest and lists what it skipped.
			r = mustRun(t, e, "", "import", "employees", emps, "--skip-invalid")
			if want := "employees: 2 created, 0 updated, 0 unchanged, 1 invalid row skipped\n"; r.stdout != want {
				t.Errorf("import --skip-invalid printed %q, want %q", r.stdout, want)
			}
			if !strings.Contains(r.stderr, emps+":3: role: ") {
				t.Errorf("--skip-invalid does not list the skipped row:\n%s", r.stderr)
			}
			if n := countEmployees(t, db); n != 2 {
				t.Errorf("after --skip-invalid the store has %d employees, want 2", n)
			}

			// Importing the same files again changes nothing.
			r = mustRun(t, e, "", "import", "employees", emps, "--skip-invalid")
			if want := "employees: 0 created, 0 updated, 2 unchanged, 1 invalid row skipped\n"; r.stdout != want {
				t.Errorf("re-import printed %q, want %q", r.stdout, want)
			}
			r = mustRun(t, e, "", "import", "units", units)
			if want := "units: 0 created, 0 updated, 4 unchanged\n"; r.stdout != want {
				t.Errorf("re-import of units printed %q, want %q", r.stdout, want)
			}
		})
	}
}

// TestImportJSONL imports customers from JSONL read on standard input,
// with the format given, then a changed file updating one of them.
func TestImportJSONL(t *testing.T) {
	db := dbURL(t, "sqlite")
	e := env{"HEED_DB": db}
	mustRun(t, e, "", "import", "units", writeFile(t, "units.csv", unitsCSV))
	custs := `{"external_id":"c1","name":"Dana","email":"dana@example.com","value":"1200.50","unit":"store-1","consent":true}
{"external_id":"c2","name":"Eli","unit":"north","attributes":{"tier":"gold"}}
`
	r := mustRun(t, e, custs, "import", "customers", "-", "--format", "jsonl")
	if want := "customers: 2 created, 0 updated, 0 unchanged\n"; r.stdout != want {
		t.Errorf("import customers printed %q, want %q", r.stdout, want)
	}
	changed := strings.Replace(custs, "Eli", "Eli Changed", 1)
	r = mustRun(t, e, "", "import", "customers", writeFile(t, "customers.jsonl", changed))
	if want := "customers: 0 created, 1 updated, 1 unchanged\n"; r.stdout != want {
		t.Errorf("import of a changed file printed %q, want %q", r.stdout, want)
	}
	s := openTestStore(t, db)
	c, err := s.GetCustomer(context.Background(), heed.Scope{All: true}, "c2")
	if err != nil || c.Name != "Eli Changed" {
		t.Errorf("customer c2 = %+v, %v; want the new name", c, err)
	}
}

func TestImportMissingFile(t *testing.T) {
	r := heedRun(t, env{"HEED_DB": dbURL(t, "sqlite")}, "", "import", "units", "no-such-file.csv")
	if r.err == nil || !strings.Contains(r.output(), "no-such-file.csv") {
		t.Errorf("importing a missing file: %v\n%s", r.err, r.output())
	}
}

func countEmployees(t *testing.T, db string) int {
	t.Helper()
	emps, err := openTestStore(t, db).ListEmployees(context.Background(), heed.Scope{All: true}, heed.EmployeeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(emps)
}
