package demo

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/textan"
	"github.com/heedhq/heed/webhooks"
)

// wire builds the services over store as heed serve does, on the tests'
// clock.
func wire(store heed.Store) cases.Loop {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	clock := func() time.Time { return demoNow }
	return cases.Wire(store, survey.Config{Now: clock, Logger: quiet}, webhooks.Config{Now: clock, Logger: quiet},
		cases.Config{Now: clock, Logger: quiet})
}

// TestFeedbackReadsAsWritten reads every planned English item with textan
// as ingest will: nearly all must speak of the theme they were written
// about, in the mood they were written in — else the stories would not
// show on the themes page.
func TestFeedbackReadsAsWritten(t *testing.T) {
	plan := planFeedback(Generate(1), demoNow)
	type tally struct{ ok, all int }
	bySource := map[string]*tally{}
	foreign := 0
	for _, p := range plan {
		if p.in.Language != "" {
			foreign++
			continue
		}
		ta := bySource[p.in.Source]
		if ta == nil {
			ta = &tally{}
			bySource[p.in.Source] = ta
		}
		ta.all++
		if reads(p) {
			ta.ok++
		} else if ta.all-ta.ok <= 3 {
			t.Logf("%s item about %s (happy %v) reads otherwise: %q", p.in.Source, p.theme, p.happy, p.in.Text)
		}
	}
	for src, ta := range bySource {
		t.Logf("%s: %d of %d read as written", src, ta.ok, ta.all)
		if ta.all < 50 || float64(ta.ok) < 0.95*float64(ta.all) {
			t.Errorf("%s: %d of %d items read as written; want 95%%", src, ta.ok, ta.all)
		}
	}
	if len(bySource) != 6 || foreign < 5 || foreign > 60 {
		t.Errorf("sources %v, %d items in another language; want all six, and a few", bySource, foreign)
	}
}

// reads reports whether textan finds p's theme in its text with the
// sign of p's mood.
func reads(p fbPlan) bool {
	text := p.in.Text
	for _, tu := range p.in.Turns {
		if tu.Customer() {
			text += tu.Text + "\n"
		}
	}
	for _, m := range textan.Analyze(text).Themes {
		if m.Theme == p.theme && m.Sentiment != nil && (p.happy && *m.Sentiment >= 0.05 || !p.happy && *m.Sentiment <= -0.05) {
			return true
		}
	}
	return false
}

func TestFeedbackDeterministic(t *testing.T) {
	a, b := planFeedback(Generate(4), demoNow), planFeedback(Generate(4), demoNow)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed and day gave different feedback")
	}
	later := planFeedback(Generate(4), demoNow.AddDate(0, 0, 3))
	if later[0].in.Source != a[0].in.Source || later[0].in.ExternalID != a[0].in.ExternalID {
		t.Errorf("the oldest item is %s/%s one day and %s/%s three days later: a second load would not know the first",
			a[0].in.Source, a[0].in.ExternalID, later[0].in.Source, later[0].in.ExternalID)
	}
	ids := map[[2]string]bool{}
	for _, p := range a {
		id := [2]string{p.in.Source, p.in.ExternalID}
		if ids[id] || p.in.ExternalID == "" {
			t.Errorf("item id %v is empty or repeated", id)
		}
		ids[id] = true
	}
}

// TestLoadFeedback loads the demo as heed demo does — organisation,
// surveys, cases, then feedback — into a real SQLite file and reads it
// back as the themes page and the explorer do.
func TestLoadFeedback(t *testing.T) {
	ctx := context.Background()
	ds := Generate(1)
	store := loadOrg(t, ds)
	lp := wire(store)
	if _, err := LoadSurveys(ctx, lp.Surveys, store, ds, demoNow, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCases(ctx, store, ds, demoNow, nil); err != nil {
		t.Fatal(err)
	}
	var done, total int
	rep, err := LoadFeedback(ctx, lp.Feedback, store, ds, demoNow, func(_ string, d, n int) { done, total = d, n })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first load: %+v", rep)
	items := readFeedback(t, store)
	byKind := map[heed.FeedbackKind]int{}
	for _, it := range items {
		byKind[it.Kind]++
	}
	if rep.Items < 2000 || rep.Items > 4000 || rep.Items+rep.Comments != len(items) || byKind[heed.FeedbackSurvey] != rep.Comments ||
		rep.Comments < 1000 || done != total {
		t.Fatalf("first load %+v; stored %d items, by kind %v; progress %d of %d", rep, len(items), byKind, done, total)
	}
	for _, k := range []heed.FeedbackKind{heed.FeedbackReview, heed.FeedbackTicket, heed.FeedbackTranscript, heed.FeedbackSocial} {
		if byKind[k] != rep.ByKind[k] || byKind[k] < 100 {
			t.Errorf("%d %s items stored, %d reported; want a hundred or more", byKind[k], k, rep.ByKind[k])
		}
	}

	t.Run("spread", func(t *testing.T) { checkSpread(t, items) })
	t.Run("who", func(t *testing.T) { checkWho(t, items) })
	t.Run("drivers", func(t *testing.T) { checkDrivers(t, lp.Feedback) })
	t.Run("stories", func(t *testing.T) { checkStories(t, lp.Feedback) })
	t.Run("rules", func(t *testing.T) { checkItemCases(t, store, items) })

	again, err := LoadFeedback(ctx, lp.Feedback, store, ds, demoNow.Add(24*time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Items != 0 || again.Comments != 0 {
		t.Errorf("second load added %+v", again)
	}
	if n := len(readFeedback(t, store)); n != len(items) {
		t.Errorf("after a second load %d items, were %d", n, len(items))
	}
}

// readFeedback reads every item back through the store, newest first.
func readFeedback(t *testing.T, store heed.Store) []heed.FeedbackItem {
	t.Helper()
	var out []heed.FeedbackItem
	f := heed.FeedbackFilter{Limit: 1000}
	for {
		page, err := store.ListFeedback(context.Background(), heed.Scope{All: true}, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out
		}
		f.BeforeID = page[len(page)-1].ID
	}
}

// checkSpread: the items (other than comments) lie in the six months
// before now, each month holding a fair share of them.
func checkSpread(t *testing.T, items []heed.FeedbackItem) {
	months := map[int]int{}
	n := 0
	for _, it := range items {
		if it.Kind == heed.FeedbackSurvey {
			continue
		}
		n++
		age := demoNow.Sub(it.At)
		if age <= 0 || age > feedbackDays*24*time.Hour {
			t.Errorf("item %s/%s said at %v, outside the six months before %v", it.Source, it.ExternalID, it.At, demoNow)
		}
		months[int(age/(feedbackDays*24*time.Hour/6))]++
	}
	t.Logf("items by month back: %v", months)
	for m := range 6 {
		if months[m] < n/10 {
			t.Errorf("%d items in month %d back of %d; want a fair share of each month", months[m], m, n)
		}
	}
}

// checkWho: tickets and calls are matched to customers, by id or email;
// reviews on Google and social posts are strangers' about a store; the
// items in another language are not scored.
func checkWho(t *testing.T, items []heed.FeedbackItem) {
	foreign := 0
	for _, it := range items {
		switch {
		case it.Kind == heed.FeedbackTicket || it.Kind == heed.FeedbackTranscript:
			if it.CustomerID == 0 || it.Unit == "" {
				t.Errorf("%s %s: customer %q, unit %q", it.Kind, it.ExternalID, it.Customer, it.Unit)
			}
		case it.Source == "google" || it.Kind == heed.FeedbackSocial:
			if it.CustomerID != 0 || it.Author == "" || it.UnitID == 0 {
				t.Errorf("%s %s: customer %q, author %q, unit %q", it.Source, it.ExternalID, it.Customer, it.Author, it.Unit)
			}
		}
		if it.Kind == heed.FeedbackTranscript && len(it.Turns) < 4 {
			t.Errorf("call %s has %d turns", it.ExternalID, len(it.Turns))
		}
		if it.Kind != heed.FeedbackSurvey && it.Language != "en" && it.Language != "" {
			foreign++
			if it.Sentiment != nil || it.Label != "" {
				t.Errorf("item %s in %s has an English sentiment %v", it.ExternalID, it.Language, *it.Sentiment)
			}
		}
	}
	if foreign < 5 {
		t.Errorf("%d items in another language; want a few", foreign)
	}
}

// checkDrivers: on the themes page's default quarter and over the whole
// history, waiting costs the store-visit survey's NPS most, beyond
// chance, and staff earn it most.
func checkDrivers(t *testing.T, fb *feedback.Service) {
	for _, days := range []int{90, feedbackDays} {
		rep, err := fb.Themes(context.Background(), heed.System(), feedback.ThemeQuery{Survey: StoreVisitSurvey,
			From: demoNow.AddDate(0, 0, -days), To: demoNow})
		if err != nil {
			t.Fatal(err)
		}
		var costs []string
		var staff *feedback.ThemeRow
		for i, row := range rep.Themes {
			if d := row.Driver; d != nil && d.Significant && d.Impact < 0 {
				costs = append(costs, row.Theme)
			}
			if row.Theme == "staff" {
				staff = &rep.Themes[i]
			}
		}
		t.Logf("last %d days: %d answers, NPS %v; significant costs, costliest first: %v", days, rep.Responses, *rep.NPS, costs)
		if len(costs) == 0 || costs[0] != "waiting" {
			t.Errorf("last %d days: the significant negative drivers are %v; want waiting first", days, costs)
		}
		if staff == nil || staff.Driver == nil || !staff.Driver.Significant || staff.Driver.Impact < 2 || *staff.Sentiment < 0.2 {
			t.Errorf("last %d days: staff %+v; want a significant positive driver, well spoken of", days, staff)
		}
	}
}

// checkStories: where queues are the trouble, waiting is spoken of far
// worse than everywhere; where the staff are rude, they are spoken of
// badly though everywhere else well; the online shop's complaints are
// about deliveries and bills, the deliveries more often lately.
func checkStories(t *testing.T, fb *feedback.Service) {
	sentiment := func(unit, theme string) (float64, feedback.ThemeRow) {
		t.Helper()
		rep, err := fb.Themes(context.Background(), heed.System(), feedback.ThemeQuery{Unit: unit,
			From: demoNow.AddDate(0, 0, -feedbackDays), To: demoNow})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rep.Themes {
			if row.Theme == theme && row.Sentiment != nil {
				return *row.Sentiment, row
			}
		}
		t.Fatalf("no %s in %s's feedback", theme, unit)
		return 0, feedback.ThemeRow{}
	}
	all, _ := sentiment("", "waiting")
	queue, row := sentiment("store-london-oxford-street", "waiting")
	t.Logf("waiting: %+.2f everywhere, %+.2f at Oxford Street (%d items, %d negative)", all, queue, row.Items, row.Negative)
	if queue > all-0.25 || row.Negative < 30 {
		t.Errorf("waiting at Oxford Street %+.2f (%d negative), everywhere %+.2f; want far worse there", queue, row.Negative, all)
	}
	staff, _ := sentiment("", "staff")
	rude, _ := sentiment("store-sheffield-meadowhall", "staff")
	if staff < 0.2 || rude > -0.1 {
		t.Errorf("staff %+.2f everywhere, %+.2f at Sheffield; want well spoken of, but not there", staff, rude)
	}
	rep, err := fb.Themes(context.Background(), heed.System(), feedback.ThemeQuery{Unit: careUnit, Kind: heed.FeedbackTicket,
		From: demoNow.AddDate(0, 0, -90), To: demoNow})
	if err != nil {
		t.Fatal(err)
	}
	var top []string
	for _, row := range rep.Themes[:min(4, len(rep.Themes))] {
		top = append(top, row.Theme)
	}
	t.Logf("online tickets of the last 90 days, most complained-of first: %v", top)
	if len(top) < 4 || top[0] != "delivery" || rep.Themes[0].Trend != "rising" || !slices.Contains(top, "billing") {
		t.Errorf("online tickets' most complained-of themes %v (delivery %s); want delivery first, rising, and billing",
			top, rep.Themes[0].Trend)
	}
}

// checkItemCases: the rules opened cases for the last two days' unhappy
// items of known customers, as they would have live, and for nothing
// older — history floods no inbox.
func checkItemCases(t *testing.T, store heed.Store, items []heed.FeedbackItem) {
	byID := map[int64]heed.FeedbackItem{}
	for _, it := range items {
		byID[it.ID] = it
	}
	fromItems := 0
	for _, c := range readCases(t, store) {
		if c.FeedbackID == 0 {
			continue
		}
		fromItems++
		it, ok := byID[c.FeedbackID]
		if !ok || demoNow.Sub(it.At) > 48*time.Hour || it.CustomerID == 0 {
			t.Errorf("case %d was opened by item %d (%+v), not a known customer's of the last two days", c.ID, c.FeedbackID, it)
		}
	}
	t.Logf("%d cases opened by items", fromItems)
	if fromItems == 0 || fromItems > 40 {
		t.Errorf("%d cases opened by items; want a few", fromItems)
	}
}
