package web

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/events"
)

// ladderMonths are the spans the form offers; the page starts with a
// year. The longest is bounded so that each month keeps a readable bar
// (the cost hardly grows with it: reading the histories dominates).
var ladderMonths = []int{3, 6, 12, 24, 36}

const (
	defaultLadderMonths = 12
	maxLadderMonths     = 36
)

// ladderBody is the content of ladder.html.
type ladderBody struct {
	Units  []unitOption
	Unit   string // the unit filter; "" for all the viewer sees
	Place  string // the unit's name, or what "" means for the viewer
	Months int
	Spans  []int
	Span   string // the months in words
	Rungs  []rungKey
	Chart  ladderChart
	Rows   []ladderRow
	Known  int    // customers known at the last point
	Took   string // how long the count took, "0.4 s"
}

// rungKey is a rung as the legend and the table's head name it.
type rungKey struct {
	Label string
	N     int // 1–7, bottom up: its colour
}

// ladderRow is one month of the table.
type ladderRow struct {
	Month  string // "Mar 2026"
	Sofar  bool   // the current month, counted up to now
	Counts []rungCount
	Known  int
}

type rungCount struct {
	Label string
	N     int
	Share string // of the customers known then: "12%"
}

// ladderPage shows the loyalty ladder of a unit's customers month by
// month (?unit=KEY, ?months=12): how many stood on each rung at the end
// of each month, as a stacked bar chart and a table. The events service
// replays every customer of the scope on every request, so the page
// starts at the viewer's own unit rather than the whole organisation,
// and says how long the count took.
func (s *server) ladderPage(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	q := r.URL.Query()
	months, err := ladderSpan(q.Get("months"))
	if err != nil {
		return err
	}
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	body := ladderBody{Units: unitOptions(units), Unit: strings.TrimSpace(q.Get("unit")), Months: months, Spans: ladderMonths}
	if !q.Has("unit") {
		body.Unit = defaultUnit(v, units)
	}
	if !slices.Contains(body.Spans, months) {
		body.Spans = append(slices.Clone(body.Spans), months)
		slices.Sort(body.Spans)
	}
	now := time.Now().UTC()
	from := time.Date(now.Year(), now.Month()-time.Month(months-1), 1, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	lad, err := s.ev.Ladder(ctx, v.P, body.Unit, from, time.Time{}, events.EveryMonth)
	if err != nil {
		return err
	}
	body.Took = tookText(time.Since(start))
	body.Place = placeName(body.Unit, units, v)
	body.fill(lad)
	return s.render(w, r, http.StatusOK, "ladder", view{Title: "Loyalty ladder", Section: "ladder", Body: body})
}

// tookText writes how long a count took: "85 ms", "2.4 s".
func tookText(d time.Duration) string {
	if d < time.Second {
		return strconv.FormatInt(max(d.Milliseconds(), 1), 10) + " ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
}

// ladderSpan reads ?months=: a year when empty, else 1 to maxLadderMonths.
func ladderSpan(s string) (int, error) {
	if s = strings.TrimSpace(s); s == "" {
		return defaultLadderMonths, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxLadderMonths {
		return 0, heed.FieldErrorf(heed.EInvalid, "months", "the span %q is not 1 to %d months", s, maxLadderMonths)
	}
	return n, nil
}

// fill turns the ladder into the page's chart and table.
func (b *ladderBody) fill(lad events.Ladder) {
	for i, r := range lad.Rungs {
		b.Rungs = append(b.Rungs, rungKey{Label: rungLabel(r), N: i + 1})
	}
	for i, p := range lad.Points {
		row := ladderRow{Month: p.At.Format("Jan 2006"), Known: p.Known,
			Sofar: i == len(lad.Points)-1 && !monthEnd(p.At)}
		for _, r := range lad.Rungs {
			row.Counts = append(row.Counts, rungCount{Label: rungLabel(r), N: p.Counts[r], Share: share(p.Counts[r], p.Known)})
		}
		b.Rows = append(b.Rows, row)
	}
	if n := len(lad.Points); n > 0 {
		first, last := lad.Points[0].At, lad.Points[n-1].At
		b.Known = lad.Points[n-1].Known
		b.Span = "End of " + first.Format("January 2006") + " to " + last.Format("2 January 2006")
	}
	b.Chart = newLadderChart(lad)
}

// monthEnd reports whether t is the last instant of its month (a
// point of events.Points), not a cut at now.
func monthEnd(t time.Time) bool {
	next := t.UTC().Add(time.Microsecond)
	return next.Equal(time.Date(next.Year(), next.Month(), 1, 0, 0, 0, 0, time.UTC))
}

// share writes n as a whole percentage of of; a few among many are
// "<1%", not "0%", so a rung someone stands on never reads as empty.
func share(n, of int) string {
	switch pct := 100 * float64(n) / float64(max(of, 1)); {
	case of == 0:
		return "—"
	case n > 0 && pct < 0.5:
		return "<1%"
	default:
		return fmt.Sprintf("%.0f%%", pct)
	}
}

// ladderChart is the ladder over time drawn on the server: a bar per
// month, stacked from the bottom rung up.
type ladderChart struct {
	W, H, Left, Right, Top, Bottom int
	YLabelX, XLabelY, YearY        int
	Title, Desc                    string
	YTicks                         []tick
	XTicks                         []tick
	Years                          []yearTick
	Bars                           []ladderBar
	Empty                          bool // nobody was known at any month
}

// yearTick is a year under the first month named of it. A phone shows
// only every other month's name (tick.Minor), so its years may sit
// elsewhere: Wide and Narrow say on which screens the label shows.
type yearTick struct {
	tick
	Wide, Narrow bool
}

// yearMarks remembers the years of the month names so far, on wide
// screens and on narrow ones.
type yearMarks struct{ wide, narrow int }

// add adds the year of a month name to list, where it starts a year.
func (m *yearMarks) add(list []yearTick, t tick, year int) []yearTick {
	y := yearTick{tick: tick{Pos: t.Pos, Label: strconv.Itoa(year)}}
	if year != m.wide {
		y.Wide, m.wide = true, year
	}
	if !t.Minor && year != m.narrow {
		y.Narrow, m.narrow = true, year
	}
	if y.Wide || y.Narrow {
		list = append(list, y)
	}
	return list
}

// ladderBar is one month's bar.
type ladderBar struct {
	Title string
	Parts []barPart
}

// barPart is one rung's share of a bar.
type barPart struct {
	X, Y, W, H float64
	N          int // the rung, 1–7: its colour
	Title      string
}

// The ladder chart's drawing area, in SVG user units, as the trend
// chart's (chart.go).
const (
	ladderH      = 300
	ladderBottom = 58 // the months' names and, under them, the years
	ladderPlotH  = ladderH - chartTop - ladderBottom
	ladderBarMax = 44.0 // a bar's widest, in units
)

func newLadderChart(lad events.Ladder) ladderChart {
	c := ladderChart{W: chartW, H: ladderH, Left: chartLeft, Right: chartW - chartRight, Top: chartTop,
		Bottom: chartTop + ladderPlotH, YLabelX: chartLeft - 8, XLabelY: chartTop + ladderPlotH + 20, YearY: chartTop + ladderPlotH + 44}
	top := 0
	for _, p := range lad.Points {
		top = max(top, p.Known)
	}
	c.Empty = top == 0
	step := niceStep(float64(max(top, 4)) / 4)
	hi := math.Ceil(float64(max(top, 1))/step) * step
	y := func(v float64) float64 { return round1(float64(c.Top) + float64(ladderPlotH)*(hi-v)/hi) }
	for v := 0.0; v <= hi+1e-9; v += step {
		c.YTicks = append(c.YTicks, tick{Pos: y(v), Label: compactCount(v)})
	}
	n := len(lad.Points)
	colW := float64(plotW) / float64(max(n, 1))
	barW := round1(math.Min(colW*0.7, ladderBarMax))
	every := int(math.Ceil(36 / colW)) // a month's name needs about 36 units
	var years yearMarks
	for i, p := range lad.Points {
		mid := float64(chartLeft) + colW*(float64(i)+0.5)
		if i%every == 0 {
			t := tick{Pos: round1(mid), Label: p.At.Format("Jan"), Minor: len(c.XTicks)%2 == 1}
			c.XTicks = append(c.XTicks, t)
			c.Years = years.add(c.Years, t, p.At.Year())
		}
		bar := ladderBar{Title: p.At.Format("January 2006") + ": " + plural(p.Known, "customer", "customers") + " known"}
		below := 0
		for j, r := range lad.Rungs {
			k := p.Counts[r]
			if k == 0 {
				continue
			}
			y0, y1 := y(float64(below)), y(float64(below+k))
			bar.Parts = append(bar.Parts, barPart{X: round1(mid - barW/2), Y: y1, W: barW, H: round1(y0 - y1), N: j + 1,
				Title: fmt.Sprintf("%s, %s: %s (%s)", p.At.Format("January 2006"), rungLabel(r), groupInt(k), share(k, p.Known))})
			below += k
		}
		c.Bars = append(c.Bars, bar)
	}
	c.Title = "The loyalty ladder, month by month"
	c.Desc = fmt.Sprintf("%d months; each bar is the customers known at the end of the month, stacked by rung from awareness at the bottom to loyalty at the top.", n)
	return c
}

// niceStep rounds a step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(math.Max(raw, 1))))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// compactCount writes an axis count short enough for a phone: 800, 2.5k, 12k.
func compactCount(v float64) string {
	if v < 1000 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v/1000, 'f', -1, 64) + "k"
}
