package postgres

import (
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

func scanRule(sc sqlstore.Scanner) (heed.Rule, error) {
	var r heed.Rule
	var row sqlstore.RuleRow
	err := sc.Scan(&r.ID, &r.Key, &r.Name, &r.Active, &r.Position, &row.Conditions, &row.Actions,
		&r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return heed.Rule{}, err
	}
	r.CreatedAt, r.UpdatedAt = utc(r.CreatedAt), utc(r.UpdatedAt)
	return r, sqlstore.DecodeRule(row, &r)
}

// CreateRule inserts r; EConflict on field "key" when the key is taken,
// also by a concurrent insert (ON CONFLICT waits for it to commit).
func (q queries) CreateRule(ctx context.Context, r heed.Rule, now time.Time) (heed.Rule, error) {
	row, err := sqlstore.NewRuleRow(r)
	if err != nil {
		return heed.Rule{}, err
	}
	out, err := scanRule(q.db.QueryRow(ctx, `INSERT INTO rules
		(key, name, active, position, conditions, actions, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (key) DO NOTHING RETURNING `+sqlstore.RuleColumns,
		r.Key, r.Name, r.Active, r.Position, row.Conditions, row.Actions, utc(now)))
	return out, rowErr(err, sqlstore.RuleKeyTaken(r.Key), "postgres: create rule")
}

// UpdateRule rewrites the rule with r.Key.
func (q queries) UpdateRule(ctx context.Context, r heed.Rule, now time.Time) (heed.Rule, error) {
	row, err := sqlstore.NewRuleRow(r)
	if err != nil {
		return heed.Rule{}, err
	}
	out, err := scanRule(q.db.QueryRow(ctx, `UPDATE rules
		SET name = $1, active = $2, position = $3, conditions = $4, actions = $5, updated_at = $6
		WHERE key = $7 RETURNING `+sqlstore.RuleColumns,
		r.Name, r.Active, r.Position, row.Conditions, row.Actions, utc(now), r.Key))
	return out, rowErr(err, sqlstore.RuleNotFound(r.Key), "postgres: update rule")
}

// DeleteRule deletes the rule with key.
func (q queries) DeleteRule(ctx context.Context, key string) error {
	tag, err := q.db.Exec(ctx, `DELETE FROM rules WHERE key = $1`, key)
	if unstorableText(err) {
		return sqlstore.RuleNotFound(key)
	}
	return rowTouched(tag, err, sqlstore.RuleNotFound(key), "postgres: delete rule")
}

// GetRule returns the rule with key.
func (q queries) GetRule(ctx context.Context, key string) (heed.Rule, error) {
	r, err := scanRule(q.db.QueryRow(ctx, `SELECT `+sqlstore.RuleColumns+` FROM rules WHERE key = $1`, key))
	return r, rowErr(err, sqlstore.RuleNotFound(key), "postgres: get rule")
}

// ListRules returns every rule in the order they are evaluated, keys in
// byte order as on SQLite.
func (q queries) ListRules(ctx context.Context) ([]heed.Rule, error) {
	return queryList(ctx, q.db, `SELECT `+sqlstore.RuleColumns+` FROM rules ORDER BY position, key COLLATE "C"`,
		nil, []heed.Rule{}, scanRule, "postgres: list rules")
}

// TagResponse tags the response; a tag it has already is left alone.
func (q queries) TagResponse(ctx context.Context, responseID int64, tag string, now time.Time) error {
	if err := sqlstore.CheckTag(tag); err != nil {
		return err
	}
	_, err := q.db.Exec(ctx, `INSERT INTO response_tags (response_id, tag, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (response_id, tag) DO NOTHING`, responseID, tag, utc(now))
	if missingReference(err) {
		return sqlstore.ResponseNotFound()
	}
	return heed.Internal(err, "postgres: tag response")
}

// ListResponseTags returns the response's tags in byte order, as on
// SQLite.
func (q queries) ListResponseTags(ctx context.Context, responseID int64) ([]string, error) {
	return queryList(ctx, q.db, `SELECT tag FROM response_tags WHERE response_id = $1 ORDER BY tag COLLATE "C"`,
		[]any{responseID}, []string{}, func(sc sqlstore.Scanner) (string, error) {
			var tag string
			return tag, sc.Scan(&tag)
		}, "postgres: list response tags")
}
