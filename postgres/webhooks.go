package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

func scanWebhook(sc sqlstore.Scanner) (heed.Webhook, error) {
	var w heed.Webhook
	var events string
	err := sc.Scan(&w.ID, &w.URL, &events, &w.Format, &w.Active, &w.Secret, &w.Description, &w.CreatedAt, &w.UpdatedAt)
	if err != nil {
		return heed.Webhook{}, err
	}
	w.CreatedAt, w.UpdatedAt = utc(w.CreatedAt), utc(w.UpdatedAt)
	w.Events, err = sqlstore.DecodeWebhookEvents(events)
	return w, err
}

// CreateWebhook inserts w with its secret, unlocked.
func (q queries) CreateWebhook(ctx context.Context, w heed.Webhook, now time.Time) (heed.Webhook, error) {
	events, err := sqlstore.WebhookEvents(w)
	if err != nil {
		return heed.Webhook{}, err
	}
	out, err := scanWebhook(q.db.QueryRow(ctx, `INSERT INTO webhooks
		(url, events, format, active, secret, description, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING `+sqlstore.WebhookColumns,
		w.URL, events, w.Format, w.Active, w.Secret, w.Description, utc(now)))
	return out, heed.Internal(err, "postgres: create webhook")
}

// UpdateWebhook rewrites what a webhook's settings may change; the
// secret and the sending lock stay.
func (q queries) UpdateWebhook(ctx context.Context, w heed.Webhook, now time.Time) (heed.Webhook, error) {
	events, err := sqlstore.WebhookEvents(w)
	if err != nil {
		return heed.Webhook{}, err
	}
	out, err := scanWebhook(q.db.QueryRow(ctx, `UPDATE webhooks
		SET url = $1, events = $2, format = $3, active = $4, description = $5, updated_at = $6
		WHERE id = $7 RETURNING `+sqlstore.WebhookColumns,
		w.URL, events, w.Format, w.Active, w.Description, utc(now), w.ID))
	return out, rowErr(err, sqlstore.WebhookNotFound(w.ID), "postgres: update webhook")
}

// DeleteWebhook deletes the webhook; its deliveries go with it (ON
// DELETE CASCADE).
func (q queries) DeleteWebhook(ctx context.Context, id int64) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM webhooks WHERE id = $1`, id)
	return rowTouched(tag, err, sqlstore.WebhookNotFound(id), "postgres: delete webhook")
}

// GetWebhook returns the webhook with id, with its secret.
func (q queries) GetWebhook(ctx context.Context, id int64) (heed.Webhook, error) {
	w, err := scanWebhook(q.db.QueryRow(ctx, `SELECT `+sqlstore.WebhookColumns+` FROM webhooks WHERE id = $1`, id))
	return w, rowErr(err, sqlstore.WebhookNotFound(id), "postgres: get webhook")
}

// ListWebhooks returns every webhook, oldest first.
func (q queries) ListWebhooks(ctx context.Context) ([]heed.Webhook, error) {
	return queryList(ctx, q.db, `SELECT `+sqlstore.WebhookColumns+` FROM webhooks ORDER BY id`, nil,
		[]heed.Webhook{}, scanWebhook, "postgres: list webhooks")
}

func scanDelivery(sc sqlstore.Scanner) (heed.WebhookDelivery, error) {
	var d heed.WebhookDelivery
	var payload, state string
	err := sc.Scan(&d.ID, &d.WebhookID, &d.MessageID, &d.Event, &d.CaseID, &payload, &state, &d.Attempts,
		&d.NextAt, &d.LastStatus, &d.LastError, &d.DeliveredAt, &d.CreatedAt, &d.UpdatedAt)
	if err != nil {
		return heed.WebhookDelivery{}, err
	}
	d.Payload, d.State = json.RawMessage(payload), heed.DeliveryState(state)
	d.NextAt, d.CreatedAt, d.UpdatedAt = utc(d.NextAt), utc(d.CreatedAt), utc(d.UpdatedAt)
	d.DeliveredAt = utcPtr(d.DeliveredAt)
	return d, nil
}

// CreateDelivery queues d, pending with no attempts; ENotFound when its
// webhook does not exist.
func (q queries) CreateDelivery(ctx context.Context, d heed.WebhookDelivery, now time.Time) (heed.WebhookDelivery, error) {
	row, err := sqlstore.NewDeliveryRow(d, now)
	if err != nil {
		return heed.WebhookDelivery{}, err
	}
	out, err := scanDelivery(q.db.QueryRow(ctx, `INSERT INTO webhook_deliveries
		(webhook_id, message_id, event, case_id, payload, state, attempts, next_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7, $7) RETURNING `+sqlstore.DeliveryColumns,
		d.WebhookID, d.MessageID, d.Event, nullIfZero(d.CaseID), row.Payload, utc(row.NextAt), utc(now)))
	if missingReference(err) {
		return heed.WebhookDelivery{}, sqlstore.WebhookNotFound(d.WebhookID)
	}
	return out, heed.Internal(err, "postgres: create delivery")
}

// GetDelivery returns the delivery with id.
func (q queries) GetDelivery(ctx context.Context, id int64) (heed.WebhookDelivery, error) {
	d, err := scanDelivery(q.db.QueryRow(ctx,
		`SELECT `+sqlstore.DeliveryColumns+` FROM webhook_deliveries WHERE id = $1`, id))
	return d, rowErr(err, sqlstore.DeliveryNotFound(id), "postgres: get delivery")
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
	return queryList(ctx, q.db, stmt, args.Values(), []heed.WebhookDelivery{}, scanDelivery, "postgres: list deliveries")
}

// PendingDeliveries returns up to n pending deliveries, oldest first.
func (q queries) PendingDeliveries(ctx context.Context, webhookID int64, n int) ([]heed.WebhookDelivery, error) {
	if err := sqlstore.CheckPendingCount(n); err != nil {
		return nil, err
	}
	return queryList(ctx, q.db, `SELECT `+sqlstore.DeliveryColumns+` FROM webhook_deliveries
		WHERE webhook_id = $1 AND state = 'pending' ORDER BY id LIMIT $2`, []any{webhookID, n},
		[]heed.WebhookDelivery{}, scanDelivery, "postgres: pending deliveries")
}

// RecordDelivery records one attempt at the delivery.
func (q queries) RecordDelivery(ctx context.Context, id int64, r heed.DeliveryResult, now time.Time) error {
	rec, err := sqlstore.RecordedDelivery(r, now)
	if err != nil {
		return err
	}
	tag, err := q.db.Exec(ctx, `UPDATE webhook_deliveries
		SET attempts = attempts + 1, state = $1, last_status = $2, last_error = $3, next_at = COALESCE($4, next_at),
			delivered_at = $5, updated_at = $6
		WHERE id = $7`,
		string(r.State), r.Status, r.Error, utcPtr(rec.NextAt), utcPtr(rec.DeliveredAt), utc(now), id)
	return rowTouched(tag, err, sqlstore.DeliveryNotFound(id), "postgres: record delivery")
}

// RedeliverDelivery queues the delivery again from scratch, due now; its
// last status and error stay until the next attempt replaces them.
func (q queries) RedeliverDelivery(ctx context.Context, id int64, now time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE webhook_deliveries
		SET state = 'pending', attempts = 0, next_at = $1, delivered_at = NULL, updated_at = $1
		WHERE id = $2`, utc(now), id)
	return rowTouched(tag, err, sqlstore.DeliveryNotFound(id), "postgres: redeliver delivery")
}

// LockWebhook takes the webhook's sending lock in one conditional UPDATE
// (see sqlstore.LockWebhookSQL). Racing lockers queue on the row lock,
// and each re-checks the condition on the row the one before committed,
// so only the first of them gets it.
func (q queries) LockWebhook(ctx context.Context, id int64, owner string, until, now time.Time) (bool, error) {
	if err := sqlstore.CheckLockOwner(owner); err != nil {
		return false, err
	}
	args := newArgs()
	tag, err := q.db.Exec(ctx, sqlstore.LockWebhookSQL(args, id, owner, utc(until), utc(now)), args.Values()...)
	if err != nil || tag.RowsAffected() == 1 {
		return err == nil, heed.Internal(err, "postgres: lock webhook")
	}
	return false, q.webhookExists(ctx, id)
}

// UnlockWebhook frees the webhook's sending lock if owner holds it.
func (q queries) UnlockWebhook(ctx context.Context, id int64, owner string) error {
	tag, err := q.db.Exec(ctx, `UPDATE webhooks SET lock_owner = '', lock_until = NULL
		WHERE id = $1 AND lock_owner = $2`, id, owner)
	if unstorableText(err) {
		err = nil // an owner no one can be holds no lock
	}
	if err != nil || tag.RowsAffected() > 0 {
		return heed.Internal(err, "postgres: unlock webhook")
	}
	return q.webhookExists(ctx, id)
}

// webhookExists is nil when the webhook exists and ENotFound when not,
// after a conditional write that touched nothing: it tells "not now"
// from "no such webhook".
func (q queries) webhookExists(ctx context.Context, id int64) error {
	var one int
	err := q.db.QueryRow(ctx, `SELECT 1 FROM webhooks WHERE id = $1`, id).Scan(&one)
	return rowErr(err, sqlstore.WebhookNotFound(id), "postgres: find webhook")
}
