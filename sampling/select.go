package sampling

import (
	"cmp"
	"slices"
	"time"
)

// Plan is one day's decision for a program.
type Plan struct {
	Chosen   []Candidate    // in the order they should be asked
	Skipped  map[Reason]int // counts per reason, only reasons that occurred; with Chosen they cover every candidate once
	Eligible int            // candidates that passed the rules (chosen, over quota or duplicate)
	Quota    int            // how many were wanted today (for SelectStratified, the sum of the unit quotas)
}

// Select picks up to quota eligible candidates, longest-not-asked first:
// never asked by this program before anyone asked, then by the calendar day
// of LastAskedByProgram, then of LastAskedAny (never before any day). Ties,
// which are most candidates on any given day, are broken by a 64-bit hash of
// (seed, today's date, customer ID), so the same seed, day and candidates give
// the same choice whatever order the slice is in, while another seed or day
// shuffles the ties afresh. Days, like the rules, are calendar days in now's
// location; comparing days rather than instants keeps the order in which
// yesterday's invitations happened to be sent from deciding today's.
func Select(cands []Candidate, r Rules, quota int, seed int64, now time.Time) Plan {
	quota = max(0, quota)
	return choose(cands, r, seed, now, quota, func(Candidate) bool { return true })
}

// SelectStratified picks, in Select's order, up to quotas[unit] eligible
// candidates of each unit (a unit missing from quotas gets none). Walking one
// order across units rather than selecting unit by unit keeps the choice
// within each unit the same as Select's and lists the longest-not-asked
// first overall.
func SelectStratified(cands []Candidate, r Rules, quotas map[int64]int, seed int64, now time.Time) Plan {
	total := 0
	taken := make(map[int64]int, len(quotas))
	for _, q := range quotas {
		total += max(0, q)
	}
	return choose(cands, r, seed, now, total, func(c Candidate) bool {
		if taken[c.UnitID] >= quotas[c.UnitID] {
			return false
		}
		taken[c.UnitID]++
		return true
	})
}

// ranked is an eligible candidate with its sort key, computed once so the
// sort does no time arithmetic.
type ranked struct {
	prog, anyDay int64  // calendar days last asked (never: before all)
	tie          uint64 // seeded shuffle among equal days
	id, unit     int64  // make the order total even if two hashes collide
	idx          int
}

func compareRanked(a, b ranked) int {
	return cmp.Or(cmp.Compare(a.prog, b.prog), cmp.Compare(a.anyDay, b.anyDay),
		cmp.Compare(a.tie, b.tie), cmp.Compare(a.id, b.id), cmp.Compare(a.unit, b.unit))
}

// choose applies the rules, orders the eligible, and walks them until quota
// are taken, offering each to take (which may refuse, e.g. a full unit).
func choose(cands []Candidate, r Rules, seed int64, now time.Time, quota int, take func(Candidate) bool) Plan {
	loc := now.Location()
	today := dayOf(now, loc)
	salt := mix(mix(uint64(seed)) ^ uint64(today))
	var skipped counts
	order := make([]ranked, 0, len(cands))
	for i, c := range cands {
		prog, anyDay := dayOf(c.LastAskedByProgram, loc), dayOf(c.LastAskedAny, loc)
		if why := check(c, r, today, prog, anyDay); why != "" {
			skipped.add(why, 1)
			continue
		}
		order = append(order, ranked{prog: prog, anyDay: anyDay, tie: mix(salt ^ uint64(c.CustomerID)),
			id: c.CustomerID, unit: c.UnitID, idx: i})
	}
	slices.SortFunc(order, compareRanked)
	plan := Plan{Eligible: len(order), Quota: quota}
	chosen := make(map[int64]bool, min(quota, len(order)))
	for n, o := range order {
		c := cands[o.idx]
		switch {
		case len(plan.Chosen) >= quota:
			skipped.add(OverQuota, len(order)-n) // the rest, without a lookup each
			plan.Skipped = skipped.toMap()
			return plan
		case chosen[c.CustomerID]:
			skipped.add(Duplicate, 1)
		case take(c):
			chosen[c.CustomerID] = true
			plan.Chosen = append(plan.Chosen, c)
		default:
			skipped.add(OverQuota, 1)
		}
	}
	plan.Skipped = skipped.toMap()
	return plan
}

// counts tallies reasons in an array indexed by precedence: a map increment
// per candidate would hash a string a hundred thousand times.
type counts [len(reasons)]int

func (k *counts) add(why Reason, n int) {
	k[slices.Index(reasons[:], why)] += n
}

func (k *counts) toMap() map[Reason]int {
	m := map[Reason]int{}
	for i, why := range reasons {
		if k[i] > 0 {
			m[why] = k[i]
		}
	}
	return m
}

// mix is the splitmix64 finalizer: a fixed, well-spread 64-bit hash, the same
// in every process (unlike hash/maphash) and free of shared state (unlike the
// math/rand globals), so a day's choice can be recomputed and audited.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
