package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// ticketSample is what a help desk posts when a ticket is opened.
const ticketSample = `{"ticket": {"id": 35436, "subject": "Charged twice",
	"description": "I was charged twice for my order and nobody answers my emails.",
	"requester": {"name": "Ada L.", "email": "ADA@mail.example"}}}`

var secretLine = regexp.MustCompile(`(?m)^secret: (whsec_\S+)$`)

// TestInboundCommands: an operator adds a source from the terminal (its
// URL and secret printed once), lists and shows it (never the secret),
// tries a sample file, and the help desk, posting to the URL with the
// secret, gets its ticket in as a feedback item, once however often it
// posts; a rotated secret replaces the old one.
func TestInboundCommands(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			e := env{"HEED_DB": dbURL(t, engine), "HEED_PUBLIC_URL": "https://heed.example.com"}
			mustRun(t, e, "", "import", "units", writeFile(t, "units.csv", loopUnitsCSV))
			mustRun(t, e, "", "import", "employees", writeFile(t, "employees.csv", loopEmployeesCSV))
			mustRun(t, e, "", "import", "customers", writeFile(t, "customers.csv", loopCustomersCSV))

			add := mustRun(t, e, "", "inbound", "add", "zendesk", "--kind", "ticket", "--map", "external_id=ticket.id",
				"--map", "text=ticket.description", "--map", "title=ticket.subject", "--map", "email=ticket.requester.email",
				"--map", "author=ticket.requester.name", "--map", "unit=ticket.store?", "--set", "platform=zendesk")
			m := secretLine.FindStringSubmatch(add.stdout)
			if m == nil || !strings.Contains(add.stdout, "url:    https://heed.example.com/api/v1/inbound/zendesk\n") ||
				!strings.HasPrefix(add.stdout, "inbound source zendesk added: tickets from zendesk (active true)\n") {
				t.Fatalf("heed inbound add printed:\n%s", add.stdout)
			}
			secret := m[1]
			list := mustRun(t, e, "", "inbound", "list").stdout
			show := mustRun(t, e, "", "inbound", "show", "zendesk").stdout
			if !regexp.MustCompile(`(?m)^zendesk\s+zendesk\s+ticket\s+zendesk\s+true\s+-\s+author,email,external_id,text,title,unit$`).MatchString(list) {
				t.Errorf("heed inbound list:\n%s", list)
			}
			for _, want := range []string{"url:     https://heed.example.com/api/v1/inbound/zendesk\n",
				"map      email=ticket.requester.email\n", "map      unit=ticket.store?\n", "set      platform=zendesk\n"} {
				if !strings.Contains(show, want) {
					t.Errorf("heed inbound show lacks %q:\n%s", want, show)
				}
			}
			if strings.Contains(list+show+mustRun(t, e, "", "inbound", "show", "zendesk", "--json").stdout, secret) {
				t.Errorf("list or show printed the secret")
			}
			r := heedRun(t, e, "", "inbound", "add", "zendesk2", "--kind", "ticket", "--map", "external_id=id")
			if r.err == nil || !strings.Contains(r.output(), "heed: map text (or, for transcripts, turns) to what the customer said") {
				t.Errorf("a source without text: %v\n%s", r.err, r.output())
			}

			// The dry run: matched by email, read, nothing written.
			sample := writeFile(t, "ticket.json", ticketSample)
			try := mustRun(t, e, "", "inbound", "test", "zendesk", sample).stdout
			for _, want := range []string{"item 1: ticket zendesk/35436\n", "  matched:   C-001 (unit store-1)\n",
				"negative; themes billing", "  email:     ADA@mail.example\n", "  platform:  zendesk\n",
				"1 item; nothing was written\n"} {
				if !strings.Contains(try, want) {
					t.Errorf("heed inbound test lacks %q:\n%s", want, try)
				}
			}
			if got := mustRun(t, e, "", "feedback", "list", "--source", "zendesk").stdout; strings.Contains(got, "35436") {
				t.Errorf("the dry run wrote the ticket:\n%s", got)
			}
			r = heedRun(t, e, "", "inbound", "test", "zendesk", writeFile(t, "other.json", `{"data": {}}`))
			if r.err == nil || !strings.Contains(r.output(), `other.json:1: external_id: path ticket.id is missing (no "ticket" in the document)`) {
				t.Errorf("a sample of another shape: %v\n%s", r.err, r.output())
			}

			// The help desk posts to the URL with the secret.
			srv := startHeed(t, e, "serve", "--addr", "127.0.0.1:0", "--workers", "0", "--sample-every", "0")
			post := func(secret string) int {
				req, err := http.NewRequest("POST", srv.url+"/api/v1/inbound/zendesk", strings.NewReader(ticketSample))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Authorization", "Bearer "+secret)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res.StatusCode
			}
			if a, b := post(secret), post(secret); a != http.StatusOK || b != http.StatusOK {
				t.Fatalf("posting the ticket twice: %d, %d", a, b)
			}
			got := mustRun(t, e, "", "feedback", "list", "--source", "zendesk").stdout
			if strings.Count(got, "zendesk") != 1 || !strings.Contains(got, "C-001") {
				t.Errorf("after two posts, heed feedback list --source zendesk:\n%s", got)
			}

			rot := mustRun(t, e, "", "inbound", "update", "zendesk", "--rotate-secret", "--unmap", "unit").stdout
			m = regexp.MustCompile(`(?m)^secret:\s+(whsec_\S+)$`).FindStringSubmatch(rot)
			if m == nil || m[1] == secret || strings.Contains(rot, "map      unit=") {
				t.Fatalf("heed inbound update --rotate-secret printed:\n%s", rot)
			}
			if old, now := post(secret), post(m[1]); old != http.StatusUnauthorized || now != http.StatusOK {
				t.Errorf("after rotation the old secret gives %d, the new %d", old, now)
			}
			mustRun(t, e, "", "inbound", "delete", "zendesk")
			if st := post(m[1]); st != http.StatusUnauthorized {
				t.Errorf("a deleted source answers %d", st)
			}
			if r := heedRun(t, e, "", "inbound", "show", "zendesk"); r.err == nil || !strings.Contains(r.output(), `heed: no inbound source "zendesk"`) {
				t.Errorf("show after delete: %v\n%s", r.err, r.output())
			}
		})
	}
}
