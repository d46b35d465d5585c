package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/webhooks"
)

// ticketJSON is a help desk's webhook body, its own shape: the ticket's
// id a number, the requester nested.
func ticketJSON(id int, text string) string {
	return `{"ticket": {"id": ` + strconv.Itoa(id) + `, "subject": "Charged twice", "description": "` + text + `",
		"created_at": "` + ticketAt.Format(time.RFC3339) + `", "requester": {"name": "Zed Zeta", "email": "ZED@mail.example"}}}`
}

// ticketAt is when the tickets were opened: lately, so the rules act on
// them (older items are history, not news).
var ticketAt = time.Now().UTC().Truncate(time.Second).Add(-time.Hour)

const angryTicket = "I was charged twice for my order and nobody answers my emails. Terrible service."

// inboundSource is what an admin posts to add the help desk's source.
var inboundSource = map[string]any{"key": "zendesk", "kind": "ticket",
	"mapping": map[string]string{"external_id": "ticket.id", "title": "ticket.subject", "text": "ticket.description",
		"at": "ticket.created_at", "email": "ticket.requester.email", "author": "ticket.requester.name"}}

type sourceAnswer struct {
	heed.InboundSource
	Path string `json:"path"`
}

// TestInboundWebhook: another system posts its own JSON with the source's
// secret (as a bearer token or a signature) and gets feedback items —
// mapped, read, matched by email, through the rules — and no duplicate
// when it posts again; anything else is refused without writing.
func TestInboundWebhook(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		loopFixtures(t, e) // units with responsibles: the detractor rule opens cases
		if _, err := e.dir.UpsertCustomers(t.Context(), heed.System(), []heed.Customer{
			{ExternalID: "c-zed", Name: "Zed Zeta", Email: "zed@mail.example", Unit: "a1"},
		}); err != nil {
			t.Fatal(err)
		}
		var src sourceAnswer
		e.call(t, "admin", "POST", "/api/v1/inbound-sources", inboundSource).must(t, http.StatusCreated).decode(t, &src)
		if !strings.HasPrefix(src.Secret, "whsec_") || src.Path != "/api/v1/inbound/zendesk" || !src.Active || src.System != "zendesk" {
			t.Fatalf("created %+v", src)
		}
		postTo := func(path, secret, body string) answer {
			return e.send(t, secret, "POST", path, "application/json", strings.NewReader(body))
		}
		post := func(secret, body string) answer { return postTo("/api/v1/inbound/zendesk", secret, body) }
		var out struct{ Results []feedback.Recorded }
		post(src.Secret, ticketJSON(35436, angryTicket)).must(t, http.StatusOK).decode(t, &out)
		// The caller learns the item's id, not whom it was matched to.
		if len(out.Results) != 1 || !out.Results[0].Created || out.Results[0].Customer != "" || out.Results[0].Unit != "" ||
			out.Results[0].Sentiment != nil {
			t.Fatalf("recorded %+v", out.Results)
		}
		items := func() []heed.FeedbackItem {
			var page struct{ Items []heed.FeedbackItem }
			e.call(t, "admin", "GET", "/api/v1/feedback?source=zendesk", nil).must(t, http.StatusOK).decode(t, &page)
			return page.Items
		}
		if got := items(); len(got) != 1 || got[0].ExternalID != "35436" || got[0].Title != "Charged twice" ||
			got[0].Customer != "c-zed" || got[0].Unit != "a1" || got[0].Label != "negative" || !got[0].At.Equal(ticketAt) {
			t.Errorf("stored %+v", got)
		}
		var cases struct{ Cases []heed.Case }
		e.call(t, "admin", "GET", "/api/v1/cases?unit=a1", nil).must(t, http.StatusOK).decode(t, &cases)
		if len(cases.Cases) != 1 || cases.Cases[0].FeedbackID != out.Results[0].ID || cases.Cases[0].Customer != "c-zed" {
			t.Errorf("cases in a1 after an angry ticket: %+v; want one opened by the ticket", cases.Cases)
		}
		post(src.Secret, ticketJSON(35436, angryTicket)).must(t, http.StatusOK).decode(t, &out)
		if out.Results[0].Created || out.Results[0].Changed || len(items()) != 1 {
			t.Errorf("posted again: %+v; want the same item, unchanged", out.Results)
		}

		// Signed as Standard Webhooks sign: accepted; signed wrong: refused.
		body := ticketJSON(35437, "The app keeps crashing at checkout.")
		sign := func(secret string) http.Header {
			sig, err := webhooks.Sign(secret, "msg_2", time.Now(), []byte(body))
			if err != nil {
				t.Fatal(err)
			}
			return http.Header{"Webhook-Id": {"msg_2"}, "Webhook-Timestamp": {strconv.FormatInt(time.Now().Unix(), 10)},
				"Webhook-Signature": {sig}}
		}
		sendSigned(t, e, sign(webhooks.NewSecret()), body).must(t, http.StatusUnauthorized)
		sendSigned(t, e, sign(src.Secret), body).must(t, http.StatusOK)
		if n := len(items()); n != 2 {
			t.Errorf("%d items after the signed call; want 2", n)
		}

		// Refused, writing nothing: no secret, a wrong one, an API token,
		// an unknown source; too big; what the mapping cannot read.
		for _, tt := range []struct {
			what, secret, path, body string
			status                   int
			msg                      string
		}{
			{"no secret", "", "/api/v1/inbound/zendesk", ticketJSON(1, "x"), http.StatusUnauthorized, "an inbound call needs its source's secret"},
			{"a wrong secret", webhooks.NewSecret(), "/api/v1/inbound/zendesk", ticketJSON(1, "x"), http.StatusUnauthorized,
				`no active inbound source "zendesk" takes this secret or signature`},
			{"an admin's API token", e.tokens["admin"], "/api/v1/inbound/zendesk", ticketJSON(1, "x"), http.StatusUnauthorized,
				`no active inbound source "zendesk" takes this secret or signature`},
			{"an unknown source", src.Secret, "/api/v1/inbound/freshdesk", ticketJSON(1, "x"), http.StatusUnauthorized,
				`no active inbound source "freshdesk" takes this secret or signature`},
			{"over 1 MiB", src.Secret, "/api/v1/inbound/zendesk", ticketJSON(1, strings.Repeat("a", 1<<20)), http.StatusRequestEntityTooLarge, ""},
			{"a document of another shape", src.Secret, "/api/v1/inbound/zendesk", `{"data": {"id": 1}}`, http.StatusUnprocessableEntity,
				`external_id: path ticket.id is missing (no "ticket" in the document) (and 5 more)`},
			{"no description", src.Secret, "/api/v1/inbound/zendesk", strings.Replace(ticketJSON(1, "x"), `"description"`, `"descr"`, 1),
				http.StatusUnprocessableEntity, `text: path ticket.description is missing (no "description" in ticket)`},
			{"not JSON", src.Secret, "/api/v1/inbound/zendesk", `{"ticket":`, http.StatusBadRequest, "not valid JSON"},
		} {
			got := postTo(tt.path, tt.secret, tt.body)
			if got.status != tt.status {
				t.Errorf("%s: status %d, want %d: %s", tt.what, got.status, tt.status, got.body)
				continue
			}
			if msg := got.apiError(t).Error.Message; !strings.Contains(msg, tt.msg) {
				t.Errorf("%s: message %q, want %q", tt.what, msg, tt.msg)
			}
			if tt.status == http.StatusUnauthorized && got.header.Get("Www-Authenticate") == "" {
				t.Errorf("%s: 401 without Www-Authenticate", tt.what)
			}
		}
		got := post(src.Secret, strings.Replace(ticketJSON(1, "x"), `"description"`, `"descr"`, 1)).apiError(t).Error
		if got.Field != "text" || len(got.Details) != 1 || got.Details[0].Field != "text" {
			t.Errorf("the mapping problem: %+v; want field text in the details", got)
		}
		if n := len(items()); n != 2 {
			t.Errorf("%d items after refused calls; want 2", n)
		}
	})
}

// sendSigned posts body to the zendesk source with the headers h.
func sendSigned(t *testing.T, e *env, h http.Header, body string) answer {
	t.Helper()
	req, err := http.NewRequest("POST", e.url+"/api/v1/inbound/zendesk", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	return answer{status: res.StatusCode, header: res.Header}
}

// TestInboundSourcesAPI: admins add, read, change, rotate, try and
// delete sources; the secret is in the answers that make one, never in
// reads; nobody else may touch them.
func TestInboundSourcesAPI(t *testing.T) {
	e := newOrgEnv(t, "sqlite")
	var src sourceAnswer
	e.call(t, "admin", "POST", "/api/v1/inbound-sources", inboundSource).must(t, http.StatusCreated).decode(t, &src)
	e.call(t, "admin", "POST", "/api/v1/inbound-sources", inboundSource).must(t, http.StatusConflict)
	bad := map[string]any{"key": "tp", "kind": "review", "mapping": map[string]string{"external_id": "id", "txt": "text"}}
	if got := e.call(t, "admin", "POST", "/api/v1/inbound-sources", bad).must(t, http.StatusUnprocessableEntity).apiError(t).Error; got.Field != "mapping" ||
		!strings.Contains(got.Message, `"txt" is not a field`) {
		t.Errorf("an unknown field: %+v", got)
	}

	var list struct{ Sources []sourceAnswer }
	a := e.call(t, "admin", "GET", "/api/v1/inbound-sources", nil).must(t, http.StatusOK)
	a.decode(t, &list)
	if len(list.Sources) != 1 || list.Sources[0].Key != "zendesk" || list.Sources[0].Mapping["text"] != "ticket.description" ||
		strings.Contains(string(a.body), "whsec_") {
		t.Errorf("list: %s", a.body)
	}
	a = e.call(t, "admin", "GET", "/api/v1/inbound-sources/zendesk", nil).must(t, http.StatusOK)
	if strings.Contains(string(a.body), "whsec_") {
		t.Errorf("a read shows the secret: %s", a.body)
	}
	e.call(t, "admin", "GET", "/api/v1/inbound-sources/nope", nil).must(t, http.StatusNotFound)

	// A fetched source sent back with a change keeps its secret.
	var got sourceAnswer
	a.decode(t, &got)
	got.Name, got.Fixed = "Zendesk EU", map[string]string{"platform": "zendesk"}
	var put sourceAnswer
	e.call(t, "admin", "PUT", "/api/v1/inbound-sources/zendesk", got).must(t, http.StatusOK).decode(t, &put)
	if put.Name != "Zendesk EU" || put.Fixed["platform"] != "zendesk" || put.Secret != "" {
		t.Errorf("PUT answered %+v", put)
	}
	post := func(secret string) int {
		return e.send(t, secret, "POST", "/api/v1/inbound/zendesk", "application/json", strings.NewReader(ticketJSON(7, "Lovely staff."))).status
	}
	if st := post(src.Secret); st != http.StatusOK {
		t.Errorf("after an update, the secret gives %d", st)
	}
	var rotated sourceAnswer
	e.call(t, "admin", "PUT", "/api/v1/inbound-sources/zendesk", map[string]any{"kind": "ticket", "mapping": got.Mapping, "fixed": got.Fixed, "rotate_secret": true}).
		must(t, http.StatusOK).decode(t, &rotated)
	if !strings.HasPrefix(rotated.Secret, "whsec_") || rotated.Secret == src.Secret || rotated.Name != "zendesk" {
		t.Errorf("rotated: %+v", rotated)
	}
	if old, now := post(src.Secret), post(rotated.Secret); old != http.StatusUnauthorized || now != http.StatusOK {
		t.Errorf("after rotation the old secret gives %d, the new %d; want 401, 200", old, now)
	}

	// The dry run shows what a sample makes and writes nothing.
	var try struct {
		Items []struct {
			Input     feedback.Input
			Sentiment *struct{ Label string }
		}
	}
	e.call(t, "admin", "POST", "/api/v1/inbound-sources/zendesk/test", ticketJSON(99, angryTicket)).must(t, http.StatusOK).decode(t, &try)
	if len(try.Items) != 1 || try.Items[0].Input.ExternalID != "99" || try.Items[0].Input.Email != "ZED@mail.example" ||
		try.Items[0].Input.Platform != "zendesk" || try.Items[0].Sentiment == nil || try.Items[0].Sentiment.Label != "negative" {
		t.Errorf("dry run: %+v", try.Items)
	}
	var page struct{ Items []heed.FeedbackItem }
	e.call(t, "admin", "GET", "/api/v1/feedback?source=zendesk", nil).must(t, http.StatusOK).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].ExternalID != "7" {
		t.Errorf("after the dry run the source has %+v; want only item 7", page.Items)
	}
	if got := e.call(t, "admin", "POST", "/api/v1/inbound-sources/zendesk/test", `{"ticket": {}}`).
		must(t, http.StatusUnprocessableEntity).apiError(t).Error; got.Field != "external_id" {
		t.Errorf("a dry run of an empty ticket: %+v", got)
	}

	// Only admins.
	for _, tt := range []struct{ method, path string }{
		{"GET", "/api/v1/inbound-sources"}, {"POST", "/api/v1/inbound-sources"}, {"GET", "/api/v1/inbound-sources/zendesk"},
		{"PUT", "/api/v1/inbound-sources/zendesk"}, {"DELETE", "/api/v1/inbound-sources/zendesk"},
		{"POST", "/api/v1/inbound-sources/zendesk/test"},
	} {
		for _, who := range []string{"analyst", "mgr-ra"} {
			var body any
			switch tt.method {
			case "POST", "PUT":
				body = inboundSource
			}
			if got := e.call(t, who, tt.method, tt.path, body); got.status != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d, want 403: %s", tt.method, tt.path, who, got.status, got.body)
			}
		}
	}

	e.call(t, "admin", "DELETE", "/api/v1/inbound-sources/zendesk", nil).must(t, http.StatusNoContent)
	if st := post(rotated.Secret); st != http.StatusUnauthorized {
		t.Errorf("a deleted source answers %d; want 401", st)
	}
	e.call(t, "admin", "DELETE", "/api/v1/inbound-sources/zendesk", nil).must(t, http.StatusNotFound)

	// A caller that keeps sending wrong secrets is told to back off, as
	// one sending wrong API tokens is; the right secret still passes.
	e.call(t, "admin", "POST", "/api/v1/inbound-sources", inboundSource).must(t, http.StatusCreated).decode(t, &src)
	wrong, last := webhooks.NewSecret(), 0
	for i := 0; i < 25 && last != http.StatusTooManyRequests; i++ {
		if last = post(wrong); last != http.StatusUnauthorized && last != http.StatusTooManyRequests {
			t.Fatalf("a wrong secret: %d", last)
		}
	}
	if last != http.StatusTooManyRequests || post(src.Secret) != http.StatusOK {
		t.Errorf("wrong secrets end in %d; want 429, and the right secret still 200", last)
	}
}
