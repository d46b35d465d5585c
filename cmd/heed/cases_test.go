package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// An organisation whose units have someone responsible, so the routing
// rule has owners to find: a customer's account manager, else the store's
// manager, else up the tree.
const (
	loopUnitsCSV = `key,name,parent,responsible
acme,Acme,,dana@example.com
north,North,acme,ann@example.com
store-1,Store 1,north,sam@example.com
care,Care,acme,cy@example.com
`
	loopEmployeesCSV = `email,name,role,unit
dana@example.com,Dana Director,manager,acme
ann@example.com,Ann North,manager,north
sam@example.com,Sam Store,manager,store-1
fay@example.com,Fay Front,frontline,store-1
cy@example.com,Cy Care,manager,care
`
	loopCustomersCSV = `external_id,name,email,unit,owner,consent
C-001,Ada Lovelace,ada@mail.example,store-1,fay@example.com,true
C-002,Bob Brown,bob@mail.example,store-1,,true
C-003,Cleo Clark,cleo@mail.example,store-1,,true
`
)

// TestCaseCommands walks the closed loop from the terminal: answers open
// cases through the default rule, the cases are listed, shown, moved,
// called, redirected and set; rules are added, tried, changed and
// deleted; a webhook is added and gets a delivery; root causes and
// preventive actions are edited.
func TestCaseCommands(t *testing.T) {
	db := dbURL(t, "sqlite")
	e := env{"HEED_DB": db}
	mustRun(t, e, "", "import", "units", writeFile(t, "units.csv", loopUnitsCSV))
	mustRun(t, e, "", "import", "employees", writeFile(t, "employees.csv", loopEmployeesCSV))
	mustRun(t, e, "", "import", "customers", writeFile(t, "customers.csv", loopCustomersCSV))
	mustRun(t, e, "", "survey", "create", "--name", "Store visit")
	answers := "survey,customer,score,comment,external_id\n" +
		"store-visit,C-001,3,Waited 25 minutes at the till and nobody cared,a1\n" +
		"store-visit,C-002,2,They didn't have my size,a2\n" +
		"store-visit,C-003,10,Lovely shop,a3\n"
	mustRun(t, e, "", "import", "responses", writeFile(t, "answers.csv", answers))

	// The two detractors have cases, owned as the routing rule says.
	list := listCases(t, e)
	if len(list) != 2 {
		t.Fatalf("cases list --json: %d cases, want one per detractor: %+v", len(list), list)
	}
	owners := map[string]string{}
	for _, c := range list {
		owners[c.Customer] = c.Owner
	}
	if owners["C-001"] != "fay@example.com" || owners["C-002"] != "sam@example.com" {
		t.Errorf("owners %v; want C-001's account manager and C-002's store manager", owners)
	}
	ada := caseOf(t, list, "C-001")
	id := fmt.Sprint(ada.ID)
	table := mustRun(t, e, "", "cases", "list", "--open").stdout
	if !regexp.MustCompile(`(?m)^` + id + ` .* reported +store-1 +fay@example\.com +C-001 +3 +contact by .* Detractor: 3 on store-visit`).MatchString(table) {
		t.Errorf("cases list printed:\n%s", table)
	}
	if got := listCases(t, e, "--owner", "sam@example.com"); len(got) != 1 || got[0].Customer != "C-002" {
		t.Errorf("cases list --owner sam: %+v", got)
	}
	if got := listCases(t, e, "--customer", "C-001", "--stage", "reported", "--unit", "north"); len(got) != 1 || got[0].ID != ada.ID {
		t.Errorf("cases list --customer C-001 --stage reported --unit north: %+v", got)
	}
	if got := listCases(t, e, "--late"); len(got) != 0 {
		t.Errorf("cases list --late: %d cases just opened are late", len(got))
	}
	// Ada's case is told its first contact was due an hour ago: late, and
	// a page of one holds it although Bob's newer case comes first.
	store := openTestStore(t, db)
	stored, err := store.GetCase(t.Context(), heed.Scope{All: true}, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored.FirstContactDue = time.Now().Add(-time.Hour)
	if _, err := store.UpdateCase(t.Context(), stored, heed.CaseEvent{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := listCases(t, e, "--late"); len(got) != 1 || got[0].ID != ada.ID {
		t.Errorf("cases list --late: %+v, want Ada's case only", got)
	}
	if late := mustRun(t, e, "", "cases", "list", "--late", "--limit", "1").stdout; !regexp.MustCompile(
		`(?m)^` + id + ` .* C-001 +3 +LATE: no contact `).MatchString(late) {
		t.Errorf("cases list --late --limit 1 printed:\n%s", late)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"cases", "list", "--stage", "done"}, `heed: unknown stage "done" (field --stage)`},
		{[]string{"cases", "list", "--owner", "nobody@example.com"}, "--owner"},
		{[]string{"cases", "list", "--limit", "0"}, "heed: --limit must be between 1 and 1000"},
		{[]string{"cases", "show", "999"}, "heed: no such case"},
		{[]string{"cases", "move", id, "closed"}, "cannot move from reported to closed: follow_up cannot be skipped"},
		{[]string{"cases", "call", id, "maybe"}, `outcome "maybe" must be reached, no_answer or call_back_later`},
		{[]string{"cases", "redirect", id, "--note", "over to you"}, "--owner"},
		{[]string{"cases", "redirect", id, "--owner", "sam@example.com", "--unit", "care", "--note", "x"}, "can't be used together"},
		{[]string{"cases", "set", id, "--root-cause", "gremlins"}, `unknown root cause "gremlins"`},
		{[]string{"cases", "set", id, "--kind", "grumpy"}, "--kind"},
		{[]string{"cases", "set", id, "--response-type", "redirect"}, "use redirect"},
		{[]string{"cases", "set", id}, "heed: nothing to change"},
	} {
		if r := heedRun(t, e, "", tc.args...); r.err == nil || !strings.Contains(r.output(), tc.want) {
			t.Errorf("heed %s: %v\n%s\nwant an error saying %q", strings.Join(tc.args, " "), r.err, r.output(), tc.want)
		}
	}

	if r := mustRun(t, e, "", "cases", "call", id, "no_answer", "--note", "Voicemail"); r.stdout != "call logged on case "+id+": no_answer\n" {
		t.Errorf("cases call printed %q", r.stdout)
	}
	mustRun(t, e, "", "cases", "call", id, "reached", "--note", "Apologised for the queue")
	if r := mustRun(t, e, "", "cases", "move", id, "investigating", "--note", "Checking the till rota"); r.stdout != "case "+id+" moved from reported to investigating\n" {
		t.Errorf("cases move printed %q", r.stdout)
	}
	if r := heedRun(t, e, "", "cases", "move", id, "reported"); r.err == nil || !strings.Contains(r.output(), "say why the case goes back") {
		t.Errorf("moving back without a note: %v\n%s", r.err, r.output())
	}
	mustRun(t, e, "", "actions", "add", "A second till at Saturday peaks", "--owner", "sam@example.com", "--due", "2026-06-30")
	acts := mustRun(t, e, "", "actions", "list", "--json").stdout
	var actions []heed.PreventiveAction
	if err := json.Unmarshal([]byte(acts), &actions); err != nil || len(actions) != 1 || actions[0].Owner != "sam@example.com" ||
		actions[0].Due == nil || actions[0].Due.Format("2006-01-02") != "2026-06-30" {
		t.Fatalf("actions list --json printed %s (%v)", acts, err)
	}
	action := fmt.Sprint(actions[0].ID)
	if r := mustRun(t, e, "", "cases", "set", id, "--kind", "empathizer", "--response-type", "solution", "--root-cause", "waiting_time",
		"--action", action); r.stdout != fmt.Sprintf("case %s: customer kind empathizer, response type solution, root cause waiting_time, preventive action %s\n", id, action) {
		t.Errorf("cases set printed %q", r.stdout)
	}
	if r := mustRun(t, e, "", "actions", "list"); !regexp.MustCompile(`(?m)^` + action + ` +open +2026-06-30 +sam@example\.com +1 +1 +0 +0 +A second till`).MatchString(r.stdout) {
		t.Errorf("actions list printed:\n%s", r.stdout)
	}
	if r := mustRun(t, e, "", "cases", "redirect", id, "--unit", "care", "--note", "A refund question for care"); r.stdout != "case "+id+" handed from fay@example.com to cy@example.com (care); heed serve emails them\n" {
		t.Errorf("cases redirect printed %q", r.stdout)
	}
	mustRun(t, e, "", "cases", "move", id, "follow_up", "--note", "Voucher sent")

	show := mustRun(t, e, "", "cases", "show", id).stdout
	for _, want := range []string{"case " + id, "Ada Lovelace", "care, Cy Care <cy@example.com>", "stage  ", "follow_up",
		"customer kind      empathizer", "response type      redirect", "root cause         waiting_time",
		"preventive action  " + action, "suggested", "opened  ", "no_answer: Voicemail",
		"reported → investigating: Checking the till rota", "redirect", "fay@example.com → cy@example.com: A refund question for care",
		"investigating → follow_up: Voucher sent"} {
		if !strings.Contains(show, want) {
			t.Errorf("cases show lacks %q:\n%s", want, show)
		}
	}
	var view caseView
	if err := json.Unmarshal([]byte(mustRun(t, e, "", "cases", "show", id, "--json").stdout), &view); err != nil ||
		view.Case.Stage != heed.StageFollowUp || view.Case.FirstContactAt == nil || len(view.Timeline) != 7 ||
		view.Suggested.CustomerKind == "" || view.Customer.ExternalID != "C-001" {
		t.Errorf("cases show --json: %+v (%v)", view, err)
	}

	// Rules: the default ones, one added from a file and one from stdin,
	// tried against the three answers, changed and deleted.
	if r := mustRun(t, e, "", "rules", "list"); !regexp.MustCompile(`(?m)^detractor-case +true +10 +Detractors open a case +category=detractor +open_case, notify_owner$`).MatchString(r.stdout) {
		t.Errorf("rules list printed:\n%s", r.stdout)
	}
	rule := `{"key":"very-unhappy","name":"Very unhappy","active":true,"position":5,
		"when":{"category":"detractor","max_score":2},"then":[{"kind":"tag","tag":"urgent"}]}`
	if r := mustRun(t, e, "", "rules", "add", writeFile(t, "rule.json", rule)); !strings.HasPrefix(r.stdout, "rule very-unhappy added (active true)") {
		t.Errorf("rules add printed %q", r.stdout)
	}
	if r := mustRun(t, e, "", "rules", "try", "very-unhappy", "--days", "7"); !strings.HasPrefix(r.stdout,
		"rule very-unhappy would have fired 1 time for 1 customer over the last 7 days (of 3 responses)\n") || !strings.Contains(r.stdout, "C-002") {
		t.Errorf("rules try printed:\n%s", r.stdout)
	}
	if r := mustRun(t, e, "", "rules", "try", "detractor-case"); !strings.HasPrefix(r.stdout,
		"rule detractor-case would have fired 2 times for 2 customers over the last 30 days (of 3 responses)") {
		t.Errorf("rules try detractor-case printed:\n%s", r.stdout)
	}
	unsaved := `{"name":"Promoters","when":{"category":"promoter"},"then":[{"kind":"advocacy"}]}`
	if r := mustRun(t, e, unsaved, "rules", "try", "--file", "-"); !strings.Contains(r.stdout, "would have fired 1 time for 1 customer over the last 30 days (of 3 responses)") {
		t.Errorf("rules try --file - printed:\n%s", r.stdout)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"rules", "try"}, "name a saved rule by its key, or give --file"},
		{[]string{"rules", "try", "very-unhappy", "--file", "x.json"}, "not both"},
		{[]string{"rules", "try", "very-unhappy", "--days", "0"}, "--days must be between 1 and 3660"},
		{[]string{"rules", "try", "nope"}, `heed: no rule "nope"`},
		{[]string{"rules", "add", writeFile(t, "bad.json", `{"name":"Bad","then":[{"kind":"explode"}]}`)}, `unknown action "explode"`},
		{[]string{"rules", "add", writeFile(t, "typo.json", `{"name":"Typo","wen":{}}`)}, `not a rule: json: unknown field "wen"`},
		{[]string{"rules", "add", writeFile(t, "again.json", rule)}, "very-unhappy"},
	} {
		if r := heedRun(t, e, "", tc.args...); r.err == nil || !strings.Contains(r.output(), tc.want) {
			t.Errorf("heed %s: %v\n%s\nwant an error saying %q", strings.Join(tc.args, " "), r.err, r.output(), tc.want)
		}
	}
	mustRun(t, e, `{"name":"VIP care","when":{"unit":"care"},"then":[{"kind":"notify_managers"}]}`, "rules", "add", "-")
	changed := strings.Replace(rule, `"active":true`, `"active":false`, 1)
	if r := mustRun(t, e, "", "rules", "update", writeFile(t, "rule2.json", changed)); r.stdout != "rule very-unhappy updated (active false)\n" {
		t.Errorf("rules update printed %q", r.stdout)
	}
	if r := mustRun(t, e, "", "rules", "delete", "very-unhappy"); r.stdout != "rule very-unhappy deleted\n" {
		t.Errorf("rules delete printed %q", r.stdout)
	}
	if r := mustRun(t, e, "", "rules", "list"); strings.Contains(r.stdout, "very-unhappy") ||
		!strings.Contains(r.stdout, "vip-care") || !strings.Contains(r.stdout, "notify_managers(1)") {
		t.Errorf("rules list after the changes:\n%s", r.stdout)
	}

	// A webhook: its secret once, then a delivery when a case closes.
	add := mustRun(t, e, "", "webhooks", "add", "https://hooks.example/heed", "--event", "case.opened", "--event", "case.closed",
		"--description", "CRM").stdout
	secret := regexp.MustCompile(`(?m)^secret: (\S+)$`).FindStringSubmatch(add)
	if secret == nil || !strings.HasPrefix(secret[1], "whsec_") || !strings.Contains(add, "webhook 1 added: https://hooks.example/heed (standard; events case.opened, case.closed; active true)") {
		t.Fatalf("webhooks add printed:\n%s", add)
	}
	list2 := mustRun(t, e, "", "webhooks", "list").stdout
	if !regexp.MustCompile(`(?m)^1 +https://hooks\.example/heed +standard +true +case\.opened,case\.closed +CRM$`).MatchString(list2) ||
		strings.Contains(list2, secret[1]) {
		t.Errorf("webhooks list printed (it must not show the secret):\n%s", list2)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"webhooks", "add", "ftp://hooks.example"}, `url "ftp://hooks.example" must be an absolute http or https URL`},
		{[]string{"webhooks", "add", "https://x.example", "--event", "case.exploded"}, `unknown event "case.exploded"`},
		{[]string{"webhooks", "add", "https://x.example", "--format", "xml"}, "must be one of"},
		{[]string{"webhooks", "deliveries", "9"}, "heed: no webhook with id 9\n"},
		{[]string{"webhooks", "deliveries", "1", "--state", "lost"}, `--state "lost" must be pending, delivered or dead`},
		{[]string{"webhooks", "redeliver", "99"}, "heed: no webhook delivery with id 99\n"},
	} {
		if r := heedRun(t, e, "", tc.args...); r.err == nil || !strings.Contains(r.output(), tc.want) {
			t.Errorf("heed %s: %v\n%s\nwant an error saying %q", strings.Join(tc.args, " "), r.err, r.output(), tc.want)
		}
	}
	if r := mustRun(t, e, "", "cases", "move", id, "closed", "--note", "Customer happy"); !strings.Contains(r.stdout, "moved from follow_up to closed") ||
		!strings.Contains(r.stdout, "the customer is asked again on") {
		t.Errorf("closing printed %q", r.stdout)
	}
	deliveries := mustRun(t, e, "", "webhooks", "deliveries", "1", "--state", "pending").stdout
	m := regexp.MustCompile(`(?m)^(\d+) +\S+ \S+ +case\.closed +` + id + ` +pending +0 `).FindStringSubmatch(deliveries)
	if m == nil {
		t.Fatalf("webhooks deliveries printed:\n%s", deliveries)
	}
	if r := mustRun(t, e, "", "webhooks", "redeliver", m[1]); !regexp.MustCompile(`^delivery ` + m[1] + ` \(case\.closed, message msg_\w+\) queued again`).MatchString(r.stdout) {
		t.Errorf("webhooks redeliver printed %q", r.stdout)
	}
	// Changed, switched off, and deleted — but not while a rule sends to it.
	if r := mustRun(t, e, "", "webhooks", "update", "1", "--event", "case.escalated", "--no-active", "--url", "https://hooks.example/v2"); r.stdout != "webhook 1 saved: https://hooks.example/v2 (standard; events case.escalated; active false)\n" {
		t.Errorf("webhooks update printed %q", r.stdout)
	}
	if r := mustRun(t, e, "", "webhooks", "update", "1", "--active", "--event="); r.stdout != "webhook 1 saved: https://hooks.example/v2 (standard; events -; active true)\n" {
		t.Errorf("webhooks update --active --event= printed %q", r.stdout)
	}
	if r := heedRun(t, e, "", "webhooks", "update", "1", "--url", "ftp://x"); r.err == nil || !strings.Contains(r.output(), `--url "ftp://x" must be an absolute http or https URL`) {
		t.Errorf("webhooks update --url ftp://x: %s", r.output())
	}
	mustRun(t, e, `{"key":"crm","name":"To the CRM","active":true,"when":{"category":"detractor"},"then":[{"kind":"webhook","webhook":1}]}`,
		"rules", "add", "-")
	if r := heedRun(t, e, "", "webhooks", "delete", "1"); r.err == nil || !strings.Contains(r.output(), `rule "crm" (To the CRM) sends to this webhook`) {
		t.Errorf("deleting a webhook a rule sends to: %s", r.output())
	}
	mustRun(t, e, "", "rules", "delete", "crm")
	if r := mustRun(t, e, "", "webhooks", "delete", "1"); r.stdout != "webhook 1 deleted, with its deliveries\n" {
		t.Errorf("webhooks delete printed %q", r.stdout)
	}
	if r := heedRun(t, e, "", "webhooks", "delete", "1"); r.err == nil || !strings.Contains(r.output(), "no webhook with id 1") {
		t.Errorf("deleting it again: %s", r.output())
	}

	// Root causes: one added, then switched off, which a case may no
	// longer be given.
	mustRun(t, e, "", "root-causes", "set", "till_queue", "Queue at the till")
	if r := mustRun(t, e, "", "root-causes", "list"); !regexp.MustCompile(`(?m)^till_queue +Queue at the till +true$`).MatchString(r.stdout) ||
		!strings.Contains(r.stdout, "waiting_time") {
		t.Errorf("root-causes list printed:\n%s", r.stdout)
	}
	bob := fmt.Sprint(caseOf(t, list, "C-002").ID)
	mustRun(t, e, "", "cases", "set", bob, "--root-cause", "till_queue")
	if r := mustRun(t, e, "", "root-causes", "set", "till_queue", "Queue at the till", "--inactive"); r.stdout != "root cause till_queue saved: Queue at the till (active false)\n" {
		t.Errorf("root-causes set --inactive printed %q", r.stdout)
	}
	if r := heedRun(t, e, "", "cases", "set", bob, "--root-cause", "till_queue"); r.err == nil || !strings.Contains(r.output(), `unknown root cause "till_queue"`) {
		t.Errorf("an inactive root cause was accepted: %v\n%s", r.err, r.output())
	}
	if r := heedRun(t, e, "", "root-causes", "set", "Bad Key", "Name"); r.err == nil {
		t.Errorf("root-causes set with a bad key succeeded: %s", r.output())
	}
	if r := heedRun(t, e, "", "actions", "add", "Later", "--due", "next week"); r.err == nil || !strings.Contains(r.output(), `--due "next week" must be a date`) {
		t.Errorf("actions add with a bad date: %v\n%s", r.err, r.output())
	}
	if r := heedRun(t, e, "", "actions", "add", "Nobody's", "--owner", "ghost@example.com"); r.err == nil || !strings.Contains(r.output(), "--owner") {
		t.Errorf("actions add with an unknown owner: %v\n%s", r.err, r.output())
	}

	// What the commands did is in the database, as the services keep it.
	evs, err := store.ListCaseEvents(t.Context(), ada.ID)
	if err != nil || len(evs) != 8 || evs[len(evs)-1].Kind != heed.EventTransition || evs[len(evs)-1].To != "closed" || evs[1].Actor != "system" {
		t.Errorf("case %s's timeline: %+v (%v)", id, evs, err)
	}
}

// listCases runs heed cases list --json with args.
func listCases(t *testing.T, e env, args ...string) []heed.Case {
	t.Helper()
	out := mustRun(t, e, "", append([]string{"cases", "list", "--json"}, args...)...).stdout
	var list []heed.Case
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("cases list --json printed %q: %v", out, err)
	}
	return list
}

func caseOf(t *testing.T, list []heed.Case, customer string) heed.Case {
	t.Helper()
	for _, c := range list {
		if c.Customer == customer {
			return c
		}
	}
	t.Fatalf("no case of %s in %+v", customer, list)
	return heed.Case{}
}
