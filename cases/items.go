package cases

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/metrics"
)

var _ feedback.Hook = (*Service)(nil).OnItem

// OnItem is the feedback service's item hook: a review, a ticket, a call
// or any item from another source goes through the same rules as a
// survey answer, in the transaction that stores it — routed to the
// customer's owner (or the unit's), opening a case, emailing, calling
// webhooks. A new item is announced (feedback.created). A changed item
// (sent again with other words or stars) fires the rules that match it
// now but did not before; an item said longer than Config.Backfill ago
// (an import of history) fires none.
//
// What the rules see of an item: its category — from its stars (1–2
// detractor, 3 passive, 4–5 promoter, as CSAT), else from its sentiment
// (negative, neutral, positive) — its words, its customer's segment and
// value, its unit, and its kind as the channel. A rule that names
// surveys or a score range is about survey answers and never matches an
// item. Tags and the promoters' thank-you are for survey answers only.
func (s *Service) OnItem(ctx context.Context, q heed.Queries, it heed.FeedbackItem, old *heed.FeedbackItem, now time.Time) error {
	if it.Kind == heed.FeedbackSurvey {
		return nil // its answer went through the rules already
	}
	c := newLookups()
	fx, err := itemFacts(ctx, q, it, c)
	if err != nil {
		return err
	}
	f := s.newFiring(q, fx, now)
	var before *facts
	if old == nil {
		if err := f.emit(ctx, heed.EventFeedbackCreated, 0, map[string]any{"feedback": it}); err != nil {
			return err
		}
	} else {
		ofx := fx
		ofx.item = old
		ofx.category, ofx.comment = itemCategory(*old), heed.Fold(old.Text)
		before = &ofx
	}
	if now.Sub(it.At) > s.cfg.Backfill {
		return nil
	}
	return f.fire(ctx, c, before)
}

// itemFacts is what rule conditions test of an item.
func itemFacts(ctx context.Context, q heed.Queries, it heed.FeedbackItem, c *lookups) (facts, error) {
	f := facts{item: &it, category: itemCategory(it), comment: heed.Fold(it.Text),
		r: heed.Response{CustomerID: it.CustomerID, Customer: it.Customer, UnitID: it.UnitID, Unit: it.Unit,
			Channel: string(it.Kind), Comment: it.Text, CreatedAt: it.At}}
	var err error
	if it.UnitID != 0 {
		if f.unitPath, err = c.unitPath(ctx, q, it.UnitID); err != nil {
			return f, err
		}
	}
	if it.CustomerID != 0 && it.Customer != "" {
		if f.customer, err = c.customer(ctx, q, f.r); err != nil {
			return f, err
		}
	}
	return f, nil
}

// itemCategory is the category an item counts as: from its stars, else
// from how it reads; "" when it was not read (another language).
func itemCategory(it heed.FeedbackItem) string {
	if it.Rating != nil {
		return metrics.Category(heed.SurveyCSAT, *it.Rating)
	}
	switch it.Label {
	case "negative":
		return metrics.Detractor
	case "neutral":
		return metrics.Passive
	case "positive":
		return metrics.Promoter
	}
	return ""
}

// itemTitle says in a line what the case an item opened is about:
// "Negative review (2★, google) — “the queue was endless”".
func itemTitle(it heed.FeedbackItem, category string) string {
	mood := cmp.Or(map[string]string{metrics.Detractor: "Negative", metrics.Passive: "Neutral", metrics.Promoter: "Positive"}[category], "New")
	t := fmt.Sprintf("%s %s (%s)", mood, it.Kind, it.Source)
	if it.Rating != nil {
		t = fmt.Sprintf("%s %s (%d★, %s)", mood, it.Kind, *it.Rating, it.Source)
	}
	return withQuote(t, it.Text)
}
