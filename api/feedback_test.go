package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
)

// TestFeedbackAPI: POST /feedback brings items from any source in, read
// and matched; GET lists what the caller may see, filtered and searched;
// sending again duplicates nothing; bad items are listed by their index.
func TestFeedbackAPI(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		loopFixtures(t, e) // region B's manager
		body := []map[string]any{
			{"kind": "review", "source": "google", "external_id": "g-1", "customer": customerOf("a1"), "rating": 2,
				"text": "Friendly staff, but the checkout took ages.", "at": "2026-03-01T10:00:00Z"},
			{"kind": "ticket", "source": "zendesk", "external_id": "z-1", "unit": "b1",
				"text": "I was charged twice for my order."},
			{"kind": "transcript", "source": "aircall", "external_id": "c-1", "customer": customerOf("a1"),
				"turns": []map[string]string{{"speaker": "agent", "text": "Hello!"}, {"speaker": "customer", "text": "My parcel never arrived."}}},
		}
		var out struct{ Results []feedback.Recorded }
		e.call(t, "admin", "POST", "/api/v1/feedback", body).must(t, http.StatusOK).decode(t, &out)
		if len(out.Results) != 3 || !out.Results[0].Created || out.Results[0].Unit != "a1" || out.Results[0].Sentiment == nil ||
			out.Results[0].Sentiment.Label != "negative" || len(out.Results[0].Themes) != 2 {
			t.Fatalf("recorded %+v", out.Results)
		}
		list := func(token, query string) []heed.FeedbackItem {
			t.Helper()
			var page struct{ Items []heed.FeedbackItem }
			e.call(t, token, "GET", "/api/v1/feedback?"+query, nil).must(t, http.StatusOK).decode(t, &page)
			return page.Items
		}
		if got := list("mgr-ra", ""); len(got) != 2 || got[0].Source != "aircall" || got[1].Source != "google" {
			t.Errorf("region A's manager sees %+v", got)
		}
		if got := list("mgr-rb", ""); len(got) != 1 || got[0].Source != "zendesk" || !hasThemeKey(got[0], "billing") {
			t.Errorf("region B's manager sees %+v", got)
		}
		if got := list("admin", url.Values{"theme": {"delivery"}, "sentiment": {"negative"}}.Encode()); len(got) != 1 || got[0].Kind != heed.FeedbackTranscript {
			t.Errorf("negative delivery items: %+v", got)
		}
		if got := list("admin", "q=CHECKOUT+ages&min_rating=1&max_rating=2&from=2026-03-01&to=2026-03-01"); len(got) != 1 || got[0].ExternalID != "g-1" {
			t.Errorf("searched: %+v", got)
		}
		if got := list("admin", "customer="+customerOf("a1")+"&kind=review"); len(got) != 1 {
			t.Errorf("the customer's reviews: %+v", got)
		}
		var one heed.FeedbackItem
		e.call(t, "mgr-ra", "GET", "/api/v1/feedback/"+itoa(out.Results[2].ID), nil).must(t, http.StatusOK).decode(t, &one)
		if one.Text != "My parcel never arrived." || len(one.Turns) != 2 {
			t.Errorf("the transcript: %+v", one)
		}
		e.call(t, "mgr-rb", "GET", "/api/v1/feedback/"+itoa(out.Results[2].ID), nil).must(t, http.StatusNotFound)

		// Again: no duplicates.
		e.call(t, "admin", "POST", "/api/v1/feedback", body).must(t, http.StatusOK).decode(t, &out)
		if out.Results[0].Created || out.Results[0].Changed || len(list("admin", "")) != 3 {
			t.Errorf("sent again: %+v", out.Results)
		}

		// Refused: by item, nothing written; not by a manager; not too many.
		bad := []map[string]any{
			{"kind": "review", "source": "google", "external_id": "g-2", "text": "ok"},
			{"kind": "review", "source": "google", "external_id": "g-3", "text": "x", "unit": "attic"},
			{"kind": "review", "source": "google", "external_id": "g-4", "text": "x", "rating": "five"},
		}
		got := e.call(t, "admin", "POST", "/api/v1/feedback", bad).must(t, http.StatusUnprocessableEntity).apiError(t).Error
		if len(got.Details) != 1 || got.Details[0].Line != 3 || got.Details[0].Field != "rating" {
			t.Errorf("a rating that is no number: %+v", got)
		}
		// Problems in the client's words: a feedback item's fields, JSON's
		// types, never a Go type's name.
		odd := []any{map[string]any{"kind": "note", "source": "crm", "external_id": "n-1", "text": "x", "weather": "rainy"}, 5}
		got = e.call(t, "admin", "POST", "/api/v1/feedback", odd).must(t, http.StatusUnprocessableEntity).apiError(t).Error
		if len(got.Details) != 2 || got.Details[0].Field != "weather" || got.Details[0].Problem != "is not a feedback item field" ||
			got.Details[1].Line != 2 || got.Details[1].Problem != "must be an object, not number" {
			t.Errorf("an unknown field and an item that is no object: %+v", got)
		}
		bad[2]["rating"] = 4
		got = e.call(t, "admin", "POST", "/api/v1/feedback", bad).must(t, http.StatusUnprocessableEntity).apiError(t).Error
		if len(got.Details) != 1 || got.Details[0].Line != 2 || got.Details[0].Field != "unit" || !strings.Contains(got.Details[0].Problem, "attic") {
			t.Errorf("an unknown unit: %+v", got)
		}
		if len(list("admin", "")) != 3 {
			t.Error("a refused batch wrote items")
		}
		e.call(t, "mgr-ra", "POST", "/api/v1/feedback", bad[:1]).must(t, http.StatusForbidden)
		many := make([]map[string]any, feedback.MaxBatch+1)
		for i := range many {
			many[i] = map[string]any{"kind": "note", "source": "crm", "external_id": itoa(int64(i)), "text": "x"}
		}
		e.call(t, "admin", "POST", "/api/v1/feedback", many).must(t, http.StatusRequestEntityTooLarge)
	})
}

func hasThemeKey(it heed.FeedbackItem, theme string) bool {
	for _, th := range it.Themes {
		if th.Theme == theme {
			return true
		}
	}
	return false
}

// TestFeedbackPriority: each listed item carries its priority — score,
// level and the parts that make it — beside the item's own fields.
func TestFeedbackPriority(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		body := []map[string]any{
			{"kind": "review", "source": "google", "external_id": "g-1", "customer": customerOf("a1"), "rating": 1,
				"text": "Rude staff and an endless queue."},
			{"kind": "note", "source": "desk", "external_id": "n-1", "unit": "a1", "author": "a passer-by",
				"text": "The store opens at nine.", "at": "2026-01-01T10:00:00Z"},
		}
		var rec struct{ Results []feedback.Recorded }
		e.call(t, "admin", "POST", "/api/v1/feedback", body).must(t, http.StatusOK).decode(t, &rec)
		type priority struct {
			Score int
			Level string
			Parts []string
		}
		var page struct {
			Items []struct {
				ExternalID string `json:"external_id"`
				Text       string
				Priority   *priority
			}
		}
		e.call(t, "admin", "GET", "/api/v1/feedback", nil).must(t, http.StatusOK).decode(t, &page)
		by := map[string]*priority{}
		for _, it := range page.Items {
			if it.Text == "" || it.Priority == nil {
				t.Fatalf("item %s without its text or priority: %+v", it.ExternalID, it)
			}
			by[it.ExternalID] = it.Priority
		}
		review, note := by["g-1"], by["n-1"]
		if review == nil || note == nil {
			t.Fatalf("listed %+v", page.Items)
		}
		if review.Score <= note.Score || review.Parts[0] != "detractor" || !slices.Contains(review.Parts, "today") {
			t.Errorf("the review's priority %+v should lead with detractor and beat the note's %+v", review, note)
		}
		if note.Level != "low" || !slices.Contains(note.Parts, "unknown customer") {
			t.Errorf("the note's priority %+v", note)
		}
		var one struct{ Priority *priority }
		e.call(t, "admin", "GET", "/api/v1/feedback/"+itoa(rec.Results[0].ID), nil).must(t, http.StatusOK).decode(t, &one)
		if one.Priority == nil || one.Priority.Score != review.Score {
			t.Errorf("one item's priority %+v, listed %+v", one.Priority, review)
		}
	})
}
