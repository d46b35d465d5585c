package web_test

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/metrics"
)

// scoresFixture answers the NPS survey "visits": Leeds has two weeks
// with enough answers and one without, York too few in all, Bristol one
// full week.
func scoresFixture(e *env) []answer {
	e.seedSurvey("visits", heed.SurveyNPS)
	var as []answer
	as = append(as, many(24, "north-1", 10, weekDay(1))...)
	as = append(as, many(8, "north-1", 3, weekDay(1))...)
	as = append(as, many(4, "north-1", 7, weekDay(1))...)
	as = append(as, many(20, "north-1", 9, weekDay(3))...)
	as = append(as, many(11, "north-1", 6, weekDay(3))...)
	as = append(as, many(5, "north-1", 10, weekDay(5))...)
	as = append(as, many(6, "north-2", 8, weekDay(1))...)
	as = append(as, many(40, "south-1", 0, weekDay(2))...)
	e.seedAnswers("visits", as)
	return as
}

// npsOf computes the NPS and margin of the answers in units, as the page
// should show them, through the metrics package: the score rounded to a
// whole number with its sign, the margin to one decimal, both as they
// appear in the HTML.
func npsOf(as []answer, units ...string) (n int, score, margin string) {
	var s metrics.NPS
	for _, a := range as {
		for _, u := range units {
			if a.unit == u {
				s.Add(a.score)
			}
		}
	}
	r2 := func(v float64) float64 { return math.Round(v*100) / 100 }
	v := math.Round(r2(s.Score()))
	score = fmt.Sprintf("%+.0f", v)
	if v < 0 {
		score = "−" + score[1:]
	} else if v == 0 {
		score = "0"
	}
	// As html/template writes it: "+" escaped.
	score = strings.Replace(score, "+", "&#43;", 1)
	return s.N, score, fmt.Sprintf("±%.1f", r2(s.MarginOfError()))
}

// weeksWithEnough counts the weeks in which the answers of units reach
// the minimum sample.
func weeksWithEnough(as []answer, units ...string) int {
	per := map[time.Time]int{}
	for _, a := range as {
		for _, u := range units {
			if a.unit == u {
				per[a.at]++
			}
		}
	}
	n := 0
	for _, k := range per {
		if !metrics.Insufficient(k, metrics.MinSample) {
			n++
		}
	}
	return n
}

func TestScoresPanelChartAndUnits(t *testing.T) {
	e := newEnv(t, envOptions{})
	as := scoresFixture(e)
	c := e.signedIn("admin@acme.test")

	p := e.get(c, "/scores?survey=visits&unit=north")
	wantStatus(t, p, http.StatusOK, "north's scores")
	n, score, margin := npsOf(as, "north-1", "north-2")
	panel := between(p.body, `class="card score-panel"`, "</section>")
	for _, want := range []string{`<span class="score-value">` + score + `</span>`, `<span class="score-moe" title="95% margin of error">` + margin + `</span>`,
		fmt.Sprintf(`n = <strong class="num">%d</strong>`, n), "Promoters", "Passives", "Detractors"} {
		if !strings.Contains(panel, want) {
			t.Errorf("the panel lacks %q:\n%s", want, panel)
		}
	}

	// The chart: one group per week of the span, a point for each week
	// with enough answers, a shaded gap for the others, labelled axes.
	chart := between(p.body, `<svg class="chart"`, "</svg>")
	from := regexp.MustCompile(`id="from" name="from" type="date" value="([0-9-]+)"`).FindStringSubmatch(p.body)
	to := regexp.MustCompile(`id="to" name="to" type="date" value="([0-9-]+)"`).FindStringSubmatch(p.body)
	if chart == "" || from == nil || to == nil {
		t.Fatalf("no chart or span on the page:\n%s", p.body)
	}
	start, _ := time.Parse(time.DateOnly, from[1])
	end, _ := time.Parse(time.DateOnly, to[1])
	start = start.AddDate(0, 0, -((int(start.Weekday()) + 6) % 7))
	weeks := int(end.Sub(start).Hours()/24)/7 + 1
	enough := weeksWithEnough(as, "north-1", "north-2")
	if got := strings.Count(chart, `<g class="week`); got != weeks {
		t.Errorf("the chart has %d weeks, want %d (%s to %s)", got, weeks, from[1], to[1])
	}
	if got := strings.Count(chart, `<circle class="point"`); got != enough {
		t.Errorf("the chart has %d points, want one for each of the %d weeks with enough answers", got, enough)
	}
	if got := strings.Count(chart, `<rect class="gap"`); got != weeks-enough {
		t.Errorf("the chart has %d gaps, want %d", got, weeks-enough)
	}
	for _, want := range []string{`class="axis axis-y"`, `class="axis axis-x"`, `class="zero"`, "not enough answers (n = 5 &lt; 30)", `role="img"`} {
		if !strings.Contains(chart, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}

	// The units below, each rolled up: Leeds has a score, York too few.
	table := between(p.body, `id="units-title"`, "</table>")
	_, leeds, leedsMargin := npsOf(as, "north-1")
	for _, want := range []string{`<a href="/scores?from=`, `unit=north-1">Leeds</a>`, "<strong>" + leeds + "</strong> <span class=\"muted\">" + leedsMargin,
		`unit=north-2">York</a></th>
      <td data-label="n" class="num">6</td>
      
      <td data-label="NPS" class="muted">not enough answers</td>`} {
		if !strings.Contains(table, want) {
			t.Errorf("the units table lacks %q:\n%s", want, table)
		}
	}

	p = e.get(c, "/scores?survey=visits&unit=north-2")
	wantStatus(t, p, http.StatusOK, "york's scores")
	wantContains(t, p, "york's scores", "Not enough answers", "n = 6; a score needs at least 30 answers (n &lt; 30).")
	wantNotContains(t, p, "york's scores", `<span class="score-value">`, `id="units-title"`) // no units below York

	// The whole organisation by default: its one top unit, split into regions.
	p = e.get(c, "/scores")
	wantContains(t, p, "default scores", "<h1>Acme Ltd</h1>", `unit=north">North region</a>`, `unit=south">South region</a>`)
	_, south, _ := npsOf(as, "south-1")
	wantContains(t, p, "default scores", "<strong>"+south+"</strong>")
}

// TestScoresManagersSeeTheirSubtreeOnly checks, on both engines, that the
// scores, responses and invitations of another region stay hidden.
func TestScoresManagersSeeTheirSubtreeOnly(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) { managerScores(t, newEnv(t, envOptions{engine: engine})) })
	}
}

func managerScores(t *testing.T, e *env) {
	as := scoresFixture(e)
	nora := e.signedIn("nora@acme.test")
	p := e.get(nora, "/scores?survey=visits")
	wantStatus(t, p, http.StatusOK, "nora's scores")
	_, score, _ := npsOf(as, "north-1", "north-2")
	wantContains(t, p, "nora's scores", "<h1>North region</h1>", `<span class="score-value">`+score+`</span>`, ">Leeds</a>", ">York</a>")
	wantNotContains(t, p, "nora's scores", "Bristol", "South region")
	p = e.get(nora, "/scores?survey=visits&unit=south")
	wantStatus(t, p, http.StatusNotFound, "nora asking for the south")
	wantNotContains(t, p, "nora asking for the south", "Bristol")
	wantStatus(t, e.get(nora, "/scores?survey=visits&unit=south-1"), http.StatusNotFound, "nora asking for Bristol")
	wantStatus(t, e.get(e.signedIn("sam@acme.test"), "/scores?survey=visits&unit=north"), http.StatusNotFound, "sam asking for the north")

	// Leaving the unit out means all she may see, still only the north.
	p = e.get(nora, "/scores?survey=visits&unit=")
	wantContains(t, p, "nora's everything", "Everything you can see", `<span class="score-value">`+score+`</span>`)
	wantNotContains(t, p, "nora's everything", "Bristol")

	wantStatus(t, e.get(nora, "/responses?unit=south-1"), http.StatusNotFound, "nora's responses of Bristol")
	p = e.get(nora, "/responses?survey=visits&max=0")
	wantContains(t, p, "nora's detractors", "No responses match these filters.")

	p = e.get(e.signedIn("fred@acme.test"), "/scores?survey=visits")
	_, leeds, _ := npsOf(as, "north-1")
	wantContains(t, p, "fred's scores", "<h1>Leeds</h1>", `<span class="score-value">`+leeds+`</span>`)
}

func TestScoresOtherKinds(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.seedSurvey("support", heed.SurveyCSAT)
	var as []answer
	as = append(as, many(30, "south-1", 5, weekDay(1))...)
	as = append(as, many(10, "south-1", 2, weekDay(1))...)
	e.seedAnswers("support", as)
	p := e.get(e.signedIn("admin@acme.test"), "/scores?survey=support&unit=south")
	wantStatus(t, p, http.StatusOK, "CSAT scores")
	share := fmt.Sprintf("%.0f%%", 100*30.0/40)
	wantContains(t, p, "CSAT scores", "<h2 id=\"score-title\">CSAT</h2>", `<span class="score-value">`+share+`</span>`, "Satisfied (4–5)", "± is the 95% margin of error (")

	e.seedSurvey("none-yet", heed.SurveyCES)
	p = e.get(e.signedIn("admin@acme.test"), "/scores?survey=none-yet")
	wantContains(t, p, "no answers", "Not enough answers", "No week has enough answers")
	wantStatus(t, e.get(e.signedIn("admin@acme.test"), "/scores?survey=nope"), http.StatusNotFound, "unknown survey")
}

func TestScoresLinkedFromUnitPage(t *testing.T) {
	e := newEnv(t, envOptions{})
	wantContains(t, e.get(e.signedIn("nora@acme.test"), "/units/north-1"), "unit page", `href="/scores?unit=north-1"`)
	// Without surveys the page says so instead of failing.
	wantContains(t, e.get(e.signedIn("admin@acme.test"), "/scores"), "no surveys", "There are no surveys yet")
}
