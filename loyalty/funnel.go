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
		points[i] = FunnelPoint{At: t, Counts: make(map[Rung]int, len(rungs))}
		for _, r := range rungs {
			points[i].Counts[r] = 0
		}
	}
	for _, h := range customers {
		Place(points, h)
	}
	return points
}

// Place adds one customer to the counts of every point (made by Funnel),
// as their history stood at its time, so a caller walking customers one
// at a time counts any number of them in bounded memory.
func Place(points []FunnelPoint, h History) {
	for i := range points {
		f := gather(h, points[i].At)
		if !f.known {
			continue
		}
		r, _ := ladder(&f)
		points[i].Counts[r]++
		points[i].Known++
	}
}
