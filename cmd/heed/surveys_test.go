package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestSurveyCommands walks the survey CLI as the README does: a survey, a
// program, a dry run and a run, personal links, an import of answers with
// a bad line, then the figures.
func TestSurveyCommands(t *testing.T) {
	e := env{"HEED_DB": dbURL(t, "sqlite"), "HEED_PUBLIC_URL": "https://feedback.example"}
	mustRun(t, e, "", "import", "units", writeFile(t, "units.csv", unitsCSV))
	var custs strings.Builder
	custs.WriteString("external_id,name,email,unit,consent,language\n")
	for i := 1; i <= 90; i++ {
		consent := i%10 != 0 // every tenth has not agreed to be asked
		fmt.Fprintf(&custs, "C-%03d,Customer %d,c%d@mail.example,store-1,%v,nl\n", i, i, i, consent)
	}
	mustRun(t, e, "", "import", "customers", writeFile(t, "customers.csv", custs.String()))

	if r := mustRun(t, e, "", "survey", "create", "--name", "Store visit", "--open-link"); !strings.Contains(r.stdout, "survey store-visit created (nps, languages de, en, nl)") ||
		!strings.Contains(r.stdout, "https://feedback.example/s/open/store-visit") {
		t.Errorf("survey create printed %q", r.stdout)
	}
	mustRun(t, e, "", "program", "create", "--name", "Visits", "--survey", "store-visit", "--target", "3000")
	dry := mustRun(t, e, "", "sample", "--program", "visits", "--dry-run", "--json")
	var rep struct {
		Population, Eligible, Quota int
		Chosen                      []string
		Skipped                     map[string]int
	}
	if err := json.Unmarshal([]byte(dry.stdout), &rep); err != nil {
		t.Fatalf("sample --json printed %q: %v", dry.stdout, err)
	}
	if rep.Population != 90 || rep.Skipped["no_consent"] != 9 || len(rep.Chosen) != min(rep.Quota, 81) {
		t.Fatalf("dry run = %+v; want 90 customers, 9 without consent, the quota chosen", rep)
	}
	if r := mustRun(t, e, "", "sample", "--program", "visits"); !strings.Contains(r.stdout, fmt.Sprintf("invited %d", len(rep.Chosen))) {
		t.Errorf("sample printed %q; want the dry run's %d invited", r.stdout, len(rep.Chosen))
	}
	if r := mustRun(t, e, "", "invitations", "--program", "visits", "--delivery", "queued", "--limit", "1000"); strings.Count(r.stdout, "queued") != len(rep.Chosen) {
		t.Errorf("invitations lists %d queued; want %d:\n%s", strings.Count(r.stdout, "queued"), len(rep.Chosen), r.stdout)
	}
	if r := mustRun(t, e, "", "survey", "invite", "store-visit", "C-001", "C-999"); !regexp.MustCompile(`C-001 +\d+ +https://feedback\.example/s/\S{32}\n`).MatchString(r.stdout) ||
		!regexp.MustCompile(`C-999 +- +skipped: not_found`).MatchString(r.stdout) {
		t.Errorf("survey invite printed:\n%s", r.stdout)
	}

	bad := writeFile(t, "answers.csv", "survey,customer,score,comment,external_id\nstore-visit,C-001,9,Great,a1\nstore-visit,C-002,11,Too high,a2\n")
	r := heedRun(t, e, "", "import", "responses", bad)
	if r.err == nil || !strings.Contains(r.output(), "answers.csv:3: score: score 11 is out of range 0–10") {
		t.Fatalf("import of a bad line: %v\n%s", r.err, r.output())
	}
	var good strings.Builder
	good.WriteString("survey,customer,score,comment,external_id\n")
	for i := 1; i <= 40; i++ {
		score := []int{10, 9, 8, 3}[i%4]
		fmt.Fprintf(&good, "store-visit,C-%03d,%d,comment %d,a%d\n", i, score, i, i)
	}
	if r := mustRun(t, e, "", "import", "responses", writeFile(t, "good.csv", good.String())); !strings.Contains(r.stdout, "40 responses created, 0 updated") {
		t.Errorf("import printed %q", r.stdout)
	}
	if r := mustRun(t, e, "", "import", "responses", writeFile(t, "again.csv", good.String())); !strings.Contains(r.stdout, "0 responses created, 40 updated") {
		t.Errorf("re-import printed %q; want every response updated, none added", r.stdout)
	}
	m := mustRun(t, e, "", "metrics", "--survey", "store-visit", "--unit", "north")
	// 20 promoters, 10 passives, 10 detractors of 40: NPS 25.
	if !regexp.MustCompile(`(?m)^all +40 +25\.0 +25\.7$`).MatchString(m.stdout) {
		t.Errorf("metrics printed:\n%s", m.stdout)
	}
	if r := heedRun(t, e, "", "metrics", "--survey", "store-visit", "--from", "yesterday"); r.err == nil || !strings.Contains(r.output(), "--from") {
		t.Errorf("metrics with a bad date: %v", r.output())
	}
	show := mustRun(t, e, "", "program", "show", "visits")
	off := strings.Replace(show.stdout, `"active": true`, `"active": false`, 1)
	if r := mustRun(t, e, "", "program", "update", writeFile(t, "p.json", off)); !strings.Contains(r.stdout, "program visits updated (active false)") {
		t.Errorf("program update printed %q", r.stdout)
	}
}
