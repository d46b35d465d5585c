package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/heedhq/heed"
)

// Helpers shared by units.go, employees.go and customers.go.

// scopeWhere turns a scope into an SQL condition over the row's unit id
// column, that unit's path column and, for rows that have one, the owner
// column ("" when the rows have no owner). The zero scope matches nothing.
func scopeWhere(s heed.Scope, unitID, unitPath, ownerID string) (string, []any) {
	if s.All {
		return "1=1", nil
	}
	var parts []string
	var args []any
	if s.UnitPath != "" {
		// Paths are digits and slashes only, so the prefix needs no escaping.
		parts = append(parts, unitPath+" LIKE ?")
		args = append(args, s.UnitPath+"%")
	}
	if s.UnitID != 0 {
		parts = append(parts, unitID+" = ?")
		args = append(args, s.UnitID)
	}
	if s.OwnerID != 0 && ownerID != "" {
		parts = append(parts, ownerID+" = ?")
		args = append(args, s.OwnerID)
	}
	if len(parts) == 0 {
		return "1=0", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// unitPathByKey returns the path of the unit with key, for subtree filters;
// ENotFound on field "unit" when there is none.
func (q queries) unitPathByKey(ctx context.Context, key string) (string, error) {
	var path string
	err := q.r.QueryRowContext(ctx, `SELECT path FROM units WHERE key = ?`, key).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) {
		return "", heed.FieldErrorf(heed.ENotFound, "unit", "no unit %q", key)
	}
	if err != nil {
		return "", heed.Internal(err, "sqlite: unit path")
	}
	return path, nil
}

// preparer is what *sql.DB and *sql.Tx share for prepared statements.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// prepare prepares stmt on q's write side (a transaction inside withTx).
func (q queries) prepare(ctx context.Context, stmt string) (*sql.Stmt, error) {
	p, ok := q.w.(preparer)
	if !ok {
		return nil, heed.Internal(fmt.Errorf("%T cannot prepare", q.w), "sqlite: prepare")
	}
	st, err := p.PrepareContext(ctx, stmt)
	if err != nil {
		return nil, heed.Internal(err, "sqlite: prepare")
	}
	return st, nil
}

// keyCache resolves natural keys (unit keys, employee emails) to ids once
// per upsert call, so a batch of thousands asks the database once per key.
type keyCache struct {
	q     queries
	query string // selects id by the key
	field string // the input field named when a key does not resolve
	what  string // what the key names, for the message
	ids   map[string]int64
}

func newKeyCache(q queries, query, field, what string) *keyCache {
	return &keyCache{q: q, query: query, field: field, what: what, ids: map[string]int64{}}
}

// id returns the id for key, ENotFound on the cache's field if none.
func (c *keyCache) id(ctx context.Context, key string) (int64, error) {
	if id, ok := c.ids[key]; ok {
		return id, nil
	}
	var id int64
	err := c.q.w.QueryRowContext(ctx, c.query, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, heed.FieldErrorf(heed.ENotFound, c.field, "no %s %q", c.what, key)
	}
	if err != nil {
		return 0, heed.Internal(err, "sqlite: find "+c.what)
	}
	c.ids[key] = id
	return id, nil
}

// about prefixes the message of a classified error with the row it is
// about, so a batch error names the culprit: customer "C1": no unit "x".
func about(err error, what, key string) error {
	var e *heed.Error
	if key == "" || !errors.As(err, &e) || e.Code == heed.EInternal {
		return err
	}
	c := *e
	c.Message = fmt.Sprintf("%s %q: %s", what, key, e.Message)
	return &c
}
