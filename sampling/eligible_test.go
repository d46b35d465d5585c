package sampling

import (
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin for DST cases, whatever the machine has installed
)

func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("load location: %v", err)
	}
	return loc
}

// ok is a candidate that passes every rule, to be spoilt one field at a time.
func ok(now time.Time) Candidate {
	return Candidate{CustomerID: 1, UnitID: 1, Consent: true, Reachable: true,
		LastAskedByProgram: now.AddDate(0, -7, 0), LastAskedAny: now.AddDate(0, -2, 0)}
}

func TestEligibleReasonsAndPrecedence(t *testing.T) {
	now := time.Date(2025, 6, 15, 9, 0, 0, 0, time.UTC)
	// Each row spoils one more rule than the one below it, so the expected
	// reason is always the first in precedence.
	tests := []struct {
		name  string
		spoil func(*Candidate)
		want  Reason
	}{
		{"eligible", func(*Candidate) {}, ""},
		{"open case", func(c *Candidate) { c.OpenCase = true }, OpenCase},
		{"asked recently", func(c *Candidate) { c.OpenCase = true; c.LastAskedAny = now.AddDate(0, 0, -3) }, AskedRecently},
		{"asked by program", func(c *Candidate) {
			c.OpenCase = true
			c.LastAskedAny = now.AddDate(0, 0, -3)
			c.LastAskedByProgram = now.AddDate(0, 0, -3)
		}, AskedByProgram},
		{"unreachable", func(c *Candidate) {
			c.OpenCase, c.Reachable = true, false
			c.LastAskedAny, c.LastAskedByProgram = now, now
		}, Unreachable},
		{"no consent", func(c *Candidate) {
			c.OpenCase, c.Reachable, c.Consent = true, false, false
			c.LastAskedAny, c.LastAskedByProgram = now, now
		}, NoConsent},
		{"never asked", func(c *Candidate) { c.LastAskedAny, c.LastAskedByProgram = time.Time{}, time.Time{} }, ""},
		{"asked by program only long ago, recently by another", func(c *Candidate) { c.LastAskedAny = now.AddDate(0, 0, -1) }, AskedRecently},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok(now)
			tt.spoil(&c)
			got, why := Eligible(c, Rules{}, now)
			if got != (tt.want == "") || why != tt.want {
				t.Errorf("Eligible = %v, %q; want %v, %q", got, why, tt.want == "", tt.want)
			}
		})
	}
}

// The boundary rule: asked exactly ProgramDays (GlobalDays) calendar days ago
// is eligible, a day less is not, whatever the hours of the two instants.
func TestEligibleBoundaries(t *testing.T) {
	loc := berlin(t)
	now := time.Date(2025, 9, 14, 12, 0, 0, 0, loc) // 10:00 UTC
	tests := []struct {
		name       string
		rules      Rules
		prog, glob time.Time
		want       Reason
	}{
		{"program: 183 days ago, late in the day", Rules{}, time.Date(2025, 3, 15, 23, 59, 0, 0, loc), time.Time{}, ""},
		{"program: 182 days ago, early in the day", Rules{}, time.Date(2025, 3, 16, 0, 0, 0, 0, loc), time.Time{}, AskedByProgram},
		{"program: custom 90 days, exactly", Rules{ProgramDays: 90}, now.AddDate(0, 0, -90), time.Time{}, ""},
		{"program: custom 90 days, 89", Rules{ProgramDays: 90}, now.AddDate(0, 0, -89), time.Time{}, AskedByProgram},
		{"global: 30 days ago", Rules{}, time.Time{}, time.Date(2025, 8, 15, 23, 0, 0, 0, loc), ""},
		{"global: 29 days ago", Rules{}, time.Time{}, time.Date(2025, 8, 16, 0, 0, 0, 0, loc), AskedRecently},
		{"global: custom 7", Rules{GlobalDays: 7}, time.Time{}, now.AddDate(0, 0, -7), ""},
		{"global: custom 7, 6 days", Rules{GlobalDays: 7}, time.Time{}, now.AddDate(0, 0, -6), AskedRecently},
		{"negative rules mean defaults", Rules{ProgramDays: -1, GlobalDays: -1}, now.AddDate(0, 0, -182), time.Time{}, AskedByProgram},
		{"asked in the future (clock skew) is not eligible", Rules{}, now.AddDate(0, 0, 2), time.Time{}, AskedByProgram},
		// 23:30 UTC on 16 March is 00:30 on 17 March in Berlin: days are
		// counted in now's location, so this is 181 days, not 182 as in UTC.
		{"days counted in now's location", Rules{ProgramDays: 182}, time.Date(2025, 3, 16, 23, 30, 0, 0, time.UTC), time.Time{}, AskedByProgram},
		{"...and one more day is enough", Rules{ProgramDays: 181}, time.Date(2025, 3, 16, 23, 30, 0, 0, time.UTC), time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok(now)
			c.LastAskedByProgram, c.LastAskedAny = tt.prog, tt.glob
			if _, why := Eligible(c, tt.rules, now); why != tt.want {
				t.Errorf("reason %q, want %q", why, tt.want)
			}
		})
	}
}

// civilDays replaces time.Date for speed; it must agree with it everywhere,
// including before 1970 and across leap centuries.
func TestCivilDaysAgreesWithTime(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(y, m, d int) {
		want := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400
		if got := civilDays(y, m, d); got != want {
			t.Fatalf("civilDays(%d-%d-%d) = %d, want %d", y, m, d, got, want)
		}
	}
	for _, ymd := range [][3]int{{1970, 1, 1}, {2000, 2, 29}, {2100, 3, 1}, {1900, 2, 28}, {1600, 1, 1}, {-1, 12, 31}, {0, 3, 1}, {-400, 1, 1}} {
		check(ymd[0], ymd[1], ymd[2])
	}
	for range 100000 {
		tm := time.Unix(r.Int64N(2e11)-1e11, 0).UTC()
		check(tm.Year(), int(tm.Month()), tm.Day())
	}
}
