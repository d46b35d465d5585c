package web_test

import (
	"net/http"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/textan"
)

// TestExplorerUsesTheOrganisationsThemes: a theme an admin added is in
// the explorer's theme filter, filters, and names its chips — the link
// from the themes page to it works, rather than answering "there is no
// theme".
func TestExplorerUsesTheOrganisationsThemes(t *testing.T) {
	e := newFeedbackEnv(t, "")
	ctx := t.Context()
	themes := append(textan.DefaultThemes(), textan.Theme{Key: "parking_lot", Name: "The car park", Terms: []string{"parking lot"}})
	if _, err := e.fb.SaveTaxonomy(ctx, heed.System(), themes, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := e.fb.Record(ctx, heed.System(), "", []feedback.Input{{Kind: heed.FeedbackReview, Source: "google",
		ExternalID: "g-1", Text: "The parking lot was full again."}}); err != nil {
		t.Fatal(err)
	}
	admin := e.signedIn("admin@acme.test")
	p := e.get(admin, "/feedback?theme=parking_lot")
	wantStatus(t, p, http.StatusOK, "filtering on the added theme")
	wantContains(t, p, "the explorer", `value="parking_lot" selected`, "The car park", "The parking lot was full again.")
	wantStatus(t, e.get(admin, "/feedback.csv?theme=parking_lot"), http.StatusOK, "exporting the added theme")
	wantStatus(t, e.get(admin, "/feedback?theme=nothing_like_it"), http.StatusBadRequest, "an unknown theme")
}
