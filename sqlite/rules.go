package sqlite

import (
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

func scanRule(sc sqlstore.Scanner) (heed.Rule, error) {
	var r heed.Rule
	var row sqlstore.RuleRow
	var created, updated int64
	err := sc.Scan(&r.ID, &r.Key, &r.Name, &r.Active, &r.Position, &row.Conditions, &row.Actions, &created, &updated)
	if err != nil {
		return heed.Rule{}, err
	}
	r.CreatedAt, r.UpdatedAt = fromMicros(created), fromMicros(updated)
	return r, sqlstore.DecodeRule(row, &r)
}

// CreateRule inserts r; EConflict on field "key" when the key is taken.
func (q queries) CreateRule(ctx context.Context, r heed.Rule, now time.Time) (heed.Rule, error) {
	row, err := sqlstore.NewRuleRow(r)
	if err != nil {
		return heed.Rule{}, err
	}
	out, err := scanRule(q.w.QueryRowContext(ctx, `INSERT INTO rules
		(key, name, active, position, conditions, actions, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING `+sqlstore.RuleColumns,
		r.Key, r.Name, r.Active, r.Position, row.Conditions, row.Actions, micros(now), micros(now)))
	return out, rowErr(err, sqlstore.RuleKeyTaken(r.Key), "sqlite: create rule")
}

// UpdateRule rewrites the rule with r.Key.
func (q queries) UpdateRule(ctx context.Context, r heed.Rule, now time.Time) (heed.Rule, error) {
	row, err := sqlstore.NewRuleRow(r)
	if err != nil {
		return heed.Rule{}, err
	}
	out, err := scanRule(q.w.QueryRowContext(ctx, `UPDATE rules
		SET name = ?, active = ?, position = ?, conditions = ?, actions = ?, updated_at = ?
		WHERE key = ? RETURNING `+sqlstore.RuleColumns,
		r.Name, r.Active, r.Position, row.Conditions, row.Actions, micros(now), r.Key))
	return out, rowErr(err, sqlstore.RuleNotFound(r.Key), "sqlite: update rule")
}

// DeleteRule deletes the rule with key.
func (q queries) DeleteRule(ctx context.Context, key string) error {
	res, err := q.w.ExecContext(ctx, `DELETE FROM rules WHERE key = ?`, key)
	return rowTouched(res, err, sqlstore.RuleNotFound(key), "sqlite: delete rule")
}

// GetRule returns the rule with key.
func (q queries) GetRule(ctx context.Context, key string) (heed.Rule, error) {
	r, err := scanRule(q.r.QueryRowContext(ctx, `SELECT `+sqlstore.RuleColumns+` FROM rules WHERE key = ?`, key))
	return r, rowErr(err, sqlstore.RuleNotFound(key), "sqlite: get rule")
}

// ListRules returns every rule in the order they are evaluated.
func (q queries) ListRules(ctx context.Context) ([]heed.Rule, error) {
	return queryList(ctx, q.r, `SELECT `+sqlstore.RuleColumns+` FROM rules ORDER BY position, key`, nil,
		[]heed.Rule{}, scanRule, "sqlite: list rules")
}

// TagResponse tags the response; a tag it has already is left alone.
func (q queries) TagResponse(ctx context.Context, responseID int64, tag string, now time.Time) error {
	if err := sqlstore.CheckTag(tag); err != nil {
		return err
	}
	_, err := q.w.ExecContext(ctx, `INSERT INTO response_tags (response_id, tag, created_at) VALUES (?, ?, ?)
		ON CONFLICT (response_id, tag) DO NOTHING`, responseID, tag, micros(now))
	if missingReference(err) {
		return sqlstore.ResponseNotFound()
	}
	return heed.Internal(err, "sqlite: tag response")
}

// ListResponseTags returns the response's tags in byte order.
func (q queries) ListResponseTags(ctx context.Context, responseID int64) ([]string, error) {
	return queryList(ctx, q.r, `SELECT tag FROM response_tags WHERE response_id = ? ORDER BY tag`, []any{responseID},
		[]string{}, func(sc sqlstore.Scanner) (string, error) {
			var tag string
			return tag, sc.Scan(&tag)
		}, "sqlite: list response tags")
}
