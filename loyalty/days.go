package loyalty

import "time"

// dayOf is the calendar day of t in the location of now, as days since
// 1970-01-01, or never for the zero time. Calendar days make "bought
// yesterday" mean the same at 08:00 and at 23:00, and across DST changes.
func dayOf(t, now time.Time) int64 {
	if t.IsZero() {
		return never
	}
	y, m, d := t.In(now.Location()).Date()
	return civilDays(y, int(m), d)
}

// civilDays counts days from 1970-01-01 to the proleptic Gregorian date
// y-m-d (Howard Hinnant's days_from_civil), cheaper than building a
// time.Time per event when a server profiles every customer at once.
func civilDays(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// date is t as a manager reads it in a reason, in now's location.
func date(t, now time.Time) string { return t.In(now.Location()).Format("2 Jan 2006") }
