// Package events brings in what customers do — purchases, visits, logins,
// support contacts, referrals, cancellations: the inferred voice of the
// customer — and reads from it and their survey answers each customer's
// profile (recency, frequency, value, churn risk with its factors, rung
// of the loyalty ladder; package loyalty) and the ladder of a part of the
// organisation over time. The REST API and the CLI call it; who may see
// which customer is decided here.
package events

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// Config is what the service needs.
type Config struct {
	Now func() time.Time // nil: time.Now
}

// Service records customer events and profiles customers.
type Service struct {
	store heed.Store
	now   func() time.Time
}

// New returns a Service over store.
func New(store heed.Store, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{store: store, now: cfg.Now}
}

// MaxBatch is the most events one request may carry, and how many an
// import writes at a time.
const MaxBatch = 1000

// Limits of an event's fields.
const (
	maxKey = 200 // bytes of a source or an external id
	// futureSlack is how far past the server's clock an event may be:
	// the systems that send events do not all keep good time.
	futureSlack = 24 * time.Hour
)

// Input is one event as the API and imports take it.
type Input struct {
	Customer   string                 `json:"customer"` // external id; the customer must exist
	Kind       heed.CustomerEventKind `json:"kind"`
	At         time.Time              `json:"at"`               // when it happened; required
	Amount     heed.Decimal           `json:"amount,omitempty"` // a purchase's; never negative
	Source     string                 `json:"source,omitempty"` // the system it comes from: shop, pos, app…
	ExternalID string                 `json:"external_id,omitempty"`
	Line       int                    `json:"-"` // the line of an import file, for errors
}

// Record stores events (admins and admin tokens). Every input is checked
// first and every problem listed with its line and field; nothing is
// written unless all pass, and then all in one transaction. Sending an
// event again (same source and external id) updates it; an event without
// an external id sent again as it was adds nothing.
func (s *Service) Record(ctx context.Context, p heed.Principal, file string, in []Input) ([]heed.EventUpsert, error) {
	if !p.IsAdmin() {
		return nil, heed.Errorf(heed.EForbidden, "only admins may record customer events")
	}
	if len(in) > MaxBatch {
		return nil, heed.Errorf(heed.EInvalid, "%d events in one batch: at most %d", len(in), MaxBatch)
	}
	file = cmp.Or(file, "request")
	now := s.now()
	events, errs, err := s.check(ctx, file, in, newCustomers(s.store), now)
	if err != nil {
		return nil, err
	}
	if errs = append(twice(file, in), errs...); len(errs) > 0 {
		sortByLine(errs)
		return nil, errs
	}
	return s.store.UpsertEvents(ctx, events, now)
}

// check turns inputs into events, or lists every problem of every input.
// err is for failures that are no input's fault.
func (s *Service) check(ctx context.Context, file string, in []Input, custs *customers, now time.Time) ([]heed.CustomerEvent, heed.RowErrors, error) {
	var errs heed.RowErrors
	events := make([]heed.CustomerEvent, 0, len(in))
	for i, x := range in {
		e, probs, err := checkOne(ctx, x, custs, now)
		if err != nil {
			return nil, nil, err
		}
		for _, pr := range probs {
			errs = append(errs, heed.RowError{File: file, Line: cmp.Or(x.Line, i+1), Field: pr.field, Problem: pr.text})
		}
		events = append(events, e)
	}
	return events, errs, nil
}

type problem struct{ field, text string }

// checkOne checks one input and names all its problems.
func checkOne(ctx context.Context, x Input, custs *customers, now time.Time) (heed.CustomerEvent, []problem, error) {
	e := heed.CustomerEvent{Customer: strings.TrimSpace(x.Customer), At: x.At, Amount: x.Amount,
		Kind:   heed.CustomerEventKind(strings.ToLower(strings.TrimSpace(string(x.Kind)))),
		Source: strings.TrimSpace(x.Source), ExternalID: strings.TrimSpace(x.ExternalID)}
	var probs []problem
	add := func(field, format string, args ...any) {
		probs = append(probs, problem{field, fmt.Sprintf(format, args...)})
	}
	switch id, err := custs.id(ctx, e.Customer); {
	case err != nil:
		return e, nil, fmt.Errorf("find customer %q: %w", e.Customer, err)
	case e.Customer == "":
		add("customer", "an event needs its customer's external id")
	case id == 0:
		add("customer", "no customer %q", e.Customer)
	default:
		e.CustomerID = id
	}
	if !e.Kind.Valid() {
		add("kind", "kind %q must be one of %s", x.Kind, kindList())
	}
	switch {
	case e.At.IsZero():
		add("at", "an event needs the time it happened")
	case e.At.After(now.Add(futureSlack)):
		add("at", "%s is in the future", e.At.Format(time.RFC3339))
	}
	switch {
	case e.Amount < 0:
		add("amount", "an amount cannot be negative, not %s", e.Amount)
	case e.Amount != 0 && e.Kind.Valid() && e.Kind != heed.EventPurchase:
		add("amount", "only a purchase has an amount, not a %s", e.Kind)
	}
	for _, f := range []struct{ name, v string }{{"source", e.Source}, {"external_id", e.ExternalID}} {
		if p := heed.TextProblem(f.v); p != "" {
			add(f.name, "%s", p)
		} else if len(f.v) > maxKey {
			add(f.name, "is longer than %d bytes", maxKey)
		}
	}
	return e, probs, nil
}

// kindList is the kinds as a message lists them.
func kindList() string {
	var names []string
	for _, k := range heed.CustomerEventKinds() {
		names = append(names, string(k))
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// customers finds customers by external id, each once: a file of events
// names the same customers over and over.
type customers struct {
	store heed.Store
	ids   map[string]int64 // 0: no such customer
}

func newCustomers(store heed.Store) *customers {
	return &customers{store: store, ids: map[string]int64{}}
}

// id is the id of the customer with ext, or 0 when there is none (or ext
// is "").
func (c *customers) id(ctx context.Context, ext string) (int64, error) {
	if ext == "" {
		return 0, nil
	}
	if id, ok := c.ids[ext]; ok {
		return id, nil
	}
	cust, err := c.store.GetCustomer(ctx, heed.Scope{All: true}, ext)
	switch {
	case heed.IsNotFound(err):
	case err != nil:
		return 0, err
	}
	c.ids[ext] = cust.ID
	return cust.ID, nil
}

// twice lists the inputs that repeat an earlier one: the same source and
// external id, or — without an external id — the same customer, kind,
// time, amount and source, which the store would take for one event.
// Which of two is right, or whether both happened, only the sender knows.
func twice(file string, in []Input) heed.RowErrors {
	var errs heed.RowErrors
	first := make(map[string]int, len(in))
	for i, x := range in {
		line := cmp.Or(x.Line, i+1)
		ext, src := strings.TrimSpace(x.ExternalID), strings.TrimSpace(x.Source)
		key, pr := "\x00"+src+"\x00"+ext, problem{"external_id", fmt.Sprintf("%q appears twice", ext)}
		if ext == "" {
			key = fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%s", strings.TrimSpace(x.Customer),
				strings.ToLower(strings.TrimSpace(string(x.Kind))), x.At.UnixMicro(), x.Amount, src)
			pr = problem{"external_id", "the same event twice; give each its external_id if both happened"}
		}
		if at, ok := first[key]; ok {
			errs = append(errs, heed.RowError{File: file, Line: line, Field: pr.field, Problem: fmt.Sprintf("%s (first on line %d)", pr.text, at)})
			continue
		}
		first[key] = line
	}
	return errs
}
