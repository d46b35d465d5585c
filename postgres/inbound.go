package postgres

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
	err := sc.Scan(&src.ID, &src.Key, &src.Name, &kind, &src.System, &src.Active, &row.Mapping, &row.Fixed,
		&src.Items, &src.Secret, &src.CreatedAt, &src.UpdatedAt)
	if err != nil {
		return heed.InboundSource{}, err
	}
	src.Kind = heed.FeedbackKind(kind)
	src.CreatedAt, src.UpdatedAt = utc(src.CreatedAt), utc(src.UpdatedAt)
	return src, sqlstore.DecodeInbound(row, &src)
}

// CreateInboundSource inserts src with its secret; EConflict on field
// "key" when the key is taken, also by a concurrent insert (ON CONFLICT
// waits for it to commit).
func (q queries) CreateInboundSource(ctx context.Context, src heed.InboundSource, now time.Time) (heed.InboundSource, error) {
	row, err := sqlstore.NewInboundRow(src)
	if err != nil {
		return heed.InboundSource{}, err
	}
	out, err := scanInbound(q.db.QueryRow(ctx, `INSERT INTO inbound_sources
		(key, name, kind, system, active, mapping, fixed, items, secret, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT (key) DO NOTHING RETURNING `+sqlstore.InboundColumns,
		src.Key, src.Name, string(src.Kind), src.System, src.Active, row.Mapping, row.Fixed, src.Items, src.Secret, utc(now)))
	return out, rowErr(err, sqlstore.InboundKeyTaken(src.Key), "postgres: create inbound source")
}

// UpdateInboundSource rewrites the source with src.Key; the secret stays.
func (q queries) UpdateInboundSource(ctx context.Context, src heed.InboundSource, now time.Time) (heed.InboundSource, error) {
	row, err := sqlstore.NewInboundRow(src)
	if err != nil {
		return heed.InboundSource{}, err
	}
	out, err := scanInbound(q.db.QueryRow(ctx, `UPDATE inbound_sources
		SET name = $1, kind = $2, system = $3, active = $4, mapping = $5, fixed = $6, items = $7, updated_at = $8
		WHERE key = $9 RETURNING `+sqlstore.InboundColumns,
		src.Name, string(src.Kind), src.System, src.Active, row.Mapping, row.Fixed, src.Items, utc(now), src.Key))
	return out, rowErr(err, sqlstore.InboundNotFound(src.Key), "postgres: update inbound source")
}

// SetInboundSecret replaces the secret of the source with key.
func (q queries) SetInboundSecret(ctx context.Context, key, secret string, now time.Time) (heed.InboundSource, error) {
	if err := sqlstore.CheckText("secret", secret); err != nil {
		return heed.InboundSource{}, err
	}
	out, err := scanInbound(q.db.QueryRow(ctx, `UPDATE inbound_sources SET secret = $1, updated_at = $2
		WHERE key = $3 RETURNING `+sqlstore.InboundColumns, secret, utc(now), key))
	return out, rowErr(err, sqlstore.InboundNotFound(key), "postgres: set inbound secret")
}

// DeleteInboundSource deletes the source with key; the items it brought
// in stay.
func (q queries) DeleteInboundSource(ctx context.Context, key string) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM inbound_sources WHERE key = $1`, key)
	if unstorableText(err) {
		return sqlstore.InboundNotFound(key)
	}
	return rowTouched(tag, err, sqlstore.InboundNotFound(key), "postgres: delete inbound source")
}

// GetInboundSource returns the source with key, with its secret.
func (q queries) GetInboundSource(ctx context.Context, key string) (heed.InboundSource, error) {
	src, err := scanInbound(q.db.QueryRow(ctx, `SELECT `+sqlstore.InboundColumns+` FROM inbound_sources WHERE key = $1`, key))
	return src, rowErr(err, sqlstore.InboundNotFound(key), "postgres: get inbound source")
}

// ListInboundSources returns every source by key, in byte order as on
// SQLite.
func (q queries) ListInboundSources(ctx context.Context) ([]heed.InboundSource, error) {
	return queryList(ctx, q.db, `SELECT `+sqlstore.InboundColumns+` FROM inbound_sources ORDER BY key COLLATE "C"`,
		nil, []heed.InboundSource{}, scanInbound, "postgres: list inbound sources")
}
