package sqlstore

import (
	"testing"
	"time"

	"github.com/heedhq/heed"
)

func TestSameFeedbackThemes(t *testing.T) {
	neg, pos, zero := -0.5, 0.4, 0.0
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	stored := heed.FeedbackItem{Kind: heed.FeedbackReview, Text: "Slow till, kind staff", At: at,
		Themes: []heed.FeedbackTheme{{Theme: "staff", Sentiment: &pos, Mentions: 1}, {Theme: "waiting", Sentiment: &neg, Mentions: 1}}}
	with := func(themes ...heed.FeedbackTheme) heed.FeedbackItem {
		it := stored
		it.At = at.In(time.FixedZone("CET", 3600)) // the same instant, as a client may send it
		it.Themes = themes
		return it
	}
	for _, tt := range []struct {
		name string
		new  heed.FeedbackItem
		want bool
	}{
		{"same, other order", with(stored.Themes[1], stored.Themes[0]), true},
		{"one theme fewer", with(stored.Themes[0]), false},
		{"other sentiment", with(stored.Themes[0], heed.FeedbackTheme{Theme: "waiting", Sentiment: &zero, Mentions: 1}), false},
		{"sentiment not read", with(stored.Themes[0], heed.FeedbackTheme{Theme: "waiting", Mentions: 1}), false},
		{"more mentions", with(heed.FeedbackTheme{Theme: "waiting", Sentiment: &neg, Mentions: 2}, stored.Themes[0]), false},
		{"other theme", with(stored.Themes[0], heed.FeedbackTheme{Theme: "prices", Sentiment: &neg, Mentions: 1}), false},
	} {
		if got := SameFeedback(stored, tt.new); got != tt.want {
			t.Errorf("%s: SameFeedback = %v, want %v", tt.name, got, tt.want)
		}
	}
}
