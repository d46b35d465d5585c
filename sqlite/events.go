package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

func scanEvent(sc sqlstore.Scanner) (heed.CustomerEvent, error) {
	var e heed.CustomerEvent
	var kind string
	var at, amount int64
	err := sc.Scan(&e.ID, &e.CustomerID, &e.Customer, &kind, &at, &amount, &e.Source, &e.ExternalID)
	e.Kind, e.At, e.Amount = heed.CustomerEventKind(kind), fromMicros(at), heed.Decimal(amount)
	return e, err
}

// UpsertEvents writes the events in one transaction (see
// heed.EventQueries).
func (q queries) UpsertEvents(ctx context.Context, events []heed.CustomerEvent, now time.Time) ([]heed.EventUpsert, error) {
	out := make([]heed.EventUpsert, 0, len(events))
	err := q.withTx(ctx, func(q queries) error {
		out = out[:0]
		st, err := q.prepareEvents(ctx)
		if err != nil {
			return err
		}
		defer st.close()
		for i, e := range events {
			res, err := q.upsertEvent(ctx, st, e, now)
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

// eventStmts are the statements of an upsert of events, prepared once
// per batch: an import writes tens of thousands, and preparing each
// statement per event was most of the time it took.
type eventStmts struct {
	bySource, insert, update *sql.Stmt
}

func (q queries) prepareEvents(ctx context.Context) (eventStmts, error) {
	var st eventStmts
	var err error
	if st.bySource, err = q.prepare(ctx, sqlstore.EventSelect+` WHERE e.source = ? AND e.external_id = ?`); err != nil {
		return st, err
	}
	if st.insert, err = q.prepare(ctx, `INSERT INTO customer_events (customer_id, kind, at, amount, source, external_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`); err != nil {
		st.close()
		return st, err
	}
	if st.update, err = q.prepare(ctx, `UPDATE customer_events SET customer_id = ?, kind = ?, at = ?, amount = ? WHERE id = ?`); err != nil {
		st.close()
		return st, err
	}
	return st, nil
}

func (st eventStmts) close() {
	for _, s := range []*sql.Stmt{st.bySource, st.insert, st.update} {
		if s != nil {
			s.Close()
		}
	}
}

func (q queries) upsertEvent(ctx context.Context, st eventStmts, e heed.CustomerEvent, now time.Time) (heed.EventUpsert, error) {
	at, err := sqlstore.CheckEvent(e)
	if err != nil {
		return heed.EventUpsert{}, err
	}
	if e.ExternalID != "" {
		if res, found, err := updateEvent(ctx, st, e, at); found || err != nil {
			return res, err
		}
	}
	var id int64
	err = st.insert.QueryRowContext(ctx,
		e.CustomerID, string(e.Kind), micros(at), int64(e.Amount), e.Source, sqlstore.NullText(e.ExternalID), micros(now)).Scan(&id)
	switch {
	case err == nil:
		return heed.EventUpsert{ID: id, Created: true, Changed: true}, nil
	case !errors.Is(err, sql.ErrNoRows):
		return heed.EventUpsert{}, eventWriteErr(err)
	case e.ExternalID != "":
		return heed.EventUpsert{}, heed.Internal(errors.New("an event neither found nor inserted"), "sqlite: write event")
	}
	// Stored already: the same event, without an external id.
	old, err := q.eventOn(ctx, `e.customer_id = ? AND e.kind = ? AND e.at = ? AND e.amount = ? AND e.source = ? AND e.external_id IS NULL`,
		e.CustomerID, string(e.Kind), micros(at), int64(e.Amount), e.Source)
	return heed.EventUpsert{ID: old.ID}, err
}

// updateEvent writes e over the stored event with its source and
// external id, if there is one (found).
func updateEvent(ctx context.Context, st eventStmts, e heed.CustomerEvent, at time.Time) (res heed.EventUpsert, found bool, err error) {
	old, err := scanEvent(st.bySource.QueryRowContext(ctx, e.Source, e.ExternalID))
	if err != nil {
		err = rowErr(err, heed.Errorf(heed.ENotFound, "no such event"), "sqlite: get event")
	}
	switch {
	case heed.IsNotFound(err):
		return heed.EventUpsert{}, false, nil
	case err != nil:
		return heed.EventUpsert{}, true, err
	case sqlstore.SameEvent(old, e):
		return heed.EventUpsert{ID: old.ID}, true, nil
	}
	_, err = st.update.ExecContext(ctx, e.CustomerID, string(e.Kind), micros(at), int64(e.Amount), old.ID)
	return heed.EventUpsert{ID: old.ID, Changed: true}, true, eventWriteErr(err)
}

// eventOn reads, on the write side, the one event cond selects.
func (q queries) eventOn(ctx context.Context, cond string, args ...any) (heed.CustomerEvent, error) {
	e, err := scanEvent(q.w.QueryRowContext(ctx, sqlstore.EventSelect+` WHERE `+cond, args...))
	if err != nil {
		return heed.CustomerEvent{}, rowErr(err, heed.Errorf(heed.ENotFound, "no such event"), "sqlite: get event")
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
	return heed.Internal(err, "sqlite: write event")
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
			rows, err := queryList(ctx, q.r, customerSelect+where, args(after, limit), nil, scanCustomer, "sqlite: customers' histories")
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

// idList is the placeholders and arguments of "IN (…)" over ids.
func idList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")", args
}

// eventsOf reads the events of the customers up to until, by customer
// then time.
func (q queries) eventsOf(ctx context.Context, ids []int64, until time.Time) ([]heed.CustomerEvent, error) {
	in, args := idList(ids)
	where := `e.customer_id IN ` + in
	if !until.IsZero() {
		where += ` AND e.at <= ?`
		args = append(args, micros(until))
	}
	return queryList(ctx, q.r, sqlstore.EventSelect+` WHERE `+where+sqlstore.EventOrder, args,
		[]heed.CustomerEvent{}, scanEvent, "sqlite: customers' events")
}

// answersOf reads the scored answers of the customers up to until, by
// customer then time.
func (q queries) answersOf(ctx context.Context, ids []int64, until time.Time) ([]sqlstore.CustomerAnswer, error) {
	in, args := idList(ids)
	where := `r.customer_id IN ` + in
	if !until.IsZero() {
		where += ` AND r.created_at <= ?`
		args = append(args, micros(until))
	}
	return queryList(ctx, q.r, sqlstore.AnswerSelect+` WHERE `+where+sqlstore.AnswerOrder, args, []sqlstore.CustomerAnswer{},
		func(sc sqlstore.Scanner) (sqlstore.CustomerAnswer, error) {
			var a sqlstore.CustomerAnswer
			var kind string
			var at int64
			err := sc.Scan(&a.CustomerID, &kind, &a.Score, &at)
			a.Kind, a.At = heed.SurveyKind(kind), fromMicros(at)
			return a, err
		}, "sqlite: customers' answers")
}
