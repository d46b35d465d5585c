package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

func scanEvent(sc sqlstore.Scanner) (heed.CustomerEvent, error) {
	var e heed.CustomerEvent
	var kind string
	var amount int64
	err := sc.Scan(&e.ID, &e.CustomerID, &e.Customer, &kind, &e.At, &amount, &e.Source, &e.ExternalID)
	e.Kind, e.At, e.Amount = heed.CustomerEventKind(kind), e.At.UTC(), heed.Decimal(amount)
	return e, err
}

// UpsertEvents writes the events in one transaction (see
// heed.EventQueries).
func (q queries) UpsertEvents(ctx context.Context, events []heed.CustomerEvent, now time.Time) ([]heed.EventUpsert, error) {
	out := make([]heed.EventUpsert, 0, len(events))
	err := q.withTx(ctx, func(q queries) error {
		out = out[:0]
		for i, e := range events {
			res, err := q.upsertEvent(ctx, e, now)
			if err != nil {
				return fmt.Errorf("event %d: %w", i+1, err)
			}
			out = append(out, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// upsertEvent updates the stored event or inserts it. An insert that
// finds its key taken (another batch committed the same event meanwhile)
// goes back to the stored one.
func (q queries) upsertEvent(ctx context.Context, e heed.CustomerEvent, now time.Time) (heed.EventUpsert, error) {
	at, err := sqlstore.CheckEvent(e)
	if err != nil {
		return heed.EventUpsert{}, err
	}
	if e.ExternalID != "" {
		if res, found, err := q.updateEvent(ctx, e, at); found || err != nil {
			return res, err
		}
	}
	var id int64
	err = q.db.QueryRow(ctx, `INSERT INTO customer_events (customer_id, kind, at, amount, source, external_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
		e.CustomerID, string(e.Kind), at, int64(e.Amount), e.Source, sqlstore.NullText(e.ExternalID), utc(now)).Scan(&id)
	switch {
	case err == nil:
		return heed.EventUpsert{ID: id, Created: true, Changed: true}, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return heed.EventUpsert{}, eventWriteErr(err)
	case e.ExternalID != "":
		res, found, err := q.updateEvent(ctx, e, at)
		if err == nil && !found {
			err = heed.Internal(errors.New("an event neither found nor inserted"), "postgres: write event")
		}
		return res, err
	}
	// Stored already: the same event, without an external id.
	old, err := q.eventOn(ctx, `e.customer_id = $1 AND e.kind = $2 AND e.at = $3 AND e.amount = $4 AND e.source = $5
		AND e.external_id IS NULL`, e.CustomerID, string(e.Kind), at, int64(e.Amount), e.Source)
	return heed.EventUpsert{ID: old.ID}, err
}

// updateEvent writes e over the stored event with its source and
// external id, locked so two batches sending it take turns, if there is
// one (found).
func (q queries) updateEvent(ctx context.Context, e heed.CustomerEvent, at time.Time) (res heed.EventUpsert, found bool, err error) {
	old, err := q.eventOn(ctx, `e.source = $1 AND e.external_id = $2 FOR UPDATE OF e`, e.Source, e.ExternalID)
	switch {
	case heed.IsNotFound(err):
		return heed.EventUpsert{}, false, nil
	case err != nil:
		return heed.EventUpsert{}, true, err
	case sqlstore.SameEvent(old, e):
		return heed.EventUpsert{ID: old.ID}, true, nil
	}
	_, err = q.db.Exec(ctx, `UPDATE customer_events SET customer_id = $1, kind = $2, at = $3, amount = $4 WHERE id = $5`,
		e.CustomerID, string(e.Kind), at, int64(e.Amount), old.ID)
	return heed.EventUpsert{ID: old.ID, Changed: true}, true, eventWriteErr(err)
}

// eventOn reads the one event cond selects.
func (q queries) eventOn(ctx context.Context, cond string, args ...any) (heed.CustomerEvent, error) {
	e, err := scanEvent(q.db.QueryRow(ctx, sqlstore.EventSelect+` WHERE `+cond, args...))
	if err != nil {
		return heed.CustomerEvent{}, rowErr(err, heed.Errorf(heed.ENotFound, "no such event"), "postgres: get event")
	}
	return e, nil
}

func eventWriteErr(err error) error {
	switch {
	case err == nil:
		return nil
	case missingReference(err):
		return sqlstore.EventNotFound()
	}
	return heed.Internal(err, "postgres: write event")
}

// ListCustomerEvents returns a customer's events up to until, oldest first.
func (q queries) ListCustomerEvents(ctx context.Context, customerID int64, until time.Time) ([]heed.CustomerEvent, error) {
	return q.eventsOf(ctx, []int64{customerID}, until)
}

// ListCustomerAnswers returns a customer's scored answers up to until,
// oldest first.
func (q queries) ListCustomerAnswers(ctx context.Context, customerID int64, until time.Time) ([]heed.ScoredAnswer, error) {
	list, err := q.answersOf(ctx, []int64{customerID}, until)
	out := make([]heed.ScoredAnswer, len(list))
	for i, a := range list {
		out[i] = a.ScoredAnswer
	}
	return out, err
}

// EachCustomerHistory walks the histories of the customers inside scope
// (see heed.EventQueries).
func (q queries) EachCustomerHistory(ctx context.Context, scope heed.Scope, unit string, until time.Time,
	fn func(heed.CustomerHistory) error) error {
	where, args, err := sqlstore.HistoryWhere(ctx, scope, unit, newArgs(), q.unitPath)
	if err != nil {
		return err
	}
	return sqlstore.EachHistory(ctx, sqlstore.HistoryReads{
		Customers: func(after int64, limit int) ([]heed.Customer, error) {
			rows, err := queryList(ctx, q.db, customerSelect+where, args(after, limit), nil, scanCustomer, "postgres: customers' histories")
			custs := make([]heed.Customer, len(rows))
			for i, r := range rows {
				custs[i] = r.Customer
			}
			return custs, err
		},
		Events: func(ids []int64) ([]heed.CustomerEvent, error) { return q.eventsOf(ctx, ids, until) },
		Answers: func(ids []int64) ([]sqlstore.CustomerAnswer, error) {
			return q.answersOf(ctx, ids, until)
		},
	}, fn)
}

// eventsOf reads the events of the customers up to until, by customer
// then time.
func (q queries) eventsOf(ctx context.Context, ids []int64, until time.Time) ([]heed.CustomerEvent, error) {
	a := newArgs()
	where := `e.customer_id = ANY(` + a.Add(ids) + `)`
	if !until.IsZero() {
		where += ` AND e.at <= ` + a.Add(utc(until))
	}
	return queryList(ctx, q.db, sqlstore.EventSelect+` WHERE `+where+sqlstore.EventOrder, a.Values(),
		[]heed.CustomerEvent{}, scanEvent, "postgres: customers' events")
}

// answersOf reads the scored answers of the customers up to until, by
// customer then time.
func (q queries) answersOf(ctx context.Context, ids []int64, until time.Time) ([]sqlstore.CustomerAnswer, error) {
	a := newArgs()
	where := `r.customer_id = ANY(` + a.Add(ids) + `)`
	if !until.IsZero() {
		where += ` AND r.created_at <= ` + a.Add(utc(until))
	}
	return queryList(ctx, q.db, sqlstore.AnswerSelect+` WHERE `+where+sqlstore.AnswerOrder, a.Values(), []sqlstore.CustomerAnswer{},
		func(sc sqlstore.Scanner) (sqlstore.CustomerAnswer, error) {
			var a sqlstore.CustomerAnswer
			var kind string
			err := sc.Scan(&a.CustomerID, &kind, &a.Score, &a.At)
			a.Kind, a.At = heed.SurveyKind(kind), a.At.UTC()
			return a, err
		}, "postgres: customers' answers")
}
