package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed/cases"
)

// TestDigestCommand: `heed cases digest` prints the morning email a
// manager gets — here about today, so the answers just imported show —
// and tells a wrong flag by name.
func TestDigestCommand(t *testing.T) {
	db := dbURL(t, "sqlite")
	e := env{"HEED_DB": db}
	mustRun(t, e, "", "import", "units", writeFile(t, "units.csv", loopUnitsCSV))
	mustRun(t, e, "", "import", "employees", writeFile(t, "employees.csv", loopEmployeesCSV))
	mustRun(t, e, "", "import", "customers", writeFile(t, "customers.csv", loopCustomersCSV))
	mustRun(t, e, "", "survey", "create", "--name", "Store visit")
	mustRun(t, e, "", "import", "responses", writeFile(t, "answers.csv", "survey,customer,score,comment,external_id\n"+
		"store-visit,C-001,3,Waited 25 minutes at the till,a1\n"+
		"store-visit,C-003,10,Lovely shop,a3\n"))
	today := time.Now().Format(time.DateOnly)

	out := mustRun(t, e, "", "cases", "digest", "--for", "ann@example.com", "--day", today).stdout
	for _, want := range []string{
		"Heed digest for North, " + time.Now().Format("Mon 2 Jan") + ": 2 answers",
		"Good morning Ann,",
		"Store visit: 2 answers — NPS +0 (1 promoter, 0 passives, 1 detractor)",
		"Ada Lovelace (Store 1) gave 3: “Waited 25 minutes at the till”",
		"1 opened and 0 closed that day; 1 open now, 0 of them late.",
		"Store 1: 1 open, 0 late",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("cases digest lacks %q:\n%s", want, out)
		}
	}
	var d cases.Digest
	js := mustRun(t, e, "", "cases", "digest", "--for", "cy@example.com", "--day", today, "--json").stdout
	if err := json.Unmarshal([]byte(js), &d); err != nil || d.Email != "cy@example.com" || d.Answers() != 0 || !d.Empty() {
		t.Errorf("cases digest --json for care's manager: %+v, %v\n%s", d, err, js)
	}
	if r := heedRun(t, e, "", "cases", "digest", "--for", "ann@example.com", "--day", "23/11"); r.err == nil ||
		!strings.Contains(r.output(), `--day "23/11" is not a date like 2026-03-01`) {
		t.Errorf("a bad --day: %s", r.output())
	}
	if r := heedRun(t, e, "", "cases", "digest", "--for", "nobody@example.com"); r.err == nil ||
		!strings.Contains(r.output(), `no employee "nobody@example.com"`) || !strings.Contains(r.output(), "--for") {
		t.Errorf("an unknown --for: %s", r.output())
	}
}
