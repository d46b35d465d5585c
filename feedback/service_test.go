package feedback_test

import (
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testclock"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/webhooks"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type fixture struct {
	store heed.Store
	lp    cases.Loop
	fb    *feedback.Service
}

// newFixture is two regions with a store each, a manager per region and
// three customers, and the services wired as heed serve wires them.
func newFixture(t *testing.T, engine string) *fixture {
	t.Helper()
	store := testdb.Open(t, engine)
	clk := testclock.New(t0)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	lp := cases.Wire(store, survey.Config{Now: clk.Now, Logger: quiet}, webhooks.Config{Now: clk.Now, Logger: quiet},
		cases.Config{Now: clk.Now, Logger: quiet})
	dir := directory.New(store, clk.Now)
	ctx := t.Context()
	for _, err := range []error{
		second(dir.UpsertUnits(ctx, heed.System(), []heed.Unit{
			{Key: "co", Name: "Company"}, {Key: "north", Name: "North", Parent: "co"}, {Key: "n1", Name: "North One", Parent: "north"},
			{Key: "south", Name: "South", Parent: "co"}, {Key: "s1", Name: "South One", Parent: "south"},
		})),
		second(dir.UpsertEmployees(ctx, heed.System(), []heed.Employee{
			{Email: "nora@co.example", Name: "Nora", Role: heed.RoleManager, Unit: "north"},
			{Email: "sam@co.example", Name: "Sam", Role: heed.RoleManager, Unit: "south"},
		})),
		second(dir.UpsertCustomers(ctx, heed.System(), []heed.Customer{
			{ExternalID: "C-1", Name: "Ann Archer", Email: "ann@mail.example", Unit: "n1", Consent: true},
			{ExternalID: "C-2", Name: "Ben Baker", Email: "Ben@Mail.example", Unit: "s1", Consent: true},
		})),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return &fixture{store: store, lp: lp, fb: lp.Feedback}
}

func second[T any](_ T, err error) error { return err }

func (f *fixture) who(t *testing.T, email string) heed.Principal {
	t.Helper()
	e, err := f.store.GetEmployee(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.store.GetUnit(t.Context(), e.Unit)
	if err != nil {
		t.Fatal(err)
	}
	return heed.Principal{Kind: heed.KindEmployee, Name: email, Role: e.Role, EmployeeID: e.ID, UnitID: u.ID, UnitPath: u.Path}
}

func ptr[T any](v T) *T { return &v }

// TestRecordFromEverySource: reviews, tickets, transcripts and posts are
// matched to their customer (by id, by email) or kept with the author's
// handle and the unit they name, read (language, sentiment, themes),
// seen only inside the reader's part of the tree, and sent again without
// duplicates.
func TestRecordFromEverySource(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			in := []feedback.Input{
				{Kind: heed.FeedbackReview, Source: "google", ExternalID: "g-1", Rating: ptr(2), Platform: "Google Maps",
					Customer: "C-1", Text: "Friendly staff, but the checkout took ages.", At: ptr(t0.Add(-time.Hour))},
				{Kind: heed.FeedbackTicket, Source: "zendesk", ExternalID: "z-7", Email: "ben@mail.EXAMPLE",
					Title: "Refund", Text: "I was charged twice and nobody answers my emails."},
				{Kind: heed.FeedbackTranscript, Source: "aircall", ExternalID: "call-3", Customer: "C-1", Turns: []heed.Turn{
					{Speaker: "agent", Text: "Thank you for calling, how can I help?"},
					{Speaker: "customer", Text: "My parcel never arrived."}}},
				{Kind: heed.FeedbackSocial, Source: "instagram", ExternalID: "p-9", Author: "@happyshopper", Unit: "s1",
					Text: "Loved the new store layout 😍"},
				{Kind: heed.FeedbackReview, Source: "tripadvisor", ExternalID: "t-1", Unit: "n1",
					Text: "El envío llegó tarde y nadie contestó mis correos."},
			}
			recs, err := f.fb.Record(ctx, heed.System(), "", in)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 5 || !recs[0].Created || recs[0].Customer != "C-1" || recs[1].Customer != "C-2" || recs[1].Unit != "s1" ||
				recs[3].Customer != "" || recs[3].Unit != "s1" {
				t.Fatalf("recorded %+v", recs)
			}
			review, err := f.fb.Get(ctx, heed.System(), recs[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if review.Label != "negative" || review.Language != "en" || *review.Rating != 2 || review.Unit != "n1" ||
				!review.At.Equal(t0.Add(-time.Hour)) || !hasTheme(review, "staff", 1) || !hasTheme(review, "waiting", -1) {
				t.Errorf("the review as stored: %+v", review)
			}
			call, _ := f.fb.Get(ctx, heed.System(), recs[2].ID)
			if call.Text != "My parcel never arrived." || len(call.Turns) != 2 || call.Label != "negative" || !hasTheme(call, "delivery", -1) {
				t.Errorf("the transcript: text %q, turns %d, label %s, themes %+v", call.Text, len(call.Turns), call.Label, call.Themes)
			}
			post, _ := f.fb.Get(ctx, heed.System(), recs[3].ID)
			if post.Author != "@happyshopper" || post.CustomerID != 0 || post.Label != "positive" {
				t.Errorf("the unmatched post: %+v", post)
			}
			es, _ := f.fb.Get(ctx, heed.System(), recs[4].ID)
			if es.Language != "es" || es.Sentiment != nil || es.Label != "" {
				t.Errorf("the Spanish review got %q, %v, %q; want es and no made-up English sentiment", es.Language, es.Sentiment, es.Label)
			}

			// Who sees what: the north's manager the north's items, not the south's.
			nora, err := f.fb.List(ctx, f.who(t, "nora@co.example"), heed.FeedbackFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if got := sources(nora); !slices.Equal(got, []string{"tripadvisor", "aircall", "google"}) {
				t.Errorf("nora sees %v", got)
			}
			_, err = f.fb.Get(ctx, f.who(t, "nora@co.example"), recs[1].ID)
			if heed.ErrorCode(err) != heed.ENotFound {
				t.Errorf("nora reading the south's ticket: %v", err)
			}
			if neg, _ := f.fb.List(ctx, heed.System(), heed.FeedbackFilter{Label: "negative", Theme: "delivery"}); len(neg) != 1 || neg[0].ID != recs[2].ID {
				t.Errorf("negative delivery items: %v", sources(neg))
			}

			// Sent again: nothing new, nothing changed; a new text is read again.
			again, err := f.fb.Record(ctx, heed.System(), "", in)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range again {
				if r.Created || r.Changed || r.ID != recs[i].ID {
					t.Errorf("item %d sent again: %+v", i, r)
				}
			}
			in[0].Text, in[0].Rating = "The checkout was quick this time, thank you!", ptr(5)
			changed, err := f.fb.Record(ctx, heed.System(), "", in[:1])
			if err != nil || changed[0].Created || !changed[0].Changed {
				t.Fatalf("a changed review: %+v, %v", changed, err)
			}
			if review, _ = f.fb.Get(ctx, heed.System(), recs[0].ID); review.Label != "positive" || !hasTheme(review, "waiting", 1) {
				t.Errorf("the changed review was not read again: %+v", review)
			}
			if all, _ := f.fb.List(ctx, heed.System(), heed.FeedbackFilter{}); len(all) != 5 {
				t.Errorf("%d items after sending everything again; want 5", len(all))
			}
		})
	}
}

// TestRecordRefusesBadItems: every problem of a batch is listed with its
// line and field, and nothing of the batch is written.
func TestRecordRefusesBadItems(t *testing.T) {
	f := newFixture(t, testdb.Engines[0])
	in := []feedback.Input{
		{Kind: heed.FeedbackReview, Source: "google", ExternalID: "ok", Text: "fine", Line: 2},
		{Kind: "tweet", Source: "x", ExternalID: "1", Text: "hi", Line: 3},
		{Kind: heed.FeedbackTicket, Source: "zendesk", ExternalID: "2", Line: 4},
		{Kind: heed.FeedbackReview, Source: "google", ExternalID: "3", Text: "x", Unit: "attic", Line: 5},
		{Kind: heed.FeedbackSurvey, Source: "google", ExternalID: "4", Text: "x", Line: 6},
		{Kind: heed.FeedbackReview, Source: "google", ExternalID: "5", Text: "x", Rating: ptr(9), Line: 7},
	}
	_, err := f.fb.Record(t.Context(), heed.System(), "reviews.csv", in)
	var rows heed.RowErrors
	if !errors.As(err, &rows) {
		t.Fatalf("Record = %v; want row errors", err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.String())
	}
	want := []string{
		`reviews.csv:3: kind: kind "tweet" must be one of review, ticket, transcript, social, complaint, interview or note`,
		`reviews.csv:4: text: an item needs its text (or, for a transcript, its turns)`,
		`reviews.csv:5: unit: no unit "attic"`,
		`reviews.csv:6: kind: kind "survey" must be one of review, ticket, transcript, social, complaint, interview or note`,
	}
	if len(got) != 5 || !slices.Equal(got[:4], want) || !strings.Contains(got[4], "reviews.csv:7: rating") {
		t.Errorf("row errors:\n%s", strings.Join(got, "\n"))
	}
	if all, _ := f.fb.List(t.Context(), heed.System(), heed.FeedbackFilter{}); len(all) != 0 {
		t.Errorf("a refused batch wrote %d items", len(all))
	}
	_, err = f.fb.Record(t.Context(), f.who(t, "nora@co.example"), "", in[:1])
	if heed.ErrorCode(err) != heed.EForbidden {
		t.Errorf("a manager recording feedback: %v", err)
	}
}

// TestSurveyCommentsAreFeedback: an answer's comment becomes a feedback
// item in the answer's transaction, read like any other.
func TestSurveyCommentsAreFeedback(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			sv, err := f.lp.Surveys.CreateSurvey(ctx, heed.System(), heed.Survey{Kind: heed.SurveyNPS, Name: "Store visit"})
			if err != nil {
				t.Fatal(err)
			}
			recs, err := f.lp.Surveys.RecordResponses(ctx, heed.System(), "", "", []survey.ResponseInput{
				{Survey: sv.Key, Customer: "C-1", Score: ptr(3), Comment: "The queue was endless and the staff were rude."},
				{Survey: sv.Key, Customer: "C-2", Score: ptr(9)},
			})
			if err != nil {
				t.Fatal(err)
			}
			items, err := f.fb.List(ctx, heed.System(), heed.FeedbackFilter{Kind: heed.FeedbackSurvey})
			if err != nil || len(items) != 1 {
				t.Fatalf("survey items = %+v, %v; want the one comment", items, err)
			}
			it := items[0]
			if it.ResponseID != recs[0].ID || it.Customer != "C-1" || it.Unit != "n1" || it.Label != "negative" ||
				!hasTheme(it, "waiting", -1) || !hasTheme(it, "staff", -1) || it.Title != sv.Key {
				t.Errorf("the comment as an item: %+v", it)
			}
		})
	}
}

func hasTheme(it heed.FeedbackItem, theme string, sign int) bool {
	for _, th := range it.Themes {
		if th.Theme == theme && th.Sentiment != nil && (sign > 0 && *th.Sentiment > 0 || sign < 0 && *th.Sentiment < 0) {
			return true
		}
	}
	return false
}

func sources(items []heed.FeedbackItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Source)
	}
	return out
}

// TestItemAboutAnotherUnitHidesItsCustomer: an item about a store of the
// north by a customer of the south is the north's to read (items are
// filed under the unit they are about), but who the customer is stays
// the south's.
func TestItemAboutAnotherUnitHidesItsCustomer(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			recs, err := f.fb.Record(ctx, heed.System(), "", []feedback.Input{{Kind: heed.FeedbackReview, Source: "google",
				ExternalID: "g-9", Customer: "C-2", Unit: "n1", Author: "Ben B.", Text: "Visited the north store: lovely."}})
			if err != nil {
				t.Fatal(err)
			}
			nora := f.who(t, "nora@co.example")
			it, err := f.fb.Get(ctx, nora, recs[0].ID)
			if err != nil || it.Customer != "" || it.CustomerName != "" || it.CustomerID != 0 || it.Author != "Ben B." || it.Unit != "n1" {
				t.Errorf("the north's manager reads %+v, %v; want the item, its author, not the south's customer", it, err)
			}
			if list, _ := f.fb.List(ctx, nora, heed.FeedbackFilter{}); len(list) != 1 || list[0].CustomerName != "" {
				t.Errorf("the north's manager lists %+v", list)
			}
			// The item is filed under the unit it is about: the south's
			// manager does not read it.
			if _, err := f.fb.Get(ctx, f.who(t, "sam@co.example"), recs[0].ID); heed.ErrorCode(err) != heed.ENotFound {
				t.Errorf("the south's manager reading an item about the north: %v", err)
			}
			if it, _ := f.fb.Get(ctx, heed.System(), recs[0].ID); it.Customer != "C-2" {
				t.Errorf("the admin reads %+v", it)
			}
		})
	}
}

// TestRecordRefusesAnItemTwice: a batch naming one item twice is refused
// with both lines named, as an import is, and writes nothing.
func TestRecordRefusesAnItemTwice(t *testing.T) {
	f := newFixture(t, testdb.Engines[0])
	in := []feedback.Input{
		{Kind: heed.FeedbackReview, Source: "google", ExternalID: "g-1", Text: "Great"},
		{Kind: heed.FeedbackReview, Source: "google", ExternalID: "g-2", Text: "Fine"},
		{Kind: heed.FeedbackReview, Source: "google", ExternalID: "g-1", Text: "Awful"},
	}
	_, err := f.fb.Record(t.Context(), heed.System(), "", in)
	var rows heed.RowErrors
	if !errors.As(err, &rows) || len(rows) != 1 || rows[0].Line != 3 || rows[0].Field != "external_id" ||
		!strings.Contains(rows[0].Problem, "first on line 1") {
		t.Fatalf("Record = %v; want line 3 named as g-1 again", err)
	}
	if all, _ := f.fb.List(t.Context(), heed.System(), heed.FeedbackFilter{}); len(all) != 0 {
		t.Errorf("a refused batch wrote %d items", len(all))
	}
}
