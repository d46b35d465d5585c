package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
)

// TestThemeSettings: an admin edits the themes through the form — one
// changed, one removed, one added — and sees the re-reading of past
// feedback come along; a stale form or a bad term is refused saying why;
// a manager reads the themes but has no form.
func TestThemeSettings(t *testing.T) {
	e := newFeedbackEnv(t, "")
	ctx := t.Context()
	if _, err := e.fb.Record(ctx, heed.System(), "", []feedback.Input{{Kind: heed.FeedbackReview, Source: "google",
		ExternalID: "g-1", Text: "The car park was full and the queue took ages."}}); err != nil {
		t.Fatal(err)
	}
	admin := e.signedIn("admin@acme.test")
	p := e.get(admin, "/settings/themes")
	wantStatus(t, p, http.StatusOK, "the default themes")
	wantContains(t, p, "the default themes", `<a href="/settings/themes" aria-current="page">Themes</a>`, "The default themes",
		`value="waiting"`, `name="terms"`)
	wantNotContains(t, p, "the default themes", "Re-reading past feedback")

	form := url.Values{"version": {"0"}, "key": {"waiting", "staff", "parking"}, "name": {"Queues", "Staff", "Parking"},
		"terms": {"queue*\r\nwait*", "staff", "car park\r\n\r\nparking"}, "remove": {"1"}}
	wantStatus(t, e.post(admin, "/settings/themes", form), http.StatusSeeOther, "save")
	p = e.get(admin, "/settings/themes")
	wantContains(t, p, "saved", "Your own themes, version 1, saved by admin@acme.test", `value="Queues"`, `value="parking"`,
		"Re-reading past feedback: 0 of 1 item.")
	wantNotContains(t, p, "saved", `value="staff"`)
	view, err := e.fb.Taxonomy(ctx, heed.System())
	if err != nil || len(view.Themes) != 2 || view.Themes[1].Key != "parking" || len(view.Themes[1].Terms) != 2 {
		t.Fatalf("saved taxonomy = %+v, %v; want waiting and parking (car park, parking)", view, err)
	}
	if err := e.fb.Reread(ctx, heed.Job{}); err != nil {
		t.Fatal(err)
	}
	wantContains(t, e.get(admin, "/settings/themes"), "re-read", "Past feedback re-read: 1 item, finished")

	p = e.post(admin, "/settings/themes", form)
	wantStatus(t, p, http.StatusConflict, "a stale form")
	wantContains(t, p, "a stale form", "Someone else saved the themes after you opened this page", `value="Queues"`)
	form.Set("version", "1")
	form["terms"] = []string{"queue*", "staff", "pa*"}
	p = e.post(admin, "/settings/themes", form)
	wantStatus(t, p, http.StatusBadRequest, "a bad term")
	wantContains(t, p, "a bad term", `Theme &#34;parking&#34;: term &#34;pa*&#34;`)

	nora := e.signedIn("nora@acme.test")
	p = e.get(nora, "/settings/themes")
	wantStatus(t, p, http.StatusOK, "a manager reads")
	wantContains(t, p, "a manager reads", "Only admins can change the themes", "<code>parking</code>", "car park, parking")
	wantNotContains(t, p, "a manager reads", `name="terms"`, "Save themes")
	wantStatus(t, e.post(nora, "/settings/themes", form), http.StatusForbidden, "a manager saves")
}
