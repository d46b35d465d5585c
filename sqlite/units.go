package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// unitSelect reads a unit with its parent's key; callers append WHERE.
const unitSelect = `SELECT u.id, u.key, u.name, COALESCE(p.key, ''), u.responsible, u.depth, u.path,
	u.created_at, u.updated_at
	FROM units u LEFT JOIN units p ON p.id = u.parent_id`

// scanner is what *sql.Row and *sql.Rows share.
type scanner interface{ Scan(dest ...any) error }

func scanUnit(sc scanner) (heed.Unit, error) {
	var u heed.Unit
	var created, updated int64
	err := sc.Scan(&u.ID, &u.Key, &u.Name, &u.Parent, &u.Responsible, &u.Depth, &u.Path, &created, &updated)
	u.CreatedAt, u.UpdatedAt = fromMicros(created), fromMicros(updated)
	return u, err
}

// GetUnit returns the unit with key.
func (q queries) GetUnit(ctx context.Context, key string) (heed.Unit, error) {
	u, err := scanUnit(q.r.QueryRowContext(ctx, unitSelect+` WHERE u.key = ?`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return heed.Unit{}, heed.Errorf(heed.ENotFound, "no unit %q", key)
	}
	if err != nil {
		return heed.Unit{}, heed.Internal(err, "sqlite: get unit")
	}
	return u, nil
}

// GetUnitByID returns the unit with id.
func (q queries) GetUnitByID(ctx context.Context, id int64) (heed.Unit, error) {
	u, err := scanUnit(q.r.QueryRowContext(ctx, unitSelect+` WHERE u.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return heed.Unit{}, heed.Errorf(heed.ENotFound, "no unit with id %d", id)
	}
	if err != nil {
		return heed.Unit{}, heed.Internal(err, "sqlite: get unit by id")
	}
	return u, nil
}

// ListUnits returns the units inside scope, parents before children.
func (q queries) ListUnits(ctx context.Context, scope heed.Scope) ([]heed.Unit, error) {
	cond, args := scopeWhere(scope, "u.id", "u.path", "")
	rows, err := q.r.QueryContext(ctx, unitSelect+` WHERE `+cond+` ORDER BY u.path`, args...)
	if err != nil {
		return nil, heed.Internal(err, "sqlite: list units")
	}
	defer rows.Close()
	units := []heed.Unit{}
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, heed.Internal(err, "sqlite: list units")
		}
		units = append(units, u)
	}
	if err := rows.Err(); err != nil {
		return nil, heed.Internal(err, "sqlite: list units")
	}
	return units, nil
}

// UpsertUnits writes units in order, all or none.
func (q queries) UpsertUnits(ctx context.Context, units []heed.Unit, now time.Time) (heed.UpsertResult, error) {
	var res heed.UpsertResult
	err := q.withTx(ctx, func(q queries) error {
		for _, u := range units {
			r, err := q.upsertUnit(ctx, u, micros(now))
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

// unitPlace is where a unit hangs: its parent's id, path and depth. A root
// hangs under the pseudo-parent with path "/" and depth -1.
type unitPlace struct {
	parentID sql.NullInt64
	path     string
	depth    int
}

// storedUnit is the part of a stored unit an upsert compares and moves.
type storedUnit struct {
	id          int64
	name        string
	parentID    sql.NullInt64
	responsible string
	depth       int
	path        string
}

func (q queries) upsertUnit(ctx context.Context, u heed.Unit, now int64) (heed.UpsertResult, error) {
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
	_, err = q.w.ExecContext(ctx, `UPDATE units SET name = ?, parent_id = ?, responsible = ?, updated_at = ? WHERE id = ?`,
		u.Name, place.parentID, responsible, now, old.id)
	if err != nil {
		return heed.UpsertResult{}, heed.Internal(err, "sqlite: update unit")
	}
	return heed.UpsertResult{Updated: 1}, nil
}

// unitPlace resolves a parent key ("" for a root).
func (q queries) unitPlace(ctx context.Context, parent string) (unitPlace, error) {
	if parent == "" {
		return unitPlace{path: "/", depth: -1}, nil
	}
	var p unitPlace
	err := q.w.QueryRowContext(ctx, `SELECT id, path, depth FROM units WHERE key = ?`, parent).
		Scan(&p.parentID, &p.path, &p.depth)
	if errors.Is(err, sql.ErrNoRows) {
		return p, heed.FieldErrorf(heed.ENotFound, "parent", "no parent unit %q", parent)
	}
	if err != nil {
		return p, heed.Internal(err, "sqlite: find parent unit")
	}
	return p, nil
}

func (q queries) storedUnit(ctx context.Context, key string) (storedUnit, bool, error) {
	var s storedUnit
	err := q.w.QueryRowContext(ctx, `SELECT id, name, parent_id, responsible, depth, path FROM units WHERE key = ?`, key).
		Scan(&s.id, &s.name, &s.parentID, &s.responsible, &s.depth, &s.path)
	if errors.Is(err, sql.ErrNoRows) {
		return s, false, nil
	}
	if err != nil {
		return s, false, heed.Internal(err, "sqlite: find unit")
	}
	return s, true, nil
}

func (q queries) insertUnit(ctx context.Context, u heed.Unit, responsible string, place unitPlace, now int64) error {
	var id int64
	// The path holds the unit's own id, known only once inserted.
	err := q.w.QueryRowContext(ctx, `INSERT INTO units (key, name, parent_id, responsible, depth, path, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, '', ?, ?) RETURNING id`,
		u.Key, u.Name, place.parentID, responsible, place.depth+1, now, now).Scan(&id)
	if err != nil {
		return heed.Internal(err, "sqlite: insert unit")
	}
	path := place.path + strconv.FormatInt(id, 10) + "/"
	if _, err := q.w.ExecContext(ctx, `UPDATE units SET path = ? WHERE id = ?`, path, id); err != nil {
		return heed.Internal(err, "sqlite: set unit path")
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
	_, err := q.w.ExecContext(ctx, `UPDATE units SET path = ? || substr(path, ?), depth = depth + ? WHERE path LIKE ?`,
		newPath, len(old.path)+1, place.depth+1-old.depth, old.path+"%")
	if err != nil {
		return heed.Internal(err, "sqlite: move unit subtree")
	}
	return nil
}
