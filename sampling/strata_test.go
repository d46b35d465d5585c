package sampling

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed/metrics"
)

func TestResponseRateShrinkage(t *testing.T) {
	tests := []struct {
		name              string
		invited, answered int
		prior, want       float64
	}{
		{"no history: the prior", 0, 0, 0.2, 0.2},
		{"3 of 5 is not 60%", 5, 3, 0.2, (3 + 0.2*20) / 25.0},
		{"0 of 4 is not 0%", 4, 0, 0.2, 0.2 * 20 / 24},
		{"history outweighs the prior", 10000, 3000, 0.2, (3000 + 4) / 10020.0},
		{"more answers than invitations (bad data) counts as all answered", 10, 15, 0.2, (10 + 4) / 30.0},
		{"negative counts count as none", -5, -1, 0.35, 0.35},
	}
	for _, tt := range tests {
		if got := ResponseRate(tt.invited, tt.answered, tt.prior); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: ResponseRate(%d, %d, %g) = %g, want %g", tt.name, tt.invited, tt.answered, tt.prior, got, tt.want)
		}
	}
	// The more history, the closer to the observed rate.
	prev := 1.0
	for _, n := range []int{10, 100, 1000, 10000} {
		d := math.Abs(ResponseRate(n, n*3/10, 0.2) - 0.3)
		if d >= prev {
			t.Errorf("%d invitations: %g from the observed rate, no closer than with fewer", n, d)
		}
		prev = d
	}
}

func TestProgramRateIsTheUnitsPrior(t *testing.T) {
	if got := ProgramRate(nil); got != PriorResponseRate {
		t.Errorf("new program: rate %g, want %g", got, PriorResponseRate)
	}
	units := []UnitStat{{UnitID: 1, Customers: 1000, Eligible: 1000, Invited: 4000, Answered: 1600}, {UnitID: 2, Customers: 1000, Eligible: 1000}}
	strata := PlanStrata(units, Goal{Margin: 15, Period: Month}, 30)
	// A unit without history is planned at the program's 40%, not at 20%.
	if r := strata[1].ResponseRate; math.Abs(r-0.4) > 0.002 {
		t.Errorf("unit without history: rate %g, want the program's 0.4", r)
	}
}

// A 400-customer store with a goal of ±5 needs 318 answers (1.96²/0.05² =
// 1536.6 before the finite population correction, /(1 + 1535.6/400) = 317.5);
// at 22% its 400 customers give at most 88. A store of 20,000 needs 1,428
// (1536.6/1.0768) and has plenty of customers to invite.
func TestPlanStrata(t *testing.T) {
	units := []UnitStat{
		{UnitID: 1, Customers: 400, Eligible: 400, Invited: 5000, Answered: 1100},
		{UnitID: 2, Customers: 20000, Eligible: 15000, Invited: 50000, Answered: 11000},
		{UnitID: 3, Customers: 400, Eligible: 120, Invited: 5000, Answered: 1100},
		{UnitID: 4, Customers: 400, Eligible: 0, Invited: 5000, Answered: 1100},
		{UnitID: 5, Customers: 400, Eligible: 400, Invited: 5000, Answered: 1100, Variance: 0.5},
	}
	g := Goal{Margin: 5, Period: Month}
	strata := PlanStrata(units, g, 30)
	if len(strata) != len(units) {
		t.Fatalf("%d strata for %d units", len(strata), len(units))
	}
	small, large, few, none, known := strata[0], strata[1], strata[2], strata[3], strata[4]

	if small.NeededAnswers != 318 || small.Invitations != 400 || small.Reachable {
		t.Errorf("small store: needs %d, invites %d, reachable %v; want 318, all 400, not reachable", small.NeededAnswers, small.Invitations, small.Reachable)
	}
	if math.Round(small.ExpectedAnswers) != 88 || small.ExpectedMargin <= 5 {
		t.Errorf("small store: expects %.1f answers, ±%.1f; want 88 and worse than ±5", small.ExpectedAnswers, small.ExpectedMargin)
	}
	for _, s := range []string{"318 answers", "±5 points", "400 customers", "22%", "at most 88 answers", "±18.5 points"} {
		if !strings.Contains(small.Why, s) {
			t.Errorf("small store: Why %q does not say %q", small.Why, s)
		}
	}

	if large.NeededAnswers != 1428 || !large.Reachable || large.Why != "" || large.ExpectedMargin > 5 {
		t.Errorf("large store: needs %d, reachable %v (±%.2f), why %q; want 1428, reachable within ±5", large.NeededAnswers, large.Reachable, large.ExpectedMargin, large.Why)
	}
	if want := math.Ceil(float64(large.NeededAnswers) / large.ResponseRate); float64(large.Invitations) != want || large.Invitations < 6480 || large.Invitations > 6500 {
		t.Errorf("large store: %d invitations, want ceil(1428 / %.4f) = %.0f (about 6,491)", large.Invitations, large.ResponseRate, want)
	}
	if large.PerDay != float64(large.Invitations)/30 || large.ExpectedAnswers < 1428 {
		t.Errorf("large store: %.1f a day, %.1f expected answers", large.PerDay, large.ExpectedAnswers)
	}

	if few.Invitations != 120 || few.Reachable || !strings.Contains(few.Why, "120 eligible of 400 customers") {
		t.Errorf("store with 120 eligible: invites %d, why %q", few.Invitations, few.Why)
	}
	if none.Invitations != 0 || !math.IsInf(none.ExpectedMargin, 1) || none.Reachable || !strings.Contains(none.Why, "none of its 400 customers") {
		t.Errorf("store with none eligible: invites %d, margin %v, why %q", none.Invitations, none.ExpectedMargin, none.Why)
	}
	if want := metrics.SampleSizeForMargin(5, 0.5, 400); known.NeededAnswers != want || want >= 318 {
		t.Errorf("known variance 0.5: needs %d, want %d (< 318 at worst case)", known.NeededAnswers, want)
	}
}

// A looser goal, ±15 points a month: a 400-customer store still falls short
// at 22% (88 answers give ±18.5) but reaches it at 40%.
func TestPlanStrataReachableSmallStore(t *testing.T) {
	s := PlanStrata([]UnitStat{{UnitID: 1, Customers: 400, Eligible: 400, Invited: 5000, Answered: 1100}}, Goal{Margin: 15, Period: Month}, 30)[0]
	// 1.96²/0.15² = 170.7, /(1 + 169.7/400) = 119.9 → 120 answers, 546 at 22%: capped at 400.
	if s.NeededAnswers != 120 || s.Reachable {
		t.Errorf("needs %d, reachable %v (%s)", s.NeededAnswers, s.Reachable, s.Why)
	}
	s = PlanStrata([]UnitStat{{UnitID: 1, Customers: 400, Eligible: 400, Invited: 5000, Answered: 2000}}, Goal{Margin: 15, Period: Month}, 30)[0]
	if !s.Reachable || s.Invitations >= 400 || s.ExpectedMargin > 15 {
		t.Errorf("at 40%%: invites %d, reachable %v, ±%.1f", s.Invitations, s.Reachable, s.ExpectedMargin)
	}
}

// StrataQuota spreads each unit's invitations over the month, and
// SelectStratified carries them out: over June each unit is asked exactly its
// planned invitations, from its own customers only.
func TestStrataQuotaAndSelectOverAMonth(t *testing.T) {
	loc := time.UTC
	strata := PlanStrata([]UnitStat{
		{UnitID: 1, Customers: 20000, Eligible: 20000, Invited: 50000, Answered: 11000},
		{UnitID: 2, Customers: 3000, Eligible: 3000, Invited: 100, Answered: 30},
	}, Goal{Margin: 8, Period: Month}, 30)
	var cands []Candidate
	for i := range 23000 {
		unit := int64(1)
		if i >= 20000 {
			unit = 2
		}
		cands = append(cands, Candidate{CustomerID: int64(i + 1), UnitID: unit, Consent: true, Reachable: true})
	}
	invited := map[int64]int{}
	for d := 1; d <= 30; d++ {
		now := time.Date(2025, 6, d, 9, 0, 0, 0, loc)
		quotas := StrataQuota(strata, Month, now, loc, invited)
		if len(quotas) != 2 {
			t.Fatalf("day %d: quotas %v, want both units", d, quotas)
		}
		plan := SelectStratified(cands, Rules{}, quotas, 1, now)
		for _, c := range plan.Chosen {
			invited[c.UnitID]++
			cands[c.CustomerID-1].LastAskedByProgram, cands[c.CustomerID-1].LastAskedAny = now, now
		}
	}
	for _, s := range strata {
		if invited[s.UnitID] != s.Invitations || s.Invitations == 0 {
			t.Errorf("unit %d: invited %d in June, planned %d", s.UnitID, invited[s.UnitID], s.Invitations)
		}
	}
}
