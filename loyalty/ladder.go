package loyalty

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/heedhq/heed/metrics"
)

// Rung is a step of the loyalty ladder. A customer stands on the highest
// rung whose condition holds as of now, counting only what happened after
// their latest cancellation; an answer speaks for 180 days, a referral for
// 365:
//
//	awareness        known (created, or any event or answer), nothing else
//	consideration    a visit, login, support contact, referral or answer,
//	                 but no purchase
//	purchase         bought at least once
//	satisfaction     bought, and the latest answer is passive or promoter
//	                 (NPS 7–10, CSAT 3–5, CES 4–7)
//	repeat purchase  2 or more purchases in the last 365 days
//	advocacy         bought, and referred someone; or repeat purchase and
//	                 the latest NPS answer is a promoter (9–10)
//	loyalty          advocacy, purchases in at least 3 of the last 4
//	                 quarters (the last 365 days cut in four), and no
//	                 detractor answer in the last 180 days
//
// Two things pull a customer down. A cancellation starts the climb again
// from awareness: only what the customer does after it counts. And while
// the latest answer is a detractor, the customer stands at purchase at
// most, whatever they bought or said before; a better answer lifts the hold.
type Rung string

const (
	RungAwareness     Rung = "awareness"
	RungConsideration Rung = "consideration"
	RungPurchase      Rung = "purchase"
	RungSatisfaction  Rung = "satisfaction"
	RungRepeat        Rung = "repeat_purchase"
	RungAdvocacy      Rung = "advocacy"
	RungLoyalty       Rung = "loyalty"
)

// rungs is Rungs without the copy.
var rungs = [...]Rung{RungAwareness, RungConsideration, RungPurchase, RungSatisfaction, RungRepeat, RungAdvocacy, RungLoyalty}

// Rungs lists the rungs from the bottom of the ladder up (a new slice each call).
func Rungs() []Rung { return slices.Clone(rungs[:]) }

// Valid reports whether r is one of Rungs.
func (r Rung) Valid() bool { return r.rank() >= 0 }

// name is r as a reason reads it: "repeat purchase".
func (r Rung) name() string { return strings.ReplaceAll(string(r), "_", " ") }

// rank is r's height on the ladder, from 0; -1 when r is not a rung.
func (r Rung) rank() int { return slices.Index(rungs[:], r) }

const (
	referralDays  = 365
	loyalQuarters = 3
)

// ladder places the customer on the ladder, with the reason.
func ladder(f *facts) (Rung, string) {
	r, why := climb(f)
	if a := f.latestRel; a.category == metrics.Detractor && f.recent(a) && r.rank() > RungPurchase.rank() {
		return RungPurchase, fmt.Sprintf("held at purchase: %s; would otherwise be %s", scored(a, f), r.name())
	}
	return r, why
}

// climb is the highest rung whose condition holds, before any hold.
func climb(f *facts) (Rung, string) {
	p := &f.rel
	if p.n == 0 {
		if f.active.IsZero() {
			if !f.cancelled.IsZero() {
				return RungAwareness, "cancelled on " + date(f.cancelled, f.now) + ", nothing since"
			}
			return RungAwareness, "known since " + date(f.knownSince, f.now) + ", nothing else yet"
		}
		return RungConsideration, "active (latest: " + f.activeKind + " on " + date(f.active, f.now) + ") but never bought" + f.sinceCancel()
	}
	if cause := advocate(f); cause != "" {
		if q := bits.OnesCount8(p.quarters); q >= loyalQuarters && !f.recent(f.detractorRel) {
			return RungLoyalty, fmt.Sprintf("%s, bought in %d of the last 4 quarters, no detractor answer in %d days", cause, q, answerDays)
		}
		return RungAdvocacy, cause + ", last bought on " + date(p.last, f.now) + f.sinceCancel()
	}
	if p.year >= 2 {
		return RungRepeat, fmt.Sprintf("bought %s in the last %d days", times(p.year), yearDays) + f.sinceCancel()
	}
	if a := f.latestRel; a.ok && a.category != metrics.Detractor && f.recent(a) {
		return RungSatisfaction, "bought, and " + scored(a, f)
	}
	if p.n == 1 {
		return RungPurchase, "bought once, on " + date(p.last, f.now) + f.sinceCancel()
	}
	return RungPurchase, fmt.Sprintf("bought %s, the last on %s, at most once in the last %d days", times(p.n), date(p.last, f.now), yearDays) + f.sinceCancel()
}

// advocate is how the customer speaks for us ("referred someone on 2 Mar
// 2025"), or "" when they do not.
func advocate(f *facts) string {
	if !f.referred.IsZero() && f.today-dayOf(f.referred, f.now) < referralDays {
		return "referred someone on " + date(f.referred, f.now)
	}
	if a := f.latestNPS; a.category == metrics.Promoter && f.recent(a) && f.rel.year >= 2 {
		return scored(a, f)
	}
	return ""
}

// recent reports whether answer a still speaks for the customer.
func (f *facts) recent(a answer) bool { return a.ok && f.today-a.day < answerDays }

func (f *facts) sinceCancel() string {
	if f.cancelled.IsZero() {
		return ""
	}
	return " since cancelling on " + date(f.cancelled, f.now)
}

func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// scored is an answer as a reason reads it: "scored 3 (NPS, detractor) on 1 Mar 2025".
func scored(a answer, f *facts) string {
	return fmt.Sprintf("scored %d (%s, %s) on %s", a.score, kindName(a.kind), a.category, date(a.at, f.now))
}
