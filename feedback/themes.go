package feedback

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/metrics"
	"github.com/heedhq/heed/textan"
)

// ThemeQuery says which feedback a themes report reads.
type ThemeQuery struct {
	// Survey, an NPS survey's key, adds each theme's effect on its NPS
	// (the drivers); "" reports volume and sentiment only.
	Survey string
	Unit   string            // subtree of this unit key; "" for all p sees
	Kind   heed.FeedbackKind // only items of this kind; "" for all
	// From and To bound the period [From, To); zero To is now, zero From
	// 90 days before To. The trend compares the period of the same
	// length just before.
	From, To time.Time
	Min      int // minimum sample for a driver; 0: metrics.MinSample
}

// ThemeRow is what one theme amounts to over the period.
type ThemeRow struct {
	Theme     string   `json:"theme"`
	Name      string   `json:"name"`
	Items     int      `json:"items"`     // items that speak of it
	Sentiment *float64 `json:"sentiment"` // their mean sentiment about it; nil when none was read
	Negative  int      `json:"negative"`
	Positive  int      `json:"positive"`
	// The period before, and whether the volume moved: "rising" or
	// "falling" only when the change is beyond chance (two Poisson
	// counts, 95%), else "steady".
	PreviousItems     int      `json:"previous_items"`
	PreviousSentiment *float64 `json:"previous_sentiment"`
	Trend             string   `json:"trend"`
	// Driver is the theme's effect on the survey's NPS, when a survey
	// was asked for and its answers mention the theme.
	Driver *metrics.Driver `json:"driver,omitempty"`
}

// ThemeReport is the needs and drivers of a period: every theme, the
// ones that cost the most NPS first.
type ThemeReport struct {
	From      time.Time  `json:"from"`
	To        time.Time  `json:"to"`
	Survey    string     `json:"survey,omitempty"`
	Responses int        `json:"responses"` // the survey's answers in the period, in scope
	NPS       *float64   `json:"nps"`       // their NPS
	Themes    []ThemeRow `json:"themes"`
}

// Themes reports, per theme, how much is said of it and how, its trend,
// and — for an NPS survey — what it does to the score: the NPS of the
// answers that mention it against those that do not, the impact, and
// whether the difference is significant. Themes that cost the most NPS
// come first; without a survey, those with the most negative mentions.
func (s *Service) Themes(ctx context.Context, p heed.Principal, q ThemeQuery) (ThemeReport, error) {
	if !p.Role.Valid() {
		return ThemeReport{}, heed.Errorf(heed.EForbidden, "sign in to read feedback")
	}
	if q.Kind != "" && !q.Kind.Valid() {
		return ThemeReport{}, heed.FieldErrorf(heed.EInvalid, "kind", "unknown kind %q", q.Kind)
	}
	if q.To.IsZero() {
		q.To = s.cfg.Now()
	}
	if q.From.IsZero() {
		q.From = q.To.AddDate(0, 0, -90)
	}
	if !q.From.Before(q.To) {
		return ThemeReport{}, heed.FieldErrorf(heed.EInvalid, "from", "from must be before to")
	}
	rep := ThemeReport{From: q.From, To: q.To, Survey: q.Survey, Themes: []ThemeRow{}}
	scope := p.Scope()
	f := heed.FeedbackFilter{Unit: q.Unit, Kind: q.Kind, From: q.From, To: q.To}
	now, err := s.store.ThemeStats(ctx, scope, f)
	if err != nil {
		return rep, err
	}
	f.From, f.To = q.From.Add(-q.To.Sub(q.From)), q.From
	before, err := s.store.ThemeStats(ctx, scope, f)
	if err != nil {
		return rep, err
	}
	rows := themeRows(now, before, s.taxonomy(ctx, s.store))
	if q.Survey != "" {
		if err := s.drivers(ctx, scope, q, &rep, rows); err != nil {
			return rep, err
		}
	}
	for _, r := range rows {
		rep.Themes = append(rep.Themes, *r)
	}
	slices.SortStableFunc(rep.Themes, func(a, b ThemeRow) int {
		ai, bi := impact(a), impact(b)
		return cmp.Or(cmp.Compare(ai, bi), cmp.Compare(b.Negative, a.Negative), cmp.Compare(b.Items, a.Items),
			cmp.Compare(a.Theme, b.Theme))
	})
	return rep, nil
}

// impact orders themes: a driver's impact, 0 without one.
func impact(r ThemeRow) float64 {
	if r.Driver == nil || r.Driver.Insufficient {
		return 0
	}
	return r.Driver.Impact
}

// themeRows joins the two periods' sums by theme, named by the taxonomy.
func themeRows(now, before []heed.ThemeStat, tax *textan.Taxonomy) map[string]*ThemeRow {
	rows := map[string]*ThemeRow{}
	row := func(key string) *ThemeRow {
		r := rows[key]
		if r == nil {
			r = &ThemeRow{Theme: key, Name: key, Trend: "steady"}
			if th, ok := tax.Theme(key); ok {
				r.Name = th.Name
			}
			rows[key] = r
		}
		return r
	}
	for _, st := range now {
		r := row(st.Theme)
		r.Items, r.Negative, r.Positive, r.Sentiment = st.Items, st.Negative, st.Positive, mean(st)
	}
	for _, st := range before {
		r := row(st.Theme)
		r.PreviousItems, r.PreviousSentiment = st.Items, mean(st)
	}
	for _, r := range rows {
		r.Trend = trend(r.Items, r.PreviousItems)
	}
	return rows
}

func mean(st heed.ThemeStat) *float64 {
	if st.Read == 0 {
		return nil
	}
	v := math.Round(st.Sentiment/float64(st.Read)*1000) / 1000
	return &v
}

// trend says whether a count moved beyond chance between two periods of
// the same length: the difference of two Poisson counts a and b has
// variance a + b.
func trend(now, before int) string {
	d := float64(now - before)
	if d == 0 || math.Abs(d) <= 1.96*math.Sqrt(float64(now+before)) {
		return "steady"
	}
	if d > 0 {
		return "rising"
	}
	return "falling"
}

// drivers adds the survey's NPS and each theme's effect on it.
func (s *Service) drivers(ctx context.Context, scope heed.Scope, q ThemeQuery, rep *ThemeReport, rows map[string]*ThemeRow) error {
	sv, err := s.store.GetSurvey(ctx, q.Survey)
	if heed.IsNotFound(err) {
		return heed.FieldErrorf(heed.ENotFound, "survey", "no survey %q", q.Survey)
	}
	if err != nil {
		return err
	}
	if sv.Kind != heed.SurveyNPS {
		return heed.FieldErrorf(heed.EInvalid, "survey", "survey %q is %s: drivers are measured on an NPS survey", q.Survey, sv.Kind)
	}
	rf := heed.ResponseFilter{SurveyID: sv.ID, Unit: q.Unit, From: q.From, To: q.To}
	totals, err := s.store.CountResponses(ctx, scope, rf)
	if err != nil {
		return err
	}
	mentions, err := s.store.CountThemeScores(ctx, scope, rf)
	if err != nil {
		return err
	}
	var dc metrics.DriverCounts
	var nps metrics.NPS
	for _, c := range totals {
		dc.AddN(c.Score, nil, c.N)
		_ = nps.AddN(c.Score, c.N)
		rep.Responses += c.N
	}
	for _, m := range mentions {
		dc.AddTheme(m.Theme, m.Score, m.N)
	}
	if rep.Responses > 0 {
		v := math.Round(nps.Score()*10) / 10
		rep.NPS = &v
	}
	for _, d := range dc.Drivers(q.Min) {
		r := rows[d.Theme]
		if r == nil {
			continue // mentioned only by answers outside the items' filter (another kind)
		}
		d := d
		r.Driver = &d
	}
	return nil
}
