package sampling

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/heedhq/heed/metrics"
)

// The response-rate prior: a unit's observed rate is shrunk toward the
// program-wide rate as if it had PriorInvitations more invitations answered
// at that rate, and the program-wide rate is in turn shrunk toward
// PriorResponseRate (a cautious rate for a survey by email). A store with 3
// answers out of 5 invitations is not planned at 60%, nor one with 0 out of 4
// at 0% (which would need infinitely many invitations).
const (
	PriorResponseRate = 0.2
	PriorInvitations  = 20
)

// ResponseRate is answered/invited shrunk toward prior:
// (answered + prior·PriorInvitations) / (invited + PriorInvitations).
// Negative counts count as 0 and answered is capped at invited. With a prior
// in (0, 1] the result is in (0, 1], so it can always be divided by.
func ResponseRate(invited, answered int, prior float64) float64 {
	invited = max(0, invited)
	answered = min(max(0, answered), invited)
	return (float64(answered) + prior*PriorInvitations) / (float64(invited) + PriorInvitations)
}

// ProgramRate is the program-wide response rate over units, shrunk toward
// PriorResponseRate: the prior each unit's own rate is shrunk toward. A new
// program plans at 20%; one with thousands of invitations at what it observed.
func ProgramRate(units []UnitStat) float64 {
	invited, answered := 0, 0
	for _, u := range units {
		i := max(0, u.Invited)
		invited += i
		answered += min(max(0, u.Answered), i)
	}
	return ResponseRate(invited, answered, PriorResponseRate)
}

// UnitStat is what the planner knows of one unit of a program.
type UnitStat struct {
	UnitID            int64
	Customers         int     // customers of the unit in the program's population (finite population)
	Eligible          int     // of them, eligible to be asked this period (consent, reachable, not asked by rules)
	Invited, Answered int     // history used for the observed response rate
	Variance          float64 // observed variance of the ±1 NPS coding; <= 0: unknown → metrics.WorstCaseVariance
}

// Goal is a precision goal: every unit's NPS within ±Margin points each Period.
type Goal struct {
	Margin float64 // NPS points, e.g. 15
	Period Period
}

// Stratum is the planned invitations of one unit for one period.
type Stratum struct {
	UnitID          int64
	ResponseRate    float64 // observed, shrunk (see ResponseRate and ProgramRate)
	NeededAnswers   int     // metrics.SampleSizeForMargin(goal, variance, Customers)
	Invitations     int     // per period: ceil(NeededAnswers / ResponseRate), capped at Eligible
	PerDay          float64 // Invitations / days in the period
	ExpectedAnswers float64 // Invitations × ResponseRate
	ExpectedMargin  float64 // metrics.MarginForSample(round(ExpectedAnswers), Customers, variance); +Inf with no answers
	Reachable       bool    // ExpectedMargin <= goal margin
	Why             string  // when not reachable, the numbers in words
}

// PlanStrata sizes each unit's invitations for goal g over a period of days
// days (see Period.Days; <= 0 leaves PerDay at 0). Eligible should be counted
// at the start of the period: those invited since are no longer eligible, and
// a plan recomputed mid-period would shrink as it is carried out.
func PlanStrata(units []UnitStat, g Goal, days int) []Stratum {
	prior := ProgramRate(units)
	strata := make([]Stratum, 0, len(units))
	for _, u := range units {
		strata = append(strata, planUnit(u, g, days, prior))
	}
	return strata
}

func planUnit(u UnitStat, g Goal, days int, prior float64) Stratum {
	s := Stratum{UnitID: u.UnitID, ResponseRate: ResponseRate(u.Invited, u.Answered, prior)}
	s.NeededAnswers = metrics.SampleSizeForMargin(g.Margin, u.Variance, u.Customers)
	// The tolerance keeps 318/0.25 = 1272.0000001 from costing one more invitation.
	want := math.Ceil(float64(s.NeededAnswers)/s.ResponseRate - 1e-9)
	s.Invitations = max(0, u.Eligible)
	if want < float64(s.Invitations) {
		s.Invitations = int(want)
	}
	if days > 0 {
		s.PerDay = float64(s.Invitations) / float64(days)
	}
	s.ExpectedAnswers = float64(s.Invitations) * s.ResponseRate
	answers := int(math.Round(s.ExpectedAnswers))
	s.ExpectedMargin = metrics.MarginForSample(answers, u.Customers, u.Variance)
	s.Reachable = s.ExpectedMargin <= g.Margin+1e-9
	if !s.Reachable {
		s.Why = why(u, g, s, answers)
	}
	return s
}

// why says in words what keeps a unit from its goal, e.g. "needs 318 answers
// for ±5 points; 400 customers at a 22% response rate give at most 88
// answers (±18.5 points)".
func why(u UnitStat, g Goal, s Stratum, answers int) string {
	need := fmt.Sprintf("needs %d answers for ±%s points", s.NeededAnswers, strconv.FormatFloat(g.Margin, 'f', -1, 64))
	if u.Customers <= 0 && u.Eligible <= 0 {
		return need + "; the unit has no customers in the program"
	}
	if u.Eligible <= 0 {
		return fmt.Sprintf("%s; none of its %d customers can be asked this period", need, u.Customers)
	}
	who := fmt.Sprintf("%d customers", u.Eligible)
	if u.Eligible < u.Customers {
		who = fmt.Sprintf("%d eligible of %d customers", u.Eligible, u.Customers)
	}
	give := fmt.Sprintf("give at most %d answers", answers)
	if !math.IsInf(s.ExpectedMargin, 1) {
		give += fmt.Sprintf(" (±%.1f points)", s.ExpectedMargin)
	}
	return fmt.Sprintf("%s; %s at a %s response rate %s", need, who, percent(s.ResponseRate), give)
}

// percent shows a rate as a whole percentage, or with one decimal below 1%
// where rounding to a whole number would say 0%.
func percent(rate float64) string {
	if rate*100 < 0.95 {
		return fmt.Sprintf("%.1f%%", rate*100)
	}
	return fmt.Sprintf("%.0f%%", rate*100)
}

// StrataQuota turns a plan into today's quota per unit: each unit's
// Invitations spread evenly over the period containing today and caught up
// like Quota, less invitedSoFar[unit] in this period. Every stratum gets an
// entry, 0 included; unit IDs are expected to be unique.
func StrataQuota(strata []Stratum, p Period, today time.Time, loc *time.Location, invitedSoFar map[int64]int) map[int64]int {
	quotas := make(map[int64]int, len(strata))
	for _, s := range strata {
		quotas[s.UnitID] = Quota(s.Invitations, p, today, loc, invitedSoFar[s.UnitID])
	}
	return quotas
}
