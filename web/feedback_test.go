package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/web"
)

// fbEnv is loopEnv with the feedback explorer served.
type fbEnv struct {
	*loopEnv
	fb *feedback.Service
}

// newFeedbackEnv is newLoopEnv whose web UI also has the feedback and
// events services, as heed serve wires it (feedback.Service keeps no
// state, so a second one over the store is the one cases.Wire made).
func newFeedbackEnv(t *testing.T, engine string) *fbEnv {
	t.Helper()
	le := loopServices(t, engine)
	fb := feedback.New(le.store, feedback.Config{Logger: slog.New(slog.DiscardHandler)})
	le.serve(web.Config{Feedback: fb, Events: le.ev})
	return &fbEnv{loopEnv: le, fb: fb}
}

// record stores items as an admin's import would and returns their ids
// by external id.
func (e *fbEnv) record(in ...feedback.Input) map[string]int64 {
	e.t.Helper()
	recs, err := e.fb.Record(context.Background(), heed.System(), "", in)
	if err != nil {
		e.t.Fatalf("record feedback: %v", err)
	}
	ids := map[string]int64{}
	for i, r := range recs {
		ids[in[i].ExternalID] = r.ID
	}
	return ids
}

// fbFixture is what seedFeedback stored.
type fbFixture struct {
	ids  map[string]int64
	kase int64 // Alice's open case
	long string
}

// seedFeedback stores items of every kind in both regions, and a
// detractor's answer that opens a case for Alice (C-100, Leeds):
//
//	north: g-1 Alice's 1-star Google review, z-1 Bob's ticket (a formula),
//	       t-1 Carol's call, n-1 a long note about Leeds, Alice's survey comment
//	south: g-2 an unmatched 5-star review of Bristol, s-1 Dan's post
func seedFeedback(e *fbEnv) fbFixture {
	e.t.Helper()
	days := func(n int) *time.Time { t := time.Now().UTC().Add(-time.Duration(n) * 24 * time.Hour); return &t }
	one, five := 1, 5
	long := strings.Repeat("The fitting rooms were closed again and the shelves were half empty. ", 9) + "TAIL-MARKER at the very end."
	ids := e.record(
		feedback.Input{Kind: heed.FeedbackReview, Source: "google", ExternalID: "g-1", Platform: "Google Maps", Customer: "C-100",
			Rating: &one, Text: "The staff were rude and the queue took forever.", At: days(3)},
		feedback.Input{Kind: heed.FeedbackTicket, Source: "zendesk", ExternalID: "z-1", Customer: "C-101", Title: "Where is my order?",
			Text: "=SUM(A1) my parcel never arrived and nobody answered my emails.", At: days(2)},
		feedback.Input{Kind: heed.FeedbackTranscript, Source: "aircall", ExternalID: "t-1", Customer: "C-102", At: days(1),
			Turns: []heed.Turn{{Speaker: "agent", Text: "Hello, how can I help?"}, {Speaker: "customer", Text: "I want a refund for the broken kettle."},
				{Speaker: "agent", Text: "Of course, it is on its way."}, {Speaker: "customer", Text: "Thanks, you were very helpful and quick."}}},
		feedback.Input{Kind: heed.FeedbackNote, Source: "store-visits", ExternalID: "n-1", Unit: "north-1", Author: "Area visit", Text: long, At: days(1)},
		feedback.Input{Kind: heed.FeedbackReview, Source: "trustpilot", ExternalID: "g-2", Author: "Jo Walker", Unit: "south-1",
			Rating: &five, Text: "Lovely clean store in Bristol, great prices!", At: days(10)},
		feedback.Input{Kind: heed.FeedbackSocial, Source: "x", ExternalID: "s-1", Customer: "C-200",
			Text: "The checkout page crashed twice before I could pay. Terrible app.", At: days(1)},
	)
	kase := e.answerAs("C-100", 2, "Waited forty minutes at the till.")
	if kase == 0 {
		e.t.Fatal("Alice's detractor answer opened no case")
	}
	return fbFixture{ids: ids, kase: kase, long: long}
}

// fbItem is the part of the explorer's page that shows one item.
func fbItem(p page, id int64) page {
	return page{status: p.status, body: between(p.body, fmt.Sprintf(`id="item-%d"`, id), `<li class="fb-item`)}
}

// TestFeedbackExplorerScopeAndItems: a regional manager sees their
// region's feedback, each item with its stars, sentiment, themes, and
// beside it the customer and their open case; never the other region's.
func TestFeedbackExplorerScopeAndItems(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newFeedbackEnv(t, engine)
			f := seedFeedback(e)
			p := e.get(e.signedIn("nora@acme.test"), "/feedback")
			wantStatus(t, p, http.StatusOK, "nora's explorer")
			wantContains(t, p, "nora's explorer", "The staff were rude", "my parcel never arrived", "I want a refund for the broken kettle.",
				"TAIL-MARKER", "Waited forty minutes at the till.",
				`<a href="/feedback" aria-current="page">Explorer</a>`, `href="/scores" aria-current="page" data-text="Feedback"`)
			wantNotContains(t, p, "nora's explorer", "Lovely clean store", "Jo Walker", "Terrible app", "Dan Dale")

			g1 := fbItem(p, f.ids["g-1"])
			wantContains(t, g1, "Alice's review", "Review", "google", "Google Maps", `aria-label="1 of 5 stars"`,
				`<span class="chip chip-bad"`, ">Negative</span>",
				`chip chip-theme chip-bad" title="Staff and service: negative (−0.`, ")\">Staff and service</span>",
				`chip chip-theme chip-bad`, ">Waiting and speed</span>",
				`<a href="/customers/C-100">Alice Archer</a>`, "Leeds", fmt.Sprintf(`href="/cases/%d">Open case #%d</a>`, f.kase, f.kase))
			// Bob has no case: none is shown beside his ticket.
			z1 := fbItem(p, f.ids["z-1"])
			wantContains(t, z1, "Bob's ticket", "Ticket", "Where is my order?", `<a href="/customers/C-101">Bob Baker</a>`, "York",
				">Delivery</span>")
			wantNotContains(t, z1, "Bob's ticket", "Open case", "stars")
			// The call's turns are behind a <details>; the long note's end too.
			wantContains(t, fbItem(p, f.ids["t-1"]), "Carol's call", `<details class="fb-turns"><summary>The conversation, 4 turns</summary>`,
				`<span class="turn-who">agent</span> <span class="turn-text">Hello, how can I help?</span>`)
			n1 := fbItem(p, f.ids["n-1"])
			head := between(n1.body, `<p class="comment fb-text">`, "</p>")
			if strings.Contains(head, "TAIL-MARKER") || !strings.Contains(head, "The fitting rooms were closed") {
				t.Errorf("the long note is not cut: %q", head)
			}
			wantContains(t, page{body: between(n1.body, `<details class="fb-more">`, "</details>")}, "the rest of the note", "TAIL-MARKER")
			wantContains(t, n1, "the note", "Area visit", "not a known customer", "Leeds")

			s := e.get(e.signedIn("sam@acme.test"), "/feedback")
			wantContains(t, s, "sam's explorer", "Lovely clean store", "Jo Walker", "not a known customer", "Bristol",
				`aria-label="5 of 5 stars"`, "Terrible app", `<a href="/customers/C-200">Dan Dale</a>`)
			wantNotContains(t, s, "sam's explorer", "The staff were rude", "my parcel", "TAIL-MARKER", "Alice Archer")
		})
	}
}

// TestFeedbackExplorerFilters: each filter narrows the list as a person
// using the form would expect; bad input is a clear 400.
func TestFeedbackExplorerFilters(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newFeedbackEnv(t, engine)
			seedFeedback(e)
			texts := map[string]string{"g-1": "The staff were rude", "z-1": "my parcel never arrived", "t-1": "broken kettle",
				"n-1": "TAIL-MARKER", "g-2": "Lovely clean store", "s-1": "Terrible app", "survey": "Waited forty minutes"}
			day := func(n int) string { return time.Now().UTC().AddDate(0, 0, -n).Format(time.DateOnly) }
			c := e.signedIn("admin@acme.test")
			for _, tc := range []struct {
				query string
				want  []string // external ids; the rest must not show
			}{
				{"", []string{"g-1", "z-1", "t-1", "n-1", "g-2", "s-1", "survey"}},
				{"?q=rude", []string{"g-1"}},
				{"?q=PARCEL+emails", []string{"z-1"}},
				{"?q=parcel+kettle", nil},
				{"?theme=delivery", []string{"z-1"}},
				{"?theme=cleanliness", []string{"g-2"}},
				{"?sentiment=negative&unit=south", []string{"s-1"}},
				{"?sentiment=positive&kind=review", []string{"g-2"}},
				{"?kind=transcript", []string{"t-1"}},
				{"?kind=survey", []string{"survey"}},
				{"?source=zendesk", []string{"z-1"}},
				{"?min_rating=4", []string{"g-2"}},
				{"?max_rating=2", []string{"g-1"}},
				{"?unit=north-2", []string{"z-1", "t-1"}},
				{"?from=" + day(2) + "&to=" + day(1), []string{"z-1", "t-1", "n-1", "s-1"}},
				{"?to=" + day(5), []string{"g-2"}},
			} {
				p := e.get(c, "/feedback"+tc.query)
				wantStatus(t, p, http.StatusOK, tc.query)
				for ext, text := range texts {
					if shown, want := strings.Contains(p.body, text), slices.Contains(tc.want, ext); shown != want {
						t.Errorf("/feedback%s: %s shown %v, want %v", tc.query, ext, shown, want)
					}
				}
			}
			p := e.get(c, "/feedback?theme=staff&sentiment=negative&q=rude")
			wantContains(t, p, "filters kept", `<option value="staff" selected>Staff and service</option>`,
				`<option value="negative" selected>Negative</option>`, `id="q" name="q" type="search" value="rude"`,
				`href="/feedback.csv?q=rude&amp;sentiment=negative&amp;theme=staff"`, `<a class="btn btn-quiet" href="/feedback">Clear</a>`)
			for _, bad := range []string{"?min_rating=9", "?max_rating=two", "?from=yesterday", "?before=x", "?theme=weather",
				"?sentiment=angry", "?kind=fax"} {
				wantStatus(t, e.get(c, "/feedback"+bad), http.StatusBadRequest, bad)
			}
			// Asking for a region she may not see shows her nothing of it.
			p = e.get(e.signedIn("nora@acme.test"), "/feedback?unit=south")
			wantStatus(t, p, http.StatusOK, "nora filtering on the south")
			wantNotContains(t, p, "nora filtering on the south", texts["g-2"], texts["s-1"])
			wantContains(t, p, "nora filtering on the south", "No feedback matches these filters.")
		})
	}
}

// TestFeedbackExplorerPaging: 50 items a page, "Older →" to the next,
// "Newest" back, the filters kept.
func TestFeedbackExplorerPaging(t *testing.T) {
	e := newFeedbackEnv(t, "")
	var in []feedback.Input
	for i := range 57 {
		in = append(in, feedback.Input{Kind: heed.FeedbackNote, Source: "notes", ExternalID: fmt.Sprint(i), Unit: "north-1",
			Text: fmt.Sprintf("remark %03d about the shop", i)})
	}
	e.record(in...)
	c := e.signedIn("nora@acme.test")
	first := e.get(c, "/feedback?q=remark")
	wantContains(t, first, "first page", "remark 056", "remark 007", `rel="next">Older →</a>`)
	wantNotContains(t, first, "first page", "remark 006", ">Newest</a>")
	next := regexp.MustCompile(`href="(/feedback\?[^"]+)" rel="next"`).FindStringSubmatch(first.body)
	if next == nil {
		t.Fatal("no link to the older items")
	}
	second := e.get(c, strings.ReplaceAll(next[1], "&amp;", "&"))
	wantContains(t, second, "second page", "remark 006", "remark 000", `href="/feedback?q=remark">Newest</a>`)
	wantNotContains(t, second, "second page", "remark 007", "Older →")
}

// TestFeedbackCSV: the export holds every item the viewer may see that
// the filters select, formulas defused, numbers kept numbers.
func TestFeedbackCSV(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newFeedbackEnv(t, engine)
			f := seedFeedback(e)
			nora := e.signedIn("nora@acme.test")
			p := e.get(nora, "/feedback.csv")
			wantStatus(t, p, http.StatusOK, "nora's export")
			if ct, cd := p.header.Get("Content-Type"), p.header.Get("Content-Disposition"); ct != "text/csv; charset=utf-8" ||
				!regexp.MustCompile(`^attachment; filename="heed-feedback-\d{4}-\d\d-\d\d\.csv"$`).MatchString(cd) {
				t.Errorf("export headers: Content-Type %q, Content-Disposition %q", ct, cd)
			}
			rows := readCSV(t, p.body)
			want := "id,at,kind,source,platform,external_id,customer,customer_name,author,unit,rating,language,sentiment,label,themes,title,text"
			if got := strings.Join(rows[0], ","); got != want {
				t.Fatalf("header\n%s\nwant\n%s", got, want)
			}
			byExt := map[string][]string{}
			for _, r := range rows[1:] {
				byExt[r[5]] = r
			}
			if len(rows) != 6 || byExt["g-1"] == nil || byExt["z-1"] == nil || byExt["t-1"] == nil || byExt["n-1"] == nil {
				t.Fatalf("nora's export has %d rows, want her region's 5:\n%s", len(rows)-1, p.body)
			}
			if byExt["g-2"] != nil || byExt["s-1"] != nil {
				t.Errorf("nora's export holds the south's items:\n%s", p.body)
			}
			g1, z1 := byExt["g-1"], byExt["z-1"]
			if g1[0] != strconv.FormatInt(f.ids["g-1"], 10) || g1[2] != "review" || g1[4] != "Google Maps" || g1[6] != "C-100" ||
				g1[7] != "Alice Archer" || g1[9] != "north-1" || g1[10] != "1" || g1[13] != "negative" || g1[14] != "staff;waiting" {
				t.Errorf("Alice's review exported as %q", g1)
			}
			if s, err := strconv.ParseFloat(g1[12], 64); err != nil || s >= 0 {
				t.Errorf("Alice's sentiment %q: not a negative number (%v)", g1[12], err)
			}
			if z1[16] != "'=SUM(A1) my parcel never arrived and nobody answered my emails." || z1[15] != "Where is my order?" {
				t.Errorf("Bob's ticket exported as %q", z1)
			}
			if n1 := byExt["n-1"]; n1[16] != f.long || n1[8] != "Area visit" || n1[6] != "" {
				t.Errorf("the note exported as %q", n1)
			}

			filtered := readCSV(t, e.get(nora, "/feedback.csv?q=parcel&kind=ticket").body)
			if len(filtered) != 2 || filtered[1][5] != "z-1" {
				t.Errorf("the export of q=parcel: %q", filtered)
			}
			south := readCSV(t, e.get(e.signedIn("sam@acme.test"), "/feedback.csv").body)
			if len(south) != 3 || !strings.Contains(fmt.Sprint(south), "Jo Walker") || strings.Contains(fmt.Sprint(south), "Alice") {
				t.Errorf("sam's export: %q", south)
			}
			wantStatus(t, e.get(nora, "/feedback.csv?from=yesterday"), http.StatusBadRequest, "an export with a bad date")
			if rows := readCSV(t, e.get(nora, "/feedback.csv?unit=south").body); len(rows) != 1 {
				t.Errorf("nora's export of the south: %q", rows)
			}
		})
	}
}

// TestFeedbackCSVPagesThrough: an export larger than one read of the
// service holds every item, once.
func TestFeedbackCSVPagesThrough(t *testing.T) {
	e := newFeedbackEnv(t, "")
	const n = feedback.MaxBatch + 7
	for start := 0; start < n; start += feedback.MaxBatch {
		var in []feedback.Input
		for i := start; i < min(n, start+feedback.MaxBatch); i++ {
			in = append(in, feedback.Input{Kind: heed.FeedbackNote, Source: "notes", ExternalID: fmt.Sprint(i), Unit: "south-1",
				Text: fmt.Sprintf("note %d", i)})
		}
		e.record(in...)
	}
	rows := readCSV(t, e.get(e.signedIn("admin@acme.test"), "/feedback.csv?source=notes").body)
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		seen[r[5]] = true
	}
	if len(rows)-1 != n || len(seen) != n {
		t.Errorf("the export has %d rows, %d distinct items; want %d", len(rows)-1, len(seen), n)
	}
}

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("read the export: %v\n%s", err, body)
	}
	return rows
}

// TestFeedbackExplorerNeedsService: without the feedback service there
// is no explorer, and no tab pointing at it.
func TestFeedbackExplorerNeedsService(t *testing.T) {
	e := newLoopEnv(t, "")
	c := e.signedIn("admin@acme.test")
	wantNotContains(t, e.get(c, "/scores"), "scores without the explorer", `href="/feedback"`)
	wantStatus(t, e.get(c, "/feedback"), http.StatusNotFound, "the explorer without its service")
	wantStatus(t, e.get(c, "/feedback.csv"), http.StatusNotFound, "the export without its service")
}

// TestBrowserFeedbackExplorer: a regional manager opens the explorer from
// the feedback tabs; it reads cleanly on a desktop and fits a phone, and
// the long note opens in place. Screenshots go where newShooter puts
// them ($HEED_SCREENSHOTS when set).
func TestBrowserFeedbackExplorer(t *testing.T) {
	e := newFeedbackEnv(t, "")
	f := seedFeedback(e)
	ctx := browser(t)
	shots := newShooter(t, ctx)
	must(t, "desktop viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
	browserSignIn(t, ctx, e.env, "nora@acme.test")
	must(t, "open the explorer", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/scores"),
		chromedp.Click(css(`.tabs a[href="/feedback"]`)),
		chromedp.WaitVisible(css(".fb-items")),
	))
	got := text(t, ctx)
	for _, want := range []string{"Feedback explorer", "Alice Archer", "The staff were rude", "Negative", "Staff and service",
		fmt.Sprintf("Open case #%d", f.kase), "Download CSV"} {
		if !strings.Contains(got, want) {
			t.Errorf("the explorer lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "TAIL-MARKER") {
		t.Error("the end of the long note shows before it is opened")
	}
	note := fmt.Sprintf("#item-%d", f.ids["n-1"])
	must(t, "read the rest", chromedp.Do(ctx, chromedp.Click(css(note+" .fb-more summary")), chromedp.WaitVisible(css(note+" .fb-more p"))))
	call := fmt.Sprintf("#item-%d", f.ids["t-1"])
	must(t, "open the call", chromedp.Do(ctx, chromedp.Click(css(call+" .fb-turns summary")), chromedp.WaitVisible(css(call+" .turns"))))
	if got := text(t, ctx); !strings.Contains(got, "TAIL-MARKER") || !strings.Contains(got, "Hello, how can I help?") {
		t.Errorf("the rest of the long note or the call's turns do not show once opened:\n%s", got)
	}
	noBrokenWords(t, ctx, "desktop /feedback")
	shots.shot("desktop-feedback")

	must(t, "phone viewport", chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Reload(), chromedp.WaitVisible(css(".fb-items"))))
	fits(t, ctx, "/feedback", 375)
	shots.shot("phone-feedback")
}
