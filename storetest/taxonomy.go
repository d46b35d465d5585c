package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// testTaxonomy is the contract of heed.TaxonomyQueries.
func testTaxonomy(t *testing.T, open Opener) {
	t.Run("save and versions", func(t *testing.T) { testTaxonomySave(t, open(t)) })
	t.Run("re-reading", func(t *testing.T) { testTaxonomyReread(t, open(t)) })
}

func mustSaveTaxonomy(t *testing.T, s heed.Store, themes string, expected int, now time.Time) heed.SavedTaxonomy {
	t.Helper()
	got, err := s.SaveTaxonomy(t.Context(), themes, expected, "ada@example.com", now)
	if err != nil {
		t.Fatalf("SaveTaxonomy(version %d): %v", expected, err)
	}
	return got
}

func testTaxonomySave(t *testing.T, s heed.Store) {
	ctx := t.Context()
	_, err := s.GetTaxonomy(ctx)
	wantErr(t, "GetTaxonomy before any save", err, heed.ENotFound, "")

	o := seedOrg(t, s)
	mustUpsertFeedback(t, s, T0, feedbackItem(t, s, o, "a", "", "", 0), feedbackItem(t, s, o, "b", "", "", 1))
	themes := `[{"key":"parking","name":"Parking <& café>","terms":["car park"]}]`
	first := mustSaveTaxonomy(t, s, themes, 0, T0.Add(999*time.Nanosecond))
	want := heed.SavedTaxonomy{Themes: themes, Version: 1, UpdatedAt: T0, UpdatedBy: "ada@example.com",
		Reread: heed.Reread{Total: 2}}
	read, err := s.GetTaxonomy(ctx)
	for name, got := range map[string]heed.SavedTaxonomy{"SaveTaxonomy": first, "GetTaxonomy": read} {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %+v;\nwant %+v", name, got, want)
		}
	}
	if err != nil {
		t.Fatalf("GetTaxonomy: %v", err)
	}
	wantTimes(t, "taxonomy", read.UpdatedAt, read.UpdatedAt, T0, T0)

	_, err = s.SaveTaxonomy(ctx, "[]", 0, "bob", T0)
	wantErr(t, "a second first save", err, heed.EConflict, "version")
	_, err = s.SaveTaxonomy(ctx, "[]", 2, "bob", T0)
	wantErr(t, "a save of a version not yet stored", err, heed.EConflict, "version")
	_, err = s.SaveTaxonomy(ctx, "[]", -1, "bob", T0)
	wantErr(t, "a negative version", err, heed.EInvalid, "version")
	_, err = s.SaveTaxonomy(ctx, "a\x00b", 1, "bob", T0)
	wantErr(t, "a NUL in the themes", err, heed.EInvalid, "themes")

	second := mustSaveTaxonomy(t, s, "", 1, T0.Add(time.Hour))
	if second.Version != 2 || second.Themes != "" || !second.UpdatedAt.Equal(T0.Add(time.Hour)) {
		t.Errorf("second save = %+v; want version 2, default themes, an hour later", second)
	}
	_, err = s.SaveTaxonomy(ctx, "[]", 1, "bob", T0)
	wantErr(t, "a save of a stale version", err, heed.EConflict, "version")
}

func testTaxonomyReread(t *testing.T, s heed.Store) {
	ctx := t.Context()
	o := seedOrg(t, s)
	res := mustUpsertFeedback(t, s, T0, feedbackItem(t, s, o, "a", "", "", 0), feedbackItem(t, s, o, "b", "", "", 1),
		feedbackItem(t, s, o, "c", "", "", 2))
	v1 := mustSaveTaxonomy(t, s, "[]", 0, T0)
	if err := s.RecordReread(ctx, 1, 0, res[1].ID, 2, false, T0); err != nil {
		t.Fatalf("RecordReread, first page: %v", err)
	}
	// A second run that read the same page finds the cursor moved on.
	err := s.RecordReread(ctx, 1, 0, res[1].ID, 2, false, T0)
	wantErr(t, "RecordReread from a cursor passed", err, heed.EConflict, "")
	err = s.RecordReread(ctx, 2, res[1].ID, res[0].ID, 1, true, T0)
	wantErr(t, "RecordReread of another version", err, heed.EConflict, "")
	got, _ := s.GetTaxonomy(ctx)
	if want := (heed.Reread{Total: 3, Done: 2, Cursor: res[1].ID}); !reflect.DeepEqual(got.Reread, want) {
		t.Errorf("after a page, Reread = %+v; want %+v", got.Reread, want)
	}
	end := T0.Add(time.Minute)
	if err := s.RecordReread(ctx, 1, res[1].ID, res[0].ID, 1, true, end); err != nil {
		t.Fatalf("RecordReread, last page: %v", err)
	}
	got, _ = s.GetTaxonomy(ctx)
	if want := (heed.Reread{Total: 3, Done: 3, Cursor: res[0].ID, FinishedAt: &end}); !reflect.DeepEqual(got.Reread, want) {
		t.Errorf("finished, Reread = %+v; want %+v", got.Reread, want)
	}
	err = s.RecordReread(ctx, 1, res[0].ID, res[0].ID, 0, true, end)
	wantErr(t, "RecordReread after the end", err, heed.EConflict, "")

	// Saving again starts afresh.
	v2 := mustSaveTaxonomy(t, s, "[]", v1.Version, T0)
	if want := (heed.Reread{Total: 3}); v2.Version != 2 || !reflect.DeepEqual(v2.Reread, want) {
		t.Errorf("saved again: version %d, Reread %+v; want 2, %+v", v2.Version, v2.Reread, want)
	}
}
