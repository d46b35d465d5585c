package events

import (
	"cmp"
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/loyalty"
)

// Periods of a ladder over time.
const (
	EveryDay   = "day"
	EveryWeek  = "week" // Monday to Sunday
	EveryMonth = "month"
)

// Points are the times a ladder over time is counted at: the end of
// every day, week or month (every) from the day from to the day to, both
// included (UTC), the last cut at the end of to, or at now when that is
// sooner. A zero to is today; a zero from is 29 days, 11 weeks or 11
// months before to, so the funnel has 30 days, 12 weeks or 12 months.
// The end of a period is its last microsecond: what happened on its last
// day counts.
func Points(from, to time.Time, every string, now time.Time) ([]time.Time, error) {
	next, back, err := stepper(every)
	if err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	if to.IsZero() {
		to = now
	}
	end := dayStart(to).AddDate(0, 0, 1).Add(-time.Microsecond)
	if end.After(now) {
		end = now
	}
	start := dayStart(from)
	if from.IsZero() {
		start = back(dayStart(to))
	}
	if start.After(end) {
		return nil, heed.FieldErrorf(heed.EInvalid, "from", "from %s is after to %s (or after now)",
			start.Format(time.DateOnly), end.Format(time.DateOnly))
	}
	var pts []time.Time
	for p := start; ; p = next(p) {
		if len(pts) == MaxPoints {
			return nil, heed.FieldErrorf(heed.EInvalid, "from", "more than %d points from %s to %s by %s; ask for a shorter span",
				MaxPoints, start.Format(time.DateOnly), end.Format(time.DateOnly), every)
		}
		t := next(p).Add(-time.Microsecond)
		if !t.Before(end) {
			return append(pts, end), nil
		}
		pts = append(pts, t)
	}
}

// stepper returns, for a period, the start of the period after the one
// holding a day, and the start of the default span ending with the
// period holding a day.
func stepper(every string) (next, back func(time.Time) time.Time, err error) {
	switch every {
	case EveryDay:
		return func(d time.Time) time.Time { return d.AddDate(0, 0, 1) },
			func(d time.Time) time.Time { return d.AddDate(0, 0, -29) }, nil
	case EveryWeek:
		monday := func(d time.Time) time.Time { return d.AddDate(0, 0, -(int(d.Weekday())+6)%7) }
		return func(d time.Time) time.Time { return monday(d).AddDate(0, 0, 7) },
			func(d time.Time) time.Time { return monday(d).AddDate(0, 0, -77) }, nil
	case EveryMonth, "":
		first := func(d time.Time) time.Time { return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC) }
		return func(d time.Time) time.Time { return first(d).AddDate(0, 1, 0) },
			func(d time.Time) time.Time { return first(d).AddDate(0, -11, 0) }, nil
	}
	return nil, nil, heed.FieldErrorf(heed.EInvalid, "every", "every %q must be day, week or month", every)
}

// dayStart is the start (UTC) of t's day in UTC.
func dayStart(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Ladder is the loyalty ladder of a part of the organisation over time.
type Ladder struct {
	Unit   string                `json:"unit,omitempty"` // "" for every customer the reader may see
	Every  string                `json:"every"`
	Rungs  []loyalty.Rung        `json:"rungs"` // from the bottom of the ladder up
	Points []loyalty.FunnelPoint `json:"points"`
}

// Ladder counts the rungs of the customers p may see under unit (see
// Funnel) at the end of every day, week or month from the day from to
// the day to (see Points; every "" is month), as of the service's clock.
func (s *Service) Ladder(ctx context.Context, p heed.Principal, unit string, from, to time.Time, every string) (Ladder, error) {
	every = cmp.Or(every, EveryMonth)
	pts, err := Points(from, to, every, s.now())
	if err != nil {
		return Ladder{}, err
	}
	funnel, err := s.Funnel(ctx, p, unit, pts)
	if err != nil {
		return Ladder{}, err
	}
	return Ladder{Unit: unit, Every: every, Rungs: loyalty.Rungs(), Points: funnel}, nil
}
