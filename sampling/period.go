package sampling

import "time"

// Period is the calendar span a target is spread over.
type Period string

// The periods a program can spread its target over. Weeks start on Monday.
const (
	Week    Period = "week"
	Month   Period = "month"
	Quarter Period = "quarter"
)

// Valid reports whether p is one of Week, Month and Quarter; callers
// check it where a period is read (survey refuses a program with another).
func (p Period) Valid() bool {
	return p == Week || p == Month || p == Quarter
}

// Bounds is the calendar period containing t in loc (nil: t's own location),
// as [start, end) with both at local midnight. For an invalid period the span
// is empty (start == end at the start of t's day), so Days and Quota are 0:
// a misconfigured program asks nobody rather than its whole target at once.
func (p Period) Bounds(t time.Time, loc *time.Location) (start, end time.Time) {
	if loc == nil {
		loc = t.Location()
	}
	y, m, d := t.In(loc).Date()
	switch p {
	case Week:
		back := (int(time.Date(y, m, d, 0, 0, 0, 0, loc).Weekday()) + 6) % 7 // days since Monday
		return time.Date(y, m, d-back, 0, 0, 0, 0, loc), time.Date(y, m, d-back+7, 0, 0, 0, 0, loc)
	case Month:
		return time.Date(y, m, 1, 0, 0, 0, 0, loc), time.Date(y, m+1, 1, 0, 0, 0, 0, loc)
	case Quarter:
		first := (m-1)/3*3 + 1
		return time.Date(y, first, 1, 0, 0, 0, 0, loc), time.Date(y, first+3, 1, 0, 0, 0, 0, loc)
	}
	day := time.Date(y, m, d, 0, 0, 0, 0, loc)
	return day, day
}

// Days is the number of calendar days in the period containing t (0 for an
// invalid period). A day shortened or lengthened by DST still counts as one.
func (p Period) Days(t time.Time, loc *time.Location) int {
	if loc == nil {
		loc = t.Location()
	}
	start, end := p.Bounds(t, loc)
	return int(dayOf(end, loc) - dayOf(start, loc))
}

// Quota is how many to ask today so that target is spread evenly over the
// days of the period containing today (in loc; nil: today's location): the
// share due by the end of today minus invitedSoFar in this period, never
// below 0. The share due after k of D days is target·k/D rounded half up;
// it never decreases and reaches exactly target on the last day, so the
// days of a period sum to target. A missed day (a failed run, or too few
// eligible candidates) is caught up on the following days of the period,
// never carried into the next one.
func Quota(target int, p Period, today time.Time, loc *time.Location, invitedSoFar int) int {
	if loc == nil {
		loc = today.Location()
	}
	days := p.Days(today, loc)
	if target <= 0 || days <= 0 {
		return 0
	}
	start, _ := p.Bounds(today, loc)
	elapsed := int(dayOf(today, loc)-dayOf(start, loc)) + 1
	return max(0, dueBy(target, elapsed, days)-invitedSoFar)
}

// dueBy is round(target·k/days) without the product overflowing: the whole
// part of target/days times k, plus the remainder share rounded half up.
func dueBy(target, k, days int) int {
	q, r := target/days, target%days
	return q*k + (2*r*k+days)/(2*days)
}
