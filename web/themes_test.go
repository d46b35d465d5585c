package web_test

import (
	"fmt"
	"html"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/web"
)

// tally counts NPS answers the way the page must: promoters 9–10,
// detractors 0–6.
type tally struct{ n, promoters, detractors int }

func (t *tally) add(score int) {
	t.n++
	switch {
	case score >= 9:
		t.promoters++
	case score <= 6:
		t.detractors++
	}
}

func (t tally) nps() float64 { return 100 * float64(t.promoters-t.detractors) / float64(t.n) }

// variance of the answers coded +1, 0, −1.
func (t tally) variance() float64 {
	p, d := float64(t.promoters)/float64(t.n), float64(t.detractors)/float64(t.n)
	return p + d - (p-d)*(p-d)
}

// plantedDrivers is what seedDrivers recorded for Leeds: the answers
// whose comment speaks of waiting, and the others.
type plantedDrivers struct{ waiting, rest tally }

// seedDrivers records 300 answers to "visits" in Leeds over the last
// twelve days — half the detractors complain of the queue (and a few
// passives), two in five promoters praise the staff, one in seven of
// every score mention parking, three the price — and eight happy
// answers in Bristol about its clean floors.
func seedDrivers(e *fbEnv) plantedDrivers {
	e.t.Helper()
	now := time.Now().UTC()
	var as []answer
	var pd plantedDrivers
	detractors, promoters := 0, 0
	for i := range 300 {
		score := []int{10, 9, 9, 10, 8, 7, 8, 6, 3, 5}[i%10]
		comment := "It was a visit."
		switch {
		case score == 7 && i%20 == 5:
			comment = "A short queue at the till."
		case score <= 6:
			detractors++
			if detractors%2 == 0 {
				comment = "The queue at the till was endless and we waited ages."
			}
		case score >= 9:
			promoters++
			if promoters%5 < 2 {
				comment = "Friendly and helpful staff."
			}
		}
		if i%7 == 3 {
			comment += " Parking was easy."
		}
		if i%100 == 50 {
			comment += " The price was fair."
		}
		if strings.Contains(comment, "queue") {
			pd.waiting.add(score)
		} else {
			pd.rest.add(score)
		}
		as = append(as, answer{unit: "north-1", score: score, comment: comment, at: now.Add(-time.Duration(i) * time.Hour)})
	}
	for i := range 8 {
		as = append(as, answer{unit: "south-1", score: 9, comment: "Lovely clean floors.", at: now.Add(-time.Duration(i) * time.Hour)})
	}
	e.seedAnswers("visits", as)
	return pd
}

// signedText writes an NPS figure as the page does: whole, with a true
// minus sign.
func signedText(v float64) string {
	n := int(math.Round(v))
	switch {
	case n > 0:
		return fmt.Sprintf("+%d", n)
	case n < 0:
		return fmt.Sprintf("−%d", -n)
	}
	return "0"
}

// TestThemesPageNamesWhatCostsNPS is the manager's question — which
// themes hurt? — through the whole system: answers recorded, comments
// read, the page's headline names the planted cost with its figures,
// computed here from the answers themselves; the other region sees none
// of it; the theme's link opens the explorer on that theme.
func TestThemesPageNamesWhatCostsNPS(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newFeedbackEnv(t, engine)
			pd := seedDrivers(e)
			nora := e.signedIn("nora@acme.test")
			p := e.get(nora, "/themes")
			wantStatus(t, p, http.StatusOK, "nora's themes")
			wantContains(t, p, "nora's themes", `<a href="/themes" aria-current="page">Themes</a>`,
				`href="/scores" aria-current="page" data-text="Feedback"`, "Themes and drivers", "North region")

			// The headline: Waiting and speed first, with the figures.
			costs := page{body: between(p.body, `id="costs"`, "</section>")}
			first := between(costs.body, "<li>", "</li>")
			all := pd.waiting.n + pd.rest.n
			diff := pd.waiting.nps() - pd.rest.nps()
			moe := 1.96 * math.Sqrt(pd.waiting.variance()/float64(pd.waiting.n)+pd.rest.variance()/float64(pd.rest.n)) * 100
			impact := float64(pd.waiting.n) / float64(all) * diff
			if diff >= 0 || math.Abs(diff) <= moe {
				t.Fatalf("the planted data is no significant cost: difference %.1f ± %.1f", diff, moe)
			}
			sentence := strings.Join(strings.Fields(html.UnescapeString(stripTags(first))), " ")
			want := fmt.Sprintf("Waiting and speed — mentioned in %.0f%% of answers (%d of %d); NPS %s when mentioned vs %s when not (±%.0f): costs %.0f NPS points.",
				100*float64(pd.waiting.n)/float64(all), pd.waiting.n, all, signedText(pd.waiting.nps()), signedText(pd.rest.nps()), moe, -impact)
			if sentence != want {
				t.Errorf("the headline's first line reads\n%s\nwant\n%s", sentence, want)
			}
			if strings.Contains(costs.body, "Staff and service</strong></a> — ") &&
				strings.Index(costs.body, "Staff and service") < strings.Index(costs.body, "What earns you NPS") {
				t.Error("staff, a gain, is listed among the costs")
			}
			wantContains(t, costs, "the headline", "What earns you NPS", "Staff and service", "adds ")
			wantNotContains(t, costs, "the headline", "Store and location", "Value and price")

			// The table: waiting rising (nothing before); parking said by
			// all alike, so no effect claimed; the price steady and too
			// rare to claim anything; staff significant and positive.
			waiting := page{body: html.UnescapeString(between(p.body, `<tr id="theme-waiting">`, "</tr>"))}
			wantContains(t, waiting, "the waiting row", "↑</span> Rising", "(0 before)", fmt.Sprintf(">%d</td>", pd.waiting.n),
				"chip chip-bad", fmt.Sprintf("%s / %s", signedText(pd.waiting.nps()), signedText(pd.rest.nps())),
				fmt.Sprintf(`<strong class="th-impact th-impact-bad">%s</strong>`, signedText(impact)))
			wantContains(t, page{body: between(p.body, `<tr id="theme-store">`, "</tr>")}, "the parking row", "not significant")
			value := page{body: between(p.body, `<tr id="theme-value">`, "</tr>")}
			wantContains(t, value, "the price row", "Steady", "too few answers (n=3)")
			wantNotContains(t, value, "the price row", "↑", "↓", "Rising")
			wantContains(t, page{body: between(p.body, `<tr id="theme-staff">`, "</tr>")}, "the staff row", "th-impact-good")
			if n := countMatches(p, `class="bar bar-bad"`); n != 1 {
				t.Errorf("the chart draws %d solid costs, want 1 (waiting)", n)
			}
			if n := countMatches(p, `class="bar bar-faint`); n != 1 {
				t.Errorf("the chart draws %d hatched bars, want 1 (parking)", n)
			}

			// The theme's link opens the explorer on it.
			m := regexp.MustCompile(`<tr id="theme-waiting">\s*<th scope="row" data-label="Theme"><a href="([^"]+)"`).FindStringSubmatch(p.body)
			if m == nil {
				t.Fatalf("no link on the waiting row:\n%s", waiting.body)
			}
			link := strings.ReplaceAll(m[1], "&amp;", "&")
			today := time.Now().UTC().Format(time.DateOnly)
			if !strings.HasPrefix(link, "/feedback?") || !strings.Contains(link, "theme=waiting") || !strings.Contains(link, "to="+today) {
				t.Errorf("the waiting link is %q", link)
			}
			x := e.get(nora, link)
			wantStatus(t, x, http.StatusOK, "the explorer from the link")
			wantContains(t, x, "the explorer from the link", `<option value="waiting" selected>Waiting and speed</option>`, "The queue at the till")
			wantNotContains(t, x, "the explorer from the link", "Friendly and helpful staff.")

			// Unit and kind go along to the explorer.
			p = e.get(nora, "/themes?unit=north-1&kind=survey&period=30")
			wantContains(t, p, "nora on Leeds' comments", `<option value="north-1" selected>`, `<option value="survey" selected>`,
				`<option value="30" selected>Last 30 days</option>`, "kind=survey&amp;theme=waiting", "unit=north-1")

			// The south's manager sees none of it.
			s := e.get(e.signedIn("sam@acme.test"), "/themes")
			wantStatus(t, s, http.StatusOK, "sam's themes")
			wantContains(t, s, "sam's themes", "No theme costs NPS beyond chance in this period.", "Cleanliness", "too few answers (n=8)")
			wantNotContains(t, s, "sam's themes", "Waiting and speed", "Staff and service", "Store and location", "Value and price")
		})
	}
}

// TestThemesPagePeriods: the period drop-down and the dates work
// together without script; a period with nothing says what to do; bad
// input is a clear error.
func TestThemesPagePeriods(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newFeedbackEnv(t, engine)
			seedDrivers(e)
			nora := e.signedIn("nora@acme.test")
			old := "from=2020-01-01&to=2020-01-31"
			for _, tc := range []struct {
				query string
				empty bool
			}{
				{"?" + old, true},
				// Dates typed while the drop-down stayed put win.
				{"?period=90&shown=90&" + old, true},
				// A preset chosen while old dates were shown wins.
				{"?period=30&shown=custom&" + old, false},
				{"?period=365", false},
			} {
				p := e.get(nora, "/themes"+tc.query)
				wantStatus(t, p, http.StatusOK, tc.query)
				empty := strings.Contains(p.body, "No theme was spoken of in this period")
				if empty != tc.empty || strings.Contains(p.body, "Waiting and speed") == tc.empty {
					t.Errorf("/themes%s: empty %v, want %v", tc.query, empty, tc.empty)
				}
			}
			p := e.get(nora, "/themes?"+old)
			wantContains(t, p, "an empty period", "1 Jan 2020 to 31 Jan 2020", "Try a longer period.",
				`<option value="custom" selected>Between the dates</option>`, `value="2020-01-01"`)
			wantNotContains(t, p, "an empty period", `id="costs"`, "<table")

			for query, status := range map[string]int{"?period=7": 400, "?from=yesterday": 400, "?from=2020-02-01&to=2020-01-01": 400,
				"?kind=fax": 400, "?survey=nope": 404} {
				wantStatus(t, e.get(nora, "/themes"+query), status, query)
			}
		})
	}
}

// TestThemesPageWithoutSurveyOrFeedback: with no feedback yet the page
// says where feedback comes from; with feedback but no NPS survey it
// shows the themes without the NPS columns and says why.
func TestThemesPageWithoutSurveyOrFeedback(t *testing.T) {
	e := newEnv(t, envOptions{})
	fb := feedback.New(e.store, feedback.Config{Logger: slog.New(slog.DiscardHandler)})
	h, err := web.New(web.Config{Directory: e.dir, Accounts: e.acc, Jobs: e.jobs, Surveys: e.sv, Feedback: fb, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	admin := e.signedIn("admin@acme.test")
	p := e.get(admin, "/themes")
	wantStatus(t, p, http.StatusOK, "no feedback")
	wantContains(t, p, "no feedback", "No feedback yet", `<a href="/programs">start a survey program</a>`)

	if _, err := fb.Record(t.Context(), heed.System(), "", []feedback.Input{{Kind: heed.FeedbackReview, Source: "google",
		ExternalID: "g-1", Unit: "north-1", Text: "The staff were rude and the queue took forever."}}); err != nil {
		t.Fatal(err)
	}
	p = e.get(admin, "/themes")
	wantContains(t, p, "a review, no NPS survey", "There is no NPS survey yet", `<a href="/surveys/new">Create an NPS survey</a>`,
		"Staff and service", "Waiting and speed")
	wantNotContains(t, p, "a review, no NPS survey", "NPS with / without", `class="impact"`)
}

// TestThemesPageNeedsService: without the feedback service there is no
// themes page, and no tab pointing at it.
func TestThemesPageNeedsService(t *testing.T) {
	e := newLoopEnv(t, "")
	c := e.signedIn("admin@acme.test")
	wantNotContains(t, e.get(c, "/scores"), "scores without the feedback service", `href="/themes"`)
	wantStatus(t, e.get(c, "/themes"), http.StatusNotFound, "themes without its service")
}

// TestBrowserThemesPage: a regional manager opens the themes from the
// feedback tabs; it reads cleanly on a desktop and fits a phone.
// Screenshots go where newShooter puts them ($HEED_SCREENSHOTS when set).
func TestBrowserThemesPage(t *testing.T) {
	e := newFeedbackEnv(t, "")
	seedDrivers(e)
	ctx := browser(t)
	shots := newShooter(t, ctx)
	must(t, "desktop viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
	browserSignIn(t, ctx, e.env, "nora@acme.test")
	must(t, "open the themes", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/scores"),
		chromedp.Click(css(`.tabs a[href="/themes"]`)),
		chromedp.WaitVisible(css(".th-table")),
	))
	got := text(t, ctx)
	for _, want := range []string{"What costs you NPS", "Waiting and speed — mentioned in", "What earns you NPS", "Impact on NPS",
		"too few answers (n=3)", "↑ Rising"} {
		if !strings.Contains(got, want) {
			t.Errorf("the themes page lacks %q:\n%s", want, got)
		}
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Math.round(document.querySelector("svg.impact").getBoundingClientRect().width)`))
	must(t, "measure the chart", err)
	if width < 300 {
		t.Errorf("the impact chart is %d px wide", width)
	}
	noBrokenWords(t, ctx, "desktop /themes")
	shots.shot("desktop-themes")

	must(t, "phone viewport", chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Reload(), chromedp.WaitVisible(css(".th-table"))))
	fits(t, ctx, "/themes", 375)
	// The chart's words stay readable once the phone shrinks it.
	size, err := chromedp.Run(ctx, chromedp.Evaluate[float64](
		`(() => { const t = document.querySelector("svg.impact text.name"); return t.getBoundingClientRect().height; })()`))
	must(t, "measure the chart's text", err)
	if size < 10 {
		t.Errorf("the chart's theme names are %.1f px tall on a phone", size)
	}
	shots.shot("phone-themes")
}

// stripTags drops the markup of a piece of a page, leaving what a reader
// sees.
func stripTags(s string) string { return regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, "") }
