package feedback_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testdb"
)

// recordAt records n reviews saying text, at, ids prefixed by prefix.
func (f *fixture) recordAt(t *testing.T, prefix, text string, n int, at time.Time) {
	t.Helper()
	var in []feedback.Input
	for i := range n {
		in = append(in, feedback.Input{Kind: heed.FeedbackReview, Source: "google", ExternalID: fmt.Sprint(prefix, i),
			Text: text, At: &at})
	}
	if _, err := f.fb.Record(t.Context(), heed.System(), "", in); err != nil {
		t.Fatal(err)
	}
}

func emergingByPhrase(list []feedback.EmergingPhrase) map[string]feedback.EmergingPhrase {
	m := map[string]feedback.EmergingPhrase{}
	for _, e := range list {
		m[e.Phrase] = e
	}
	return m
}

// TestEmerging: a phrase no theme finds, said in ten of the week's
// items, is surfaced as new with examples; one a theme finds is not; one
// said twice as often as in the four weeks before is growing; an
// ignored one is not surfaced again.
func TestEmerging(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			end := t0
			f.recordAt(t, "tm-", "The parking ticket machine was broken again", 10, end.Add(-24*time.Hour))
			f.recordAt(t, "cq-", "The checkout queue was long", 5, end.Add(-48*time.Hour))
			f.recordAt(t, "us-", "Where is the umbrella stand?", 5, end.Add(-72*time.Hour))
			f.recordAt(t, "lc-", "Loyalty card reader froze", 6, end.Add(-72*time.Hour))
			f.recordAt(t, "old-us-", "Where is the umbrella stand?", 5, end.AddDate(0, 0, -20))
			f.recordAt(t, "old-", "Fine.", 60, end.AddDate(0, 0, -20))
			f.recordAt(t, "late-", "Loyalty card reader froze", 20, end.Add(time.Hour)) // after the week

			got, err := f.fb.Emerging(ctx, heed.System(), end)
			if err != nil {
				t.Fatal(err)
			}
			m := emergingByPhrase(got)
			tm := m["ticket machine"]
			if tm.Count != 10 || tm.Previous != 0 || tm.Status != "new" || len(tm.Examples) != 3 {
				t.Errorf("ticket machine = %+v; want 10 items, none before, new, 3 examples (all: %+v)", tm, got)
			}
			ex := f.item(t, "google", "tm-0")
			for _, id := range tm.Examples {
				if it, err := f.store.GetFeedback(ctx, heed.Scope{All: true}, id); err != nil || it.Text != ex.Text {
					t.Errorf("example %d = %q, %v; want an item saying it", id, it.Text, err)
				}
			}
			for _, covered := range []string{"checkout queue", "checkout", "queue", "parking ticket machine", "ticket", "machine", "card"} {
				if e, ok := m[covered]; ok {
					t.Errorf("%q surfaced (%+v); want it left out", covered, e)
				}
			}
			if us := m["umbrella stand"]; us.Status != "growing" || us.Count != 5 || us.Previous != 5 {
				t.Errorf("umbrella stand = %+v; want growing, 5 now, 5 before", us)
			}
			if lc := m["reader froze"]; lc.Count != 6 {
				t.Errorf("reader froze = %+v; want 6 items, the week's only", lc)
			}

			// A week in which nothing is said often enough: an empty
			// list (JSON []), not null.
			if quiet, err := f.fb.Emerging(ctx, heed.System(), end.AddDate(0, 0, -60)); err != nil || quiet == nil || len(quiet) != 0 {
				t.Errorf("a quiet week: %#v, %v; want an empty list", quiet, err)
			}

			wantCode(t, "a manager ignoring", f.fb.IgnorePhrase(ctx, f.who(t, "nora@co.example"), "ticket machine"), heed.EForbidden)
			if err := f.fb.IgnorePhrase(ctx, heed.System(), "  READER   froze "); err != nil {
				t.Fatal(err)
			}
			got, err = f.fb.Emerging(ctx, heed.System(), end)
			if err != nil {
				t.Fatal(err)
			}
			m = emergingByPhrase(got)
			if _, ok := m["reader froze"]; ok || m["ticket machine"].Count != 10 {
				t.Errorf("after ignoring: %+v; want the ignored phrase gone, ticket machine still there", got)
			}
			if got, err := f.fb.Emerging(ctx, f.who(t, "nora@co.example"), end); err != nil || slices.ContainsFunc(got,
				func(e feedback.EmergingPhrase) bool { return e.Phrase == "ticket machine" }) {
				t.Errorf("a manager of North: %+v, %v; want none of the items without a unit", got, err)
			}
		})
	}
}
