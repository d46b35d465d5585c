package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestEmergingCommand: a phrase planted in a week's reviews that no
// theme covers is listed as new; ignored, it is not listed again.
func TestEmergingCommand(t *testing.T) {
	db := dbURL(t, "sqlite")
	e := env{"HEED_DB": db}
	mustRun(t, e, "", "import", "units", writeFile(t, "units.csv", loopUnitsCSV))
	var b strings.Builder
	b.WriteString("external_id,text,at,unit\n")
	day := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	for i := range 6 {
		fmt.Fprintf(&b, "r-%d,The ticket machine in the car park ate my coins,%s,store-1\n", i, day)
	}
	mustRun(t, e, "", "import", "feedback", writeFile(t, "reviews.csv", b.String()), "--source", "review")
	out := mustRun(t, e, "", "emerging").stdout
	if !strings.Contains(out, "ticket machine") || !strings.Contains(out, "new") {
		t.Fatalf("heed emerging printed:\n%s", out)
	}
	if r := mustRun(t, e, "", "emerging", "ignore", "ticket machine"); !strings.Contains(r.stdout, `"ticket machine" is ignored`) {
		t.Errorf("heed emerging ignore printed %q", r.stdout)
	}
	if out := mustRun(t, e, "", "emerging").stdout; strings.Contains(out, "ticket machine") {
		t.Errorf("an ignored phrase is listed again:\n%s", out)
	}
	if r := heedRun(t, e, "", "emerging", "--week-ending", "yesterday"); r.err == nil || !strings.Contains(r.output(), "--week-ending") {
		t.Errorf("a bad --week-ending: %s", r.output())
	}
}
