package feedback

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/textan"
)

// Emerging themes: phrases said often in the last week that no theme
// finds, new or growing against the four weeks before, for an admin to
// name (add as a term through SaveTaxonomy) or ignore. They are counted
// when asked for, over at most MaxEmergingItems items a period, not by a
// stored weekly job.

// MaxEmergingItems bounds the items read for one period (the week, or
// the four weeks before), so a request's work stays bounded.
const MaxEmergingItems = 20000

// Thresholds of an emerging phrase: in at least this many of the
// week's items, and at least this share of them.
const (
	EmergingMinItems = 5
	EmergingMinShare = 0.01
)

// EmergingPhrase is a phrase surfaced for the week.
type EmergingPhrase struct {
	Phrase   string  `json:"phrase"`
	Count    int     `json:"count"`    // items of the week that say it
	Previous int     `json:"previous"` // items of the four weeks before that say it
	Status   string  `json:"status"`   // "new" (not said before) or "growing" (at least twice as often)
	Examples []int64 `json:"examples"` // up to 3 item ids, newest first
}

// Emerging returns the phrases said in p's scope in the 7 days before
// weekEnding (now when zero) that no theme finds, ignored phrases left
// out, most frequent first.
func (s *Service) Emerging(ctx context.Context, p heed.Principal, weekEnding time.Time) ([]EmergingPhrase, error) {
	if !p.Role.Valid() {
		return nil, heed.Errorf(heed.EForbidden, "sign in to read feedback")
	}
	if weekEnding.IsZero() {
		weekEnding = s.cfg.Now()
	}
	from := weekEnding.AddDate(0, 0, -7)
	week, err := s.periodItems(ctx, p.Scope(), from, weekEnding)
	if err != nil {
		return nil, err
	}
	ignored, err := s.ignoredSet(ctx)
	if err != nil {
		return nil, err
	}
	minItems := max(EmergingMinItems, int(math.Ceil(EmergingMinShare*float64(len(week)))))
	found := slices.DeleteFunc(textan.Phrases(itemTexts(week), s.taxonomy(ctx, s.store), minItems),
		func(pc textan.PhraseCount) bool { return ignored[pc.Phrase] })
	if len(found) == 0 {
		return []EmergingPhrase{}, nil // the four weeks before are read only to compare what the week says
	}
	before, err := s.periodItems(ctx, p.Scope(), from.AddDate(0, 0, -28), from)
	if err != nil {
		return nil, err
	}
	return compareWeek(found, week, before), nil
}

// compareWeek keeps the phrases found in the week's items that are new
// or growing against the items before, each with its example items.
func compareWeek(found []textan.PhraseCount, week, before []heed.FeedbackItem) []EmergingPhrase {
	phrases := make([]string, len(found))
	for i, pc := range found {
		phrases[i] = pc.Phrase
	}
	prev := textan.CountPhrases(itemTexts(before), phrases)
	out := []EmergingPhrase{}
	for i, pc := range found {
		status := emergingStatus(pc.Count, len(week), prev[i], len(before))
		if status == "" {
			continue
		}
		e := EmergingPhrase{Phrase: pc.Phrase, Count: pc.Count, Previous: prev[i], Status: status, Examples: []int64{}}
		for _, k := range pc.Examples {
			e.Examples = append(e.Examples, week[k].ID)
		}
		out = append(out, e)
	}
	return out
}

// emergingStatus compares a phrase's share of the week's items with its
// share of the items before: "new" when it was not said, "growing" when
// its share at least doubled, "" otherwise.
func emergingStatus(count, items, prev, prevItems int) string {
	switch {
	case prev == 0:
		return "new"
	case float64(count)/float64(items) >= 2*float64(prev)/float64(prevItems):
		return "growing"
	}
	return ""
}

// periodItems pages through the items of [from, to) in scope, newest
// first, up to MaxEmergingItems.
func (s *Service) periodItems(ctx context.Context, scope heed.Scope, from, to time.Time) ([]heed.FeedbackItem, error) {
	var all []heed.FeedbackItem
	f := heed.FeedbackFilter{From: from, To: to, Limit: 1000}
	for len(all) < MaxEmergingItems {
		page, err := s.store.ListFeedback(ctx, scope, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < f.Limit {
			break
		}
		f.BeforeID = page[len(page)-1].ID
	}
	return all[:min(len(all), MaxEmergingItems)], nil
}

// itemTexts is what is read of each item: its title, then its text.
func itemTexts(items []heed.FeedbackItem) []string {
	texts := make([]string, len(items))
	for i, it := range items {
		texts[i] = it.Title + "\n" + it.Text
	}
	return texts
}

func (s *Service) ignoredSet(ctx context.Context) (map[string]bool, error) {
	list, err := s.store.ListIgnoredPhrases(ctx)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(list))
	for _, ip := range list {
		set[ip.Phrase] = true
	}
	return set, nil
}

// IgnorePhrase stops phrase from being surfaced as emerging (admins
// only).
func (s *Service) IgnorePhrase(ctx context.Context, p heed.Principal, phrase string) error {
	if !p.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may ignore an emerging theme")
	}
	phrase = strings.Join(strings.Fields(strings.ToLower(phrase)), " ")
	if err := heed.CheckPhrase(phrase); err != nil {
		return err
	}
	return s.store.IgnorePhrase(ctx, phrase, p.Name, s.cfg.Now())
}

// IgnoredPhrases lists the ignored phrases (any signed-in role).
func (s *Service) IgnoredPhrases(ctx context.Context, p heed.Principal) ([]heed.IgnoredPhrase, error) {
	if !p.Role.Valid() {
		return nil, heed.Errorf(heed.EForbidden, "sign in to read feedback")
	}
	return s.store.ListIgnoredPhrases(ctx)
}
