package demo

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/events"
)

// The demo's customer events: what the customers did over the last
// thirteen months — bought in store and online, each at their own
// rhythm; visited and logged in; got in touch (the tickets and calls of
// LoadFeedback); and a few referred a friend or cancelled their
// membership. Promoters refer more after their answer and detractors
// cancel more after theirs, most of all in the stores whose story is a
// trouble, where more customers also drift away: so churn risks and the
// loyalty ladder show every level and rung.

const eventStream = 0x6865656420657674 // "heed evt"

// The shape of the events.
const (
	eventDays   = 400   // how far back they go: the ladder's year, and a quarter before it
	dormant     = 0.08  // customers who did nothing: they stay at awareness
	browsing    = 0.08  // customers who looked but never bought
	lapseRate   = 0.08  // customers who stopped buying some months ago…
	lapseAtRisk = 0.3   // … in a store with a trouble
	referRate   = 0.15  // promoters who refer someone after their answer…
	referAny    = 0.04  // … and other customers, at any time (twice as many where the staff are the story)
	cancelRate  = 0.1   // detractors who cancel after their answer…
	cancelAny   = 0.005 // … and other customers (twice as many in a store with a trouble)
	comeBack    = 0.25  // of those who cancel, who buy again later
)

// EventReport is what LoadEvents did; a second load reports zeros.
type EventReport struct {
	Events int // added
	ByKind map[heed.CustomerEventKind]int
}

// LoadEvents records the demo customers' events through ev, unless they
// are there already: the support contact of the oldest ticket, whose id
// comes from ds's seed alone, tells. Like an import they are checked,
// then written in one transaction. LoadSurveys must have run (answers
// lead to referrals and cancellations). The same seed and day give the
// same events. progress, if not nil, hears the stage, the events done
// and their total.
func LoadEvents(ctx context.Context, ev *events.Service, store heed.Store, ds Dataset, now time.Time,
	progress func(stage string, done, total int)) (EventReport, error) {
	rep := EventReport{ByKind: map[heed.CustomerEventKind]int{}}
	fb := planFeedback(ds, now)
	// Looked for first: a second start-up neither reads the answers nor
	// plans the events.
	if done, err := recorded(ctx, store, supportMarker(fb)); err != nil || done {
		return rep, err
	}
	answers, err := visitAnswers(ctx, store)
	if err != nil {
		return rep, fmt.Errorf("demo events: %w", err)
	}
	in := planEvents(ds, now, answers, fb)
	res, err := ev.RecordAll(ctx, heed.System(), "demo events", in, progress)
	if err != nil {
		return rep, fmt.Errorf("demo events: %w", err)
	}
	for i, r := range res {
		if r.Created {
			rep.Events++
			rep.ByKind[in[i].Kind]++
		}
	}
	return rep, nil
}

// recorded reports whether the store holds the event.
func recorded(ctx context.Context, store heed.Store, e events.Input) (bool, error) {
	c, err := store.GetCustomer(ctx, heed.Scope{All: true}, e.Customer)
	if err != nil {
		return false, fmt.Errorf("demo events: customer %s: %w (load the demo customers first)", e.Customer, err)
	}
	have, err := store.ListCustomerEvents(ctx, c.ID, time.Time{})
	if err != nil {
		return false, fmt.Errorf("demo events: %w", err)
	}
	return slices.ContainsFunc(have, func(x heed.CustomerEvent) bool {
		return x.Source == e.Source && x.ExternalID == e.ExternalID
	}), nil
}

// visitAnswers are the store-visit answers by customer external id.
func visitAnswers(ctx context.Context, store heed.Store) (map[string][]heed.Response, error) {
	sv, err := store.GetSurvey(ctx, StoreVisitSurvey)
	if err != nil {
		return nil, fmt.Errorf("survey %s: %w (load the demo surveys first)", StoreVisitSurvey, err)
	}
	out := map[string][]heed.Response{}
	f := heed.ResponseFilter{SurveyID: sv.ID, Limit: 1000}
	for {
		page, err := store.ListResponses(ctx, heed.Scope{All: true}, f)
		if err != nil {
			return nil, err
		}
		for _, r := range page {
			out[r.Customer] = append(out[r.Customer], r)
		}
		if len(page) < f.Limit {
			return out, nil
		}
		f.BeforeID = page[len(page)-1].ID
	}
}

// evGen generates the demo's events.
type evGen struct {
	r          *rand.Rand
	now, first time.Time
	seq        int // numbers every event's id
	out        []events.Input
}

// planEvents generates every customer's events, oldest first, with a
// support contact for every ticket and call of fb (planFeedback's).
func planEvents(ds Dataset, now time.Time, answers map[string][]heed.Response, fb []fbPlan) []events.Input {
	now = now.UTC()
	g := &evGen{r: rand.New(rand.NewPCG(uint64(ds.Seed), eventStream)), now: now,
		first: heed.DayTime(heed.Day(now) - eventDays)}
	for _, c := range ds.Customers {
		g.customer(c, answers[c.ExternalID])
	}
	for _, p := range fb {
		if isContact(p) {
			g.out = append(g.out, supportEvent(p))
		}
	}
	slices.SortStableFunc(g.out, func(a, b events.Input) int { return a.At.Compare(b.At) })
	return g.out
}

// supportMarker is the event LoadEvents looks for: the support contact
// of fb's oldest ticket or call of a known customer, whose id comes from
// the seed alone.
func supportMarker(fb []fbPlan) events.Input {
	if i := slices.IndexFunc(fb, isContact); i >= 0 {
		return supportEvent(fb[i])
	}
	return events.Input{}
}

// isContact reports whether p is a ticket or call of a known customer:
// one that is a support contact on their profile.
func isContact(p fbPlan) bool {
	return p.customer != "" && (p.in.Kind == heed.FeedbackTicket || p.in.Kind == heed.FeedbackTranscript)
}

// supportEvent is the support contact of a ticket or call, with its id.
func supportEvent(p fbPlan) events.Input {
	return events.Input{Customer: p.customer, Kind: heed.EventSupport, At: *p.in.At, Source: p.in.Source,
		ExternalID: p.in.ExternalID}
}

// customer plans one customer's events.
func (g *evGen) customer(c heed.Customer, answers []heed.Response) {
	var attrs map[string]string
	_ = json.Unmarshal(c.Attributes, &attrs) // the demo's attributes always parse
	from := g.first
	if joined := sinceMonth(attrs["since"]); joined.After(from) {
		from = joined
	}
	switch x := g.r.Float64(); {
	case x < dormant:
		return
	case x < dormant+browsing:
		g.looks(c, attrs["channel"], from, g.now, 1+g.r.IntN(4))
		return
	}
	s, troubled := storyByUnit[c.Unit]
	troubled = troubled && s.trouble != ""
	stop, lapse := g.now, lapseRate
	if troubled {
		lapse = lapseAtRisk
	}
	if g.r.Float64() < lapse {
		stop = g.now.AddDate(0, 0, -(90 + g.r.IntN(180)))
	}
	if cancel, ok := g.cancels(answers, troubled, from); ok {
		g.add(c, heed.EventCancellation, cancel, 0, "loyalty", "CXL")
		if stop.After(cancel) {
			stop = cancel
		}
		if g.r.Float64() < comeBack {
			g.buys(c, attrs["channel"], cancel.AddDate(0, 0, 20+g.r.IntN(60)), g.now)
		}
	}
	g.buys(c, attrs["channel"], from, stop)
	if at, ok := g.refers(answers, s.praise, from); ok {
		g.add(c, heed.EventReferral, at, 0, "referrals", "REF")
	}
}

// sinceMonth is the start of a customer's "since" month ("2019-03");
// zero when it does not parse.
func sinceMonth(month string) time.Time {
	t, _ := time.Parse("2006-01", month)
	return t
}

// buys plans the customer's purchases from from to to at their own
// rhythm, each with an amount that adds up to about their yearly value,
// a visit now and then without buying, and logins for those who shop
// online.
func (g *evGen) buys(c heed.Customer, channel string, from, to time.Time) {
	median := map[string]float64{consumer: 180, business: 30, vip: 35}[c.Segment]
	every := min(365, max(10, cmp.Or(median, 180)*math.Exp(0.6*g.r.NormFloat64())))
	spend := c.Value.Float() * every / 365
	n := 0
	for at := from.Add(g.days(every * g.r.Float64())); at.Before(to); at = at.Add(g.days(every * math.Exp(0.35*g.r.NormFloat64()))) {
		pounds := max(4, spend*math.Exp(0.3*g.r.NormFloat64()))
		amount := heed.Decimal(math.Round(pounds*100) * 100) // heed.Decimal counts ten-thousandths
		at := g.daytime(at)
		if online(channel, g.r) {
			g.add(c, heed.EventPurchase, at, amount, "web", "SO-")
		} else {
			g.add(c, heed.EventPurchase, at, amount, "pos", "R")
		}
		n++
	}
	g.looks(c, channel, from, to, n/3+g.r.IntN(2))
}

// looks plans n visits or logins between from and to.
func (g *evGen) looks(c heed.Customer, channel string, from, to time.Time, n int) {
	if !to.After(from) {
		return
	}
	for range n {
		at := g.daytime(from.Add(g.days(to.Sub(from).Hours() / 24 * g.r.Float64())))
		if online(channel, g.r) {
			g.add(c, heed.EventLogin, at, 0, "web", "L")
		} else {
			g.add(c, heed.EventVisit, at, 0, "store-wifi", "V")
		}
	}
}

// online reports whether a customer of channel shops online this time.
func online(channel string, r *rand.Rand) bool {
	return channel == "online" || channel == "both" && r.IntN(2) == 0
}

// cancels decides whether a customer active since from cancels their
// membership — most often after a detractor answer — and when.
func (g *evGen) cancels(answers []heed.Response, troubled bool, from time.Time) (time.Time, bool) {
	double := 1.0
	if troubled {
		double = 2
	}
	for _, a := range answers {
		if at := a.CreatedAt.AddDate(0, 0, 3+g.r.IntN(40)); a.Score <= 6 && g.r.Float64() < cancelRate*double && at.Before(g.now) {
			return at, true
		}
	}
	return g.sometime(from), g.r.Float64() < cancelAny*double
}

// sometime is a time of day between from and now.
func (g *evGen) sometime(from time.Time) time.Time {
	return g.daytime(from.Add(g.days(g.now.Sub(from).Hours() / 24 * g.r.Float64())))
}

// refers decides whether a customer active since from refers someone —
// most often after a promoter answer — and when: twice as often where
// the staff are the story.
func (g *evGen) refers(answers []heed.Response, praise []string, from time.Time) (time.Time, bool) {
	double := 1.0
	if slices.Contains(praise, "staff") {
		double = 2
	}
	for _, a := range answers {
		if at := a.CreatedAt.AddDate(0, 0, 3+g.r.IntN(60)); a.Score >= 9 && g.r.Float64() < referRate*double && at.Before(g.now) {
			return at, true
		}
	}
	return g.sometime(from), g.r.Float64() < referAny*double
}

// add plans an event, numbered within its source.
func (g *evGen) add(c heed.Customer, kind heed.CustomerEventKind, at time.Time, amount heed.Decimal, source, prefix string) {
	g.seq++
	g.out = append(g.out, events.Input{Customer: c.ExternalID, Kind: kind, At: at, Amount: amount, Source: source,
		ExternalID: fmt.Sprintf("%s%07d", prefix, 1_000_000+g.seq)})
}

// days is d days as a duration.
func (g *evGen) days(d float64) time.Duration { return time.Duration(d * float64(24*time.Hour)) }

// daytime moves t into opening hours on its day, and before now.
func (g *evGen) daytime(t time.Time) time.Time {
	at := heed.DayTime(heed.Day(t)).Add(time.Duration(9*60+g.r.IntN(11*60)) * time.Minute)
	for at.After(g.now) {
		at = at.AddDate(0, 0, -1)
	}
	return at
}
