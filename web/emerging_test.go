package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
)

// TestEmergingOnThemeSettings: a phrase this week's feedback keeps
// saying and no theme covers is listed on the themes settings page; an
// admin adds it to a theme (the taxonomy gains the term and re-reading
// starts) or ignores another; a manager sees the list without the forms.
func TestEmergingOnThemeSettings(t *testing.T) {
	e := newFeedbackEnv(t, "")
	ctx := t.Context()
	now := time.Now().Add(-time.Hour)
	var in []feedback.Input
	for i := range 6 {
		in = append(in,
			feedback.Input{Kind: heed.FeedbackReview, Source: "google", ExternalID: fmt.Sprintf("t-%d", i), At: &now,
				Text: "The ticket machine ate my coins."},
			feedback.Input{Kind: heed.FeedbackReview, Source: "google", ExternalID: fmt.Sprintf("g-%d", i), At: &now,
				Text: "Nice garden centre outside."})
	}
	if _, err := e.fb.Record(ctx, heed.System(), "", in); err != nil {
		t.Fatal(err)
	}
	admin := e.signedIn("admin@acme.test")
	p := e.get(admin, "/settings/themes")
	wantStatus(t, p, http.StatusOK, "the settings page")
	wantContains(t, p, "the emerging phrases", "Emerging this week", "ticket machine", "garden centre",
		`name="action" value="ignore"`)

	add := url.Values{"phrase": {"ticket machine"}, "version": {"0"}, "theme": {"store"}, "action": {"add"}}
	wantStatus(t, e.post(admin, "/settings/themes/emerging", add), http.StatusSeeOther, "add to a theme")
	tax, err := e.fb.Taxonomy(ctx, heed.System())
	if err != nil {
		t.Fatal(err)
	}
	var store []string
	for _, th := range tax.Themes {
		if th.Key == "store" {
			store = th.Terms
		}
	}
	if tax.Version != 1 || !slices.Contains(store, "ticket machine") {
		t.Fatalf("after adding: version %d, store terms %v", tax.Version, store)
	}
	ignore := url.Values{"phrase": {"garden centre"}, "version": {"1"}, "action": {"ignore"}}
	wantStatus(t, e.post(admin, "/settings/themes/emerging", ignore), http.StatusSeeOther, "ignore")
	p = e.get(admin, "/settings/themes")
	wantNotContains(t, p, "after adding and ignoring", "ticket machine</a>", "garden centre</a>")

	nora := e.signedIn("nora@acme.test")
	wantStatus(t, e.post(nora, "/settings/themes/emerging", ignore), http.StatusForbidden, "a manager ignores")
}
