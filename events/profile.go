package events

import (
	"context"
	"slices"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/loyalty"
)

// Profile is what Heed makes of one customer as of At: recency,
// frequency and value, the churn risk with the factors that drive it,
// the rung of the loyalty ladder with its reason, and what they did.
type Profile struct {
	Customer string    `json:"customer"` // external id
	Name     string    `json:"name"`
	Unit     string    `json:"unit"`
	At       time.Time `json:"at"` // as of when (UTC): later events and answers are not counted
	loyalty.Profile
	Events  EventSummary         `json:"events"`
	Answers int                  `json:"answers"`       // survey answers counted
	Recent  []heed.CustomerEvent `json:"recent_events"` // the latest, newest first
}

// EventSummary counts a customer's events.
type EventSummary struct {
	Total  int                            `json:"total"`
	ByKind map[heed.CustomerEventKind]int `json:"by_kind"` // every kind, zeros included
	First  time.Time                      `json:"first,omitzero"`
	Last   time.Time                      `json:"last,omitzero"`
}

// recentEvents is how many of the latest events a profile shows.
const recentEvents = 20

// Profile profiles the customer with external id ext as of now, for
// anyone who may see the customer (ENotFound for anyone else: outsiders
// cannot tell hidden from missing). Days are counted in UTC.
func (s *Service) Profile(ctx context.Context, p heed.Principal, ext string) (Profile, error) {
	if !p.Role.Valid() {
		return Profile{}, heed.Errorf(heed.EForbidden, "sign in to read customer profiles")
	}
	c, err := s.store.GetCustomer(ctx, p.Scope(), ext)
	if err != nil {
		return Profile{}, err
	}
	now := s.now().UTC().Truncate(time.Microsecond) // as the stores keep times
	events, err := s.store.ListCustomerEvents(ctx, c.ID, now)
	if err != nil {
		return Profile{}, err
	}
	answers, err := s.store.ListCustomerAnswers(ctx, c.ID, now)
	if err != nil {
		return Profile{}, err
	}
	h := history(heed.CustomerHistory{Customer: c, Events: events, Answers: answers})
	return Profile{Customer: c.ExternalID, Name: c.Name, Unit: c.Unit, At: now, Profile: loyalty.Infer(h, now),
		Events: summarise(events), Answers: len(answers), Recent: recent(events)}, nil
}

// history is what package loyalty reads of a customer's history.
func history(h heed.CustomerHistory) loyalty.History {
	return loyalty.History{Events: h.Events, Answers: h.Answers, Since: h.Customer.CreatedAt}
}

// summarise counts events, oldest first, by kind.
func summarise(events []heed.CustomerEvent) EventSummary {
	s := EventSummary{Total: len(events), ByKind: map[heed.CustomerEventKind]int{}}
	for _, k := range heed.CustomerEventKinds() {
		s.ByKind[k] = 0
	}
	for _, e := range events {
		s.ByKind[e.Kind]++
	}
	if len(events) > 0 {
		s.First, s.Last = events[0].At, events[len(events)-1].At
	}
	return s
}

// recent is the latest of events (given oldest first), newest first.
func recent(events []heed.CustomerEvent) []heed.CustomerEvent {
	out := slices.Clone(events[max(0, len(events)-recentEvents):])
	slices.Reverse(out)
	return out
}

// MaxPoints is the most times one funnel counts the ladder at.
const MaxPoints = 400

// Funnel counts, at each time of points, how many of the customers p
// may see — under unit's subtree unless unit is "" — stood on each rung
// of the loyalty ladder, replaying their events and answers as they
// stood then; days are counted in UTC. A unit p may not see is ENotFound, as one that does not
// exist. Customers are read a page at a time, so an organisation of any
// size is counted in bounded memory.
func (s *Service) Funnel(ctx context.Context, p heed.Principal, unit string, points []time.Time) ([]loyalty.FunnelPoint, error) {
	if !p.Role.Valid() {
		return nil, heed.Errorf(heed.EForbidden, "sign in to read the loyalty ladder")
	}
	if len(points) == 0 || len(points) > MaxPoints {
		return nil, heed.FieldErrorf(heed.EInvalid, "points", "a funnel is counted at 1 to %d times, not %d", MaxPoints, len(points))
	}
	if err := s.visibleUnit(ctx, p, unit); err != nil {
		return nil, err
	}
	points = slices.Clone(points)
	for i, t := range points {
		points[i] = t.UTC() // days are counted in UTC, as in a profile
	}
	total := loyalty.Funnel(nil, points) // every rung at zero
	err := s.store.EachCustomerHistory(ctx, p.Scope(), unit, slices.MaxFunc(points, time.Time.Compare), func(h heed.CustomerHistory) error {
		loyalty.Place(total, history(h))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return total, nil
}

// visibleUnit is nil when unit is "" or a unit p may see, else ENotFound.
func (s *Service) visibleUnit(ctx context.Context, p heed.Principal, unit string) error {
	if unit == "" {
		return nil
	}
	u, err := s.store.GetUnit(ctx, unit)
	if err != nil && !heed.IsNotFound(err) {
		return err
	}
	if err != nil || !p.Scope().CoversUnit(u.ID, u.Path) {
		return heed.FieldErrorf(heed.ENotFound, "unit", "no unit %q", unit)
	}
	return nil
}
