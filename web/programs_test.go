package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/heedhq/heed"
)

// programForm is the program editor's form as a browser sends it.
func programForm(name, surveyKey string) url.Values {
	return url.Values{"name": {name}, "survey": {surveyKey}, "mode": {"target"}, "target": {"1000"}, "period": {"month"}, "active": {"on"}}
}

// consenting adds customers who may be emailed, and one without an
// address.
func (e *env) consenting() {
	e.t.Helper()
	more := []heed.Customer{
		{ExternalID: "C-110", Name: "Eve Evans", Email: "eve@example.com", Unit: "north-1", Consent: true},
		{ExternalID: "C-210", Name: "Finn Ford", Email: "finn@example.com", Unit: "south-1", Consent: true},
		{ExternalID: "C-211", Name: "Gus Gray", Unit: "south-1", Consent: true},
	}
	if _, err := e.dir.UpsertCustomers(context.Background(), heed.System(), more); err != nil {
		e.t.Fatal(err)
	}
}

// expectedSkips counts, from the customers as stored, those a program
// over everyone must skip for want of consent or of an address.
func (e *env) expectedSkips() (noConsent, noEmail, eligible int) {
	e.t.Helper()
	page, err := e.dir.ListCustomers(context.Background(), heed.System(), heed.CustomerFilter{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range page.Customers {
		switch {
		case !c.Consent:
			noConsent++
		case c.Email == "":
			noEmail++
		default:
			eligible++
		}
	}
	return noConsent, noEmail, eligible
}

func TestProgramCreateDryRunAndRun(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.consenting()
	e.seedSurvey("visits", heed.SurveyNPS)
	noConsent, noEmail, eligible := e.expectedSkips()
	c := e.signedIn("admin@acme.test")

	wantContains(t, e.get(c, "/programs/new"), "new program form", `<option value="visits">Survey visits</option>`,
		`name="units" value="north-1"`, `placeholder="183"`, `placeholder="30"`, `placeholder="3"`)
	p := e.post(c, "/programs/new", programForm("Monthly NPS", "visits"))
	wantStatus(t, p, http.StatusSeeOther, "create program")
	if loc := p.header.Get("Location"); loc != "/programs/monthly-nps?done=created" {
		t.Fatalf("Location %q", loc)
	}
	p = e.get(c, "/programs")
	wantContains(t, p, "programs", `href="/programs/monthly-nps"`, "Monthly NPS", "1,000 invitations every month", "Every customer", "active")

	p = e.get(c, "/programs/monthly-nps/dry-run")
	wantStatus(t, p, http.StatusOK, "dry run")
	wantContains(t, p, "dry run", "nobody was asked",
		fmt.Sprintf(`<tr data-reason="no_consent"><td data-label="Why">No consent to be contacted</td><td data-label="Customers" class="num">%d</td>`, noConsent),
		fmt.Sprintf(`<tr data-reason="unreachable"><td data-label="Why">No email address</td><td data-label="Customers" class="num">%d</td>`, noEmail),
		fmt.Sprintf(`<span class="stat-value">%d</span> <span class="stat-label">eligible`, eligible),
		"Would ask", `href="/customers/C-100">Alice Archer</a>`, `href="/customers/C-210">Finn Ford</a>`)
	wantNotContains(t, p, "dry run", `href="/customers/C-101"`, `href="/customers/C-211"`)
	invs, err := e.sv.ListInvitations(context.Background(), heed.System(), "", "monthly-nps", heed.InvitationFilter{})
	if err != nil || len(invs) != 0 {
		t.Fatalf("a dry run made %d invitations (%v)", len(invs), err)
	}

	p = e.post(c, "/programs/monthly-nps/run", nil)
	wantStatus(t, p, http.StatusSeeOther, "run now")
	p = e.get(c, p.header.Get("Location"))
	wantContains(t, p, "after run", fmt.Sprintf("Run finished: %d customers invited.", eligible), `href="/invitations?program=monthly-nps"`)
	p = e.get(c, "/invitations?program=monthly-nps")
	if got := countMatches(p, `<span class="state delivery-queued">queued</span>`); got != eligible {
		t.Errorf("invitations page lists %d queued invitations, want %d", got, eligible)
	}
	// A second look: those just asked are now skipped for the program's rule.
	p = e.get(c, "/programs/monthly-nps/dry-run")
	wantContains(t, p, "dry run after the run", fmt.Sprintf(
		`<tr data-reason="asked_by_program"><td data-label="Why">Asked by this program in the last 183 days</td><td data-label="Customers" class="num">%d</td>`, eligible),
		"Nobody today.")
}

func TestProgramStratifiedDryRun(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.consenting()
	e.seedSurvey("visits", heed.SurveyNPS)
	c := e.signedIn("admin@acme.test")
	form := programForm("Per store", "visits")
	form.Set("mode", "margin")
	form.Set("margin", "20")
	form.Set("target", "")
	form["units"] = []string{"north", "south"}
	form.Set("reminder_days", "")
	form.Set("no_reminder", "on")
	wantStatus(t, e.post(c, "/programs/new", form), http.StatusSeeOther, "create stratified program")
	pr, err := e.sv.GetProgram(context.Background(), heed.System(), "per-store")
	if err != nil || pr.Margin != 20 || pr.ReminderDays >= 0 || len(pr.Units) != 2 {
		t.Fatalf("saved %+v (%v)", pr, err)
	}
	wantContains(t, e.get(c, "/programs"), "programs", "Each unit within ±20 points every month", "Customers of North region, South region")

	p := e.get(c, "/programs/per-store/dry-run")
	wantStatus(t, p, http.StatusOK, "stratified dry run")
	table := between(p.body, "Plan per unit", "</table>")
	for _, unit := range []string{"Leeds", "Bristol"} {
		if !strings.Contains(table, `<td data-label="Unit">`+unit+`</td>`) {
			t.Errorf("the plan has no row for %s:\n%s", unit, table)
		}
	}
	for _, col := range []string{"Customers", "Response rate", "Answers needed", "Invitations a period", "Expected margin", "Reachable"} {
		if !strings.Contains(table, col) {
			t.Errorf("the plan has no %q column", col)
		}
	}
	// Bristol has three customers in the population: Dan (without
	// consent, but still one of its customers), Finn and Gus.
	if !strings.Contains(table, `<td data-label="Unit">Bristol</td>
      <td data-label="Customers" class="num">3</td>`) {
		t.Errorf("Bristol's customers are not counted:\n%s", table)
	}
}

func TestProgramFormErrorsAndAccess(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.seedSurvey("visits", heed.SurveyNPS)
	c := e.signedIn("admin@acme.test")
	form := programForm("Weekly", "visits")
	form.Set("target", "lots")
	p := e.post(c, "/programs/new", form)
	wantStatus(t, p, http.StatusBadRequest, "bad target")
	wantContains(t, p, "bad target", "Target must be a whole number.", `href="#target"`, `value="lots" aria-invalid="true"`, `value="Weekly"`)
	form = programForm("Weekly", "nope")
	p = e.post(c, "/programs/new", form)
	if p.status != http.StatusBadRequest && p.status != http.StatusNotFound {
		t.Errorf("program of an unknown survey: status %d", p.status)
	}
	wantStatus(t, e.post(c, "/programs/new", programForm("Weekly", "visits")), http.StatusSeeOther, "create")

	m := e.signedIn("nora@acme.test")
	p = e.get(m, "/programs/weekly")
	wantStatus(t, p, http.StatusOK, "program for a manager")
	wantContains(t, p, "program for a manager", `<fieldset class="plain" disabled>`)
	wantNotContains(t, p, "program for a manager", "Dry run", "Run now", "Save changes")
	wantNotContains(t, e.get(m, "/scores"), "manager's feedback tabs", `href="/programs"`)
	wantStatus(t, e.get(m, "/programs/weekly/dry-run"), http.StatusForbidden, "dry run by a manager")
	wantStatus(t, e.post(m, "/programs/weekly/run", nil), http.StatusForbidden, "run by a manager")
	wantStatus(t, e.post(m, "/programs/weekly", programForm("Mine", "visits")), http.StatusForbidden, "save by a manager")
	wantStatus(t, e.post(m, "/programs/new", programForm("Mine", "visits")), http.StatusForbidden, "create by a manager")
	wantStatus(t, e.get(c, "/programs/nope"), http.StatusNotFound, "unknown program")
}
