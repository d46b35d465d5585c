package cases

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/metrics"
)

// Figures are the closed-loop figures of one unit and everything below
// it, over the cases opened in a span (open cases: all of them, now).
type Figures struct {
	Unit  string `json:"unit"` // "" for the whole scope
	Name  string `json:"name,omitempty"`
	Depth int    `json:"depth"`
	Cases int    `json:"cases"`
	// Detractor cases and how many of them reached the customer.
	Detractors     int      `json:"detractors"`
	Contacted      int      `json:"contacted"`
	ContactedShare *float64 `json:"contacted_share"` // percent; null without detractor cases
	// Median hours from opening to the first contact, over contacted cases.
	MedianFirstContactHours *float64 `json:"median_first_contact_hours"`
	Closed                  int      `json:"closed"`
	ClosedInTime            int      `json:"closed_in_time"`
	ClosedInTimeShare       *float64 `json:"closed_in_time_share"` // percent of closed cases closed by their resolve due time
	// Detractor cases whose customer answered the verification re-survey,
	// and how many of those rose to passive or promoter.
	Verified     int      `json:"verified"`
	Recovered    int      `json:"recovered"`
	RecoveryRate *float64 `json:"recovery_rate"` // percent
	// Open cases now: by stage, by age, late and escalated.
	Open        int                `json:"open"`
	OpenByStage map[heed.Stage]int `json:"open_by_stage"`
	OpenByAge   map[string]int     `json:"open_by_age"` // "0-2d", "2-7d", "7-30d", "30d+"
	Late        int                `json:"late"`
	Escalated   int                `json:"escalated"`

	hours []float64
}

// LoopMetrics are the figures of the scope and of each unit in it.
type LoopMetrics struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Total Figures   `json:"total"`
	Units []Figures `json:"units"` // by the tree, parents first
}

// Ages are the buckets of OpenByAge.
func Ages() []string { return []string{"0-2d", "2-7d", "7-30d", "30d+"} }

// Metrics computes the closed-loop figures p may see, of unit's subtree
// ("" for all), over cases opened in [from, to), rolled up the tree: a
// region counts every case of its stores.
func (s *Service) Metrics(ctx context.Context, p heed.Principal, unit string, from, to time.Time) (LoopMetrics, error) {
	if err := requireReader(p); err != nil {
		return LoopMetrics{}, err
	}
	m := LoopMetrics{From: from, To: to, Total: newFigures("", "", 0), Units: []Figures{}}
	scope := p.Scope()
	units, err := s.store.ListUnits(ctx, scope)
	if err != nil {
		return m, err
	}
	var path string
	if unit != "" {
		u, err := s.store.GetUnit(ctx, unit)
		if err != nil || !scope.CoversUnit(u.ID, u.Path) {
			return m, fieldOf(heed.Errorf(heed.ENotFound, "no unit %q", unit), "unit")
		}
		path = u.Path
	}
	byID := map[int64]int{} // unit id → index in m.Units
	pathOf := map[int64]string{}
	for _, u := range units {
		pathOf[u.ID] = u.Path
		if strings.HasPrefix(u.Path, path) {
			byID[u.ID] = len(m.Units)
			m.Units = append(m.Units, newFigures(u.Key, u.Name, u.Depth))
		}
	}
	add := func(f heed.CaseFact, fn func(*Figures)) {
		fn(&m.Total)
		for _, id := range ancestors(pathOf[f.UnitID]) {
			if i, ok := byID[id]; ok {
				fn(&m.Units[i])
			}
		}
	}
	opened, err := s.store.ListCaseFacts(ctx, scope, heed.CaseFactFilter{UnitPath: path, From: from, To: to})
	if err != nil {
		return m, err
	}
	for _, f := range opened {
		add(f, func(x *Figures) { x.addOpened(f) })
	}
	open, err := s.store.ListCaseFacts(ctx, scope, heed.CaseFactFilter{UnitPath: path, Open: true})
	if err != nil {
		return m, err
	}
	now := s.now()
	for _, f := range open {
		add(f, func(x *Figures) { x.addOpen(f, now) })
	}
	m.Total.finish()
	for i := range m.Units {
		m.Units[i].finish()
	}
	return m, nil
}

func newFigures(key, name string, depth int) Figures {
	f := Figures{Unit: key, Name: name, Depth: depth, OpenByStage: map[heed.Stage]int{}, OpenByAge: map[string]int{}}
	for _, a := range Ages() {
		f.OpenByAge[a] = 0
	}
	return f
}

// ancestors are the unit ids on a path "/1/5/23/", root first.
func ancestors(path string) []int64 {
	var ids []int64
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(part, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

func (x *Figures) addOpened(f heed.CaseFact) {
	x.Cases++
	if f.FirstContactAt != nil {
		x.hours = append(x.hours, f.FirstContactAt.Sub(f.CreatedAt).Hours())
	}
	if f.CategoryBefore == metrics.Detractor {
		x.Detractors++
		if f.FirstContactAt != nil {
			x.Contacted++
		}
		if f.CategoryAfter != "" {
			x.Verified++
			if f.CategoryAfter != metrics.Detractor {
				x.Recovered++
			}
		}
	}
	if f.ClosedAt != nil {
		x.Closed++
		if !f.ClosedAt.After(f.ResolveDue) {
			x.ClosedInTime++
		}
	}
}

// factLate is heed.Case.Late of the case f is a fact of.
func factLate(f heed.CaseFact, now time.Time) bool {
	c := heed.Case{Stage: f.Stage, FirstContactAt: f.FirstContactAt, FirstContactDue: f.FirstContactDue,
		ResolveDue: f.ResolveDue}
	return c.Late(now)
}

func (x *Figures) addOpen(f heed.CaseFact, now time.Time) {
	x.Open++
	x.OpenByStage[f.Stage]++
	switch age := now.Sub(f.CreatedAt); {
	case age < 48*time.Hour:
		x.OpenByAge["0-2d"]++
	case age < 7*24*time.Hour:
		x.OpenByAge["2-7d"]++
	case age < 30*24*time.Hour:
		x.OpenByAge["7-30d"]++
	default:
		x.OpenByAge["30d+"]++
	}
	if factLate(f, now) {
		x.Late++
	}
	if f.EscalationLevel > 0 {
		x.Escalated++
	}
}

// finish turns counts into shares and the median.
func (x *Figures) finish() {
	x.ContactedShare = share(x.Contacted, x.Detractors)
	x.ClosedInTimeShare = share(x.ClosedInTime, x.Closed)
	x.RecoveryRate = share(x.Recovered, x.Verified)
	if len(x.hours) > 0 {
		slices.Sort(x.hours)
		n := len(x.hours)
		med := x.hours[n/2]
		if n%2 == 0 {
			med = (x.hours[n/2-1] + x.hours[n/2]) / 2
		}
		x.MedianFirstContactHours = &med
	}
	x.hours = nil
}

func share(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	v := 100 * float64(n) / float64(of)
	return &v
}
