package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

func scanWebhook(sc sqlstore.Scanner) (heed.Webhook, error) {
	var w heed.Webhook
	var events string
	var created, updated int64
	err := sc.Scan(&w.ID, &w.URL, &events, &w.Format, &w.Active, &w.Secret, &w.Description, &created, &updated)
	if err != nil {
		return heed.Webhook{}, err
	}
	w.CreatedAt, w.UpdatedAt = fromMicros(created), fromMicros(updated)
	w.Events, err = sqlstore.DecodeWebhookEvents(events)
	return w, err
}

// CreateWebhook inserts w with its secret, unlocked.
func (q queries) CreateWebhook(ctx context.Context, w heed.Webhook, now time.Time) (heed.Webhook, error) {
	events, err := sqlstore.WebhookEvents(w)
	if err != nil {
		return heed.Webhook{}, err
	}
	out, err := scanWebhook(q.w.QueryRowContext(ctx, `INSERT INTO webhooks
		(url, events, format, active, secret, description, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+sqlstore.WebhookColumns,
		w.URL, events, w.Format, w.Active, w.Secret, w.Description, micros(now), micros(now)))
	return out, heed.Internal(err, "sqlite: create webhook")
}

// UpdateWebhook rewrites what a webhook's settings may change; the
// secret and the sending lock stay.
func (q queries) UpdateWebhook(ctx context.Context, w heed.Webhook, now time.Time) (heed.Webhook, error) {
	events, err := sqlstore.WebhookEvents(w)
	if err != nil {
		return heed.Webhook{}, err
	}
	out, err := scanWebhook(q.w.QueryRowContext(ctx, `UPDATE webhooks
		SET url = ?, events = ?, format = ?, active = ?, description = ?, updated_at = ?
		WHERE id = ? RETURNING `+sqlstore.WebhookColumns,
		w.URL, events, w.Format, w.Active, w.Description, micros(now), w.ID))
	return out, rowErr(err, sqlstore.WebhookNotFound(w.ID), "sqlite: update webhook")
}

// DeleteWebhook deletes the webhook; its deliveries go with it (ON
// DELETE CASCADE).
func (q queries) DeleteWebhook(ctx context.Context, id int64) error {
	res, err := q.w.ExecContext(ctx, `DELETE FROM webhooks WHERE id = ?`, id)
	return rowTouched(res, err, sqlstore.WebhookNotFound(id), "sqlite: delete webhook")
}

// GetWebhook returns the webhook with id, with its secret.
func (q queries) GetWebhook(ctx context.Context, id int64) (heed.Webhook, error) {
	w, err := scanWebhook(q.r.QueryRowContext(ctx, `SELECT `+sqlstore.WebhookColumns+` FROM webhooks WHERE id = ?`, id))
	return w, rowErr(err, sqlstore.WebhookNotFound(id), "sqlite: get webhook")
}

// ListWebhooks returns every webhook, oldest first.
func (q queries) ListWebhooks(ctx context.Context) ([]heed.Webhook, error) {
	return queryList(ctx, q.r, `SELECT `+sqlstore.WebhookColumns+` FROM webhooks ORDER BY id`, nil,
		[]heed.Webhook{}, scanWebhook, "sqlite: list webhooks")
}

func scanDelivery(sc sqlstore.Scanner) (heed.WebhookDelivery, error) {
	var d heed.WebhookDelivery
	var payload, state string
	var nextAt, created, updated int64
	var delivered sql.NullInt64
	err := sc.Scan(&d.ID, &d.WebhookID, &d.MessageID, &d.Event, &d.CaseID, &payload, &state, &d.Attempts,
		&nextAt, &d.LastStatus, &d.LastError, &delivered, &created, &updated)
	if err != nil {
		return heed.WebhookDelivery{}, err
	}
	d.Payload, d.State = json.RawMessage(payload), heed.DeliveryState(state)
	d.NextAt, d.CreatedAt, d.UpdatedAt = fromMicros(nextAt), fromMicros(created), fromMicros(updated)
	d.DeliveredAt = nullMicros(delivered)
	return d, nil
}

// CreateDelivery queues d, pending with no attempts; ENotFound when its
// webhook does not exist.
func (q queries) CreateDelivery(ctx context.Context, d heed.WebhookDelivery, now time.Time) (heed.WebhookDelivery, error) {
	row, err := sqlstore.NewDeliveryRow(d, now)
	if err != nil {
		return heed.WebhookDelivery{}, err
	}
	out, err := scanDelivery(q.w.QueryRowContext(ctx, `INSERT INTO webhook_deliveries
		(webhook_id, message_id, event, case_id, payload, state, attempts, next_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) RETURNING `+sqlstore.DeliveryColumns,
		d.WebhookID, d.MessageID, d.Event, sqlstore.NullID(d.CaseID), row.Payload, micros(row.NextAt),
		micros(now), micros(now)))
	if missingReference(err) {
		return heed.WebhookDelivery{}, sqlstore.WebhookNotFound(d.WebhookID)
	}
	return out, heed.Internal(err, "sqlite: create delivery")
}

// GetDelivery returns the delivery with id.
func (q queries) GetDelivery(ctx context.Context, id int64) (heed.WebhookDelivery, error) {
	d, err := scanDelivery(q.r.QueryRowContext(ctx,
		`SELECT `+sqlstore.DeliveryColumns+` FROM webhook_deliveries WHERE id = ?`, id))
	return d, rowErr(err, sqlstore.DeliveryNotFound(id), "sqlite: get delivery")
}

// ListDeliveries returns one page of the deliveries f selects, newest
// first.
func (q queries) ListDeliveries(ctx context.Context, f heed.DeliveryFilter) ([]heed.WebhookDelivery, error) {
	args := newArgs()
	where, limit, err := sqlstore.DeliveryWhere(f, args)
	if err != nil {
		return nil, err
	}
	stmt := `SELECT ` + sqlstore.DeliveryColumns + ` FROM webhook_deliveries WHERE ` + where +
		` ORDER BY id DESC LIMIT ` + args.Add(limit)
	return queryList(ctx, q.r, stmt, args.Values(), []heed.WebhookDelivery{}, scanDelivery, "sqlite: list deliveries")
}

// PendingDeliveries returns up to n pending deliveries, oldest first.
func (q queries) PendingDeliveries(ctx context.Context, webhookID int64, n int) ([]heed.WebhookDelivery, error) {
	if err := sqlstore.CheckPendingCount(n); err != nil {
		return nil, err
	}
	return queryList(ctx, q.r, `SELECT `+sqlstore.DeliveryColumns+` FROM webhook_deliveries
		WHERE webhook_id = ? AND state = 'pending' ORDER BY id LIMIT ?`, []any{webhookID, n},
		[]heed.WebhookDelivery{}, scanDelivery, "sqlite: pending deliveries")
}

// RecordDelivery records one attempt at the delivery.
func (q queries) RecordDelivery(ctx context.Context, id int64, r heed.DeliveryResult, now time.Time) error {
	rec, err := sqlstore.RecordedDelivery(r, now)
	if err != nil {
		return err
	}
	res, err := q.w.ExecContext(ctx, `UPDATE webhook_deliveries
		SET attempts = attempts + 1, state = ?, last_status = ?, last_error = ?, next_at = COALESCE(?, next_at),
			delivered_at = ?, updated_at = ?
		WHERE id = ?`,
		string(r.State), r.Status, r.Error, sqlstore.NullTime(rec.NextAt, microsArg),
		sqlstore.NullTime(rec.DeliveredAt, microsArg), micros(now), id)
	return rowTouched(res, err, sqlstore.DeliveryNotFound(id), "sqlite: record delivery")
}

// RedeliverDelivery queues the delivery again from scratch, due now; its
// last status and error stay until the next attempt replaces them.
func (q queries) RedeliverDelivery(ctx context.Context, id int64, now time.Time) error {
	res, err := q.w.ExecContext(ctx, `UPDATE webhook_deliveries
		SET state = 'pending', attempts = 0, next_at = ?, delivered_at = NULL, updated_at = ?
		WHERE id = ?`, micros(now), micros(now), id)
	return rowTouched(res, err, sqlstore.DeliveryNotFound(id), "sqlite: redeliver delivery")
}

// LockWebhook takes the webhook's sending lock in one conditional UPDATE
// (see sqlstore.LockWebhookSQL); SQLite's single writer runs it alone.
func (q queries) LockWebhook(ctx context.Context, id int64, owner string, until, now time.Time) (bool, error) {
	if err := sqlstore.CheckLockOwner(owner); err != nil {
		return false, err
	}
	args := newArgs()
	stmt := sqlstore.LockWebhookSQL(args, id, owner, micros(until), micros(now))
	n, err := affected(q.w.ExecContext(ctx, stmt, args.Values()...))
	if err != nil || n == 1 {
		return n == 1, heed.Internal(err, "sqlite: lock webhook")
	}
	return false, q.webhookExists(ctx, id)
}

// UnlockWebhook frees the webhook's sending lock if owner holds it.
func (q queries) UnlockWebhook(ctx context.Context, id int64, owner string) error {
	n, err := affected(q.w.ExecContext(ctx, `UPDATE webhooks SET lock_owner = '', lock_until = NULL
		WHERE id = ? AND lock_owner = ?`, id, owner))
	if err != nil || n > 0 {
		return heed.Internal(err, "sqlite: unlock webhook")
	}
	return q.webhookExists(ctx, id)
}

// webhookExists is nil when the webhook exists and ENotFound when not,
// after a conditional write that touched nothing: it tells "not now"
// from "no such webhook". It reads on the write side, which sees what
// the caller's transaction wrote.
func (q queries) webhookExists(ctx context.Context, id int64) error {
	var one int
	err := q.w.QueryRowContext(ctx, `SELECT 1 FROM webhooks WHERE id = ?`, id).Scan(&one)
	return rowErr(err, sqlstore.WebhookNotFound(id), "sqlite: find webhook")
}
