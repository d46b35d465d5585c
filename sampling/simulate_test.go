package sampling

import (
	"testing"
	"time"
)

// simulation runs a program daily over a customer base, as the service layer
// would: each day's quota from the monthly target and what was invited so far
// this month, Select, and the chosen marked as asked.
type simulation struct {
	cands []Candidate       // index = customer ID - 1
	asks  map[int64][]int64 // customer → days asked (calendar day numbers)
	month map[time.Time]int // first of month → asks
	loc   *time.Location
}

func newSimulation(customers int, loc *time.Location) *simulation {
	s := &simulation{cands: make([]Candidate, customers), asks: map[int64][]int64{}, month: map[time.Time]int{}, loc: loc}
	for i := range s.cands {
		s.cands[i] = Candidate{CustomerID: int64(i + 1), UnitID: int64(i % 40), Consent: true, Reachable: true}
	}
	return s
}

// run simulates the days [from, to) with target per month.
func (s *simulation) run(t *testing.T, target int, from, to time.Time) {
	t.Helper()
	for day := from; day.Before(to); day = day.AddDate(0, 0, 1) {
		now := day.Add(9*time.Hour + time.Duration(day.YearDay())*time.Minute) // the job's hour drifts
		start, _ := Month.Bounds(now, s.loc)
		quota := Quota(target, Month, now, s.loc, s.month[start])
		plan := Select(s.cands, Rules{}, quota, 2025, now)
		if len(plan.Chosen) > quota {
			t.Fatalf("%v: chose %d over quota %d", now, len(plan.Chosen), quota)
		}
		for _, c := range plan.Chosen {
			s.cands[c.CustomerID-1].LastAskedByProgram = now
			s.cands[c.CustomerID-1].LastAskedAny = now
			s.asks[c.CustomerID] = append(s.asks[c.CustomerID], dayOf(now, s.loc))
		}
		s.month[start] += len(plan.Chosen)
	}
}

// checkRules: nobody asked twice within 183 days, nobody more than twice in
// any 365 days (a third ask is at least 2×183 = 366 days after the first).
func (s *simulation) checkRules(t *testing.T) {
	t.Helper()
	for id, days := range s.asks {
		for i := 1; i < len(days); i++ {
			if gap := days[i] - days[i-1]; gap < DefaultProgramDays {
				t.Fatalf("customer %d asked again after %d days", id, gap)
			}
			if i >= 2 && days[i]-days[i-2] < 365 {
				t.Fatalf("customer %d asked three times within 365 days: %v", id, days)
			}
		}
	}
}

// 1,000 a month out of 12,000 customers is one ask per customer per year.
// Never-asked customers go first, so 2025's 12,000 asks reach each customer
// exactly once; in 2026 (same month lengths, so the same cumulative quota on
// each day) longest-not-asked-first re-asks them in the same order, day for
// day: every gap is exactly 365 days.
func TestSimulatedYearsAtOnePerYear(t *testing.T) {
	if testing.Short() {
		t.Skip("two simulated years")
	}
	loc := berlin(t)
	s := newSimulation(12000, loc)
	s.run(t, 1000, time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2027, 1, 1, 0, 0, 0, 0, loc))
	s.checkRules(t)
	for start, n := range s.month {
		if n != 1000 {
			t.Errorf("%v: %d asked, want the target 1000", start.Format("2006-01"), n)
		}
	}
	if len(s.month) != 24 {
		t.Errorf("%d months simulated, want 24", len(s.month))
	}
	for id := int64(1); id <= 12000; id++ {
		days := s.asks[id]
		if len(days) != 2 || days[1]-days[0] != 365 {
			t.Fatalf("customer %d asked on days %v, want once a year, 365 days apart", id, days)
		}
	}
}

// 2,000 a month out of 12,000 is about once per half-year, just what the
// 183-day rule allows, so the rule binds. Derived expectations for 2025:
//   - Jan–Jun (181 days) are due 12,000: each customer is asked exactly once,
//     since nobody becomes eligible again before 183 days;
//   - 1–2 July nobody can be asked: the first asks (1 January) return on
//     3 July, so those two days' quota is caught up later in July;
//   - Jul–Dec can re-ask only the 12,000 first asks, each once, and each
//     month at most its target; 183 days being two or three days more than
//     half a year, a month's returns exceed its 2,000 by at most about three
//     days' worth (3 × 2,000/28 ≈ 215), so at most that many wait into 2026.
func TestSimulatedYearAtTwicePerYear(t *testing.T) {
	if testing.Short() {
		t.Skip("a simulated year")
	}
	loc := berlin(t)
	s := newSimulation(12000, loc)
	jul1 := time.Date(2025, 7, 1, 0, 0, 0, 0, loc)
	s.run(t, 2000, time.Date(2025, 1, 1, 0, 0, 0, 0, loc), jul1)
	for id := int64(1); id <= 12000; id++ {
		if n := len(s.asks[id]); n != 1 {
			t.Fatalf("customer %d asked %d times in the first half-year, want once", id, n)
		}
	}
	s.run(t, 2000, jul1, jul1.AddDate(0, 0, 2))
	if n := s.month[jul1]; n != 0 {
		t.Errorf("1–2 July: %d asked, want none (nobody eligible before 3 July)", n)
	}
	s.run(t, 2000, jul1.AddDate(0, 0, 2), time.Date(2026, 1, 1, 0, 0, 0, 0, loc))
	s.checkRules(t)
	// July re-asks exactly those first asked 1–29 January (3–31 July is 183
	// days after them): under its target, so nobody eligible waits.
	jan29 := dayOf(time.Date(2025, 1, 29, 12, 0, 0, 0, loc), loc)
	returns := 0
	for _, days := range s.asks {
		if days[0] <= jan29 {
			returns++
		}
	}
	if s.month[jul1] != returns {
		t.Errorf("July: %d asked, want the %d first asked 1–29 January", s.month[jul1], returns)
	}
	for start, n := range s.month {
		if n > 2000 {
			t.Errorf("%v: %d asked, over the target", start.Format("2006-01"), n)
		}
	}
	twice := 0
	for _, days := range s.asks {
		if len(days) == 2 {
			twice++
		}
	}
	if twice < 12000-215 {
		t.Errorf("%d customers asked twice in 2025, want at least %d", twice, 12000-215)
	}
}
