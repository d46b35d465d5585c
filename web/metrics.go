package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// trendWeeks is how many weeks the scores page shows unless asked for
// a span: about a quarter, enough to see where a unit is heading.
const trendWeeks = 12

// scoresBody is the content of scores.html.
type scoresBody struct {
	Surveys   []heed.Survey
	Survey    heed.Survey
	KindLabel string
	Units     []unitOption
	Unit      string // the unit filter; "" for all the viewer sees
	Place     string // the unit's name, or what "" means for the viewer
	From, To  string // the span shown, yyyy-mm-dd
	Span      string // the span in words
	Min       int
	Total     figuresView
	Chart     chartView
	Weeks     []weekRow
	Children  []figuresView
	Rates     []rateView
}

// figuresView is one group's numbers as the page writes them.
type figuresView struct {
	Key, Label   string
	Link         string // the unit's own scores; "" for the unit's own answers
	N            int
	Insufficient bool
	Score        string // "+32", "78%", "5.42"
	Margin       string // "±8.1"
	Interval     string // "71–84%": CSAT and CES
	Mix          []mixPart
	Range        rangeBar
}

// mixPart is one share of the answers: promoters, passives, detractors
// (NPS) or satisfied and not (CSAT), drawn as a stacked bar.
type mixPart struct {
	Label, Class string
	N            int
	Pct          string
	X, W         float64 // in a 0–100 wide bar
}

// rangeBar places a score and its margin on the kind's whole scale,
// 0–100 wide, so units compare at a glance.
type rangeBar struct {
	Score, Lo, Hi, W float64
	ScoreX           float64 // the score mark's left edge
	Zero             *float64
}

// weekRow is one week of the table under the chart.
type weekRow struct {
	Week string
	figuresView
}

// rateView is a program's response rate.
type rateView struct {
	Program, Name     string
	Invited, Answered int
	Rate              string
}

// scores shows a survey's score for a unit and its subtree (or all the
// viewer sees): the figure with its margin of error, a weekly trend and
// the units below rolled up the tree. The survey service limits every
// number to the viewer's part of the organisation.
func (s *server) scores(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	q := r.URL.Query()
	list, err := s.sv.ListSurveys(ctx, v.P)
	if err != nil {
		return err
	}
	body := scoresBody{Surveys: sortedSurveys(list)}
	if len(body.Surveys) == 0 {
		return s.render(w, r, http.StatusOK, "scores", view{Title: "Scores", Section: "scores", Body: body})
	}
	key := cmp.Or(strings.TrimSpace(q.Get("survey")), body.Surveys[0].Key)
	i := slices.IndexFunc(body.Surveys, func(sv heed.Survey) bool { return sv.Key == key })
	if i < 0 {
		return heed.FieldErrorf(heed.ENotFound, "survey", "no survey %q", key)
	}
	body.Survey = body.Surveys[i]
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	body.Units, body.Unit = unitOptions(units), strings.TrimSpace(q.Get("unit"))
	if !q.Has("unit") {
		body.Unit = defaultUnit(v, units)
	}
	mq := survey.MetricsQuery{Survey: key, Unit: body.Unit, By: "week"}
	if mq.From, mq.To, err = scoreSpan(q.Get("from"), q.Get("to"), time.Now()); err != nil {
		return err
	}
	weekly, err := s.sv.Metrics(ctx, v.P, mq)
	if err != nil {
		return err
	}
	mq.By = "unit"
	byUnit, err := s.sv.Metrics(ctx, v.P, mq)
	if err != nil {
		return err
	}
	body.fill(weekly, byUnit, units, v)
	if body.Rates, err = s.rates(r, weekly.ResponseRates); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "scores", view{Title: "Scores", Section: "scores", Body: body})
}

// defaultUnit is where the page starts: the viewer's own unit, or for
// those who see everything the top of the tree when it has one top.
func defaultUnit(v *viewer, units []heed.Unit) string {
	if !v.P.SeesAll() {
		return v.Unit
	}
	var roots []string
	for _, u := range units {
		if u.Parent == "" {
			roots = append(roots, u.Key)
		}
	}
	if len(roots) == 1 {
		return roots[0]
	}
	return ""
}

// scoreSpan reads the dates of the form; without them it is the last
// trendWeeks weeks, Monday to today.
func scoreSpan(from, to string, now time.Time) (time.Time, time.Time, error) {
	end := heed.DayTime(heed.Day(now))
	if to != "" {
		t, err := time.Parse(time.DateOnly, to)
		if err != nil {
			return time.Time{}, time.Time{}, heed.FieldErrorf(heed.EInvalid, "to", "the date %q is not a date like 2026-03-31", to)
		}
		end = t
	}
	monday := end.AddDate(0, 0, -((int(end.Weekday()) + 6) % 7))
	start := monday.AddDate(0, 0, -7*(trendWeeks-1))
	if from != "" {
		t, err := time.Parse(time.DateOnly, from)
		if err != nil {
			return time.Time{}, time.Time{}, heed.FieldErrorf(heed.EInvalid, "from", "the date %q is not a date like 2026-03-31", from)
		}
		start = t
	}
	return start, end, nil
}

// fill turns the service's figures into the page's.
func (b *scoresBody) fill(weekly, byUnit survey.Metrics, units []heed.Unit, v *viewer) {
	kind := b.Survey.Kind
	b.KindLabel, b.Min, b.From, b.To = kindLabel(kind), weekly.MinSample, weekly.From, weekly.To
	from, _ := time.Parse(time.DateOnly, weekly.From)
	to, _ := time.Parse(time.DateOnly, weekly.To)
	b.Span = from.Format("2 Jan 2006") + " to " + to.Format("2 Jan 2006")
	names := unitNames(units)
	switch {
	case b.Unit != "":
		b.Place = cmp.Or(names[b.Unit], b.Unit)
	case v.P.SeesAll():
		b.Place = "The whole organisation"
	default:
		b.Place = "Everything you can see"
	}
	b.Total = newFigures(kind, weekly.Total)
	b.Chart = newChart(kind, weekly.Groups, weekly.MinSample)
	for _, g := range weekly.Groups {
		day, _ := time.Parse(time.DateOnly, g.Key)
		b.Weeks = append(b.Weeks, weekRow{Week: day.Format("2 Jan 2006"), figuresView: newFigures(kind, g)})
	}
	for _, g := range byUnit.Groups {
		f := newFigures(kind, g)
		f.Label = cmp.Or(g.Label, g.Key)
		if g.Key != b.Unit {
			f.Link = "/scores?" + url.Values{"survey": {b.Survey.Key}, "unit": {g.Key}, "from": {b.From}, "to": {b.To}}.Encode()
		}
		b.Children = append(b.Children, f)
	}
	if len(b.Children) == 1 && b.Children[0].Link == "" {
		b.Children = nil // a unit without units below: its own answers are the total
	}
}

// rates names the programs of the response rates.
func (s *server) rates(r *http.Request, in []survey.ProgramRate) ([]rateView, error) {
	if len(in) == 0 {
		return nil, nil
	}
	progs, err := s.sv.ListPrograms(r.Context(), viewerFrom(r.Context()).P)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, p := range progs {
		names[p.Key] = p.Name
	}
	out := make([]rateView, 0, len(in))
	for _, x := range in {
		rv := rateView{Program: x.Program, Name: cmp.Or(names[x.Program], x.Program), Invited: x.Invited, Answered: x.Answered, Rate: "—"}
		if x.Rate != nil {
			rv.Rate = fmt.Sprintf("%.0f%%", 100**x.Rate)
		}
		out = append(out, rv)
	}
	return out, nil
}

// newFigures writes a group's numbers for the page.
func newFigures(kind heed.SurveyKind, g survey.Figures) figuresView {
	f := figuresView{Key: g.Key, Label: g.Label, N: g.N, Insufficient: g.Insufficient || g.Score == nil}
	f.Mix = mix(kind, g)
	if f.Insufficient {
		return f
	}
	score := *g.Score
	moe := 0.0
	if g.MarginOfError != nil {
		moe = *g.MarginOfError
	}
	switch kind {
	case heed.SurveyCSAT:
		f.Score, f.Margin = fmt.Sprintf("%.0f%%", score), fmt.Sprintf("±%.1f", moe)
	case heed.SurveyCES:
		f.Score, f.Margin = fmt.Sprintf("%.2f", score), fmt.Sprintf("±%.2f", moe)
	default:
		f.Score, f.Margin = signed(score), fmt.Sprintf("±%.1f", moe)
	}
	if g.Low != nil && g.High != nil {
		if kind == heed.SurveyCSAT {
			f.Interval = fmt.Sprintf("%.0f–%.0f%%", *g.Low, *g.High)
		} else {
			f.Interval = fmt.Sprintf("%.2f–%.2f", *g.Low, *g.High)
		}
	}
	lo, hi, _ := scaleOf(kind)
	at := func(v float64) float64 { return round1(100 * (math.Min(math.Max(v, lo), hi) - lo) / (hi - lo)) }
	f.Range = rangeBar{Score: at(score), Lo: at(score - moe), Hi: at(score + moe)}
	f.Range.W = round1(f.Range.Hi - f.Range.Lo)
	f.Range.ScoreX = round1(math.Min(math.Max(f.Range.Score-0.8, 0), 98.4))
	if kind == heed.SurveyNPS {
		z := at(0)
		f.Range.Zero = &z
	}
	return f
}

// signed writes an NPS as a whole number with its sign: +32, −5, 0.
func signed(v float64) string {
	n := int(math.Round(v))
	switch {
	case n > 0:
		return "+" + strconv.Itoa(n)
	case n < 0:
		return "−" + strconv.Itoa(-n)
	}
	return "0"
}

// mix is the shares of the answers behind a score.
func mix(kind heed.SurveyKind, g survey.Figures) []mixPart {
	var parts []mixPart
	switch {
	case kind == heed.SurveyNPS && g.Promoters != nil:
		parts = []mixPart{
			{Label: "Promoters", Class: "good", N: *g.Promoters},
			{Label: "Passives", Class: "mid", N: *g.Passives},
			{Label: "Detractors", Class: "bad", N: *g.Detractors},
		}
	case kind == heed.SurveyCSAT && g.Satisfied != nil:
		parts = []mixPart{
			{Label: "Satisfied (4–5)", Class: "good", N: *g.Satisfied},
			{Label: "Not satisfied (1–3)", Class: "bad", N: g.N - *g.Satisfied},
		}
	default:
		return nil
	}
	x := 0.0
	for i := range parts {
		p := &parts[i]
		if g.N > 0 {
			share := 100 * float64(p.N) / float64(g.N)
			p.Pct, p.X, p.W = fmt.Sprintf("%.0f%%", share), round1(x), round1(share)
			x += share
		} else {
			p.Pct = "—"
		}
	}
	return parts
}
