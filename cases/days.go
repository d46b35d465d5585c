package cases

import (
	"fmt"
	"time"
)

// civilDay is a calendar day, whatever the zone. Days are counted on
// dates — never by adding 24 hours or AddDate to a local midnight, which
// a daylight-saving change at midnight moves into the day before.
type civilDay struct {
	y int
	m time.Month
	d int
}

// parseCivilDay reads "2006-01-02".
func parseCivilDay(s string) (civilDay, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return civilDay{}, err
	}
	return dayOfTime(t, time.UTC), nil
}

// dayOfTime is t's date in loc.
func dayOfTime(t time.Time, loc *time.Location) civilDay {
	y, m, d := t.In(loc).Date()
	return civilDay{y, m, d}
}

// add is the day n days later (earlier for n < 0).
func (d civilDay) add(n int) civilDay {
	return dayOfTime(time.Date(d.y, d.m, d.d+n, 12, 0, 0, 0, time.UTC), time.UTC)
}

func (d civilDay) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d) }

func (d civilDay) before(o civilDay) bool { return d.String() < o.String() }

// at is the first instant of hour on d in loc; an hour a clock change
// skips becomes the first instant after it on the same day.
func (d civilDay) at(hour int, loc *time.Location) time.Time {
	t := time.Date(d.y, d.m, d.d, hour, 0, 0, 0, loc)
	for dayOfTime(t, loc).before(d) {
		t = t.Add(time.Hour).Truncate(time.Hour)
	}
	return t
}

// start is d's first instant in loc.
func (d civilDay) start(loc *time.Location) time.Time { return d.at(0, loc) }
