package sqlite

import (
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

func scanInbound(sc sqlstore.Scanner) (heed.InboundSource, error) {
	var src heed.InboundSource
	var row sqlstore.InboundRow
	var kind string
	var created, updated int64
	err := sc.Scan(&src.ID, &src.Key, &src.Name, &kind, &src.System, &src.Active, &row.Mapping, &row.Fixed,
		&src.Items, &src.Secret, &created, &updated)
	if err != nil {
		return heed.InboundSource{}, err
	}
	src.Kind = heed.FeedbackKind(kind)
	src.CreatedAt, src.UpdatedAt = fromMicros(created), fromMicros(updated)
	return src, sqlstore.DecodeInbound(row, &src)
}

// CreateInboundSource inserts src with its secret; EConflict on field
// "key" when the key is taken.
func (q queries) CreateInboundSource(ctx context.Context, src heed.InboundSource, now time.Time) (heed.InboundSource, error) {
	row, err := sqlstore.NewInboundRow(src)
	if err != nil {
		return heed.InboundSource{}, err
	}
	out, err := scanInbound(q.w.QueryRowContext(ctx, `INSERT INTO inbound_sources
		(key, name, kind, system, active, mapping, fixed, items, secret, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING `+sqlstore.InboundColumns,
		src.Key, src.Name, string(src.Kind), src.System, src.Active, row.Mapping, row.Fixed, src.Items, src.Secret,
		micros(now), micros(now)))
	return out, rowErr(err, sqlstore.InboundKeyTaken(src.Key), "sqlite: create inbound source")
}

// UpdateInboundSource rewrites the source with src.Key; the secret stays.
func (q queries) UpdateInboundSource(ctx context.Context, src heed.InboundSource, now time.Time) (heed.InboundSource, error) {
	row, err := sqlstore.NewInboundRow(src)
	if err != nil {
		return heed.InboundSource{}, err
	}
	out, err := scanInbound(q.w.QueryRowContext(ctx, `UPDATE inbound_sources
		SET name = ?, kind = ?, system = ?, active = ?, mapping = ?, fixed = ?, items = ?, updated_at = ?
		WHERE key = ? RETURNING `+sqlstore.InboundColumns,
		src.Name, string(src.Kind), src.System, src.Active, row.Mapping, row.Fixed, src.Items, micros(now), src.Key))
	return out, rowErr(err, sqlstore.InboundNotFound(src.Key), "sqlite: update inbound source")
}

// SetInboundSecret replaces the secret of the source with key.
func (q queries) SetInboundSecret(ctx context.Context, key, secret string, now time.Time) (heed.InboundSource, error) {
	if err := sqlstore.CheckText("secret", secret); err != nil {
		return heed.InboundSource{}, err
	}
	out, err := scanInbound(q.w.QueryRowContext(ctx, `UPDATE inbound_sources SET secret = ?, updated_at = ?
		WHERE key = ? RETURNING `+sqlstore.InboundColumns, secret, micros(now), key))
	return out, rowErr(err, sqlstore.InboundNotFound(key), "sqlite: set inbound secret")
}

// DeleteInboundSource deletes the source with key; the items it brought
// in stay.
func (q queries) DeleteInboundSource(ctx context.Context, key string) error {
	res, err := q.w.ExecContext(ctx, `DELETE FROM inbound_sources WHERE key = ?`, key)
	return rowTouched(res, err, sqlstore.InboundNotFound(key), "sqlite: delete inbound source")
}

// GetInboundSource returns the source with key, with its secret.
func (q queries) GetInboundSource(ctx context.Context, key string) (heed.InboundSource, error) {
	src, err := scanInbound(q.r.QueryRowContext(ctx, `SELECT `+sqlstore.InboundColumns+` FROM inbound_sources WHERE key = ?`, key))
	return src, rowErr(err, sqlstore.InboundNotFound(key), "sqlite: get inbound source")
}

// ListInboundSources returns every source by key.
func (q queries) ListInboundSources(ctx context.Context) ([]heed.InboundSource, error) {
	return queryList(ctx, q.r, `SELECT `+sqlstore.InboundColumns+` FROM inbound_sources ORDER BY key`, nil,
		[]heed.InboundSource{}, scanInbound, "sqlite: list inbound sources")
}
