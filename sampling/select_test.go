package sampling

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// population builds n candidates with a realistic mix: most consenting and
// reachable, asked by the program and by others at random times over the
// last 400 days or never, a few with open cases.
func population(n int, now time.Time, r *rand.Rand) []Candidate {
	cands := make([]Candidate, n)
	for i := range cands {
		c := Candidate{CustomerID: int64(i + 1), UnitID: int64(r.IntN(50)), Consent: r.Float64() < 0.9,
			Reachable: r.Float64() < 0.95, OpenCase: r.Float64() < 0.02}
		if r.Float64() < 0.7 {
			c.LastAskedByProgram = now.Add(-time.Duration(r.Int64N(400*24)) * time.Hour)
			c.LastAskedAny = c.LastAskedByProgram
		}
		if r.Float64() < 0.3 {
			c.LastAskedAny = now.Add(-time.Duration(r.Int64N(60*24)) * time.Hour)
		}
		cands[i] = c
	}
	return cands
}

func ids(cs []Candidate) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.CustomerID
	}
	return out
}

// checkAccounting: every candidate is counted once, chosen or under one reason.
func checkAccounting(t *testing.T, p Plan, n int) {
	t.Helper()
	sum := len(p.Chosen)
	for _, k := range p.Skipped {
		sum += k
	}
	if sum != n {
		t.Errorf("chosen %d + skipped %v = %d, want %d candidates", len(p.Chosen), p.Skipped, sum, n)
	}
	if got := len(p.Chosen) + p.Skipped[OverQuota] + p.Skipped[Duplicate]; got != p.Eligible {
		t.Errorf("chosen + over quota + duplicate = %d, want Eligible %d", got, p.Eligible)
	}
	if len(p.Chosen) > p.Quota {
		t.Errorf("chose %d over quota %d", len(p.Chosen), p.Quota)
	}
}

func TestSelectObeysRulesAndAccounts(t *testing.T) {
	now := time.Date(2025, 6, 15, 9, 0, 0, 0, time.UTC)
	cands := population(5000, now, rand.New(rand.NewPCG(5, 6)))
	for _, quota := range []int{0, 33, 1000, 5000, -3} {
		p := Select(cands, Rules{}, quota, 42, now)
		checkAccounting(t, p, len(cands))
		for _, c := range p.Chosen {
			if ok, why := Eligible(c, Rules{}, now); !ok {
				t.Errorf("quota %d: chose customer %d, who is not eligible (%s)", quota, c.CustomerID, why)
			}
		}
		want := 0
		for _, c := range cands {
			if ok, _ := Eligible(c, Rules{}, now); ok {
				want++
			}
		}
		if p.Eligible != want || len(p.Chosen) != min(max(quota, 0), want) {
			t.Errorf("quota %d: eligible %d, chosen %d; want %d eligible, %d chosen", quota, p.Eligible, len(p.Chosen), want, min(max(quota, 0), want))
		}
		for _, why := range []Reason{NoConsent, Unreachable, AskedByProgram, AskedRecently, OpenCase} {
			if p.Skipped[why] == 0 {
				t.Errorf("quota %d: no candidate skipped for %s in a mixed population", quota, why)
			}
		}
	}
}

func TestSelectLongestNotAskedFirst(t *testing.T) {
	now := time.Date(2025, 6, 15, 9, 0, 0, 0, time.UTC)
	var cands []Candidate
	add := func(n int, prog, anyAgo int) { // days ago; -1: never
		for range n {
			c := Candidate{CustomerID: int64(len(cands) + 1), Consent: true, Reachable: true}
			if prog >= 0 {
				c.LastAskedByProgram = now.AddDate(0, 0, -prog)
			}
			if anyAgo >= 0 {
				c.LastAskedAny = now.AddDate(0, 0, -anyAgo)
			}
			cands = append(cands, c)
		}
	}
	add(40, 200, 200)
	add(30, -1, 40)  // never by this program, asked by another
	add(20, -1, -1)  // never asked at all
	add(40, 300, 35) // longer ago by the program, recently by another
	add(40, 300, 300)
	add(40, 100, 100) // not eligible
	p := Select(cands, Rules{}, 130, 7, now)
	checkAccounting(t, p, len(cands))
	// Expected blocks in order: 20 never asked at all, 30 never by the
	// program, 40 at 300/300, then 40 at 300/35; the 200-day group waits.
	blocks := []struct {
		n         int
		prog, any int
	}{{20, -1, -1}, {30, -1, 40}, {40, 300, 300}, {40, 300, 35}}
	i := 0
	for _, b := range blocks {
		for range b.n {
			c := p.Chosen[i]
			if c.LastAskedByProgram.IsZero() != (b.prog < 0) || c.LastAskedAny.IsZero() != (b.any < 0) ||
				(b.prog >= 0 && !c.LastAskedByProgram.Equal(now.AddDate(0, 0, -b.prog))) ||
				(b.any >= 0 && !c.LastAskedAny.Equal(now.AddDate(0, 0, -b.any))) {
				t.Fatalf("chosen[%d] = customer %d (program %v, any %v), want from block %+v", i, c.CustomerID, c.LastAskedByProgram, c.LastAskedAny, b)
			}
			i++
		}
	}
	if p.Skipped[OverQuota] != 40 || p.Skipped[AskedByProgram] != 40 {
		t.Errorf("skipped %v, want 40 over quota and 40 asked by program", p.Skipped)
	}
}

// The hours of the last asks do not order candidates asked on the same day:
// the seeded shuffle does, so the order of yesterday's sends has no say.
func TestSelectComparesDaysNotInstants(t *testing.T) {
	now := time.Date(2025, 6, 15, 9, 0, 0, 0, time.UTC)
	asked := now.AddDate(0, 0, -200)
	var cands []Candidate
	for i := range 200 {
		t := asked.Add(time.Duration(i) * time.Minute) // earlier IDs asked earlier in the day
		cands = append(cands, Candidate{CustomerID: int64(i + 1), Consent: true, Reachable: true, LastAskedByProgram: t, LastAskedAny: t})
	}
	p := Select(cands, Rules{}, 100, 1, now)
	early := 0
	for _, c := range p.Chosen {
		if c.CustomerID <= 100 {
			early++
		}
	}
	// By instant all 100 would be the early ones; a fair shuffle of 100 out
	// of 200 gives 50 ± 3.5 (hypergeometric sd), so 50 ± 20 cannot be luck.
	if early < 30 || early > 70 {
		t.Errorf("%d of the 100 asked earliest in the day were chosen; want a shuffle (about 50)", early)
	}
}

func TestSelectReproducible(t *testing.T) {
	now := time.Date(2025, 6, 15, 9, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(8, 9))
	cands := population(3000, now, r)
	want := ids(Select(cands, Rules{}, 200, 99, now).Chosen)
	for range 5 {
		shuffled := slices.Clone(cands)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := ids(Select(shuffled, Rules{}, 200, 99, now).Chosen); !slices.Equal(got, want) {
			t.Fatal("same seed, day and candidates in another order gave another choice")
		}
	}
	// Another hour of the same day is the same day.
	if got := ids(Select(cands, Rules{}, 200, 99, now.Add(8*time.Hour)).Chosen); !slices.Equal(got, want) {
		t.Error("a later run on the same day gave another choice")
	}
}

func TestSelectTiesDependOnSeedAndDay(t *testing.T) {
	now := time.Date(2025, 6, 15, 9, 0, 0, 0, time.UTC)
	cands := make([]Candidate, 1000)
	for i := range cands {
		cands[i] = Candidate{CustomerID: int64(i + 1), Consent: true, Reachable: true}
	}
	base := ids(Select(cands, Rules{}, 100, 1, now).Chosen)
	overlap := func(a, b []int64) int {
		n := 0
		for _, x := range a {
			if slices.Contains(b, x) {
				n++
			}
		}
		return n
	}
	// Two independent draws of 100 of 1,000 share 10 on average (sd about 3).
	for name, other := range map[string][]int64{
		"another seed": ids(Select(cands, Rules{}, 100, 2, now).Chosen),
		"the next day": ids(Select(cands, Rules{}, 100, 1, now.AddDate(0, 0, 1)).Chosen),
	} {
		if n := overlap(base, other); n > 30 {
			t.Errorf("%s: %d of 100 chosen again, want a fresh shuffle (about 10)", name, n)
		}
	}
	// Ties are not broken by ID: a fair sample of 100 of 1..1000 has a mean
	// ID of 500.5 with sd about 27.
	sum := int64(0)
	for _, id := range base {
		sum += id
	}
	if mean := float64(sum) / 100; mean < 400 || mean > 600 {
		t.Errorf("mean chosen ID %.0f, want about 500", mean)
	}
}

func TestSelectNeverAsksACustomerTwice(t *testing.T) {
	now := time.Date(2025, 6, 15, 9, 0, 0, 0, time.UTC)
	c := Candidate{CustomerID: 7, UnitID: 1, Consent: true, Reachable: true}
	d := c
	d.UnitID = 2 // the same customer loaded through a second unit
	cands := []Candidate{c, d, {CustomerID: 8, Consent: true, Reachable: true}}
	p := Select(cands, Rules{}, 10, 1, now)
	checkAccounting(t, p, len(cands))
	if len(p.Chosen) != 2 || p.Skipped[Duplicate] != 1 {
		t.Errorf("chosen %v, skipped %v; want customers 7 and 8 once each, one duplicate", ids(p.Chosen), p.Skipped)
	}
}

func TestSelectStratified(t *testing.T) {
	now := time.Date(2025, 6, 15, 9, 0, 0, 0, time.UTC)
	cands := population(6000, now, rand.New(rand.NewPCG(10, 11)))
	quotas := map[int64]int{0: 5, 1: 0, 2: 1000, 3: 12} // other units: none
	p := SelectStratified(cands, Rules{}, quotas, 3, now)
	checkAccounting(t, p, len(cands))
	if p.Quota != 1017 {
		t.Errorf("plan quota %d, want the sum 1017", p.Quota)
	}
	per := map[int64][]Candidate{}
	for _, c := range p.Chosen {
		per[c.UnitID] = append(per[c.UnitID], c)
	}
	for unit, q := range quotas {
		// Within a unit the choice is Select's on that unit alone.
		var mine []Candidate
		for _, c := range cands {
			if c.UnitID == unit {
				mine = append(mine, c)
			}
		}
		want := Select(mine, Rules{}, q, 3, now)
		if !slices.Equal(ids(per[unit]), ids(want.Chosen)) {
			t.Errorf("unit %d: chose %v, Select on the unit alone chose %v", unit, ids(per[unit]), ids(want.Chosen))
		}
		delete(per, unit)
	}
	if len(per) != 0 {
		t.Errorf("chose from units without a quota: %v", per)
	}
}

// BenchmarkSelect chooses a day's 33 out of 100,000 candidates of a mixed
// population (about three in ten eligible).
func BenchmarkSelect(b *testing.B) {
	now := time.Date(2025, 6, 15, 9, 0, 0, 0, time.UTC)
	cands := population(100000, now, rand.New(rand.NewPCG(12, 13)))
	b.ReportAllocs()
	for b.Loop() {
		Select(cands, Rules{}, 33, 1, now)
	}
}
