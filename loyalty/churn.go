package loyalty

import (
	"fmt"
	"slices"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/metrics"
)

// Level is a band of the churn score: low below 34, medium below 67, else high.
type Level string

const (
	LevelLow    Level = "low"
	LevelMedium Level = "medium"
	LevelHigh   Level = "high"
)

// Churn is how likely a customer is to leave, as a sum of points a manager
// can check by hand (see the package doc for the rules).
type Churn struct {
	Score   int      `json:"score"` // 0–100: the factors' points added up, clamped
	Level   Level    `json:"level"`
	Factors []Factor `json:"factors"` // every rule that gave points, the largest (by size) first
}

// Factor is one rule's share of a churn score.
type Factor struct {
	Key    string `json:"key"`    // stable, one of the Factor constants
	Factor string `json:"factor"` // what a manager reads: "no purchase for 140 days"
	Points int    `json:"points"` // negative: lowers the risk
	Detail string `json:"detail"` // why: "usually buys every 30 days"
}

// Keys of the factors, one per rule.
const (
	FactorCancelled      = "cancelled"
	FactorCameBack       = "came_back"
	FactorOverdue        = "overdue"
	FactorFewerPurchases = "fewer_purchases"
	FactorDetractor      = "detractor"
	FactorPromoter       = "promoter"
	FactorSupport        = "support"
	FactorInactive       = "inactive"
)

// Points of the rules and the interval assumed without a rhythm to go by.
const (
	cancelledPoints = 70 // high on its own: they told us they left
	cameBackPoints  = 15
	fewerPoints     = 15
	answerPoints    = 15
	inactivePoints  = 20
	defaultInterval = 60 // days: one purchase day says nothing of a rhythm
	minInterval     = 7  // days: a daily buyer is not "overdue" after a weekend
	maxGaps         = 12 // the latest gaps only, so an old habit fades
)

// overdueSteps are the points for days since the last purchase as a
// multiple of the usual interval, the highest step first.
var overdueSteps = [...]struct {
	times  float64
	points int
}{{5, 50}, {3, 30}, {2, 20}, {1.5, 10}}

func churn(f *facts) Churn {
	c := Churn{Factors: make([]Factor, 0, 4)}
	for _, x := range [...]Factor{cancelled(f), overdue(f), fewerPurchases(f), latestAnswer(f), support(f), inactive(f)} {
		if x.Points != 0 {
			c.Factors = append(c.Factors, x)
			c.Score += x.Points
		}
	}
	// Stable, so equal sizes keep the order of the rules above.
	slices.SortStableFunc(c.Factors, func(a, b Factor) int { return abs(b.Points) - abs(a.Points) })
	c.Score = min(max(c.Score, 0), 100)
	switch {
	case c.Score < 34:
		c.Level = LevelLow
	case c.Score < 67:
		c.Level = LevelMedium
	default:
		c.Level = LevelHigh
	}
	return c
}

func cancelled(f *facts) Factor {
	switch {
	case f.cancelled.IsZero():
		return Factor{}
	case f.rel.n == 0:
		return Factor{FactorCancelled, "cancelled", cancelledPoints,
			"cancelled on " + date(f.cancelled, f.now) + ", no purchase since"}
	case f.today-dayOf(f.cancelled, f.now) < yearDays:
		return Factor{FactorCameBack, "came back after cancelling", cameBackPoints,
			"cancelled on " + date(f.cancelled, f.now) + ", bought again on " + date(f.rel.first, f.now)}
	}
	return Factor{}
}

func overdue(f *facts) Factor {
	if f.all.n == 0 {
		return Factor{}
	}
	interval, own := usualInterval(f.days)
	since := f.today - dayOf(f.all.last, f.now)
	for _, s := range overdueSteps {
		if float64(since) < s.times*interval {
			continue
		}
		detail := fmt.Sprintf("usually buys every %.0f days", interval)
		if !own {
			detail = fmt.Sprintf("bought on one day only: %d days assumed between purchases", defaultInterval)
		}
		return Factor{FactorOverdue, fmt.Sprintf("no purchase for %d days", since), s.points, detail}
	}
	return Factor{}
}

// usualInterval is the median gap in days between the customer's purchase
// days (the latest maxGaps gaps, at least minInterval), and false when there
// is no gap to go by. The median, not the mean, so one long holiday does
// not make a weekly buyer look like a monthly one. It reorders days.
func usualInterval(days []int64) (float64, bool) {
	slices.Sort(days)
	days = slices.Compact(days)
	if len(days) < 2 {
		return defaultInterval, false
	}
	days = days[max(0, len(days)-maxGaps-1):]
	var buf [maxGaps]int64
	gaps := buf[:0]
	for i := 1; i < len(days); i++ {
		gaps = append(gaps, days[i]-days[i-1])
	}
	slices.Sort(gaps)
	n := len(gaps)
	m := float64(gaps[n/2])
	if n%2 == 0 {
		m = float64(gaps[n/2-1]+gaps[n/2]) / 2
	}
	return max(m, minInterval), true
}

func fewerPurchases(f *facts) Factor {
	if f.prev90 < 2 || 2*f.last90 > f.prev90 {
		return Factor{}
	}
	return Factor{FactorFewerPurchases, "fewer purchases", fewerPoints,
		fmt.Sprintf("%d in the last %d days, %d in the %d before", f.last90, frequencyDays, f.prev90, frequencyDays)}
}

func latestAnswer(f *facts) Factor {
	a := f.latest
	if !f.recent(a) || a.category == metrics.Passive {
		return Factor{}
	}
	x := Factor{FactorDetractor, "detractor", answerPoints,
		fmt.Sprintf("scored %d (%s) on %s", a.score, kindName(a.kind), date(a.at, f.now))}
	if a.category == metrics.Promoter {
		x.Key, x.Factor, x.Points = FactorPromoter, "recent promoter", -answerPoints
	}
	return x
}

func support(f *facts) Factor {
	points := 0
	switch {
	case f.support >= 6:
		points = 20
	case f.support >= 3:
		points = 10
	default:
		return Factor{}
	}
	return Factor{FactorSupport, "support contacts", points,
		fmt.Sprintf("%d in the last %d days", f.support, supportDays)}
}

func inactive(f *facts) Factor {
	last := f.contact
	if last.IsZero() {
		last = f.knownSince
	}
	since := f.today - dayOf(last, f.now)
	if since < inactiveDays {
		return Factor{}
	}
	detail := "last: " + f.contactKind + " on " + date(f.contact, f.now)
	if f.contact.IsZero() {
		detail = "nothing since becoming known on " + date(f.knownSince, f.now)
	}
	return Factor{FactorInactive, fmt.Sprintf("no contact for %d days", since), inactivePoints, detail}
}

// kindName is how a reason names a survey kind: "NPS", "CSAT", "CES".
func kindName(k heed.SurveyKind) string { return strings.ToUpper(string(k)) }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
