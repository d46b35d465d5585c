package sqlstore

import (
	"context"
	"strings"

	"github.com/heedhq/heed"
)

// Args collects a statement's arguments and hands out each one's
// placeholder in its engine's style ("?" or "$n"), so a condition can be
// built once for both engines. The placeholders must be added in the
// order they stand in the statement: SQLite's "?" are positional.
type Args struct {
	vals []any
	mark func(n int) string // the placeholder of the n-th argument, from 1
}

// NewArgs is an empty Args whose placeholders mark writes.
func NewArgs(mark func(n int) string) *Args { return &Args{mark: mark} }

// Add appends v and returns its placeholder.
func (a *Args) Add(v any) string {
	a.vals = append(a.vals, v)
	return a.mark(len(a.vals))
}

// Values are the arguments added so far, in order.
func (a *Args) Values() []any { return a.vals }

// ScopeColumns name, in one query, what a scope is checked against: the
// row's unit id, that unit's path and the row's owner ("" when rows have
// no owner).
type ScopeColumns struct {
	UnitID, UnitPath, OwnerID string
}

// ScopeWhere turns a scope into an SQL condition over cols. The zero
// scope matches nothing. Both stores build it here: what a principal may
// see must not depend on the engine.
func ScopeWhere(s heed.Scope, a *Args, cols ScopeColumns) string {
	if s.All {
		return "TRUE"
	}
	var parts []string
	if s.UnitPath != "" {
		parts = append(parts, subtreeWhere(s.UnitPath, a, cols.UnitPath))
	}
	if s.UnitID != 0 {
		parts = append(parts, cols.UnitID+" = "+a.Add(s.UnitID))
	}
	if s.OwnerID != 0 && cols.OwnerID != "" {
		parts = append(parts, cols.OwnerID+" = "+a.Add(s.OwnerID))
	}
	if len(parts) == 0 {
		return "FALSE"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// subtreeWhere keeps the rows whose unit, at pathColumn, is the unit at
// path or below it. Paths are digits and slashes only, so the prefix
// needs no escaping.
func subtreeWhere(path string, a *Args, pathColumn string) string {
	return pathColumn + " LIKE " + a.Add(path+"%")
}

// PathLookup finds the path of the unit with key; found is false when
// there is none.
type PathLookup func(ctx context.Context, key string) (path string, found bool, err error)

// ListWhere is ScopeWhere and, unless unit is "", the subtree of the
// unit with that key, looked up with unitPath: ENotFound on field "unit"
// when no unit has it. Both stores filter lists by unit here.
func ListWhere(ctx context.Context, s heed.Scope, unit string, a *Args, cols ScopeColumns, unitPath PathLookup) (string, error) {
	where := ScopeWhere(s, a, cols)
	if unit == "" {
		return where, nil
	}
	path, found, err := unitPath(ctx, unit)
	if err != nil {
		return "", err
	}
	if !found {
		return "", KeyNotFound("unit", "unit", unit)
	}
	return where + " AND " + subtreeWhere(path, a, cols.UnitPath), nil
}

// Scanner is one row as both drivers offer it: *sql.Row, *sql.Rows,
// pgx.Row and pgx.Rows all have it, so one scan function serves a single
// row and a list.
type Scanner interface {
	Scan(dest ...any) error
}
