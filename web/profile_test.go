package web_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"
	"github.com/heedhq/heed"
	"github.com/heedhq/heed/events"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/loyalty"
)

// ago is n days before now (UTC), at the current time of day, so it is
// n calendar days back.
func ago(n int) time.Time { return time.Now().UTC().Add(-time.Duration(n) * 24 * time.Hour) }

// seedProfiles records, as an admin's import would, what the north's
// customers did, and what they said:
//
//	Alice (C-100, Leeds)  bought every 30 days until 200 days ago, three
//	                      support contacts this month, a 1-star review
//	                      and an NPS 2 answered now
//	Bob (C-101, York)     visited twice, never bought; a ticket
//	Carol (C-102, York)   nothing: known since she was added
//	Dan (C-200, Bristol)  a repeat buyer in the south
func seedProfiles(e *fbEnv) {
	e.t.Helper()
	dec := func(s string) heed.Decimal {
		d, err := heed.ParseDecimal(s)
		if err != nil {
			e.t.Fatal(err)
		}
		return d
	}
	in := []events.Input{
		{Customer: "C-100", Kind: heed.EventPurchase, At: ago(260), Amount: dec("40"), Source: "shop", ExternalID: "p-1"},
		{Customer: "C-100", Kind: heed.EventPurchase, At: ago(230), Amount: dec("55.50"), Source: "shop", ExternalID: "p-2"},
		{Customer: "C-100", Kind: heed.EventPurchase, At: ago(200), Amount: dec("1250"), Source: "shop", ExternalID: "p-3"},
		{Customer: "C-100", Kind: heed.EventSupport, At: ago(20), Source: "helpdesk", ExternalID: "s-1"},
		{Customer: "C-100", Kind: heed.EventSupport, At: ago(10), Source: "helpdesk", ExternalID: "s-2"},
		{Customer: "C-100", Kind: heed.EventSupport, At: ago(5), Source: "helpdesk", ExternalID: "s-3"},
		{Customer: "C-101", Kind: heed.EventVisit, At: ago(100), Source: "store", ExternalID: "v-1"},
		{Customer: "C-101", Kind: heed.EventVisit, At: ago(40), Source: "store", ExternalID: "v-2"},
		{Customer: "C-200", Kind: heed.EventPurchase, At: ago(300), Amount: dec("20"), Source: "shop", ExternalID: "p-4"},
		{Customer: "C-200", Kind: heed.EventPurchase, At: ago(150), Amount: dec("30"), Source: "shop", ExternalID: "p-5"},
		{Customer: "C-200", Kind: heed.EventPurchase, At: ago(20), Amount: dec("25"), Source: "shop", ExternalID: "p-6"},
	}
	if _, err := e.ev.Record(context.Background(), heed.System(), "", in); err != nil {
		e.t.Fatalf("record events: %v", err)
	}
	one := 1
	days := func(n int) *time.Time { t := ago(n); return &t }
	e.record(
		feedback.Input{Kind: heed.FeedbackReview, Source: "google", ExternalID: "g-1", Platform: "Google Maps", Customer: "C-100",
			Rating: &one, Text: "The staff were rude and the queue took forever.", At: days(3)},
		feedback.Input{Kind: heed.FeedbackTicket, Source: "zendesk", ExternalID: "z-1", Customer: "C-101", Title: "Where is my order?",
			Text: "My parcel never arrived and nobody answered my emails.", At: days(2)},
	)
	e.answerAs("C-100", 2, "Waited forty minutes at the till.")
}

// TestCustomerProfile: the customer page shows where the customer stands
// on the ladder and why, their churn risk with each factor, their
// purchases, their latest events and what they said from every source;
// a manager of another region cannot open it.
func TestCustomerProfile(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newFeedbackEnv(t, engine)
			seedProfiles(e)
			p := e.get(e.signedIn("nora@acme.test"), "/customers/C-100")
			wantStatus(t, p, http.StatusOK, "nora opens Alice")
			prof, err := e.ev.Profile(context.Background(), heed.System(), "C-100")
			if err != nil {
				t.Fatal(err)
			}
			if prof.Rung != loyalty.RungPurchase || prof.Churn.Level != loyalty.LevelHigh {
				t.Fatalf("the fixture is not what the test means: %s, %s %d", prof.Rung, prof.Churn.Level, prof.Churn.Score)
			}
			profile := page{status: p.status, body: between(p.body, `class="card profile"`, `class="cust-feedback"`)}
			// The rung, highlighted among the seven, and why.
			wantContains(t, profile, "rung", `aria-current="step"><span class="ls-bar ls-h3" aria-hidden="true"></span><span class="ls-label">Purchase</span>`,
				"step 3 of 7", html.EscapeString(capital(prof.RungReason))+".", "Held at purchase: scored 2 (NPS, detractor)", "would otherwise be repeat purchase",
				`href="/ladder?unit=north-1"`)
			if n := strings.Count(profile.body, `<li class="ls `); n != 7 {
				t.Errorf("the ladder strip has %d rungs, want 7", n)
			}
			// The churn risk: 50 + 15 + 10, high, and each factor (the
			// template escapes "+").
			wantContains(t, profile, "churn", `churn-bad">75</span>`, `chip chip-bad">High</span>`,
				`pts-up">&#43;50</span> <span><span class="factor-name">no purchase for 200 days</span> <span class="muted">· usually buys every 30 days</span>`,
				`factor-name">detractor</span>`, `pts-up">&#43;10</span> <span><span class="factor-name">support contacts</span> <span class="muted">· 3 in the last 30 days</span>`)
			// The purchases and the latest events, newest first.
			wantContains(t, profile, "purchases", "200 days ago", "3 purchases, worth <span class=\"num\">1,345.5</span>",
				`<span class="ev-label">Support contact</span><span class="ev-day" title="`+formatUTC(ago(5))+`">`+ago(5).Format("2 Jan 2006"),
				`<span class="ev-label">Purchase</span><span class="ev-day" title="`+formatUTC(ago(200))+`">`+ago(200).Format("2 Jan 2006")+`</span><span class="ev-amount num">1,250</span>`)
			if i, j := strings.Index(profile.body, "ev-support"), strings.Index(profile.body, "ev-purchase"); i < 0 || j < i {
				t.Error("the latest events are not newest first")
			}
			// What Alice said, from every source; nobody else's words.
			fb := between(p.body, `class="cust-feedback"`, `class="cust-side"`)
			for _, want := range []string{"The staff were rude and the queue took forever.", "Google Maps", `aria-label="1 of 5 stars"`,
				`<span class="chip chip-bad" title="Sentiment`, "Waited forty minutes at the till.", "Survey comment", "Survey visits", "chip-theme"} {
				if !strings.Contains(fb, want) {
					t.Errorf("Alice's feedback lacks %q", want)
				}
			}
			wantNotContains(t, p, "feedback", "My parcel never arrived")
			if i, j := strings.Index(fb, "Waited forty"), strings.Index(fb, "The staff were rude"); i < 0 || j < i {
				t.Error("the feedback is not newest first")
			}

			// Outside a manager's region the customer is not there at all.
			wantStatus(t, e.get(e.signedIn("sam@acme.test"), "/customers/C-100"), http.StatusNotFound, "sam opens Alice")
			// Someone who never bought: no last purchase, an honest empty state.
			bob := e.get(e.signedIn("nora@acme.test"), "/customers/C-101")
			wantContains(t, bob, "bob", `ls-label">Consideration</span>`, "Never bought", "0 purchases", "My parcel never arrived")
		})
	}
}

// TestCustomerPageWithoutEvents: without the events service the page
// is what it was, without a profile.
func TestCustomerPageWithoutEvents(t *testing.T) {
	e := newEnv(t, envOptions{})
	p := e.get(e.signedIn("nora@acme.test"), "/customers/C-100")
	wantStatus(t, p, http.StatusOK, "customer page")
	wantContains(t, p, "customer page", "Alice Archer", "Contact", "Relationship", "Attributes")
	wantNotContains(t, p, "customer page", "Churn risk", "Loyalty ladder", `href="/ladder"`)
	wantStatus(t, e.get(e.signedIn("nora@acme.test"), "/ladder"), http.StatusNotFound, "ladder without events")
}

// TestLadderPage: the ladder page counts, month by month, the customers
// of the viewer's unit on each rung exactly as events.Service does, and
// draws each count; another region's unit is not there.
func TestLadderPage(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newFeedbackEnv(t, engine)
			seedProfiles(e)
			nora := e.signedIn("nora@acme.test")
			p := e.get(nora, "/ladder")
			wantStatus(t, p, http.StatusOK, "nora's ladder")
			wantContains(t, p, "ladder", `<option value="north" selected>`, `<h1>North region</h1>`, `href="/ladder" aria-current="page">Ladder</a>`)

			now := time.Now().UTC()
			lad, err := e.ev.Ladder(context.Background(), heed.System(), "north",
				time.Date(now.Year(), now.Month()-11, 1, 0, 0, 0, 0, time.UTC), time.Time{}, events.EveryMonth)
			if err != nil {
				t.Fatal(err)
			}
			rows := ladderRows(t, p)
			if len(rows) != 12 || len(lad.Points) != 12 {
				t.Fatalf("%d rows on the page, %d points from the service; want 12", len(rows), len(lad.Points))
			}
			drawn := 0
			for i, pt := range lad.Points {
				got := rows[i]
				if got.month != pt.At.Format("Jan 2006") {
					t.Errorf("row %d is %q, want %s", i, got.month, pt.At.Format("Jan 2006"))
				}
				for _, r := range lad.Rungs {
					if n := got.counts[rungName(r)]; n != pt.Counts[r] {
						t.Errorf("%s, %s: the page says %d, the service %d", got.month, r, n, pt.Counts[r])
					}
					if pt.Counts[r] > 0 {
						drawn++
					}
				}
				if got.counts["Known"] != pt.Known {
					t.Errorf("%s: %d known on the page, %d by the service", got.month, got.counts["Known"], pt.Known)
				}
			}
			// Now: Alice held at purchase, Bob considering, Carol just
			// known; Dan is in the south.
			last := rows[11].counts
			if last["Purchase"] != 1 || last["Consideration"] != 1 || last["Awareness"] != 1 || last["Known"] != 3 {
				t.Errorf("this month's row is %v, want awareness, consideration and purchase 1 each of 3", last)
			}
			// Seven months ago Alice was a repeat buyer.
			if rows[4].counts["Repeat purchase"]+rows[5].counts["Repeat purchase"] == 0 {
				t.Errorf("Alice's repeat purchases do not show: %v", rows[4:6])
			}
			chart := between(p.body, `<svg class="chart ladder-chart"`, `</svg>`)
			if n := strings.Count(chart, `<g class="ladder-bar">`); n != 12 {
				t.Errorf("the chart has %d bars, want 12", n)
			}
			if n := countMatches(page{body: chart}, `<rect class="lr-\d"`); n != drawn {
				t.Errorf("the chart has %d parts, want one per non-zero count: %d", n, drawn)
			}

			// A span, the whole of what nora sees, and what she may not see.
			wantStatus(t, e.get(nora, "/ladder?unit=&months=3"), http.StatusOK, "three months of everything")
			if rows := ladderRows(t, e.get(nora, "/ladder?unit=north-2&months=3")); len(rows) != 3 || rows[2].counts["Known"] != 2 {
				t.Errorf("York over three months: %v", rows)
			}
			wantStatus(t, e.get(nora, "/ladder?months=99"), http.StatusBadRequest, "99 months")
			wantStatus(t, e.get(e.signedIn("sam@acme.test"), "/ladder?unit=north"), http.StatusNotFound, "sam reads the north")
		})
	}
}

// ladderRow is one row of the ladder's table: the month and the count
// of each column.
type ladderRowGot struct {
	month  string
	counts map[string]int
}

var (
	rowRE  = regexp.MustCompile(`(?s)<th scope="row" data-label="Month"><span><span class="nowrap">([^<]+)</span>.*?</th>(.*?)</tr>`)
	cellRE = regexp.MustCompile(`<td data-label="([^"]+)" class="num(?: zero)?">(?:<span class="nowrap">|<strong>)([\d,]+)`)
)

func ladderRows(t *testing.T, p page) []ladderRowGot {
	t.Helper()
	var out []ladderRowGot
	for _, m := range rowRE.FindAllStringSubmatch(between(p.body, `<tbody>`, `</tbody>`), -1) {
		row := ladderRowGot{month: strings.TrimSpace(m[1]), counts: map[string]int{}}
		for _, c := range cellRE.FindAllStringSubmatch(m[2], -1) {
			n, err := strconv.Atoi(strings.ReplaceAll(c[2], ",", ""))
			if err != nil {
				t.Fatal(err)
			}
			row.counts[c[1]] = n
		}
		if len(row.counts) != 8 {
			t.Fatalf("the row of %s has %d numbers, want 7 rungs and the known: %s", row.month, len(row.counts), m[2])
		}
		out = append(out, row)
	}
	return out
}

// rungName is how the page heads a rung's column.
func rungName(r loyalty.Rung) string { return capital(strings.ReplaceAll(string(r), "_", " ")) }

func capital(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func formatUTC(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") }

// TestBrowserCustomerAndLadder looks at both pages as a person would, on
// a desktop and a phone: nothing overflows, no word breaks, the steps of
// the ladder and the chart's bars are drawn. Screenshots go where
// newShooter puts them ($HEED_SCREENSHOTS when set).
func TestBrowserCustomerAndLadder(t *testing.T) {
	ctx := browser(t)
	e := newFeedbackEnv(t, "")
	seedProfiles(e)
	shots := newShooter(t, ctx)
	must(t, "desktop viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
	browserSignIn(t, ctx, e.env, "nora@acme.test")
	for _, size := range []struct {
		suffix string
		width  int
	}{{"", 1280}, {"-phone", 375}} {
		if size.width == 375 {
			must(t, "phone viewport", chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2))))
		}
		must(t, "customer", chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/customers/C-100"), chromedp.WaitVisible(css(".profile"))))
		got := text(t, ctx)
		for _, want := range []string{"Purchase", "step 3 of 7", "Held at purchase", "75", "High", "no purchase for 200 days", "200 days ago", "The staff were rude"} {
			if !strings.Contains(got, want) {
				t.Errorf("customer page at %d px lacks %q", size.width, want)
			}
		}
		steps, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[...document.querySelectorAll(".ls-bar")].map(b => Math.round(b.getBoundingClientRect().height))`))
		must(t, "measure steps", err)
		for i := 1; i < len(steps); i++ {
			if len(steps) != 7 || steps[i] <= steps[i-1] {
				t.Errorf("at %d px the ladder's steps do not rise: %v", size.width, steps)
				break
			}
		}
		fits(t, ctx, "/customers/C-100", size.width)
		shots.shot("customer" + size.suffix)

		must(t, "ladder", chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/ladder"), chromedp.WaitVisible(css("svg.ladder-chart"))))
		bars, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.ladder-chart rect").length`))
		must(t, "count bars", err)
		if bars == 0 {
			t.Errorf("at %d px the ladder chart draws nothing", size.width)
		}
		fits(t, ctx, "/ladder", size.width)
		shots.shot("ladder" + size.suffix)
	}
}
