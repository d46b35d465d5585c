package storetest

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// testFeedback holds feedback items and their themes to the contract.
func testFeedback(t *testing.T, open Opener) {
	t.Run("feedback round trip and upsert", func(t *testing.T) { testFeedbackUpsert(t, open(t)) })
	t.Run("feedback scope and filters", func(t *testing.T) { testFeedbackFilters(t, open(t)) })
	t.Run("feedback refused", func(t *testing.T) { testFeedbackInvalid(t, open(t)) })
	t.Run("feedback upserted concurrently", func(t *testing.T) { testFeedbackConcurrently(t, open(t)) })
	t.Run("customer by email", func(t *testing.T) { testCustomerByEmail(t, open(t)) })
	t.Run("theme aggregates", func(t *testing.T) { testThemeAggregates(t, open(t)) })
}

// testThemeAggregates: the counts drivers and the themes page read —
// theme mentions by response score, and per theme its items and how
// they feel — agree with the items, inside each scope.
func testThemeAggregates(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedInvitations(t, s)
	ids := seedResponses(t, s, f) // r1 c1/n1 9, r2 c3/n2 3, r3 c5/s1 7, r4 c6/north 10
	comment := func(resp string, unit string, themes ...heed.FeedbackTheme) heed.FeedbackItem {
		return heed.FeedbackItem{Kind: heed.FeedbackSurvey, Source: "survey", ExternalID: resp, Text: "comment of " + resp,
			At: T0, ResponseID: ids[resp], UnitID: f.units[unit].ID, Themes: themes}
	}
	th := func(key string, v float64) heed.FeedbackTheme {
		return heed.FeedbackTheme{Theme: key, Sentiment: ptr(v), Mentions: 1}
	}
	review := heed.FeedbackItem{Kind: heed.FeedbackReview, Source: "google", ExternalID: "g1", Text: "x", At: T0.Add(time.Hour),
		UnitID: f.units["n1"].ID, Themes: []heed.FeedbackTheme{th("staff", -0.5), {Theme: "waiting", Mentions: 1}}}
	mustUpsertFeedback(t, s, T0,
		comment("r1", "n1", th("staff", 0.6)),
		comment("r2", "n2", th("staff", -0.4), th("waiting", -0.8)),
		comment("r3", "s1", th("waiting", -0.2)),
		review)
	all := heed.Scope{All: true}
	scores, err := s.CountThemeScores(ctx, all, heed.ResponseFilter{SurveyID: f.survey.ID})
	want := []heed.ThemeScoreCount{{Theme: "staff", Score: 3, N: 1}, {Theme: "staff", Score: 9, N: 1}, {Theme: "waiting", Score: 3, N: 1}, {Theme: "waiting", Score: 7, N: 1}}
	if err != nil || !slices.Equal(scores, want) {
		t.Errorf("CountThemeScores = %+v, %v; want %+v", scores, err, want)
	}
	north, err := s.CountThemeScores(ctx, f.principal("boss").Scope(), heed.ResponseFilter{SurveyID: f.survey.ID})
	want = []heed.ThemeScoreCount{{Theme: "staff", Score: 3, N: 1}, {Theme: "staff", Score: 9, N: 1}, {Theme: "waiting", Score: 3, N: 1}}
	if err != nil || !slices.Equal(north, want) {
		t.Errorf("CountThemeScores by the manager of north = %+v, %v; want %+v", north, err, want)
	}
	stats, err := s.ThemeStats(ctx, all, heed.FeedbackFilter{})
	if err != nil || len(stats) != 2 {
		t.Fatalf("ThemeStats = %+v, %v", stats, err)
	}
	staff, waiting := stats[0], stats[1]
	if staff.Theme != "staff" || staff.Items != 3 || staff.Read != 3 || staff.Negative != 2 || staff.Positive != 1 ||
		math.Abs(staff.Sentiment-(-0.3)) > 1e-9 {
		t.Errorf("staff: %+v", staff)
	}
	if waiting.Theme != "waiting" || waiting.Items != 3 || waiting.Read != 2 || waiting.Negative != 2 || waiting.Positive != 0 {
		t.Errorf("waiting: %+v", waiting)
	}
	reviews, err := s.ThemeStats(ctx, f.principal("boss").Scope(), heed.FeedbackFilter{Kind: heed.FeedbackReview})
	if err != nil || len(reviews) != 2 || reviews[0].Items != 1 || reviews[1].Read != 0 {
		t.Errorf("ThemeStats of the north's reviews = %+v, %v", reviews, err)
	}
	if none, err := s.ThemeStats(ctx, all, heed.FeedbackFilter{From: T0.Add(2 * time.Hour)}); err != nil || len(none) != 0 {
		t.Errorf("ThemeStats after everything = %+v, %v", none, err)
	}
}

// testCustomerByEmail: feedback finds its customer by email, any case,
// the first created when two share one.
func testCustomerByEmail(t *testing.T, s heed.Store) {
	seedOrg(t, s)
	mustUpsertCustomers(t, s, T0,
		heed.Customer{ExternalID: "c8", Name: "Gus", Email: "Gus@Mail.example", Unit: "s1"},
		heed.Customer{ExternalID: "c9", Name: "Gus again", Email: "gus@mail.example", Unit: "n1"})
	c, err := s.GetCustomerByEmail(t.Context(), " GUS@mail.EXAMPLE ")
	if err != nil || c.ExternalID != "c8" || c.ID == 0 {
		t.Fatalf("GetCustomerByEmail = %+v, %v; want c8", c, err)
	}
	_, err = s.GetCustomerByEmail(t.Context(), "nobody@mail.example")
	wantErr(t, "GetCustomerByEmail of an unknown address", err, heed.ENotFound, "")
}

// feedbackItem is an item of customer (external id; "" for none) in
// unit, said at T0 plus hours.
func feedbackItem(t *testing.T, s heed.Store, o org, ext, customer, unit string, hours int) heed.FeedbackItem {
	t.Helper()
	it := heed.FeedbackItem{Kind: heed.FeedbackReview, Source: "google", ExternalID: ext, Text: "Text of " + ext,
		At: T0.Add(time.Duration(hours) * time.Hour), Language: "en", Label: "neutral", Sentiment: ptr(0.0),
		Themes: []heed.FeedbackTheme{}}
	if customer != "" {
		it.CustomerID = mustGetCustomer(t, s, customer).ID
	}
	if unit != "" {
		it.UnitID = o.units[unit].ID
	}
	return it
}

func mustUpsertFeedback(t *testing.T, s heed.Store, now time.Time, items ...heed.FeedbackItem) []heed.FeedbackUpsert {
	t.Helper()
	res, err := s.UpsertFeedback(t.Context(), items, now)
	if err != nil {
		t.Fatalf("UpsertFeedback: %v", err)
	}
	return res
}

func testFeedbackUpsert(t *testing.T, s heed.Store) {
	ctx := t.Context()
	o := seedOrg(t, s)
	it := feedbackItem(t, s, o, "r-1", "c1", "n1", 0)
	it.Title, it.Rating, it.Platform, it.Author = "Meh", ptr(2), "Google Maps", "Alice A."
	it.Text = "Friendly staff, but the checkout took ages."
	it.Sentiment, it.Label = ptr(-0.512), "negative"
	it.Themes = []heed.FeedbackTheme{{Theme: "waiting", Sentiment: ptr(-0.54), Mentions: 1},
		{Theme: "staff", Sentiment: ptr(0.49), Mentions: 1}}
	tr := feedbackItem(t, s, o, "call-9", "", "s1", 1)
	tr.Kind, tr.Source, tr.Author, tr.Sentiment, tr.Label = heed.FeedbackTranscript, "aircall", "+31 6 1234", nil, ""
	tr.Turns = []heed.Turn{{Speaker: "agent", Text: "How can I help?"}, {Speaker: "customer", Text: "My parcel is lost."}}
	tr.Text = "My parcel is lost."
	res := mustUpsertFeedback(t, s, T0, it, tr)
	if len(res) != 2 || !res[0].Created || !res[0].Changed || !res[1].Created || res[0].ID == res[1].ID {
		t.Fatalf("first upsert = %+v", res)
	}
	got, err := s.GetFeedback(ctx, heed.Scope{All: true}, res[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := it
	want.ID, want.Customer, want.CustomerName, want.Unit, want.CreatedAt, want.UpdatedAt = res[0].ID, "c1", "Alice Adams", "n1", T0, T0
	want.Themes = []heed.FeedbackTheme{want.Themes[1], want.Themes[0]} // by theme key
	wantFeedback(t, "GetFeedback(review)", got, want)
	got, err = s.GetFeedbackBySource(ctx, "aircall", "call-9")
	if err != nil || got.ID != res[1].ID || len(got.Turns) != 2 || got.Turns[1].Speaker != "customer" || got.Sentiment != nil ||
		got.Unit != "s1" || got.CustomerID != 0 || got.Author != "+31 6 1234" {
		t.Fatalf("GetFeedbackBySource(transcript) = %+v, %v", got, err)
	}

	// The same again changes nothing, not even the time it was updated.
	later := T0.Add(time.Hour)
	if res := mustUpsertFeedback(t, s, later, it, tr); res[0].Created || res[0].Changed || res[1].Changed || res[0].ID != want.ID {
		t.Fatalf("the same items again = %+v", res)
	}
	if got, _ := s.GetFeedback(ctx, heed.Scope{All: true}, want.ID); !got.UpdatedAt.Equal(T0) {
		t.Fatalf("an unchanged item was rewritten: updated %v", got.UpdatedAt)
	}
	// A new text: updated in place, themes replaced.
	it.Text, it.Rating = "Checkout was quick this time.", ptr(4)
	it.Themes = []heed.FeedbackTheme{{Theme: "waiting", Sentiment: ptr(0.4), Mentions: 2}}
	if res := mustUpsertFeedback(t, s, later, it); res[0].Created || !res[0].Changed || res[0].ID != want.ID {
		t.Fatalf("a changed item = %+v", res)
	}
	got, _ = s.GetFeedback(ctx, heed.Scope{All: true}, want.ID)
	if got.Text != it.Text || *got.Rating != 4 || !got.UpdatedAt.Equal(later) || !got.CreatedAt.Equal(T0) ||
		len(got.Themes) != 1 || got.Themes[0].Mentions != 2 || *got.Themes[0].Sentiment != 0.4 {
		t.Fatalf("after the change: %+v", got)
	}
	list, err := s.ListFeedback(ctx, heed.Scope{All: true}, heed.FeedbackFilter{})
	if err != nil || len(list) != 2 {
		t.Fatalf("ListFeedback = %d items, %v; want 2 (no duplicates)", len(list), err)
	}
}

// wantFeedback compares items as JSON shows them, and their ids.
func wantFeedback(t *testing.T, what string, got, want heed.FeedbackItem) {
	t.Helper()
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if string(gj) != string(wj) || got.CustomerID != want.CustomerID || got.UnitID != want.UnitID {
		t.Errorf("%s =\n%s\nwant\n%s", what, gj, wj)
	}
}

func testFeedbackFilters(t *testing.T, s heed.Store) {
	ctx := t.Context()
	o := seedOrg(t, s)
	items := []heed.FeedbackItem{
		feedbackItem(t, s, o, "f1", "c1", "n1", 0), // ann's customer
		feedbackItem(t, s, o, "f2", "c2", "n1", 1),
		feedbackItem(t, s, o, "f3", "c4", "n2", 2), // bob's
		feedbackItem(t, s, o, "f4", "c5", "s1", 3), // sue's
		feedbackItem(t, s, o, "f5", "", "north", 4),
		feedbackItem(t, s, o, "f6", "", "", 5), // nobody's, no unit
	}
	items[0].Text, items[0].Label, items[0].Rating = "The 100% refund took_ages", "negative", ptr(1)
	items[0].Themes = []heed.FeedbackTheme{{Theme: "returns", Sentiment: ptr(-0.5), Mentions: 1}}
	items[1].Kind, items[1].Source, items[1].Text = heed.FeedbackTicket, "zendesk", "Where is my REFUND?"
	items[1].Themes = []heed.FeedbackTheme{{Theme: "returns", Mentions: 1}, {Theme: "delivery", Mentions: 1}}
	items[2].Label, items[2].Rating = "positive", ptr(5)
	items[3].Label, items[3].Rating = "positive", ptr(4)
	res := mustUpsertFeedback(t, s, T0, items...)
	names := map[int64]string{}
	for i, r := range res {
		names[r.ID] = items[i].ExternalID
	}
	all := heed.Scope{All: true}
	tests := []struct {
		name   string
		scope  heed.Scope
		filter heed.FeedbackFilter
		want   []string
	}{
		{"all", all, heed.FeedbackFilter{}, []string{"f6", "f5", "f4", "f3", "f2", "f1"}},
		{"manager of north", o.principal("boss").Scope(), heed.FeedbackFilter{}, []string{"f5", "f3", "f2", "f1"}},
		{"ann: n1 and her customers", o.principal("ann").Scope(), heed.FeedbackFilter{}, []string{"f2", "f1"}},
		{"sue", o.principal("sue").Scope(), heed.FeedbackFilter{}, []string{"f4"}},
		{"nobody", heed.Scope{}, heed.FeedbackFilter{}, nil},
		{"unit n1", all, heed.FeedbackFilter{Unit: "n1"}, []string{"f2", "f1"}},
		{"kind ticket", all, heed.FeedbackFilter{Kind: heed.FeedbackTicket}, []string{"f2"}},
		{"source google", all, heed.FeedbackFilter{Source: "google"}, []string{"f6", "f5", "f4", "f3", "f1"}},
		{"theme returns", all, heed.FeedbackFilter{Theme: "returns"}, []string{"f2", "f1"}},
		{"theme delivery", all, heed.FeedbackFilter{Theme: "delivery"}, []string{"f2"}},
		{"label positive", all, heed.FeedbackFilter{Label: "positive"}, []string{"f4", "f3"}},
		{"rating 4+", all, heed.FeedbackFilter{MinRating: ptr(4)}, []string{"f4", "f3"}},
		{"rating to 2", all, heed.FeedbackFilter{MaxRating: ptr(2)}, []string{"f1"}},
		{"hours 1 to 3", all, heed.FeedbackFilter{From: T0.Add(time.Hour), To: T0.Add(3 * time.Hour)}, []string{"f3", "f2"}},
		{"customer c5", all, heed.FeedbackFilter{CustomerID: mustGetCustomer(t, s, "c5").ID}, []string{"f4"}},
		{"words, any case", all, heed.FeedbackFilter{Query: "refund"}, []string{"f2", "f1"}},
		{"every word", all, heed.FeedbackFilter{Query: "REFUND where"}, []string{"f2"}},
		{"% and _ are letters", all, heed.FeedbackFilter{Query: "100% took_ages"}, []string{"f1"}},
		{"_ is no wildcard", all, heed.FeedbackFilter{Query: "took_"}, []string{"f1"}},
		{"% is no wildcard", all, heed.FeedbackFilter{Query: "0%r"}, nil},
		{"page", all, heed.FeedbackFilter{Limit: 2, BeforeID: res[4].ID}, []string{"f4", "f3"}},
	}
	for _, tt := range tests {
		list, err := s.ListFeedback(ctx, tt.scope, tt.filter)
		var got []string
		for _, it := range list {
			got = append(got, names[it.ID])
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: ListFeedback = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	if list, _ := s.ListFeedback(ctx, all, heed.FeedbackFilter{Theme: "returns"}); len(list) == 2 && len(list[0].Themes) != 2 {
		t.Errorf("a listed item's themes: %+v", list[0].Themes)
	}
	_, err := s.ListFeedback(ctx, all, heed.FeedbackFilter{Unit: "attic"})
	wantErr(t, "ListFeedback in an unknown unit", err, heed.ENotFound, "unit")
	_, err = s.GetFeedback(ctx, o.principal("sue").Scope(), res[0].ID)
	wantErr(t, "GetFeedback of ann's customer by sue", err, heed.ENotFound, "")
}

func testFeedbackInvalid(t *testing.T, s heed.Store) {
	o := seedOrg(t, s)
	good := feedbackItem(t, s, o, "ok", "c1", "n1", 0)
	for _, tt := range []struct {
		field  string
		change func(*heed.FeedbackItem)
	}{
		{"kind", func(it *heed.FeedbackItem) { it.Kind = "tweet" }},
		{"source", func(it *heed.FeedbackItem) { it.Source = " " }},
		{"external_id", func(it *heed.FeedbackItem) { it.ExternalID = "" }},
		{"rating", func(it *heed.FeedbackItem) { it.Rating = ptr(6) }},
		{"at", func(it *heed.FeedbackItem) { it.At = time.Time{} }},
		{"text", func(it *heed.FeedbackItem) { it.Text = "a\x00b" }},
		{"turns[0].text", func(it *heed.FeedbackItem) { it.Turns = []heed.Turn{{Speaker: "customer", Text: "\xff"}} }},
		{"sentiment", func(it *heed.FeedbackItem) { it.Sentiment = ptr(1.5) }},
	} {
		bad := good
		bad.ExternalID = "bad-" + tt.field
		tt.change(&bad)
		_, err := s.UpsertFeedback(t.Context(), []heed.FeedbackItem{good, bad}, T0)
		wantErr(t, fmt.Sprintf("UpsertFeedback with a bad %s", tt.field), err, heed.EInvalid, tt.field)
	}
	missing := good
	missing.UnitID = 999999
	_, err := s.UpsertFeedback(t.Context(), []heed.FeedbackItem{missing}, T0)
	wantErr(t, "UpsertFeedback into a unit that does not exist", err, heed.ENotFound, "")
	if list, _ := s.ListFeedback(t.Context(), heed.Scope{All: true}, heed.FeedbackFilter{}); len(list) != 0 {
		t.Fatalf("a refused batch left %d items", len(list))
	}
}

// testFeedbackConcurrently: batches racing with the same items make one
// item each, and none of them fails.
func testFeedbackConcurrently(t *testing.T, s heed.Store) {
	o := seedOrg(t, s)
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			for i := range 10 {
				it := feedbackItem(t, s, o, fmt.Sprintf("race-%d", i), "c1", "n1", 0)
				it.Text = fmt.Sprintf("worker %d", w)
				if _, err := s.UpsertFeedback(t.Context(), []heed.FeedbackItem{it}, T0); err != nil {
					t.Errorf("worker %d, item %d: %v", w, i, err)
				}
			}
		})
	}
	wg.Wait()
	list, err := s.ListFeedback(t.Context(), heed.Scope{All: true}, heed.FeedbackFilter{Limit: 100})
	if err != nil || len(list) != 10 {
		t.Fatalf("%d items after the race (%v); want 10", len(list), err)
	}
}
