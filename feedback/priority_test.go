package feedback_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testdb"
)

func TestPriorityOf(t *testing.T) {
	day := 24 * time.Hour
	value := func(n int64) heed.Decimal { return heed.Decimal(n * 10_000) }
	for _, tc := range []struct {
		name  string
		in    feedback.PriorityInput
		score int
		level string
		parts []string
	}{
		{"everything at once", feedback.PriorityInput{Category: "detractor", Sentiment: ptr(-0.8), Value: value(48_000),
			HasCustomer: true, Churn: "high", Age: time.Hour},
			35 + 12 + 20 + 20 + 10, "high", []string{"detractor", "value 48,000", "churn risk high", "very negative", "today"}},
		{"the worst clamps at 100", feedback.PriorityInput{Category: "detractor", Sentiment: ptr(-1.0), Value: value(1_000_000),
			HasCustomer: true, Churn: "high"},
			100, "high", []string{"detractor", "value 1,000,000", "churn risk high", "very negative", "today"}},
		{"a mild complaint this week", feedback.PriorityInput{Category: "passive", Sentiment: ptr(-0.2), Value: value(1_000),
			HasCustomer: true, Churn: "medium", Age: 3 * day},
			10 + 3 + 10 + 10 + 5, "medium", []string{"passive", "value 1,000", "churn risk medium", "this week", "negative"}},
		{"an old note from nobody", feedback.PriorityInput{Category: "passive", Sentiment: ptr(0.0), Age: 30 * day},
			5, "low", []string{"passive", "unknown customer"}},
		{"praise from nobody never goes below zero", feedback.PriorityInput{Category: "promoter", Sentiment: ptr(0.9), Age: 30 * day},
			0, "low", []string{"unknown customer"}},
		{"just below the thresholds", feedback.PriorityInput{Value: value(999), HasCustomer: true, Churn: "low", Age: 7 * day},
			0, "low", []string{}},
		{"60 is high", feedback.PriorityInput{Category: "detractor", Value: value(10_000), HasCustomer: true, Age: 2 * day},
			60, "high", []string{"detractor", "value 10,000", "this week"}},
		{"an overdue call", feedback.PriorityInput{Category: "detractor", HasCustomer: true, Age: 3 * day, Late: true},
			35 + 25 + 5, "high", []string{"detractor", "late", "this week"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := feedback.PriorityOf(tc.in)
			if got.Score != tc.score || got.Level != tc.level || !slices.Equal(got.Parts, tc.parts) {
				t.Errorf("got %d %s %q, want %d %s %q", got.Score, got.Level, got.Parts, tc.score, tc.level, tc.parts)
			}
		})
	}
}

// TestPrioritizeRanksWhoMatters: a detractor's review from a customer
// worth much who is about to leave outranks a neutral note from someone
// Heed does not know, and each customer is looked up once.
func TestPrioritizeRanksWhoMatters(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx, admin := t.Context(), heed.System()
			big := heed.Customer{ExternalID: "C-9", Name: "Vera Vale", Unit: "n1", Value: heed.Decimal(48_000 * 10_000)}
			if _, err := f.store.UpsertCustomers(ctx, []heed.Customer{big}, t0); err != nil {
				t.Fatal(err)
			}
			_, err := f.fb.Record(ctx, admin, "", []feedback.Input{
				{Kind: heed.FeedbackNote, Source: "desk", ExternalID: "n-1", Author: "someone", Unit: "n1",
					Text: "The store opens at nine.", At: ptr(t0.Add(-time.Hour))},
				{Kind: heed.FeedbackReview, Source: "google", ExternalID: "g-1", Customer: "C-9", Rating: ptr(1),
					Text: "Awful queue, rude staff, never again.", At: ptr(t0.Add(-48 * time.Hour))},
				{Kind: heed.FeedbackReview, Source: "google", ExternalID: "g-2", Customer: "C-9", Rating: ptr(2),
					Text: "Still slow.", At: ptr(t0.Add(-72 * time.Hour))},
			})
			if err != nil {
				t.Fatal(err)
			}
			items, err := f.fb.List(ctx, admin, heed.FeedbackFilter{})
			if err != nil {
				t.Fatal(err)
			}
			asked := map[string]int{}
			churn := func(_ context.Context, ext string) (string, error) {
				asked[ext]++
				return "high", nil
			}
			got, err := f.fb.Prioritize(ctx, admin, items, churn)
			if err != nil {
				t.Fatal(err)
			}
			by := map[string]feedback.Priority{}
			for _, p := range got {
				by[p.ExternalID] = p.Priority
			}
			review, note := by["g-1"], by["n-1"]
			if review.Score <= note.Score || review.Level != "high" {
				t.Errorf("review %+v should outrank note %+v and be high", review, note)
			}
			for _, want := range []string{"detractor", "value 48,000", "churn risk high"} {
				if !slices.Contains(review.Parts, want) {
					t.Errorf("review's parts %q lack %q", review.Parts, want)
				}
			}
			if !slices.Contains(note.Parts, "unknown customer") {
				t.Errorf("note's parts %q lack %q", note.Parts, "unknown customer")
			}
			if asked["C-9"] != 1 || len(asked) != 1 {
				t.Errorf("churn asked %v, want C-9 once", asked)
			}
		})
	}
}
