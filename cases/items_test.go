package cases_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/mail/sink"
)

func stars(n int) *int { return &n }

// TestReviewOpensCase: an item from another source goes through the
// same rules as a survey answer. A one-star review opens a case for the
// owner, who is emailed, and webhooks hear feedback.created and
// case.opened; a five-star review opens none; sending the review again,
// or changing it within the same category, fires nothing twice; history
// fires nothing; a rule on the ticket channel reaches the managers.
func TestReviewOpensCase(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			rcv := newReceiver(t)
			if _, err := f.hooks.Create(ctx, heed.System(), heed.Webhook{URL: rcv.URL, Active: true,
				Events: []string{heed.EventFeedbackCreated, heed.EventCaseOpened}}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.cs.CreateRule(ctx, heed.System(), heed.Rule{Name: "Tickets to managers", Active: true, Position: 30,
				When: heed.RuleConditions{Channels: []string{"ticket"}},
				Then: []heed.RuleAction{{Kind: heed.ActionNotifyManagers, Levels: 1}}}); err != nil {
				t.Fatal(err)
			}
			f.runPool(t)
			now := t0
			review := feedback.Input{Kind: heed.FeedbackReview, Source: "google", ExternalID: "g-1", Customer: "C-1",
				Rating: stars(1), Text: "The queue was endless and nobody helped.", At: &now}
			praise := feedback.Input{Kind: heed.FeedbackReview, Source: "google", ExternalID: "g-2", Customer: "C-3",
				Rating: stars(5), Text: "Lovely shop!", At: &now}
			old := now.AddDate(0, 0, -3)
			history := feedback.Input{Kind: heed.FeedbackReview, Source: "google", ExternalID: "g-0", Customer: "C-5",
				Rating: stars(1), Text: "Terrible.", At: &old}
			if _, err := f.fb.Record(ctx, heed.System(), "", []feedback.Input{review, praise, history}); err != nil {
				t.Fatal(err)
			}
			c := caseOf(t, f, "C-1")
			if c.Owner != "nick@co.example" || c.FeedbackID == 0 || c.ResponseID != 0 || c.ScoreBefore == nil || *c.ScoreBefore != 1 ||
				c.CategoryBefore != "detractor" || !strings.HasPrefix(c.Title, "Negative review (1★, google) — “The queue was endless") {
				t.Errorf("the review's case: %+v", c)
			}
			for _, cust := range []string{"C-3", "C-5"} {
				if cs, _ := f.cs.List(ctx, heed.System(), cases.Filter{Customer: cust}); len(cs) != 0 {
					t.Errorf("%s (a five-star review, or history) has a case: %+v", cust, cs)
				}
			}
			waitFor(t, "the owner's email", func() bool { return len(mailTo(f, "nick@co.example")) == 1 })
			m := mailTo(f, "nick@co.example")[0]
			if !strings.Contains(m.Subject, "Call back Customer 1") || !strings.Contains(m.Text, "left a review on google (1 of 5 stars) about n1") ||
				!strings.Contains(m.Text, "“The queue was endless and nobody helped.”") {
				t.Errorf("the owner's email: %s\n%s", m.Subject, m.Text)
			}
			waitFor(t, "the webhooks", func() bool { return len(rcv.all()) == 4 })
			var events []string
			for _, r := range rcv.all() {
				events = append(events, r.Event.Type)
			}
			slices.Sort(events)
			if !slices.Equal(events, []string{"case.opened", "feedback.created", "feedback.created", "feedback.created"}) {
				t.Errorf("webhook events: %v", events)
			}

			// Again, and again with two stars: still one case, one email.
			review.Rating = stars(2)
			if _, err := f.fb.Record(ctx, heed.System(), "", []feedback.Input{review}); err != nil {
				t.Fatal(err)
			}
			// A ticket: angry, so the default rule opens C-2's case for
			// kim, her account manager, and the channel rule emails
			// kim's manager, nick.
			ticket := feedback.Input{Kind: heed.FeedbackTicket, Source: "zendesk", ExternalID: "z-1", Customer: "C-2",
				Text: "Where is my refund?", At: &now}
			if _, err := f.fb.Record(ctx, heed.System(), "", []feedback.Input{ticket}); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the ticket's emails", func() bool {
				return len(mailTo(f, "kim@co.example")) == 1 && len(mailTo(f, "nick@co.example")) == 2
			})
			if m := mailTo(f, "nick@co.example")[1]; !strings.HasPrefix(m.Subject, "New feedback below you from Customer 2") ||
				!strings.Contains(m.Text, "left a ticket on zendesk") {
				t.Errorf("nick's manager email: %s\n%s", m.Subject, m.Text)
			}
			f.advance(t, time.Second)
			if n := len(mailTo(f, "nick@co.example")); n != 2 {
				t.Errorf("nick got %d emails; want the review's alert and the ticket's manager email", n)
			}
			if cs, _ := f.cs.List(ctx, heed.System(), cases.Filter{Customer: "C-1"}); len(cs) != 1 {
				t.Errorf("C-1 has %d cases; want 1", len(cs))
			}
			if c := caseOf(t, f, "C-2"); !strings.HasPrefix(c.Title, "Negative ticket (zendesk)") || c.ScoreBefore != nil {
				t.Errorf("the ticket's case: %+v", c)
			}
		})
	}
}

// mailTo is what the sink received for one address.
func mailTo(f *fixture, addr string) []sink.Received {
	var out []sink.Received
	for _, m := range f.mail.Messages() {
		if m.To[0] == addr {
			out = append(out, m)
		}
	}
	return out
}
