package web

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/metrics"
)

// themePeriods are the periods the form offers, in days; the first
// page shows defaultThemeDays, a quarter: long enough for most themes to
// reach the minimum sample.
var themePeriods = []int{30, 90, 365}

const (
	defaultThemeDays = "90"
	customPeriod     = "custom"
)

// themesBody is the content of themes.html.
type themesBody struct {
	themesForm
	Surveys   []heed.Survey // the NPS surveys, by name
	Survey    heed.Survey   // the one the drivers are measured on; zero when there is none
	Kinds     []feedbackKindOption
	Units     []unitOption
	Periods   []periodOption
	Place     string // the unit's name, or what "" means for the viewer
	Span      string // the period in words
	Responses int    // the survey's answers in the period and scope
	Min       int    // the minimum sample per group of a driver
	Rows      []themeView
	Costs     []themeView // significant negative drivers, costliest first
	Gains     []themeView // significant positive ones, largest first
	Chart     impactChart
	// Empty says why there are no rows: "none" when the viewer has no
	// feedback at all, "period" when the filters select none.
	Empty string
	// OtherKind: the items are of one kind other than survey comments,
	// while the NPS columns still come from the survey's answers.
	OtherKind bool
}

// themesForm is the filters as typed, kept as text so the form shows
// them back exactly.
type themesForm struct {
	Survey, Unit, Kind string
	Period             string // "30", "90", "365" or customPeriod
	From, To           string // yyyy-mm-dd, custom periods only
}

type periodOption struct{ Value, Label string }

// themeView is one theme's row of the table.
type themeView struct {
	Key, Name, Link            string
	Items, Negative, Positive  int
	Previous                   int
	Sentiment, Tone, ToneLabel string // the mean, −1…1; "" when nothing was read
	Trend                      string // rising, falling, steady
	Driver                     *driverView
}

// driverView is a theme's effect on NPS as the page writes it.
type driverView struct {
	Mentions, Others   int
	Of                 int    // all the survey's answers in the period
	Share              string // "18%"
	With, Without      string // "−42", "+31"
	Difference, Margin string // "−73", "±12"
	Impact             string // "−13"
	Effect             string // "costs 13 NPS points", "adds 9 NPS points"
	Significant        bool
	Insufficient       bool
	Few                int  // the group below the minimum sample
	FewWithout         bool // that group is the answers not mentioning it
	Tone               string
}

// themesPage is the themes and drivers page: per theme how much is said
// and how, whether it is rising, and what it does to NPS, costliest
// first, so a manager's first question — what hurts? — has an answer.
// The feedback service limits every figure to the viewer's part of the
// organisation.
func (s *server) themesPage(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	form := readThemesForm(r.URL.Query())
	body := themesBody{themesForm: form, Kinds: feedbackKindOptions(), Periods: periodOptions(), Min: metrics.MinSample}
	var err error
	if body.Survey, body.Surveys, err = s.themesSurvey(ctx, v.P, form.Survey); err != nil {
		return err
	}
	body.themesForm.Survey = body.Survey.Key
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	body.Units, body.Place = unitOptions(units), placeName(form.Unit, units, v)
	q := feedback.ThemeQuery{Survey: body.Survey.Key, Unit: form.Unit, Kind: heed.FeedbackKind(form.Kind)}
	if q.From, q.To, err = form.span(time.Now()); err != nil {
		return err
	}
	rep, err := s.fb.Themes(ctx, v.P, q)
	if err != nil {
		return err
	}
	body.fill(rep)
	if len(body.Rows) == 0 {
		if body.Empty, err = s.whyNoThemes(ctx, v.P); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "themes", view{Title: "Themes and drivers", Section: "themes", Body: body})
}

// themesSurvey picks the NPS survey the drivers are measured on: the
// one asked for, else the first that an active program asks, else the
// first. No NPS survey at all is no error: the page still shows what is
// said, without the NPS columns.
func (s *server) themesSurvey(ctx context.Context, p heed.Principal, key string) (heed.Survey, []heed.Survey, error) {
	list, err := s.sv.ListSurveys(ctx, p)
	if err != nil {
		return heed.Survey{}, nil, err
	}
	nps := slices.DeleteFunc(sortedSurveys(list), func(sv heed.Survey) bool { return sv.Kind != heed.SurveyNPS })
	if key != "" {
		i := slices.IndexFunc(nps, func(sv heed.Survey) bool { return sv.Key == key })
		if i < 0 {
			return heed.Survey{}, nil, heed.FieldErrorf(heed.ENotFound, "survey", "no NPS survey %q", key)
		}
		return nps[i], nps, nil
	}
	if len(nps) == 0 {
		return heed.Survey{}, nil, nil
	}
	progs, err := s.sv.ListPrograms(ctx, p)
	if err != nil {
		return heed.Survey{}, nil, err
	}
	for _, sv := range nps {
		if slices.ContainsFunc(progs, func(pr heed.Program) bool { return pr.Active && pr.Survey == sv.Key }) {
			return sv, nps, nil
		}
	}
	return nps[0], nps, nil
}

// whyNoThemes tells an empty period from no feedback at all, which needs
// another remedy (asking customers, importing) than a longer period.
func (s *server) whyNoThemes(ctx context.Context, p heed.Principal) (string, error) {
	items, err := s.fb.List(ctx, p, heed.FeedbackFilter{Limit: 1})
	if err != nil {
		return "", err
	}
	if len(items) == 0 {
		return "none", nil
	}
	return "period", nil
}

// placeName says whose feedback the page shows, as the scores page does.
func placeName(unit string, units []heed.Unit, v *viewer) string {
	switch {
	case unit != "":
		return cmp.Or(unitNames(units)[unit], unit)
	case v.P.SeesAll():
		return "The whole organisation"
	}
	return "Everything you can see"
}

func readThemesForm(q url.Values) themesForm {
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := themesForm{Survey: get("survey"), Unit: get("unit"), Kind: get("kind"), Period: get("period"), From: get("from"), To: get("to")}
	// One form holds both the period drop-down and the dates, and works
	// without script, so "shown" (the period the form was drawn with)
	// tells which the person changed: a new choice in the drop-down wins
	// over dates left from before; otherwise dates typed win.
	switch {
	case f.Period != "" && f.Period != customPeriod && f.Period != get("shown"):
		f.From, f.To = "", ""
	case f.From != "" || f.To != "":
		f.Period = customPeriod
	case f.Period == "" || f.Period == customPeriod:
		f.Period = defaultThemeDays
	}
	return f
}

// span is the period [from, to) the form asks for. A preset is the last
// n days, today included, up to now; custom dates are whole days, up to
// now at most, so the trend always compares with an equally long period
// that has fully happened.
func (f themesForm) span(now time.Time) (from, to time.Time, err error) {
	today := heed.DayTime(heed.Day(now))
	if f.Period != customPeriod {
		n, err := strconv.Atoi(f.Period)
		if err != nil || !slices.Contains(themePeriods, n) {
			return from, to, heed.FieldErrorf(heed.EInvalid, "period", "the period %q is not one of the last 30, 90 or 365 days", f.Period)
		}
		return today.AddDate(0, 0, 1-n), now, nil
	}
	if from, err = dateParam(f.From, "from"); err != nil {
		return from, to, err
	}
	if to, err = dateParam(f.To, "to"); err != nil {
		return from, to, err
	}
	if to.IsZero() {
		to = today
	}
	if from.IsZero() {
		from = to.AddDate(0, 0, -89)
	}
	to = to.AddDate(0, 0, 1) // the whole of the last day
	if to.After(now) {
		to = now
	}
	if !from.Before(to) {
		return from, to, heed.FieldErrorf(heed.EInvalid, "from", "the period must start before it ends, and not after today")
	}
	return from, to, nil
}

func periodOptions() []periodOption {
	out := make([]periodOption, 0, len(themePeriods)+1)
	for _, n := range themePeriods {
		out = append(out, periodOption{Value: strconv.Itoa(n), Label: fmt.Sprintf("Last %d days", n)})
	}
	return append(out, periodOption{Value: customPeriod, Label: "Between the dates"})
}

// fill turns the report into the page's rows, headline and chart.
func (b *themesBody) fill(rep feedback.ThemeReport) {
	last := rep.To.Add(-time.Nanosecond)
	b.Span = rep.From.Format("2 Jan 2006") + " to " + last.Format("2 Jan 2006")
	b.Responses = rep.Responses
	b.OtherKind = b.Kind != "" && b.Kind != string(heed.FeedbackSurvey)
	link := url.Values{"from": {rep.From.Format(time.DateOnly)}, "to": {last.Format(time.DateOnly)}}
	for k, x := range map[string]string{"unit": b.Unit, "kind": b.Kind} {
		if x != "" {
			link.Set(k, x)
		}
	}
	for _, row := range rep.Themes {
		link.Set("theme", row.Theme)
		tv := newThemeView(row, "/feedback?"+link.Encode(), rep.Responses, b.Min)
		b.Rows = append(b.Rows, tv)
		if d := tv.Driver; d != nil && d.Significant && row.Driver.Impact < 0 {
			b.Costs = append(b.Costs, tv)
		}
	}
	// The report puts the costliest first; the largest gain is last.
	for _, tv := range slices.Backward(b.Rows) {
		if d := tv.Driver; d != nil && d.Significant && d.Tone == "good" {
			b.Gains = append(b.Gains, tv)
		}
	}
	if b.Survey.Key != "" {
		b.Chart = newImpactChart(rep.Themes)
	}
}

func newThemeView(row feedback.ThemeRow, link string, responses, min int) themeView {
	tv := themeView{Key: row.Theme, Name: row.Name, Link: link, Items: row.Items, Negative: row.Negative,
		Positive: row.Positive, Previous: row.PreviousItems, Trend: row.Trend, Tone: "none"}
	if row.Sentiment != nil {
		tv.Sentiment = sentimentText(*row.Sentiment)
		label := sentimentLabel(*row.Sentiment)
		tv.Tone, tv.ToneLabel = labelTone(label), capitalize(label)
	}
	if row.Driver != nil {
		tv.Driver = newDriverView(*row.Driver, responses, min)
	}
	return tv
}

func newDriverView(d metrics.Driver, responses, min int) *driverView {
	dv := &driverView{Mentions: d.Mentions, Of: responses, Others: max(0, responses-d.Mentions), Share: shareText(d.Share),
		With: signed(d.NPSWith), Without: signed(d.NPSWithout), Difference: signed(d.Difference),
		Margin: fmt.Sprintf("±%.0f", d.MarginOfError), Impact: signed(d.Impact),
		Significant: d.Significant, Insufficient: d.Insufficient, Tone: "none"}
	if d.Insufficient {
		dv.Few, dv.FewWithout = dv.Mentions, false
		if !metrics.Insufficient(dv.Mentions, min) {
			dv.Few, dv.FewWithout = dv.Others, true
		}
		return dv
	}
	points := func(v float64) string {
		if n := math.Round(math.Abs(v)); n >= 1 {
			return plural(int(n), "NPS point", "NPS points")
		}
		return "under 1 NPS point"
	}
	switch {
	case d.Impact < 0:
		dv.Effect = "costs " + points(d.Impact)
	case d.Impact > 0:
		dv.Effect = "adds " + points(d.Impact)
	}
	if d.Significant {
		dv.Tone = "good"
		if d.Impact < 0 {
			dv.Tone = "bad"
		}
	}
	return dv
}

// shareText writes a share of answers as a whole percentage; a share
// that rounds to nothing is not written as 0%.
func shareText(share float64) string {
	if share > 0 && share < 0.005 {
		return "under 1%"
	}
	return fmt.Sprintf("%.0f%%", 100*share)
}

// The impact chart's drawing, in SVG user units: one row per theme, the
// zero line in the middle, room either side for the values. It is
// narrow on purpose, so it stays legible when a phone shrinks it.
const (
	impactW, impactSide  = 360, 36
	impactRow, impactTop = 26, 6
	impactBarH           = 14
	impactNameMax        = 21 // runes of a theme's name before "…"
)

// impactChart is the themes' impact on NPS as horizontal bars: costs
// to the left of zero, gains to the right; a significant effect solid,
// one that may be chance hatched. Themes with too few answers make no
// claim and are not drawn.
type impactChart struct {
	W, H, Zero, Top, AxisY, TickY int
	BarH                          int
	Bars                          []impactBar
	Ticks                         []tick
	Undrawn                       int
	Title, Desc                   string
}

type impactBar struct {
	Name, Title, Value string
	Y, TextY           int // the bar's top; the baseline of its texts
	X, W               float64
	NameX, ValueX      float64
	NameEnd, ValueEnd  bool // text-anchor end (else start)
	Tone               string
	Solid              bool
}

func newImpactChart(rows []feedback.ThemeRow) impactChart {
	c := impactChart{W: impactW, Zero: impactW / 2, Top: impactTop, BarH: impactBarH, Title: "Impact on NPS by theme, in points"}
	var drawn []feedback.ThemeRow
	for _, r := range rows {
		switch {
		case r.Driver == nil:
		case r.Driver.Insufficient:
			c.Undrawn++
		default:
			drawn = append(drawn, r)
		}
	}
	scale := niceMax(drawn)
	half := float64(impactW/2 - impactSide)
	x := func(v float64) float64 { return round1(float64(c.Zero) + half*v/scale) }
	for i, r := range drawn {
		c.Bars = append(c.Bars, newImpactBar(r, impactTop+i*impactRow, x))
	}
	c.AxisY = impactTop + len(drawn)*impactRow
	c.TickY, c.H = c.AxisY+14, c.AxisY+22
	for _, v := range []float64{-scale, -scale / 2, 0, scale / 2, scale} {
		c.Ticks = append(c.Ticks, tick{Pos: x(v), Label: signed(v), Minor: v != 0 && math.Abs(v) != scale})
	}
	c.Desc = fmt.Sprintf("%s; solid bars are beyond chance (95%%), hatched ones may be chance.", plural(len(drawn), "theme", "themes"))
	return c
}

func newImpactBar(r feedback.ThemeRow, y int, x func(float64) float64) impactBar {
	d := r.Driver
	b := impactBar{Name: shortName(r.Name), Value: signed(d.Impact), Y: y + (impactRow-impactBarH)/2,
		TextY: y + impactRow/2 + 4, Tone: "good", Solid: d.Significant}
	sig := "may be chance"
	if d.Significant {
		sig = "beyond chance"
	}
	b.Title = fmt.Sprintf("%s: impact %s NPS points (difference %s ±%.0f, %s)", r.Name, b.Value, signed(d.Difference),
		d.MarginOfError, sig)
	zero, end := x(0), x(d.Impact)
	b.X, b.W = min(zero, end), math.Max(round1(math.Abs(end-zero)), 1)
	if d.Impact < 0 {
		// A cost: the bar goes left, its name sits right of zero.
		b.Tone, b.NameX, b.ValueX, b.ValueEnd = "bad", zero+6, b.X-4, true
	} else {
		b.NameX, b.NameEnd, b.ValueX = zero-6, true, b.X+b.W+4
	}
	return b
}

// niceMax is the scale's end: a round number at least every drawn
// impact, so the ticks read well.
func niceMax(rows []feedback.ThemeRow) float64 {
	m := 0.0
	for _, r := range rows {
		m = math.Max(m, math.Abs(r.Driver.Impact))
	}
	for _, v := range []float64{2, 4, 6, 10, 20, 30, 40, 60, 80, 100} {
		if m <= v {
			return v
		}
	}
	return math.Ceil(m/20) * 20
}

// shortName cuts a long theme name for the chart; the table and the
// bar's tooltip have it whole.
func shortName(s string) string {
	if utf8.RuneCountInString(s) <= impactNameMax {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:impactNameMax-1])) + "…"
}
