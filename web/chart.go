package web

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// The trend chart's drawing area, in SVG user units; the page scales it
// to the card's width.
const (
	chartW, chartH                = 720, 260
	chartLeft, chartRight         = 56, 12
	chartTop, chartBottom         = 14, 34
	plotW                         = chartW - chartLeft - chartRight
	plotH                         = chartH - chartTop - chartBottom
	xLabelWidth           float64 = 52 // room one date label needs
)

// chartView is a weekly trend drawn on the server: the score as a line
// inside its margin-of-error band, a gap for each week with too few
// answers, and labelled axes. The template draws it as inline SVG.
type chartView struct {
	W, H       int
	Left, Top  int
	Right      int // x of the plot's right edge
	Bottom     int // y of the plot's bottom edge
	PlotH      int
	YLabelX    int // where the y axis labels end
	XLabelY    int // the x axis labels' baseline
	Title      string
	Desc       string
	YTicks     []tick
	XTicks     []tick
	Zero       *float64 // y of the zero line (NPS)
	Bands      []string // polygon points, one per run of weeks with a score
	Lines      []string // polyline points, one per run
	Weeks      []weekMark
	Sufficient int // weeks with a score
}

// tick is one axis label.
type tick struct {
	Pos   float64
	Label string
	Minor bool
}

// weekMark is one week: a point with its whisker when it has a score, a
// shaded gap when it has too few answers.
type weekMark struct {
	X, Y       float64
	Hi, Lo     float64 // the margin's ends, for a lone point's whisker
	Lone       bool    // no neighbour with a score: the band cannot show
	Sufficient bool
	GapX, GapW float64
	Title      string
}

// scaleOf is the fixed range of a kind's reported score.
func scaleOf(kind heed.SurveyKind) (lo, hi, step float64) {
	switch kind {
	case heed.SurveyCSAT:
		return 0, 100, 10
	case heed.SurveyCES:
		return 1, 7, 0.5
	}
	return -100, 100, 10
}

// newChart draws weeks (survey.Metrics groups by week) of a survey of
// kind.
func newChart(kind heed.SurveyKind, weeks []survey.Figures, minSample int) chartView {
	c := chartView{W: chartW, H: chartH, Left: chartLeft, Top: chartTop, Right: chartW - chartRight, Bottom: chartTop + plotH,
		PlotH: plotH, YLabelX: chartLeft - 8, XLabelY: chartTop + plotH + 20}
	lo, hi := chartDomain(kind, weeks)
	y := func(v float64) float64 {
		v = math.Max(lo, math.Min(hi, v))
		return round1(chartTop + plotH*(hi-v)/(hi-lo))
	}
	c.YTicks = yTicks(kind, lo, hi, y)
	if lo < 0 && hi > 0 {
		z := y(0)
		c.Zero = &z
	}
	n := len(weeks)
	colW := float64(plotW) / float64(max(n, 1))
	every := int(math.Ceil(xLabelWidth / colW))
	var upper, lower, line []string
	flush := func() {
		if len(line) > 1 {
			slices.Reverse(lower)
			c.Bands = append(c.Bands, strings.Join(append(upper, lower...), " "))
			c.Lines = append(c.Lines, strings.Join(line, " "))
		}
		upper, lower, line = nil, nil, nil
	}
	for i, g := range weeks {
		x := round1(chartLeft + colW*(float64(i)+0.5))
		day, _ := time.Parse(time.DateOnly, g.Key)
		if i%every == 0 {
			// Every other label is minor: a phone, where the chart is
			// small, shows only the others.
			c.XTicks = append(c.XTicks, tick{Pos: x, Label: day.Format("2 Jan"), Minor: len(c.XTicks)%2 == 1})
		}
		m := weekMark{X: x, GapX: round1(chartLeft + colW*float64(i)), GapW: round1(colW), Title: weekTitle(kind, day, g, minSample)}
		if g.Insufficient || g.Score == nil {
			flush()
			c.Weeks = append(c.Weeks, m)
			continue
		}
		moe := 0.0
		if g.MarginOfError != nil {
			moe = *g.MarginOfError
		}
		m.Sufficient, m.Y, m.Hi, m.Lo = true, y(*g.Score), y(*g.Score+moe), y(*g.Score-moe)
		c.Sufficient++
		upper = append(upper, point(x, m.Hi))
		lower = append(lower, point(x, m.Lo))
		line = append(line, point(x, m.Y))
		c.Weeks = append(c.Weeks, m)
	}
	flush()
	// A week with a score between two gaps has no band to sit in: it
	// gets a whisker instead.
	for i := range c.Weeks {
		w := &c.Weeks[i]
		prev := i > 0 && c.Weeks[i-1].Sufficient
		next := i+1 < len(c.Weeks) && c.Weeks[i+1].Sufficient
		w.Lone = w.Sufficient && !prev && !next
	}
	c.Title = kindLabel(kind) + " by week"
	c.Desc = fmt.Sprintf("%d weeks, %d with at least %d answers; the shaded band is the 95%% margin of error.", n, c.Sufficient, minSample)
	return c
}

// chartDomain zooms the y axis to the weeks' scores and margins, on
// whole steps of the scale, never beyond the scale itself.
func chartDomain(kind heed.SurveyKind, weeks []survey.Figures) (lo, hi float64) {
	slo, shi, step := scaleOf(kind)
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, g := range weeks {
		if g.Insufficient || g.Score == nil {
			continue
		}
		moe := 0.0
		if g.MarginOfError != nil {
			moe = *g.MarginOfError
		}
		lo, hi = math.Min(lo, *g.Score-moe), math.Max(hi, *g.Score+moe)
	}
	if math.IsInf(lo, 0) {
		return slo, shi
	}
	span := step * 2
	lo = math.Max(slo, math.Floor(lo/span)*span)
	hi = math.Min(shi, math.Ceil(hi/span)*span)
	if kind == heed.SurveyNPS {
		// Keep zero in view: whether NPS is above it is what people ask.
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	}
	if hi-lo < span {
		hi = math.Min(shi, lo+span)
		lo = hi - span
	}
	return lo, hi
}

// yTicks labels the y axis at about five round values.
func yTicks(kind heed.SurveyKind, lo, hi float64, y func(float64) float64) []tick {
	_, _, step := scaleOf(kind)
	for (hi-lo)/step > 6 {
		step *= 2
	}
	var out []tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		out = append(out, tick{Pos: y(v), Label: axisLabel(kind, v)})
	}
	return out
}

func axisLabel(kind heed.SurveyKind, v float64) string {
	switch kind {
	case heed.SurveyCSAT:
		return strconv.FormatFloat(v, 'f', 0, 64) + "%"
	case heed.SurveyCES:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	if v > 0 {
		return "+" + strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// weekTitle is a week's tooltip and its row in the table under the chart.
func weekTitle(kind heed.SurveyKind, day time.Time, g survey.Figures, minSample int) string {
	f := newFigures(kind, g)
	when := "Week of " + day.Format("2 Jan 2006")
	if f.Insufficient {
		return fmt.Sprintf("%s: not enough answers (n = %d < %d)", when, g.N, minSample)
	}
	return fmt.Sprintf("%s: %s %s %s (n = %d)", when, kindLabel(kind), f.Score, f.Margin, g.N)
}

func point(x, y float64) string {
	return strconv.FormatFloat(x, 'f', -1, 64) + "," + strconv.FormatFloat(y, 'f', -1, 64)
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
