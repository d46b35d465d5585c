package sampling

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestPeriodBounds(t *testing.T) {
	loc := berlin(t)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	tests := []struct {
		p          Period
		t          time.Time
		start, end time.Time
		days       int
	}{
		{Week, time.Date(2025, 6, 4, 15, 0, 0, 0, loc), day(2025, 6, 2), day(2025, 6, 9), 7},      // Wednesday
		{Week, time.Date(2025, 6, 8, 23, 59, 0, 0, loc), day(2025, 6, 2), day(2025, 6, 9), 7},     // Sunday
		{Week, time.Date(2025, 6, 9, 0, 0, 0, 0, loc), day(2025, 6, 9), day(2025, 6, 16), 7},      // Monday
		{Week, time.Date(2025, 1, 1, 8, 0, 0, 0, loc), day(2024, 12, 30), day(2025, 1, 6), 7},     // across the year
		{Week, time.Date(2025, 3, 30, 12, 0, 0, 0, loc), day(2025, 3, 24), day(2025, 3, 31), 7},   // 167 hours (DST)
		{Month, time.Date(2025, 3, 30, 12, 0, 0, 0, loc), day(2025, 3, 1), day(2025, 4, 1), 31},   // 743 hours (DST)
		{Month, time.Date(2024, 2, 29, 12, 0, 0, 0, loc), day(2024, 2, 1), day(2024, 3, 1), 29},   // leap year
		{Month, time.Date(2025, 2, 10, 12, 0, 0, 0, loc), day(2025, 2, 1), day(2025, 3, 1), 28},   //
		{Month, time.Date(2025, 12, 31, 23, 0, 0, 0, loc), day(2025, 12, 1), day(2026, 1, 1), 31}, //
		{Quarter, time.Date(2025, 3, 31, 12, 0, 0, 0, loc), day(2025, 1, 1), day(2025, 4, 1), 90},
		{Quarter, time.Date(2025, 4, 1, 0, 0, 0, 0, loc), day(2025, 4, 1), day(2025, 7, 1), 91},
		{Quarter, time.Date(2025, 11, 5, 0, 0, 0, 0, loc), day(2025, 10, 1), day(2026, 1, 1), 92},
		// 23:30 UTC on 31 January is already February in Berlin.
		{Month, time.Date(2025, 1, 31, 23, 30, 0, 0, time.UTC), day(2025, 2, 1), day(2025, 3, 1), 28},
	}
	for _, tt := range tests {
		start, end := tt.p.Bounds(tt.t, loc)
		if !start.Equal(tt.start) || !end.Equal(tt.end) {
			t.Errorf("%s of %v: [%v, %v), want [%v, %v)", tt.p, tt.t, start, end, tt.start, tt.end)
		}
		if got := tt.p.Days(tt.t, loc); got != tt.days {
			t.Errorf("%s of %v: %d days, want %d", tt.p, tt.t, got, tt.days)
		}
	}
	// A nil location means t's own.
	if start, _ := Month.Bounds(time.Date(2025, 1, 31, 23, 30, 0, 0, time.UTC), nil); start.Month() != time.January {
		t.Errorf("nil location: start %v, want January in UTC", start)
	}
}

func TestInvalidPeriodAsksNobody(t *testing.T) {
	now := time.Date(2025, 6, 4, 9, 0, 0, 0, time.UTC)
	if Period("mnth").Valid() {
		t.Error(`Period("mnth").Valid() = true`)
	}
	for _, s := range []string{"week", "month", "quarter"} {
		if !Period(s).Valid() {
			t.Errorf("Period(%s).Valid() = false", s)
		}
	}
	if d := Period("mnth").Days(now, time.UTC); d != 0 {
		t.Errorf("invalid period has %d days", d)
	}
	if q := Quota(1000, Period("mnth"), now, time.UTC, 0); q != 0 {
		t.Errorf("invalid period quota %d, want 0", q)
	}
}

// runPeriod asks every day's full quota through the period containing first
// and returns the daily quotas.
func runPeriod(target int, p Period, first time.Time, loc *time.Location) []int {
	start, end := p.Bounds(first, loc)
	var daily []int
	invited := 0
	for d := start.Add(9 * time.Hour); d.Before(end); d = d.AddDate(0, 0, 1) {
		q := Quota(target, p, d, loc, invited)
		daily = append(daily, q)
		invited += q
	}
	return daily
}

// 1,000 a month out of 12,000 customers: about 33 a day, and the days of a
// 30- and a 31-day month sum to exactly 1,000.
func TestQuotaSpreadsMonthlyTarget(t *testing.T) {
	loc := berlin(t)
	for _, month := range []time.Time{
		time.Date(2025, 6, 1, 0, 0, 0, 0, loc),  // 30 days
		time.Date(2025, 3, 1, 0, 0, 0, 0, loc),  // 31 days, one of them 23 hours
		time.Date(2025, 10, 1, 0, 0, 0, 0, loc), // 31 days, one of them 25 hours
		time.Date(2025, 2, 1, 0, 0, 0, 0, loc),  // 28 days
	} {
		daily := runPeriod(1000, Month, month, loc)
		if len(daily) != Month.Days(month, loc) {
			t.Fatalf("%v: %d days run, want %d", month.Month(), len(daily), Month.Days(month, loc))
		}
		lo, hi := 1000/len(daily), (1000+len(daily)-1)/len(daily)
		sum := 0
		for i, q := range daily {
			sum += q
			if q < lo || q > hi {
				t.Errorf("%v day %d: quota %d, want %d..%d", month.Month(), i+1, q, lo, hi)
			}
			if len(daily) >= 30 && (q < 32 || q > 34) {
				t.Errorf("%v day %d: quota %d, want about 33", month.Month(), i+1, q)
			}
		}
		if sum != 1000 {
			t.Errorf("%v: quotas sum to %d, want 1000", month.Month(), sum)
		}
	}
}

// For any target and period the days sum to the target and each day asks
// floor or ceil of target/days: spreading never bunches.
func TestQuotaSumsToTarget(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		target := r.IntN(5000)
		p := []Period{Week, Month, Quarter}[r.IntN(3)]
		first := time.Date(2020+r.IntN(10), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		daily := runPeriod(target, p, first, time.UTC)
		sum, n := 0, len(daily)
		for i, q := range daily {
			sum += q
			if q < target/n || q > (target+n-1)/n {
				t.Fatalf("%d per %s from %v: day %d asks %d", target, p, first, i+1, q)
			}
		}
		if sum != target {
			t.Fatalf("%d per %s from %v: days sum to %d", target, p, first, sum)
		}
	}
	// No overflow for absurd targets: the last day is due the whole target.
	last := time.Date(2025, 6, 30, 9, 0, 0, 0, time.UTC)
	if q := Quota(math.MaxInt, Month, last, time.UTC, 0); q != math.MaxInt {
		t.Errorf("MaxInt target on the last day: %d", q)
	}
}

// A missed day is caught up the next day, a shortfall (too few eligible) the
// day after, and the month still ends at its target; nothing carries over
// into the next month.
func TestQuotaCatchesUp(t *testing.T) {
	loc := time.UTC
	june := func(d int) time.Time { return time.Date(2025, 6, d, 9, 0, 0, 0, loc) }
	full := runPeriod(1000, Month, june(1), loc)
	due := func(d int) int { // what the uninterrupted schedule has asked by day d
		s := 0
		for _, q := range full[:d] {
			s += q
		}
		return s
	}
	invited := 0
	for d := 1; d <= 30; d++ {
		q := Quota(1000, Month, june(d), loc, invited)
		switch d {
		case 2, 3: // the job did not run
			continue
		case 4:
			if want := due(4) - due(1); q != want {
				t.Errorf("day 4 after two missed days: quota %d, want %d", q, want)
			}
		case 10: // only 5 eligible today
			invited += 5
			continue
		case 11:
			if want := due(11) - due(9) - 5; q != want {
				t.Errorf("day 11 after a shortfall: quota %d, want %d", q, want)
			}
		}
		invited += q
	}
	if invited != 1000 {
		t.Errorf("June invited %d, want 1000", invited)
	}
	if q := Quota(1000, Month, june(12), loc, 2000); q != 0 {
		t.Errorf("over-invited: quota %d, want 0", q)
	}
	// July starts afresh whatever June did: its first day is due one day's share.
	july := time.Date(2025, 7, 1, 9, 0, 0, 0, loc)
	if q, want := Quota(1000, Month, july, loc, 0), runPeriod(1000, Month, july, loc)[0]; q != want {
		t.Errorf("July 1 quota %d, want %d", q, want)
	}
}
