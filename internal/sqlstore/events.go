package sqlstore

import (
	"context"
	"slices"
	"time"

	"github.com/heedhq/heed"
)

// maxEventKey bounds an event's source and external id, in bytes.
const maxEventKey = 200

// CheckEvent checks an event before it is written, and returns its time
// as both stores keep it: UTC, to the microsecond. Errors name the field.
func CheckEvent(e heed.CustomerEvent) (time.Time, error) {
	switch {
	case e.CustomerID <= 0:
		return time.Time{}, heed.FieldErrorf(heed.EInvalid, "customer", "an event needs its customer")
	case !e.Kind.Valid():
		return time.Time{}, heed.FieldErrorf(heed.EInvalid, "kind", "unknown kind %q", e.Kind)
	case e.At.IsZero():
		return time.Time{}, heed.FieldErrorf(heed.EInvalid, "at", "an event needs the time it happened")
	case e.Amount < 0:
		return time.Time{}, heed.FieldErrorf(heed.EInvalid, "amount", "an amount cannot be negative")
	case e.Amount != 0 && e.Kind != heed.EventPurchase:
		return time.Time{}, heed.FieldErrorf(heed.EInvalid, "amount", "only a purchase has an amount")
	case len(e.Source) > maxEventKey:
		return time.Time{}, heed.FieldErrorf(heed.EInvalid, "source", "a source is at most %d bytes", maxEventKey)
	case len(e.ExternalID) > maxEventKey:
		return time.Time{}, heed.FieldErrorf(heed.EInvalid, "external_id", "an external id is at most %d bytes", maxEventKey)
	}
	if err := CheckText("source", e.Source, "external_id", e.ExternalID); err != nil {
		return time.Time{}, err
	}
	return e.At.UTC().Truncate(time.Microsecond), nil
}

// SameEvent reports whether writing e over the stored old would change
// nothing: its customer, kind, time and amount (source and external id
// are what found old).
func SameEvent(old, e heed.CustomerEvent) bool {
	return old.CustomerID == e.CustomerID && old.Kind == e.Kind && old.Amount == e.Amount &&
		old.At.Equal(e.At.UTC().Truncate(time.Microsecond))
}

// NullText stores "" as NULL: an event without an external id has none,
// and NULLs never clash in UNIQUE (source, external_id).
func NullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// EventSelect reads events with their customer's external id, in the
// columns of the engines' scanEvent; callers append WHERE over e.
const EventSelect = `SELECT e.id, e.customer_id, c.external_id, e.kind, e.at, e.amount, e.source, COALESCE(e.external_id, '')
	FROM customer_events e JOIN customers c ON c.id = e.customer_id`

// EventOrder is the order of a customer's events: by time, then as they
// were stored.
const EventOrder = ` ORDER BY e.customer_id, e.at, e.id`

// AnswerSelect reads the scored answers of customers: customer id, the
// survey's kind, score and time; callers append WHERE over r and
// AnswerOrder.
const AnswerSelect = `SELECT r.customer_id, s.kind, r.score, r.created_at FROM responses r JOIN surveys s ON s.id = r.survey_id`

// AnswerOrder is the order of a customer's answers: by time, then as
// they were stored.
const AnswerOrder = ` ORDER BY r.customer_id, r.created_at, r.id`

// CustomerAnswer is a scored answer with its customer's id, as
// AnswerSelect reads it.
type CustomerAnswer struct {
	CustomerID int64
	heed.ScoredAnswer
}

// EventNotFound is the error for an event naming a customer that does not
// exist.
func EventNotFound() error {
	return heed.FieldErrorf(heed.ENotFound, "customer", "an event names a customer that does not exist")
}

// HistoryPage is how many customers EachCustomerHistory reads at a time:
// big enough that the three queries of a page cost little per customer,
// small enough that a page of histories is a few megabytes.
const HistoryPage = 500

// HistoryReads are an engine's three reads of EachCustomerHistory: the
// page of customers after an id, in id order; and the events and answers
// of the customers with ids, ordered by customer id, then time.
type HistoryReads struct {
	Customers func(after int64, limit int) ([]heed.Customer, error)
	Events    func(ids []int64) ([]heed.CustomerEvent, error)
	Answers   func(ids []int64) ([]CustomerAnswer, error)
}

// EachHistory walks the customers page by page with r and calls fn with
// each one's history. Both stores walk here; only the reads are the
// engine's.
func EachHistory(ctx context.Context, r HistoryReads, fn func(heed.CustomerHistory) error) error {
	var after int64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		custs, err := r.Customers(after, HistoryPage)
		if err != nil || len(custs) == 0 {
			return err
		}
		ids := make([]int64, len(custs))
		for i, c := range custs {
			ids[i] = c.ID
		}
		events, err := r.Events(ids)
		if err != nil {
			return err
		}
		answers, err := r.Answers(ids)
		if err != nil {
			return err
		}
		if err := deal(custs, events, answers, fn); err != nil {
			return err
		}
		if len(custs) < HistoryPage {
			return nil
		}
		after = custs[len(custs)-1].ID
	}
}

// deal hands each customer of a page its events and answers: all three
// are ordered by customer id, so one pass splits them.
func deal(custs []heed.Customer, events []heed.CustomerEvent, answers []CustomerAnswer, fn func(heed.CustomerHistory) error) error {
	for _, c := range custs {
		h := heed.CustomerHistory{Customer: c, Events: []heed.CustomerEvent{}, Answers: []heed.ScoredAnswer{}}
		n := 0
		for n < len(events) && events[n].CustomerID == c.ID {
			n++
		}
		h.Events, events = append(h.Events, events[:n]...), events[n:]
		n = 0
		for n < len(answers) && answers[n].CustomerID == c.ID {
			h.Answers = append(h.Answers, answers[n].ScoredAnswer)
			n++
		}
		answers = answers[n:]
		if err := fn(h); err != nil {
			return err
		}
	}
	return nil
}

// HistoryWhere is the condition, order and limit of EachCustomerHistory's
// pages of customers over c and u, as the engines' customer selects name
// them: the scope and the unit's subtree (see ListWhere), then the ids
// after a page's last. args gives the arguments of the page after an id.
func HistoryWhere(ctx context.Context, s heed.Scope, unit string, a *Args, unitPath PathLookup) (
	stmt string, args func(after int64, limit int) []any, err error) {
	where, err := ListWhere(ctx, s, unit, a, CustomerScope(), unitPath)
	if err != nil {
		return "", nil, err
	}
	n := len(a.Values())
	stmt = ` WHERE ` + where + ` AND c.id > ` + a.Add(int64(0)) + ` ORDER BY c.id LIMIT ` + a.Add(0)
	base := a.Values()
	return stmt, func(after int64, limit int) []any {
		v := slices.Clone(base)
		v[n], v[n+1] = after, limit
		return v
	}, nil
}
