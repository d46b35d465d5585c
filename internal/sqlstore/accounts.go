package sqlstore

import (
	"context"

	"github.com/heedhq/heed"
)

// ResolveTokenRefs fills t's EmployeeID and UnitID from its Employee
// (email, read as NormEmail reads it) and Unit (key) when only the latter
// are given, through each engine's lookups. Both stores create tokens through it, so a token
// names the same employee and unit, or fails alike, on either engine.
func ResolveTokenRefs(ctx context.Context, t *heed.APIToken, employees, units Lookup) error {
	if t.EmployeeID == 0 && t.Employee != "" {
		id, err := resolve(ctx, employees, heed.NormEmail(t.Employee), "employee", t.Employee)
		if err != nil {
			return err
		}
		t.EmployeeID = id
	}
	if t.UnitID == 0 && t.Unit != "" {
		id, err := resolve(ctx, units, t.Unit, "unit", t.Unit)
		if err != nil {
			return err
		}
		t.UnitID = id
	}
	return nil
}

// resolve looks key up, KeyNotFound on field (naming given, as the caller
// wrote it) when it names nothing.
func resolve(ctx context.Context, lookup Lookup, key, field, given string) (int64, error) {
	id, found, err := lookup(ctx, key)
	if err == nil && !found {
		err = KeyNotFound(field, field, given)
	}
	return id, err
}

// TokenNotFound is the error for an API token that does not exist (or,
// when read by its hash, is revoked).
func TokenNotFound() error { return heed.Errorf(heed.ENotFound, "no such token") }
