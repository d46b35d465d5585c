package metrics

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/heedhq/heed"
)

// DriverObservation is one answer: its NPS score (0–10) and the themes
// its comment mentions (theme keys; none for a comment about nothing
// the taxonomy knows, or no comment).
type DriverObservation struct {
	Score  int
	Themes []string
}

// Driver is what one theme does to NPS.
type Driver struct {
	Theme         string  `json:"theme"`
	Mentions      int     `json:"mentions"`        // answers mentioning it
	Share         float64 `json:"share"`           // Mentions / all answers, 0–1
	NPSWith       float64 `json:"nps_with"`        // NPS of the answers that mention it
	NPSWithout    float64 `json:"nps_without"`     // NPS of those that do not
	Difference    float64 `json:"difference"`      // NPSWith − NPSWithout
	Impact        float64 `json:"impact"`          // Share × Difference: NPS points the theme moves the total
	MarginOfError float64 `json:"margin_of_error"` // 95% margin of Difference
	Significant   bool    `json:"significant"`     // |Difference| > its 95% margin (and both groups ≥ the minimum sample)
	Insufficient  bool    `json:"insufficient"`    // a group below the minimum sample: no claim made
}

// Drivers computes each theme's effect on NPS over obs, most costly
// first (lowest Impact first; ties by theme key). min is the minimum
// sample per group (0: MinSample).
func Drivers(obs []DriverObservation, min int) []Driver {
	var c DriverCounts
	for _, o := range obs {
		c.Add(o.Score, o.Themes)
	}
	return c.Drivers(min)
}

// DriverCounts accumulates observations one at a time (or n at once). It
// keeps only category counts — all NPS and its variance depend on — for the
// total and per theme, so a store can feed it from grouped rows and its
// size grows with the taxonomy, not with the answers. The zero value is
// ready to use.
type DriverCounts struct {
	total  NPS
	themes map[string]*NPS
}

// Add counts one answer.
func (c *DriverCounts) Add(score int, themes []string) { c.AddN(score, themes, 1) }

// AddN counts n answers of score whose comments mention themes. A score
// off the 0–10 scale, or n <= 0, is ignored; a theme listed twice counts
// once (an answer either mentions a theme or does not); an empty key is
// not a theme.
func (c *DriverCounts) AddN(score int, themes []string, n int) {
	if n <= 0 || c.total.AddN(score, n) != nil {
		return
	}
	for i, t := range themes {
		if t != "" && !slices.Contains(themes[:i], t) {
			c.AddTheme(t, score, n)
		}
	}
}

// AddTheme counts n answers of score that mention theme without counting
// them in the total: the form for a store's grouped rows, which come as
// totals per score (fed with AddN and no themes) and, apart, mentions per
// theme and score. The caller vouches that those answers are in the total
// and that each answer counts once per theme.
func (c *DriverCounts) AddTheme(theme string, score, n int) {
	if n <= 0 || theme == "" || Category(heed.SurveyNPS, score) == "" {
		return
	}
	if c.themes == nil {
		c.themes = make(map[string]*NPS)
	}
	s := c.themes[theme]
	if s == nil {
		s = new(NPS)
		c.themes[theme] = s
	}
	_ = s.AddN(score, n) // the score was checked above
}

// Drivers computes each counted theme's effect on NPS, most costly first
// (lowest Impact first; ties by theme key); min is the minimum sample per
// group (<= 0: MinSample). The result is never nil.
func (c *DriverCounts) Drivers(min int) []Driver {
	out := make([]Driver, 0, len(c.themes))
	for theme, with := range c.themes {
		out = append(out, driver(theme, *with, c.total, min))
	}
	slices.SortFunc(out, func(a, b Driver) int {
		if r := cmp.Compare(a.Impact, b.Impact); r != 0 {
			return r
		}
		return strings.Compare(a.Theme, b.Theme)
	})
	return out
}

// driver compares the answers mentioning a theme with the rest. The two
// groups are disjoint, so they are independent samples and the margin of
// their difference is Change's, 1.96·sqrt(varWith/nWith +
// varWithout/nWithout)·100, the same as every other comparison Heed shows.
// Impact = Share × Difference is exactly total NPS − NPSWithout: how far the
// theme moves the total from what the other answers score. When one group
// is empty there is nothing to compare, and Difference, Impact and the
// margin are 0 (never the other group's score passed off as an effect).
func driver(theme string, with, total NPS, min int) Driver {
	without := rest(total, with)
	diff, moe, _ := Change(without, with)
	insufficient := Insufficient(with.N, min) || Insufficient(without.N, min)
	d := Driver{
		Theme:         theme,
		Mentions:      with.N,
		NPSWith:       with.Score(),
		NPSWithout:    without.Score(),
		Difference:    diff,
		MarginOfError: moe,
		Significant:   !insufficient && math.Abs(diff) > moe,
		Insufficient:  insufficient,
	}
	if total.N > 0 {
		d.Share = math.Min(1, float64(with.N)/float64(total.N))
	}
	d.Impact = d.Share * diff
	return d
}

// rest is total minus part, each count floored at 0 so that inconsistent
// pre-aggregated rows (a theme counted more often than the total) give an
// empty group instead of negative counts.
func rest(total, part NPS) NPS {
	return NPS{
		N:          max(0, total.N-part.N),
		Promoters:  max(0, total.Promoters-part.Promoters),
		Passives:   max(0, total.Passives-part.Passives),
		Detractors: max(0, total.Detractors-part.Detractors),
	}
}
