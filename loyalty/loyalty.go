package loyalty

import (
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/metrics"
)

// Answer is one survey answer of the customer: its survey's kind gives the
// scale, so a CSAT 4 and an NPS 9 are both promoters (metrics.Category).
// An answer of an unknown kind, or off its scale, is ignored. It is the
// stores' scored answer, so a history is read without copying.
type Answer = heed.ScoredAnswer

// History is everything known about one customer, in any order.
type History struct {
	Events  []heed.CustomerEvent
	Answers []Answer
	// Since is when the customer was created; zero when unknown. The
	// customer counts as known from Since or their first event or answer,
	// whichever is earlier.
	Since time.Time
}

// RFM is the classic recency, frequency and monetary value of purchases.
type RFM struct {
	Recency       *int         `json:"recency_days"`            // days since the last purchase; nil: never bought
	Frequency     int          `json:"frequency"`               // purchases in the last 365 days
	Monetary      heed.Decimal `json:"monetary"`                // what those purchases came to
	FirstPurchase time.Time    `json:"first_purchase,omitzero"` // zero: never bought
	LastPurchase  time.Time    `json:"last_purchase,omitzero"`  // zero: never bought
	LastContact   time.Time    `json:"last_contact,omitzero"`   // the latest event or answer of any kind; zero: none
}

// Profile is what Infer makes of a customer's history as of a time. A
// customer not known then (see History.Since) has an empty Rung and a zero
// Churn; RungReason says so.
type Profile struct {
	RFM        RFM    `json:"rfm"`
	Churn      Churn  `json:"churn"`
	Rung       Rung   `json:"rung"`
	RungReason string `json:"rung_reason"`
}

// Infer profiles one customer as of now.
func Infer(h History, now time.Time) Profile {
	f := gather(h, now)
	if !f.known {
		return Profile{RungReason: "not known on " + date(now, now)}
	}
	var p Profile
	p.RFM = f.rfm()
	p.Churn = churn(&f)
	p.Rung, p.RungReason = ladder(&f)
	return p
}

// Windows of the rules, in days (see the package doc).
const (
	yearDays      = 365
	answerDays    = 180 // how long an answer speaks for the customer
	inactiveDays  = 180
	supportDays   = 30
	frequencyDays = 90
)

// never is the day number of a zero time: older than every real day.
const never = -1 << 62

// answer is a scored answer reduced to what the rules read.
type answer struct {
	ok       bool
	at       time.Time
	day      int64
	kind     heed.SurveyKind
	score    int
	category string
}

// facts is what the rules read off a history as of now, gathered in one
// pass over the events and one over the answers, so no rule has to care
// about order or the future.
type facts struct {
	now          time.Time
	today        int64
	known        bool
	knownSince   time.Time
	days         []int64      // purchase days, in input order
	all          purchases    // every purchase
	monetary     heed.Decimal // purchases in the last 365 days
	last90       int          // purchases in the last 90 days
	prev90       int          // purchases in the 90 days before those
	cancelled    time.Time    // the latest cancellation; zero: none
	rel          purchases    // purchases after the latest cancellation
	contact      time.Time    // the latest event or answer
	contactKind  string
	support      int       // support contacts in the last 30 days
	referred     time.Time // the latest referral after the latest cancellation
	active       time.Time // the latest event or answer after the latest cancellation, purchases aside
	activeKind   string
	latest       answer // the latest answer
	latestRel    answer // the latest answer after the latest cancellation
	latestNPS    answer // the latest NPS answer after the latest cancellation
	detractorRel answer // the latest detractor answer after the latest cancellation
}

// gather reads h as of now into facts.
func gather(h History, now time.Time) facts {
	f := facts{now: now, today: dayOf(now, now)}
	if !h.Since.IsZero() && !h.Since.After(now) {
		f.known, f.knownSince = true, h.Since
	}
	// The latest cancellation first: the ladder only counts what came after
	// it. Counting purchases on the way sizes days in one allocation.
	n := 0
	for _, e := range h.Events {
		switch {
		case e.At.After(now):
		case e.Kind == heed.EventPurchase:
			n++
		case e.Kind == heed.EventCancellation && e.At.After(f.cancelled):
			f.cancelled = e.At
		}
	}
	f.days = make([]int64, 0, n)
	// Without a time, an event or answer cannot be placed: it is ignored.
	for _, e := range h.Events {
		if !e.At.IsZero() && !e.At.After(now) && e.Kind.Valid() {
			f.event(e)
		}
	}
	for _, a := range h.Answers {
		if !a.At.IsZero() && !a.At.After(now) {
			f.answer(a)
		}
	}
	return f
}

// purchases sums up a run of purchases for the ladder.
type purchases struct {
	n           int
	year        int   // in the last 365 days
	quarters    uint8 // bit q: a purchase in quarter q of the last 365 days, 0 the latest
	first, last time.Time
}

func (p *purchases) add(at time.Time, ago int64) {
	p.n++
	if ago < yearDays {
		p.year++
		p.quarters |= 1 << (ago * 4 / yearDays)
	}
	if p.first.IsZero() || at.Before(p.first) {
		p.first = at
	}
	if at.After(p.last) {
		p.last = at
	}
}

// seen notes that the customer did something at t.
func (f *facts) seen(t time.Time, kind string) {
	if !f.known || t.Before(f.knownSince) {
		f.known, f.knownSince = true, t
	}
	if newer(t, kind, f.contact, f.contactKind) {
		f.contact, f.contactKind = t, kind
	}
}

// newer reports whether (t, kind) replaces (cur, curKind) as the latest;
// of two at the same instant the kind first in the alphabet wins, so the
// result does not depend on input order.
func newer(t time.Time, kind string, cur time.Time, curKind string) bool {
	return curKind == "" || t.After(cur) || t.Equal(cur) && kind < curKind
}

func (f *facts) event(e heed.CustomerEvent) {
	f.seen(e.At, string(e.Kind))
	ago := f.today - dayOf(e.At, f.now)
	after := e.At.After(f.cancelled)
	switch e.Kind {
	case heed.EventPurchase:
		f.days = append(f.days, f.today-ago)
		f.all.add(e.At, ago)
		if ago < yearDays {
			f.monetary += e.Amount
		}
		switch {
		case ago < frequencyDays:
			f.last90++
		case ago < 2*frequencyDays:
			f.prev90++
		}
		if after {
			f.rel.add(e.At, ago)
		}
		return
	case heed.EventSupport:
		if ago < supportDays {
			f.support++
		}
	case heed.EventReferral:
		if after && e.At.After(f.referred) {
			f.referred = e.At
		}
	case heed.EventCancellation:
		return
	}
	if after && newer(e.At, string(e.Kind), f.active, f.activeKind) {
		f.active, f.activeKind = e.At, string(e.Kind)
	}
}

func (f *facts) answer(a Answer) {
	c := metrics.Category(a.Kind, a.Score)
	if !a.Kind.Valid() || c == "" {
		return // no scale, or off it: nothing can be read from it
	}
	f.seen(a.At, "answer")
	x := answer{ok: true, at: a.At, day: dayOf(a.At, f.now), kind: a.Kind, score: a.Score, category: c}
	f.latest = later(f.latest, x)
	if !a.At.After(f.cancelled) {
		return
	}
	if newer(a.At, "answer", f.active, f.activeKind) {
		f.active, f.activeKind = a.At, "answer"
	}
	f.latestRel = later(f.latestRel, x)
	if a.Kind == heed.SurveyNPS {
		f.latestNPS = later(f.latestNPS, x)
	}
	if c == metrics.Detractor {
		f.detractorRel = later(f.detractorRel, x)
	}
}

// later is the later of two answers; of two given at the same instant, the
// worse, so the result does not depend on input order.
func later(a, b answer) answer {
	switch {
	case !a.ok:
		return b
	case b.at.After(a.at):
		return b
	case b.at.Equal(a.at) && worse(b, a):
		return b
	}
	return a
}

func worse(a, b answer) bool {
	ra, rb := categoryRank(a.category), categoryRank(b.category)
	if ra != rb {
		return ra < rb
	}
	return a.score < b.score
}

func categoryRank(c string) int {
	switch c {
	case metrics.Detractor:
		return 0
	case metrics.Passive:
		return 1
	}
	return 2
}

func (f *facts) rfm() RFM {
	r := RFM{Frequency: f.all.year, Monetary: f.monetary, FirstPurchase: f.all.first,
		LastPurchase: f.all.last, LastContact: f.contact}
	if f.all.n > 0 {
		d := int(f.today - dayOf(f.all.last, f.now))
		r.Recency = &d
	}
	return r
}
