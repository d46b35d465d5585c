package loyalty

import "time"

// FunnelPoint is the ladder at one time: how many customers stood on each rung.
type FunnelPoint struct {
	At     time.Time    `json:"at"`
	Counts map[Rung]int `json:"counts"` // every rung, zeros included
	Known  int          `json:"known"`  // customers known at At: the sum of Counts
}

// Funnel places every customer on the ladder at each time of at, replaying
// their history as it stood then. Customers not yet known at a time (see
// History.Since) are not counted in it.
func Funnel(customers []History, at []time.Time) []FunnelPoint {
	points := make([]FunnelPoint, len(at))
	for i, t := range at {
		p := FunnelPoint{At: t, Counts: make(map[Rung]int, len(rungs))}
		for _, r := range rungs {
			p.Counts[r] = 0
		}
		for _, h := range customers {
			f := gather(h, t)
			if !f.known {
				continue
			}
			r, _ := ladder(&f)
			p.Counts[r]++
			p.Known++
		}
		points[i] = p
	}
	return points
}
