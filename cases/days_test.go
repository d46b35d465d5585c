package cases

import (
	"testing"
	"time"
)

// TestDaysAcrossClockChanges: a day's window and its next day hold
// where a daylight-saving change moves midnight itself (Santiago springs
// forward at 00:00 on 6 Sep 2026: that midnight does not exist).
func TestDaysAcrossClockChanges(t *testing.T) {
	for _, zone := range []string{"America/Santiago", "America/Havana", "Europe/Amsterdam", "UTC"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Skipf("no zone data for %s: %v", zone, err)
		}
		d, err := parseCivilDay("2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		for range 366 {
			next := d.add(1)
			from, to := d.start(loc), next.start(loc)
			if got := dayOfTime(from, loc); got != d {
				t.Fatalf("%s: start of %s is %v, on %s", zone, d, from, got)
			}
			if h := to.Sub(from).Hours(); h < 22 || h > 26 {
				t.Fatalf("%s: %s lasts %v hours (%v to %v)", zone, d, h, from, to)
			}
			if got := dayOfTime(to.Add(-time.Nanosecond), loc); got != d {
				t.Fatalf("%s: the last instant of %s falls on %s", zone, d, got)
			}
			if at := d.at(7, loc); dayOfTime(at, loc) != d || at.In(loc).Hour() != 7 {
				t.Fatalf("%s: 07:00 on %s is %v", zone, d, at.In(loc))
			}
			d = next
		}
		if zone == "America/Santiago" {
			// The case that broke a chain of AddDate: 6 Sep 2026 starts at 01:00.
			spring, _ := parseCivilDay("2026-09-06")
			if got := spring.start(loc).In(loc).Format("2006-01-02 15:04"); got != "2026-09-06 01:00" {
				t.Errorf("Santiago's 6 Sep 2026 starts at %s; want 01:00", got)
			}
			if got := spring.add(-1).add(1); got != spring {
				t.Errorf("the day after 5 Sep 2026 is %s", got)
			}
		}
		if d.String() != "2027-01-02" {
			t.Fatalf("%s: 366 days after 2026-01-01 is %s", zone, d)
		}
	}
}
