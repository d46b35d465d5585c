package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/jackc/pgx/v5"
)

// Helpers shared by units.go, employees.go and customers.go. The JSON,
// cursor and pattern helpers are the same as package sqlite's, so both
// engines store, compare and page alike.

// sqlArgs collects query arguments and hands out their $n placeholders.
type sqlArgs []any

func (a *sqlArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// scopeWhere turns a scope into an SQL condition over the row's unit id
// column, that unit's path column and, for rows that have one, the owner
// column ("" when the rows have no owner). The zero scope matches nothing.
func scopeWhere(s heed.Scope, a *sqlArgs, unitID, unitPath, ownerID string) string {
	if s.All {
		return "true"
	}
	var parts []string
	if s.UnitPath != "" {
		// Paths are digits and slashes only, so the prefix needs no escaping.
		parts = append(parts, unitPath+" LIKE "+a.add(s.UnitPath+"%"))
	}
	if s.UnitID != 0 {
		parts = append(parts, unitID+" = "+a.add(s.UnitID))
	}
	if s.OwnerID != 0 && ownerID != "" {
		parts = append(parts, ownerID+" = "+a.add(s.OwnerID))
	}
	if len(parts) == 0 {
		return "false"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// unitPathByKey returns the path of the unit with key, for subtree filters;
// ENotFound on field "unit" when there is none.
func (q queries) unitPathByKey(ctx context.Context, key string) (string, error) {
	var path string
	err := q.db.QueryRow(ctx, `SELECT path FROM units WHERE key = $1`, key).Scan(&path)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", heed.FieldErrorf(heed.ENotFound, "unit", "no unit %q", key)
	}
	if err != nil {
		return "", heed.Internal(err, "postgres: unit path")
	}
	return path, nil
}

// utc is how times are written and read: UTC, microseconds (PostgreSQL's
// precision, and SQLite's), so both engines return equal times.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// nullID maps the id 0 to NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// normEmail is the form emails are stored and looked up in.
func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

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
