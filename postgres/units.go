package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/jackc/pgx/v5"
)

// unitSelect reads a unit with its parent's key; callers append WHERE.
const unitSelect = `SELECT u.id, u.key, u.name, COALESCE(p.key, ''), u.responsible, u.depth, u.path,
	u.created_at, u.updated_at
	FROM units u LEFT JOIN units p ON p.id = u.parent_id`

func scanUnit(row pgx.Row) (heed.Unit, error) {
	var u heed.Unit
	err := row.Scan(&u.ID, &u.Key, &u.Name, &u.Parent, &u.Responsible, &u.Depth, &u.Path, &u.CreatedAt, &u.UpdatedAt)
	u.CreatedAt, u.UpdatedAt = utc(u.CreatedAt), utc(u.UpdatedAt)
	return u, err
}

// GetUnit returns the unit with key.
func (q queries) GetUnit(ctx context.Context, key string) (heed.Unit, error) {
	u, err := scanUnit(q.db.QueryRow(ctx, unitSelect+` WHERE u.key = $1`, key))
	if errors.Is(err, pgx.ErrNoRows) {
		return heed.Unit{}, heed.Errorf(heed.ENotFound, "no unit %q", key)
	}
	if err != nil {
		return heed.Unit{}, heed.Internal(err, "postgres: get unit")
	}
	return u, nil
}

// GetUnitByID returns the unit with id.
func (q queries) GetUnitByID(ctx context.Context, id int64) (heed.Unit, error) {
	u, err := scanUnit(q.db.QueryRow(ctx, unitSelect+` WHERE u.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return heed.Unit{}, heed.Errorf(heed.ENotFound, "no unit with id %d", id)
	}
	if err != nil {
		return heed.Unit{}, heed.Internal(err, "postgres: get unit by id")
	}
	return u, nil
}

// ListUnits returns the units inside scope, parents before children.
func (q queries) ListUnits(ctx context.Context, scope heed.Scope) ([]heed.Unit, error) {
	var args sqlArgs
	cond := scopeWhere(scope, &args, "u.id", "u.path", "")
	rows, err := q.db.Query(ctx, unitSelect+` WHERE `+cond+` ORDER BY u.path`, args...)
	if err != nil {
		return nil, heed.Internal(err, "postgres: list units")
	}
	defer rows.Close()
	units := []heed.Unit{}
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, heed.Internal(err, "postgres: list units")
		}
		units = append(units, u)
	}
	if err := rows.Err(); err != nil {
		return nil, heed.Internal(err, "postgres: list units")
	}
	return units, nil
}

// UpsertUnits writes units in order, all or none.
func (q queries) UpsertUnits(ctx context.Context, units []heed.Unit, now time.Time) (heed.UpsertResult, error) {
	var res heed.UpsertResult
	err := q.withTx(ctx, func(q queries) error {
		for _, u := range units {
			r, err := q.upsertUnit(ctx, u, utc(now))
			if err != nil {
				return about(err, "unit", u.Key)
			}
			res.Add(r)
		}
		return nil
	})
	if err != nil {
		return heed.UpsertResult{}, err
	}
	return res, nil
}

// unitPlace is where a unit hangs: its parent's id (0 for none), path and
// depth. A root hangs under the pseudo-parent with path "/" and depth -1.
type unitPlace struct {
	parentID int64
	path     string
	depth    int
}

// storedUnit is the part of a stored unit an upsert compares and moves.
type storedUnit struct {
	id          int64
	name        string
	parentID    int64
	responsible string
	depth       int
	path        string
}

func (q queries) upsertUnit(ctx context.Context, u heed.Unit, now time.Time) (heed.UpsertResult, error) {
	if u.Key == "" {
		return heed.UpsertResult{}, heed.FieldErrorf(heed.EInvalid, "key", "a unit needs a key")
	}
	if u.Parent == u.Key {
		return heed.UpsertResult{}, heed.FieldErrorf(heed.EConflict, "parent", "a unit cannot be its own parent")
	}
	place, err := q.unitPlace(ctx, u.Parent)
	if err != nil {
		return heed.UpsertResult{}, err
	}
	responsible := strings.ToLower(strings.TrimSpace(u.Responsible))
	old, found, err := q.storedUnit(ctx, u.Key)
	if err != nil {
		return heed.UpsertResult{}, err
	}
	if !found {
		return heed.UpsertResult{Created: 1}, q.insertUnit(ctx, u, responsible, place, now)
	}
	if old.name == u.Name && old.parentID == place.parentID && old.responsible == responsible {
		return heed.UpsertResult{Unchanged: 1}, nil
	}
	if old.parentID != place.parentID {
		if err := q.moveUnit(ctx, old, place); err != nil {
			return heed.UpsertResult{}, err
		}
	}
	_, err = q.db.Exec(ctx, `UPDATE units SET name = $1, parent_id = $2, responsible = $3, updated_at = $4 WHERE id = $5`,
		u.Name, nullID(place.parentID), responsible, now, old.id)
	if err != nil {
		return heed.UpsertResult{}, heed.Internal(err, "postgres: update unit")
	}
	return heed.UpsertResult{Updated: 1}, nil
}

// unitPlace resolves a parent key ("" for a root).
func (q queries) unitPlace(ctx context.Context, parent string) (unitPlace, error) {
	if parent == "" {
		return unitPlace{path: "/", depth: -1}, nil
	}
	var p unitPlace
	// FOR SHARE: the parent's path cannot change (a concurrent move) until
	// this transaction has used it.
	err := q.db.QueryRow(ctx, `SELECT id, path, depth FROM units WHERE key = $1 FOR SHARE`, parent).
		Scan(&p.parentID, &p.path, &p.depth)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, heed.FieldErrorf(heed.ENotFound, "parent", "no parent unit %q", parent)
	}
	if err != nil {
		return p, heed.Internal(err, "postgres: find parent unit")
	}
	return p, nil
}

func (q queries) storedUnit(ctx context.Context, key string) (storedUnit, bool, error) {
	var s storedUnit
	// FOR UPDATE: a concurrent move of the same unit waits for this one.
	err := q.db.QueryRow(ctx, `SELECT id, name, COALESCE(parent_id, 0), responsible, depth, path
		FROM units WHERE key = $1 FOR UPDATE`, key).
		Scan(&s.id, &s.name, &s.parentID, &s.responsible, &s.depth, &s.path)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, false, nil
	}
	if err != nil {
		return s, false, heed.Internal(err, "postgres: find unit")
	}
	return s, true, nil
}

func (q queries) insertUnit(ctx context.Context, u heed.Unit, responsible string, place unitPlace, now time.Time) error {
	var id int64
	// The path holds the unit's own id, known only once inserted.
	err := q.db.QueryRow(ctx, `INSERT INTO units (key, name, parent_id, responsible, depth, path, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, '', $6, $6) RETURNING id`,
		u.Key, u.Name, nullID(place.parentID), responsible, place.depth+1, now).Scan(&id)
	if isUniqueViolation(err) {
		return heed.FieldErrorf(heed.EConflict, "key", "created at the same time by someone else; try again")
	}
	if err != nil {
		return heed.Internal(err, "postgres: insert unit")
	}
	path := place.path + strconv.FormatInt(id, 10) + "/"
	if _, err := q.db.Exec(ctx, `UPDATE units SET path = $1 WHERE id = $2`, path, id); err != nil {
		return heed.Internal(err, "postgres: set unit path")
	}
	return nil
}

// moveUnit rewrites the path and depth of the unit and its whole subtree
// for its new place, refusing to hang a unit below itself.
func (q queries) moveUnit(ctx context.Context, old storedUnit, place unitPlace) error {
	if strings.HasPrefix(place.path, old.path) {
		return heed.FieldErrorf(heed.EConflict, "parent", "a unit cannot move below itself")
	}
	newPath := place.path + strconv.FormatInt(old.id, 10) + "/"
	_, err := q.db.Exec(ctx, `UPDATE units SET path = $1::text || substr(path, $2::int), depth = depth + $3::int
		WHERE path LIKE $4`,
		newPath, len(old.path)+1, place.depth+1-old.depth, old.path+"%")
	if err != nil {
		return heed.Internal(err, "postgres: move unit subtree")
	}
	return nil
}
