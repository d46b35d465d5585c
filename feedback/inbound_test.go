package feedback_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/webhooks"
)

// zendeskTicket is a help desk's own JSON: a ticket nested in an
// envelope, its id a number, its requester an object, its tags an array.
const zendeskTicket = `{"ticket": {"id": 35436, "subject": "Charged twice",
	"description": "I was charged twice for my order and nobody answers my emails.",
	"created_at": "2026-03-01T10:00:00Z", "tags": ["billing", "vip"],
	"requester": {"name": "Ann Archer", "email": "ANN@mail.example"}, "via": {"channel": "email"}}}`

// zendesk is a source for zendeskTicket.
func zendesk() heed.InboundSource {
	return heed.InboundSource{Key: "zendesk", Kind: heed.FeedbackTicket, Active: true,
		Mapping: map[string]string{"external_id": "ticket.id", "title": "ticket.subject", "text": "ticket.description",
			"at": "ticket.created_at", "email": "ticket.requester.email", "author": "ticket.requester.name",
			"platform": "ticket.via.channel", "unit": "ticket.store?"}}
}

func bearer(secret string) http.Header { return http.Header{"Authorization": {"Bearer " + secret}} }

func mustSource(t *testing.T, f *fixture, src heed.InboundSource) heed.InboundSource {
	t.Helper()
	out, err := f.fb.CreateSource(t.Context(), heed.System(), src)
	if err != nil {
		t.Fatalf("CreateSource(%s): %v", src.Key, err)
	}
	return out
}

// TestInboundReceivesAMappedDocument: a help desk's ticket, posted with
// the source's secret, becomes an item — mapped, matched by email, read
// — and posted again updates it instead of adding one.
func TestInboundReceivesAMappedDocument(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			src := mustSource(t, f, zendesk())
			if !strings.HasPrefix(src.Secret, "whsec_") || src.System != "zendesk" || src.Name != "zendesk" {
				t.Fatalf("created %+v; want a whsec_ secret, system and name defaulting to the key", src)
			}
			recs, err := f.fb.Receive(ctx, "zendesk", bearer(src.Secret), []byte(zendeskTicket))
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 || !recs[0].Created || recs[0].Customer != "C-1" || recs[0].Unit != "n1" {
				t.Fatalf("recorded %+v; want one new item of C-1 (matched by email) in n1", recs)
			}
			it, err := f.store.GetFeedbackBySource(ctx, "zendesk", "35436")
			if err != nil {
				t.Fatal(err)
			}
			if it.Kind != heed.FeedbackTicket || it.Title != "Charged twice" || it.Platform != "email" || it.Label != "negative" ||
				!it.At.Equal(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)) || !hasTheme(it, "billing", -1) {
				t.Errorf("stored %+v", it)
			}
			recs, err = f.fb.Receive(ctx, "zendesk", bearer(src.Secret), []byte(zendeskTicket))
			if err != nil || len(recs) != 1 || recs[0].Created || recs[0].Changed || recs[0].ID != it.ID {
				t.Errorf("posted again: %+v, %v; want the same item, unchanged", recs, err)
			}
			if all, _ := f.fb.List(ctx, heed.System(), heed.FeedbackFilter{Source: "zendesk"}); len(all) != 1 {
				t.Errorf("%d zendesk items after two posts; want 1", len(all))
			}
		})
	}
}

// TestInboundMapping: nested keys and array indexes, numbers as text,
// Unix times, fixed values, an items path, a document that is an array,
// optional paths and nulls.
func TestInboundMapping(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := t.Context()
	reviews := mustSource(t, f, heed.InboundSource{Key: "trustpilot", Kind: heed.FeedbackReview, Active: true, Items: "data.reviews",
		Mapping: map[string]string{"external_id": "id", "text": "content.0.text", "rating": "stars", "at": "time",
			"customer": "consumer.ref?", "author": "consumer.name"},
		Fixed: map[string]string{"platform": "Trustpilot", "language": "en"}})
	doc := `{"data": {"reviews": [
		{"id": "r-1", "content": [{"text": "Great staff, very friendly."}], "stars": 5, "time": 1772445600, "consumer": {"ref": "C-2", "name": "Ben"}},
		{"id": "r-2", "content": [{"text": "The checkout took ages."}], "stars": "2", "time": 1772445600123, "consumer": {"ref": null, "name": "Zoe"}},
		{"id": "r-3", "content": [{"text": "Fine."}], "stars": 3, "time": "2026-03-01", "consumer": {"name": "Max"}}]}}`
	recs, err := f.fb.Receive(ctx, "trustpilot", bearer(reviews.Secret), []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[0].Customer != "C-2" || recs[1].Customer != "" || recs[2].Customer != "" {
		t.Fatalf("recorded %+v", recs)
	}
	for i, want := range []struct {
		id, author, text string
		stars            int
		at               time.Time
	}{
		{"r-1", "Ben", "Great staff, very friendly.", 5, time.Unix(1772445600, 0)},
		{"r-2", "Zoe", "The checkout took ages.", 2, time.UnixMilli(1772445600123)},
		{"r-3", "Max", "Fine.", 3, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
	} {
		it, err := f.store.GetFeedbackBySource(ctx, "trustpilot", want.id)
		if err != nil || it.Author != want.author || it.Text != want.text || it.Rating == nil || *it.Rating != want.stars ||
			!it.At.Equal(want.at) || it.Platform != "Trustpilot" || it.Language != "en" || it.Kind != heed.FeedbackReview {
			t.Errorf("item %d: %+v, %v; want %+v", i+1, it, err, want)
		}
	}

	// A document that is an array is a list of items; a transcript's
	// turns come as an array of objects.
	calls := mustSource(t, f, heed.InboundSource{Key: "aircall", Kind: heed.FeedbackTranscript, Active: true,
		Mapping: map[string]string{"external_id": "call.id", "turns": "call.transcript", "customer": "call.contact.id"}})
	doc = `[{"call": {"id": 77, "contact": {"id": "C-1"}, "transcript": [{"speaker": "agent", "text": "Hello!"},
		{"speaker": "Customer", "text": "My parcel never arrived."}]}}]`
	recs, err = f.fb.Receive(ctx, "aircall", bearer(calls.Secret), []byte(doc))
	if err != nil || len(recs) != 1 || recs[0].Customer != "C-1" {
		t.Fatalf("the call: %+v, %v", recs, err)
	}
	call, _ := f.store.GetFeedbackBySource(ctx, "aircall", "77")
	if call.Text != "My parcel never arrived." || len(call.Turns) != 2 || !hasTheme(call, "delivery", -1) {
		t.Errorf("the call as stored: %+v", call)
	}
	// An empty list of items is nothing to do.
	if recs, err := f.fb.Receive(ctx, "trustpilot", bearer(reviews.Secret), []byte(`{"data": {"reviews": []}}`)); err != nil || len(recs) != 0 {
		t.Errorf("no reviews: %+v, %v", recs, err)
	}
}

// TestInboundRefusesWhatTheMappingCannotRead names the field and the
// path of every problem, and writes nothing.
func TestInboundRefusesWhatTheMappingCannotRead(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := t.Context()
	zd := mustSource(t, f, zendesk())
	tp := mustSource(t, f, heed.InboundSource{Key: "trustpilot", Kind: heed.FeedbackReview, Active: true, Items: "reviews",
		Mapping: map[string]string{"external_id": "id", "text": "text", "rating": "stars"}})
	for _, tt := range []struct {
		what, key, secret, doc string
		code                   heed.Code
		field, msg             string
	}{
		{"a misspelt path", "zendesk", zd.Secret, strings.Replace(zendeskTicket, `"description"`, `"descr"`, 1), heed.EInvalid,
			"text", `text: path ticket.description is missing (no "description" in ticket)`},
		{"a path through a value", "zendesk", zd.Secret, `{"ticket": 5}`, heed.EInvalid,
			"external_id", `external_id: path ticket.id is missing (ticket is a number, not an object or an array) (and 6 more)`},
		{"a null text", "zendesk", zd.Secret, strings.Replace(zendeskTicket, `"I was charged twice for my order and nobody answers my emails."`, "null", 1),
			heed.EInvalid, "text", "text: an item needs its text (or, for a transcript, its turns) (path ticket.description)"},
		{"a time that is none", "zendesk", zd.Secret, strings.Replace(zendeskTicket, `"2026-03-01T10:00:00Z"`, `"yesterday"`, 1),
			heed.EInvalid, "at", `at: "yesterday" is not a time; want RFC 3339 (2026-03-01T09:30:00Z) or YYYY-MM-DD (path ticket.created_at)`},
		{"an object for text", "zendesk", zd.Secret, strings.Replace(zendeskTicket, `"Charged twice"`, `{"a": 1}`, 1),
			heed.EInvalid, "title", "title: want a string (path ticket.subject)"},
		{"an index past the end", "trustpilot", tp.Secret, `{"reviews": [{"id": 1, "text": "ok", "stars": 4}, {"id": 2, "stars": 9}]}`,
			heed.EInvalid, "text", `item 2: text: path text is missing (no "text" in the item) (and 1 more)`},
		{"no items array", "trustpilot", tp.Secret, `{"review": {}}`, heed.EInvalid,
			"items", `items: path reviews is missing (no "reviews" in the document)`},
		{"items that are no array", "trustpilot", tp.Secret, `{"reviews": {"id": 1}}`, heed.EInvalid,
			"items", "items: path reviews is an object, not an array"},
		{"not JSON", "zendesk", zd.Secret, `{"ticket": `, heed.EBadRequest, "", ""},
		{"an unknown unit", "zendesk", zd.Secret, strings.Replace(zendeskTicket, `"via"`, `"store": "attic", "via"`, 1),
			heed.EInvalid, "unit", `unit: no unit "attic" (path ticket.store)`},
	} {
		_, err := f.fb.Receive(ctx, tt.key, bearer(tt.secret), []byte(tt.doc))
		if heed.ErrorCode(err) != tt.code || heed.ErrorField(err) != tt.field || tt.msg != "" && heed.ErrorMessage(err) != tt.msg {
			t.Errorf("%s: %v (code %s, field %q, message %q);\nwant %s, %q, %q", tt.what, err, heed.ErrorCode(err),
				heed.ErrorField(err), heed.ErrorMessage(err), tt.code, tt.field, tt.msg)
		}
	}
	if all, _ := f.fb.List(ctx, heed.System(), heed.FeedbackFilter{}); len(all) != 0 {
		t.Errorf("refused documents wrote %d items", len(all))
	}
}

// TestInboundSecrets: a call is let in with the source's secret as a
// bearer token or as the key of a fresh Standard Webhooks signature,
// and refused alike for a wrong secret, an unknown source and a
// switched-off one, so that no key can be probed.
func TestInboundSecrets(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := t.Context()
	src := mustSource(t, f, zendesk())
	body := []byte(zendeskTicket)
	signed := func(secret string, at time.Time, body []byte) http.Header {
		sig, err := webhooks.Sign(secret, "msg_1", at, body)
		if err != nil {
			t.Fatal(err)
		}
		return http.Header{"Webhook-Id": {"msg_1"}, "Webhook-Timestamp": {strconv.FormatInt(at.Unix(), 10)}, "Webhook-Signature": {sig}}
	}
	other := webhooks.NewSecret()
	refused := `no active inbound source "zendesk" takes this secret or signature`
	for _, tt := range []struct {
		what string
		key  string
		h    http.Header
		body []byte
		msg  string // "" lets it in
	}{
		{"the secret as a bearer token", "zendesk", bearer(src.Secret), body, ""},
		{"a signature", "zendesk", signed(src.Secret, t0, body), body, ""},
		{"a signature and a stray bearer", "zendesk", withAuth(signed(src.Secret, t0, body), "Bearer abc"), body, ""},
		{"nothing", "zendesk", http.Header{}, body,
			"an inbound call needs its source's secret: Authorization: Bearer <secret>, or a Standard Webhooks signature"},
		{"another secret", "zendesk", bearer(other), body, refused},
		{"the secret in another scheme", "zendesk", withAuth(http.Header{}, "Basic "+src.Secret), body,
			"an inbound call needs its source's secret: Authorization: Bearer <secret>, or a Standard Webhooks signature"},
		{"a signature by another secret", "zendesk", signed(other, t0, body), body, refused},
		{"a signature of another body", "zendesk", signed(src.Secret, t0, []byte(`{}`)), body, refused},
		{"a signature ten minutes old", "zendesk", signed(src.Secret, t0.Add(-10*time.Minute), body), body, refused},
		{"an unknown source", "freshdesk", bearer(src.Secret), body, `no active inbound source "freshdesk" takes this secret or signature`},
	} {
		_, err := f.fb.Receive(ctx, tt.key, tt.h, tt.body)
		switch {
		case tt.msg == "" && err != nil:
			t.Errorf("%s: refused: %v", tt.what, err)
		case tt.msg != "" && (heed.ErrorCode(err) != heed.EUnauthorized || heed.ErrorMessage(err) != tt.msg):
			t.Errorf("%s: %v; want unauthorized %q", tt.what, err, tt.msg)
		}
	}

	// Switched off, the source refuses its own secret as it refuses a
	// wrong one; rotated, the old secret stops working.
	src.Active = false
	if _, err := f.fb.UpdateSource(ctx, heed.System(), src, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.fb.Receive(ctx, "zendesk", bearer(src.Secret), body); heed.ErrorMessage(err) != refused {
		t.Errorf("switched off: %v; want %q", err, refused)
	}
	src.Active = true
	rotated, err := f.fb.UpdateSource(ctx, heed.System(), src, true)
	if err != nil || !strings.HasPrefix(rotated.Secret, "whsec_") || rotated.Secret == src.Secret {
		t.Fatalf("rotated: %+v, %v", rotated, err)
	}
	if _, err := f.fb.Receive(ctx, "zendesk", bearer(src.Secret), body); heed.ErrorCode(err) != heed.EUnauthorized {
		t.Errorf("the old secret after rotation: %v; want unauthorized", err)
	}
	if _, err := f.fb.Receive(ctx, "zendesk", bearer(rotated.Secret), body); err != nil {
		t.Errorf("the new secret: %v", err)
	}
	big := []byte(`{"x": "` + strings.Repeat("a", feedback.MaxInboundBody) + `"}`)
	if _, err := f.fb.Receive(ctx, "zendesk", bearer(rotated.Secret), big); heed.ErrorCode(err) != heed.ETooLarge {
		t.Errorf("a document over 1 MiB: %v; want too_large", err)
	}
}

func withAuth(h http.Header, auth string) http.Header {
	h.Set("Authorization", auth)
	return h
}

// TestInboundSourceAdmin: only admins manage sources; a source that
// could make no item is refused when it is set up, not on every call;
// the secret is shown when made and rotated, never when read.
func TestInboundSourceAdmin(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := t.Context()
	nora := f.who(t, "nora@co.example")
	if _, err := f.fb.CreateSource(ctx, nora, zendesk()); heed.ErrorCode(err) != heed.EForbidden {
		t.Errorf("a manager adds a source: %v; want forbidden", err)
	}
	for _, tt := range []struct {
		what   string
		change func(*heed.InboundSource)
		field  string
	}{
		{"a key with capitals", func(s *heed.InboundSource) { s.Key = "Zendesk" }, "key"},
		{"a key with a slash", func(s *heed.InboundSource) { s.Key = "zen/desk" }, "key"},
		{"no kind", func(s *heed.InboundSource) { s.Kind = "" }, "kind"},
		{"the survey kind", func(s *heed.InboundSource) { s.Kind = heed.FeedbackSurvey }, "kind"},
		{"the survey system", func(s *heed.InboundSource) { s.System = "survey" }, "system"},
		{"a field that is not ours", func(s *heed.InboundSource) { s.Mapping["priority"] = "ticket.priority" }, "mapping"},
		{"no external id", func(s *heed.InboundSource) { delete(s.Mapping, "external_id") }, "mapping.external_id"},
		{"no text", func(s *heed.InboundSource) { delete(s.Mapping, "text") }, "mapping.text"},
		{"a path with an empty step", func(s *heed.InboundSource) { s.Mapping["title"] = "ticket..subject" }, "mapping.title"},
		{"a field mapped and fixed", func(s *heed.InboundSource) { s.Fixed = map[string]string{"title": "x"} }, "fixed.title"},
		{"a fixed rating of 7", func(s *heed.InboundSource) { s.Fixed = map[string]string{"rating": "7"} }, "fixed.rating"},
		{"a fixed kind", func(s *heed.InboundSource) { s.Fixed = map[string]string{"kind": "review"} }, "fixed.kind"},
		{"an optional items path", func(s *heed.InboundSource) { s.Items = "tickets?" }, "items"},
	} {
		src := zendesk()
		tt.change(&src)
		_, err := f.fb.CreateSource(ctx, heed.System(), src)
		if heed.ErrorCode(err) != heed.EInvalid || heed.ErrorField(err) != tt.field {
			t.Errorf("%s: %v (field %q); want invalid on %q", tt.what, err, heed.ErrorField(err), tt.field)
		}
	}
	made := mustSource(t, f, zendesk())
	got, err := f.fb.GetSource(ctx, heed.System(), "zendesk")
	if err != nil || got.Secret != "" || got.Mapping["text"] != "ticket.description" {
		t.Errorf("GetSource = %+v, %v; want the mapping and no secret", got, err)
	}
	list, err := f.fb.ListSources(ctx, heed.System())
	if err != nil || len(list) != 1 || list[0].Secret != "" {
		t.Errorf("ListSources = %+v, %v", list, err)
	}
	got.Name = "Zendesk EU"
	updated, err := f.fb.UpdateSource(ctx, heed.System(), got, false)
	if err != nil || updated.Name != "Zendesk EU" || updated.Secret != "" {
		t.Errorf("UpdateSource = %+v, %v", updated, err)
	}
	if stored, _ := f.store.GetInboundSource(ctx, "zendesk"); stored.Secret != made.Secret {
		t.Errorf("an update changed the secret")
	}
	if _, err := f.fb.GetSource(ctx, nora, "zendesk"); heed.ErrorCode(err) != heed.EForbidden {
		t.Errorf("a manager reads a source: %v; want forbidden", err)
	}
	if err := f.fb.DeleteSource(ctx, nora, "zendesk"); heed.ErrorCode(err) != heed.EForbidden {
		t.Errorf("a manager deletes a source: %v; want forbidden", err)
	}
	if err := f.fb.DeleteSource(ctx, heed.System(), "zendesk"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.fb.Receive(ctx, "zendesk", bearer(made.Secret), []byte(zendeskTicket)); heed.ErrorCode(err) != heed.EUnauthorized {
		t.Errorf("a deleted source: %v; want unauthorized", err)
	}
}

// TestTrySource shows what a sample would become, matched and read,
// and writes nothing, also for a source that is switched off.
func TestTrySource(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := t.Context()
	src := zendesk()
	src.Active = false
	mustSource(t, f, src)
	got, err := f.fb.TrySource(ctx, heed.System(), "zendesk", []byte(zendeskTicket))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Input.ExternalID != "35436" || got[0].Input.Source != "zendesk" || got[0].Input.Email != "ANN@mail.example" ||
		got[0].Customer != "C-1" || got[0].Sentiment == nil || got[0].Sentiment.Label != "negative" {
		t.Errorf("TrySource = %+v", got)
	}
	_, err = f.fb.TrySource(ctx, heed.System(), "zendesk", []byte(`{"ticket": {}}`))
	if heed.ErrorCode(err) != heed.EInvalid || heed.ErrorField(err) != "external_id" {
		t.Errorf("a sample without the ticket's fields: %v", err)
	}
	if _, err := f.fb.TrySource(ctx, f.who(t, "nora@co.example"), "zendesk", []byte(zendeskTicket)); heed.ErrorCode(err) != heed.EForbidden {
		t.Errorf("a manager tries a source: %v; want forbidden", err)
	}
	if all, _ := f.fb.List(ctx, heed.System(), heed.FeedbackFilter{}); len(all) != 0 {
		t.Errorf("trying wrote %d items", len(all))
	}
}
