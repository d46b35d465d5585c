package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestEventCommands imports what customers did from a shop's export (its
// own column names, a column Heed has no use for), imports it again
// without duplicates, refuses a file naming an unknown customer, and
// prints a customer's profile — churn risk with its factors, ladder rung
// with its reason — and the ladder month by month.
func TestEventCommands(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			e := env{"HEED_DB": dbURL(t, engine)}
			mustRun(t, e, "", "import", "units", writeFile(t, "units.csv", loopUnitsCSV))
			mustRun(t, e, "", "import", "employees", writeFile(t, "employees.csv", loopEmployeesCSV))
			mustRun(t, e, "", "import", "customers", writeFile(t, "customers.csv", loopCustomersCSV))

			// C-001 bought every 30 days, stopped 170 days ago and cancelled
			// 100 days ago; C-002 visited last week.
			ago := func(days int) string { return time.Now().UTC().AddDate(0, 0, -days).Format(time.DateOnly) }
			export := "Client,kind,at,Total,Order,Till\n" +
				fmt.Sprintf("C-001,purchase,%s,40.00,A-1,3\n", ago(200)) +
				fmt.Sprintf("C-001,purchase,%s,25.5,A-2,1\n", ago(170)) +
				fmt.Sprintf("C-001,cancellation,%s,,,\n", ago(100)) +
				fmt.Sprintf("C-002,visit,%s,,,\n", ago(7))
			file := writeFile(t, "orders.csv", export)
			args := []string{"import", "events", file, "--system", "till", "--map", "customer=Client", "--map", "amount=total",
				"--map", "external_id=Order"}
			r := mustRun(t, e, "", args...)
			if want := file + ": 4 events created, 0 updated, 0 unchanged\n"; r.stdout != want {
				t.Errorf("import events printed %q, want %q", r.stdout, want)
			}
			if want := file + ": ignored columns: Till\n"; r.stderr != want {
				t.Errorf("stderr %q, want %q", r.stderr, want)
			}
			r = mustRun(t, e, "", args...)
			if want := file + ": 0 events created, 0 updated, 4 unchanged\n"; r.stdout != want {
				t.Errorf("imported again, heed printed %q, want %q", r.stdout, want)
			}

			bad := writeFile(t, "more.csv", "customer,kind,at,amount\n"+
				fmt.Sprintf("C-002,purchase,%s,9.99\n", ago(1))+
				fmt.Sprintf("C-404,visit,%s,\n", ago(1)))
			r = heedRun(t, e, "", "import", "events", bad)
			if r.err == nil || !strings.Contains(r.output(), bad+`:3: customer: no customer "C-404"`) {
				t.Errorf("a file naming an unknown customer: %v\n%s", r.err, r.output())
			}
			r = heedRun(t, e, "", "import", "events", bad, "--source", "review")
			if r.err == nil || !strings.Contains(r.output(), "heed: --source: only for feedback files") {
				t.Errorf("--source on an events file: %v\n%s", r.err, r.output())
			}

			out := mustRun(t, e, "", "profile", "C-001").stdout
			for _, want := range []string{
				"C-001 Ada Lovelace (unit store-1)",
				"ladder:      awareness  cancelled on ",
				"churn risk:  100 (high)\n",
				"   +70  cancelled: cancelled on ",
				"   +50  no purchase for 170 days: usually buys every 30 days\n",
				fmt.Sprintf("purchases:   last %s (170 days ago); 2 in the last 365 days, worth 65.5; first %s\n", ago(170), ago(200)),
				"events:      3 (purchase 2, cancellation 1), ",
				"; 0 survey answers\n",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("heed profile C-001 lacks %q:\n%s", want, out)
				}
			}
			var p struct {
				Rung   string
				Recent []struct {
					ExternalID string `json:"external_id"`
				} `json:"recent_events"`
			}
			if err := json.Unmarshal([]byte(mustRun(t, e, "", "profile", "C-001", "--json").stdout), &p); err != nil ||
				p.Rung != "awareness" || len(p.Recent) != 3 || p.Recent[2].ExternalID != "A-1" {
				t.Errorf("heed profile --json: %+v, %v", p, err)
			}
			if r := heedRun(t, e, "", "profile", "C-404"); r.err == nil || !strings.Contains(r.output(), `heed: no customer "C-404"`) {
				t.Errorf("the profile of an unknown customer: %v\n%s", r.err, r.output())
			}

			out = mustRun(t, e, "", "ladder", "--months", "9").stdout
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 10 || strings.Join(strings.Fields(lines[0]), " ") !=
				"AT AWARENESS CONSIDERATION PURCHASE SATISFACTION REPEAT PURCHASE ADVOCACY LOYALTY KNOWN" {
				t.Fatalf("heed ladder --months 9:\n%s", out)
			}
			// Now: C-001 back at awareness, C-002 considering, C-003 known.
			if got := strings.Fields(lines[9])[1:]; strings.Join(got, " ") != "2 1 0 0 0 0 0 3" {
				t.Errorf("the ladder now: %v\n%s", got, out)
			}
			if r := heedRun(t, e, "", "ladder", "--unit", "nowhere"); r.err == nil || !strings.Contains(r.output(), `no unit "nowhere"`) {
				t.Errorf("the ladder of an unknown unit: %v\n%s", r.err, r.output())
			}
		})
	}
}
