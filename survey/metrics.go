package survey

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/metrics"
)

// MetricsQuery asks for a survey's figures over a span, for a unit and
// its subtree, grouped by week, month or child unit.
type MetricsQuery struct {
	Survey string
	Unit   string    // "" for everything p sees
	From   time.Time // inclusive day (UTC); zero: 90 days before To
	To     time.Time // inclusive day (UTC); zero: today
	By     string    // "", "week", "month" or "unit"
	Min    int       // minimum sample; 0: metrics.MinSample
}

// Figures are the numbers of one group of responses. Only the fields of
// the survey's kind are set; a group with fewer than the minimum sample
// has Insufficient set, and its score and margin are left out rather than
// shown as if they meant something.
type Figures struct {
	Key          string `json:"key"`             // "2026-03-02" (week start), "2026-03", a unit key, or "all"
	Label        string `json:"label,omitempty"` // a unit's name
	N            int    `json:"n"`
	Insufficient bool   `json:"insufficient"`
	// NPS
	Promoters  *int `json:"promoters,omitempty"`
	Passives   *int `json:"passives,omitempty"`
	Detractors *int `json:"detractors,omitempty"`
	// NPS: −100…100; CSAT: the share of 4–5 answers in percent; CES: the mean.
	Score         *float64 `json:"score,omitempty"`
	MarginOfError *float64 `json:"margin_of_error,omitempty"`
	// CSAT (Wilson) and CES (Student's t): the 95% interval.
	Low       *float64 `json:"low,omitempty"`
	High      *float64 `json:"high,omitempty"`
	Satisfied *int     `json:"satisfied,omitempty"`
}

// ProgramRate is a program's response rate over the span.
type ProgramRate struct {
	Program  string   `json:"program"`
	Invited  int      `json:"invited"`
	Answered int      `json:"answered"`
	Rate     *float64 `json:"rate,omitempty"` // answered / invited; absent when none were invited
}

// Metrics is the answer to a MetricsQuery.
type Metrics struct {
	Survey        string        `json:"survey"`
	Kind          string        `json:"kind"`
	Unit          string        `json:"unit,omitempty"`
	From          string        `json:"from"`
	To            string        `json:"to"`
	By            string        `json:"by,omitempty"`
	MinSample     int           `json:"min_sample"`
	Total         Figures       `json:"total"`
	Groups        []Figures     `json:"groups"`
	ResponseRates []ProgramRate `json:"response_rates"`
}

// Metrics computes a survey's figures from the pre-aggregated counts:
// never more rows than days × scores or units × scores, whatever the
// number of responses. Unit figures roll up the tree, and p sees only the
// units its scope covers.
func (s *Service) Metrics(ctx context.Context, p heed.Principal, mq MetricsQuery) (Metrics, error) {
	sv, err := s.store.GetSurvey(ctx, mq.Survey)
	if err != nil {
		return Metrics{}, err
	}
	if err := normalizeQuery(&mq, s.now()); err != nil {
		return Metrics{}, err
	}
	scope := p.Scope()
	f := heed.CountFilter{SurveyID: sv.ID, Scope: scope, FromDay: heed.Day(mq.From), ToDay: heed.Day(mq.To), GroupBy: "day"}
	var root *heed.Unit
	if mq.Unit != "" {
		u, err := s.store.GetUnit(ctx, mq.Unit)
		if err != nil && !heed.IsNotFound(err) {
			return Metrics{}, err
		}
		if err != nil || !scope.CoversUnit(u.ID, u.Path) {
			return Metrics{}, heed.FieldErrorf(heed.ENotFound, "unit", "no unit %q", mq.Unit)
		}
		root, f.UnitPath = &u, u.Path
	}
	m := Metrics{Survey: sv.Key, Kind: string(sv.Kind), Unit: mq.Unit, By: mq.By, MinSample: mq.Min,
		From: mq.From.Format(time.DateOnly), To: mq.To.Format(time.DateOnly), Groups: []Figures{}}
	days, err := s.store.ScoreCounts(ctx, f)
	if err != nil {
		return Metrics{}, err
	}
	m.Total = figures(sv.Kind, "all", days, mq.Min)
	// The units p sees: the groups of by=unit and the response rates'
	// filter both need them.
	units, err := s.store.ListUnits(ctx, scope)
	if err != nil {
		return Metrics{}, err
	}
	switch mq.By {
	case "week", "month":
		m.Groups = byTime(sv.Kind, mq, days)
	case "unit":
		if m.Groups, err = s.byUnit(ctx, sv, units, root, f, mq.Min); err != nil {
			return Metrics{}, err
		}
	}
	m.ResponseRates, err = s.responseRates(ctx, sv, units, root, mq)
	return m, err
}

func normalizeQuery(mq *MetricsQuery, now time.Time) error {
	if mq.To.IsZero() {
		mq.To = now
	}
	mq.To = heed.DayTime(heed.Day(mq.To))
	if mq.From.IsZero() {
		mq.From = mq.To.AddDate(0, 0, -89)
	}
	mq.From = heed.DayTime(heed.Day(mq.From))
	if mq.From.After(mq.To) {
		return heed.FieldErrorf(heed.EInvalid, "from", "from %s is after to %s", mq.From.Format(time.DateOnly), mq.To.Format(time.DateOnly))
	}
	if mq.To.Sub(mq.From) > 3660*24*time.Hour {
		return heed.FieldErrorf(heed.EInvalid, "from", "at most ten years at once")
	}
	switch mq.By {
	case "", "week", "month", "unit":
	default:
		return heed.FieldErrorf(heed.EInvalid, "by", "by %q must be week, month or unit", mq.By)
	}
	if mq.Min == 0 {
		mq.Min = metrics.MinSample
	}
	if mq.Min < 1 || mq.Min > 100000 {
		return heed.FieldErrorf(heed.EInvalid, "min", "min must be between 1 and 100000")
	}
	return nil
}

// byTime groups day counts into weeks (Monday first, UTC) or months, with
// an entry for every period of the span, empty ones included, so a trend
// chart has no holes pretending to be data.
func byTime(kind heed.SurveyKind, mq MetricsQuery, days []heed.ScoreCount) []Figures {
	start := func(t time.Time) time.Time {
		if mq.By == "month" {
			return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		}
		wd := (int(t.Weekday()) + 6) % 7 // Monday 0
		return t.AddDate(0, 0, -wd)
	}
	next := func(t time.Time) time.Time {
		if mq.By == "month" {
			return t.AddDate(0, 1, 0)
		}
		return t.AddDate(0, 0, 7)
	}
	key := func(t time.Time) string {
		if mq.By == "month" {
			return t.Format("2006-01")
		}
		return t.Format(time.DateOnly)
	}
	buckets := map[string][]heed.ScoreCount{}
	for _, c := range days {
		k := key(start(heed.DayTime(c.Day)))
		buckets[k] = append(buckets[k], c)
	}
	var out []Figures
	for t := start(mq.From); !t.After(mq.To); t = next(t) {
		out = append(out, figures(kind, key(t), buckets[key(t)], mq.Min))
	}
	return out
}

// byUnit gives one group per child of root (per root unit in scope when
// root is nil), each the sum of its subtree, plus the root's own answers
// when it has some.
func (s *Service) byUnit(ctx context.Context, sv heed.Survey, units []heed.Unit, root *heed.Unit, f heed.CountFilter, min int) ([]Figures, error) {
	f.GroupBy = "unit"
	counts, err := s.store.ScoreCounts(ctx, f)
	if err != nil {
		return nil, err
	}
	byID := map[int64]heed.Unit{}
	seen := map[string]bool{}
	for _, u := range units {
		byID[u.ID] = u
		seen[u.Key] = true
	}
	// The groups: children of root, or the top units p sees.
	var heads []heed.Unit
	for _, u := range units {
		if (root != nil && u.Parent == root.Key) || (root == nil && !seen[u.Parent]) {
			heads = append(heads, u)
		}
	}
	per := map[string][]heed.ScoreCount{}
	var own []heed.ScoreCount
	for _, c := range counts {
		u, ok := byID[c.UnitID]
		if !ok {
			continue // no unit (anonymous answers), or outside scope
		}
		if root != nil && u.ID == root.ID {
			own = append(own, c)
			continue
		}
		for _, h := range heads {
			if strings.HasPrefix(u.Path, h.Path) {
				per[h.Key] = append(per[h.Key], c)
				break
			}
		}
	}
	out := make([]Figures, 0, len(heads)+1)
	if len(own) > 0 {
		g := figures(sv.Kind, root.Key, own, min)
		g.Label = root.Name + " (own)"
		out = append(out, g)
	}
	for _, h := range heads {
		g := figures(sv.Kind, h.Key, per[h.Key], min)
		g.Label = h.Name
		out = append(out, g)
	}
	return out, nil
}

// figures computes one group's numbers from its score counts. Scores
// outside the kind's scale cannot be stored (every write checks them), so
// AddN's error is not expected here.
func figures(kind heed.SurveyKind, key string, counts []heed.ScoreCount, min int) Figures {
	g := Figures{Key: key}
	for _, c := range counts {
		g.N += c.N
	}
	g.Insufficient = metrics.Insufficient(g.N, min)
	switch kind {
	case heed.SurveyNPS:
		n := npsOf(counts)
		g.Promoters, g.Passives, g.Detractors = &n.Promoters, &n.Passives, &n.Detractors
		if !g.Insufficient {
			g.Score, g.MarginOfError = round(n.Score()), round(n.MarginOfError())
		}
	case heed.SurveyCSAT:
		var c metrics.CSAT
		for _, x := range counts {
			c.AddN(x.Score, x.N)
		}
		g.Satisfied = &c.Satisfied
		if !g.Insufficient {
			lo, hi := c.Interval()
			g.Score, g.MarginOfError, g.Low, g.High = round(c.Share()), round(c.MarginOfError()), round(lo), round(hi)
		}
	case heed.SurveyCES:
		var c metrics.CES
		for _, x := range counts {
			c.AddN(x.Score, x.N)
		}
		if !g.Insufficient {
			lo, hi := c.Interval()
			g.Score, g.MarginOfError, g.Low, g.High = round(c.Mean()), round(c.MarginOfError()), round(lo), round(hi)
		}
	}
	return g
}

// npsOf adds score counts up into an NPS.
func npsOf(counts []heed.ScoreCount) metrics.NPS {
	var n metrics.NPS
	for _, c := range counts {
		n.AddN(c.Score, c.N)
	}
	return n
}

// round keeps two decimals: more would pretend to a precision the margin
// of error denies.
func round(v float64) *float64 {
	r := math.Round(v*100) / 100
	return &r
}

// responseRates reports each program of the survey: invitations created
// in the span, inside the unit and p's scope, and how many were answered.
func (s *Service) responseRates(ctx context.Context, sv heed.Survey, units []heed.Unit, root *heed.Unit, mq MetricsQuery) ([]ProgramRate, error) {
	progs, err := s.store.ListPrograms(ctx)
	if err != nil {
		return nil, err
	}
	inside := map[int64]bool{}
	for _, u := range units {
		if root == nil || strings.HasPrefix(u.Path, root.Path) {
			inside[u.ID] = true
		}
	}
	out := []ProgramRate{}
	for _, pr := range progs {
		if pr.Survey != sv.Key {
			continue
		}
		rows, err := s.store.CountInvitations(ctx, pr.ID, mq.From, mq.To.AddDate(0, 0, 1))
		if err != nil {
			return nil, fmt.Errorf("survey: response rate of %s: %w", pr.Key, err)
		}
		r := ProgramRate{Program: pr.Key}
		for _, x := range rows {
			if inside[x.UnitID] {
				r.Invited += x.Invited
				r.Answered += x.Answered
			}
		}
		if r.Invited > 0 {
			r.Rate = round(float64(r.Answered) / float64(r.Invited))
		}
		out = append(out, r)
	}
	return out, nil
}
