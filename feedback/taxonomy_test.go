package feedback_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/textan"
)

// parkingThemes drops the default's themes but two, and adds parking.
func parkingThemes() []textan.Theme {
	return []textan.Theme{
		{Key: "parking", Name: "Parking", Terms: []string{"car park", "parking"}},
		{Key: "staff", Name: "Staff", Terms: []string{"staff", "friendl*"}},
	}
}

// themeKeys are an item's theme keys, sorted.
func themeKeys(it heed.FeedbackItem) []string {
	var keys []string
	for _, th := range it.Themes {
		keys = append(keys, th.Theme)
	}
	slices.Sort(keys)
	return keys
}

func (f *fixture) item(t *testing.T, source, ext string) heed.FeedbackItem {
	t.Helper()
	it, err := f.store.GetFeedbackBySource(t.Context(), source, ext)
	if err != nil {
		t.Fatalf("item %s/%s: %v", source, ext, err)
	}
	return it
}

func (f *fixture) record(t *testing.T, texts ...string) {
	t.Helper()
	var in []feedback.Input
	for i, text := range texts {
		in = append(in, feedback.Input{Kind: heed.FeedbackReview, Source: "google", ExternalID: fmt.Sprint("g-", i), Text: text})
	}
	if _, err := f.fb.Record(t.Context(), heed.System(), "", in); err != nil {
		t.Fatal(err)
	}
}

// TestSaveTaxonomyRereadsPastFeedback: an admin's new taxonomy is checked
// and versioned, and the job it queues gives every stored item the new
// themes and takes away the ones removed.
func TestSaveTaxonomyRereadsPastFeedback(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			nora, admin := f.who(t, "nora@co.example"), heed.System()
			f.record(t, "The car park was full and the queue took ages.", "Friendly staff.")
			if got := themeKeys(f.item(t, "google", "g-0")); !slices.Equal(got, []string{"store", "waiting"}) {
				t.Fatalf("read with the default taxonomy, themes %v; want store and waiting", got)
			}
			view, err := f.fb.Taxonomy(ctx, nora)
			if err != nil || !view.Default || view.Version != 0 || len(view.Themes) != len(textan.DefaultThemes()) {
				t.Fatalf("Taxonomy before any save = %+v, %v; want the default, version 0", view, err)
			}

			_, err = f.fb.SaveTaxonomy(ctx, nora, parkingThemes(), 0)
			wantCode(t, "a manager's save", err, heed.EForbidden)
			bad := parkingThemes()
			bad[0].Terms = append(bad[0].Terms, "p*")
			_, err = f.fb.SaveTaxonomy(ctx, admin, bad, 0)
			wantCode(t, "a save with a bad term", err, heed.EInvalid)
			if msg := heed.ErrorMessage(err); !strings.Contains(msg, `theme "parking"`) || !strings.Contains(msg, `term "p*"`) {
				t.Errorf("bad term: message %q; want it to name the theme and the term", msg)
			}

			view, err = f.fb.SaveTaxonomy(ctx, admin, parkingThemes(), 0)
			if err != nil || view.Version != 1 || view.Default || len(view.Themes) != 2 || view.Reread == nil ||
				view.Reread.Total != 2 || view.Reread.Done != 0 {
				t.Fatalf("SaveTaxonomy = %+v, %v; want version 1, two themes, 0 of 2 re-read", view, err)
			}
			_, err = f.fb.SaveTaxonomy(ctx, admin, parkingThemes(), 0)
			wantCode(t, "a save of a stale version", err, heed.EConflict)
			saved, err := f.fb.SaveTaxonomy(ctx, admin, parkingThemes(), 1)
			if err != nil {
				t.Fatal(err)
			}
			// What a save answers is what anyone reads afterwards.
			read, err := f.fb.Taxonomy(ctx, nora)
			if err != nil || !reflect.DeepEqual(read.Themes, saved.Themes) || read.Version != 2 || saved.Version != 2 ||
				read.UpdatedBy != saved.UpdatedBy || saved.UpdatedBy == "" || saved.UpdatedAt == nil ||
				!read.UpdatedAt.Equal(*saved.UpdatedAt) || read.Reread.Done != saved.Reread.Done ||
				read.Reread.Total != saved.Reread.Total || saved.Reread.FinishedAt != nil {
				t.Errorf("SaveTaxonomy answered %+v; read back %+v, %v", saved, read, err)
			}
			queued, err := f.store.ListJobs(ctx, heed.JobFilter{Kind: feedback.RereadJob})
			if err != nil || len(queued) != 1 {
				t.Fatalf("after two saves, %d re-read jobs, %v; want one", len(queued), err)
			}

			if err := f.fb.Reread(ctx, queued[0]); err != nil {
				t.Fatalf("Reread: %v", err)
			}
			if got := themeKeys(f.item(t, "google", "g-0")); !slices.Equal(got, []string{"parking"}) {
				t.Errorf("re-read, the car park item's themes are %v; want parking alone", got)
			}
			if got := themeKeys(f.item(t, "google", "g-1")); !slices.Equal(got, []string{"staff"}) {
				t.Errorf("re-read, the staff item's themes are %v; want staff", got)
			}
			view, _ = f.fb.Taxonomy(ctx, nora)
			if r := view.Reread; r == nil || r.Done != 2 || r.Total != 2 || r.FinishedAt == nil {
				t.Errorf("after the run, progress %+v; want 2 of 2, finished", r)
			}

			// New items are read with the saved taxonomy at once (in the
			// process that saved it); a reset brings the default back.
			f.record(t, "The car park was full and the queue took ages.", "Friendly staff.", "No parking at all")
			if got := themeKeys(f.item(t, "google", "g-2")); !slices.Equal(got, []string{"parking"}) {
				t.Errorf("a new item's themes are %v; want parking", got)
			}
			if view, err = f.fb.ResetTaxonomy(ctx, admin, 2); err != nil || !view.Default || view.Version != 3 {
				t.Fatalf("ResetTaxonomy = %+v, %v; want the default, version 3", view, err)
			}
			if err := f.fb.Reread(ctx, heed.Job{}); err != nil {
				t.Fatal(err)
			}
			if got := themeKeys(f.item(t, "google", "g-0")); !slices.Equal(got, []string{"store", "waiting"}) {
				t.Errorf("reset and re-read, themes %v; want store and waiting again", got)
			}
		})
	}
}

// TestRereadResumes: a run cut short after a page leaves its progress,
// and the next run goes on from there to the oldest item.
func TestRereadResumes(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			n := feedback.RereadPage + 150
			texts := make([]string, n)
			for i := range texts {
				texts[i] = fmt.Sprintf("Visit %d: the car park was full.", i)
			}
			f.record(t, texts...)
			if _, err := f.fb.SaveTaxonomy(ctx, heed.System(), parkingThemes(), 0); err != nil {
				t.Fatal(err)
			}
			if done, err := f.fb.RereadOnePage(ctx); err != nil || done {
				t.Fatalf("first page: done %v, %v; want more to do", done, err)
			}
			view, _ := f.fb.Taxonomy(ctx, heed.System())
			if r := view.Reread; r.Done != feedback.RereadPage || r.Total != n || r.FinishedAt != nil {
				t.Fatalf("after a page, progress %+v; want %d of %d", r, feedback.RereadPage, n)
			}
			newest, oldest := f.item(t, "google", fmt.Sprint("g-", n-1)), f.item(t, "google", "g-0")
			if !slices.Equal(themeKeys(newest), []string{"parking"}) || slices.Contains(themeKeys(oldest), "parking") {
				t.Fatalf("after a page, newest %v, oldest %v; want only the newest re-read", themeKeys(newest), themeKeys(oldest))
			}
			if err := f.fb.Reread(ctx, heed.Job{}); err != nil {
				t.Fatal(err)
			}
			view, _ = f.fb.Taxonomy(ctx, heed.System())
			if r := view.Reread; r.Done != n || r.Total != n || r.FinishedAt == nil {
				t.Errorf("resumed, progress %+v; want %d of %d, finished", r, n, n)
			}
			if got := themeKeys(f.item(t, "google", "g-0")); !slices.Equal(got, []string{"parking"}) {
				t.Errorf("resumed, the oldest item's themes are %v; want parking", got)
			}
		})
	}
}

func wantCode(t *testing.T, what string, err error, code heed.Code) {
	t.Helper()
	if heed.ErrorCode(err) != code {
		t.Errorf("%s: error %v; want %s", what, err, code)
	}
}
