package postgres

import (
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

// unitSelect reads a unit with its parent's key; callers append WHERE.
const unitSelect = `SELECT u.id, u.key, u.name, COALESCE(p.key, ''), u.responsible, u.depth, u.path,
	u.created_at, u.updated_at
	FROM units u LEFT JOIN units p ON p.id = u.parent_id`

func scanUnit(row sqlstore.Scanner) (heed.Unit, error) {
	var u heed.Unit
	err := row.Scan(&u.ID, &u.Key, &u.Name, &u.Parent, &u.Responsible, &u.Depth, &u.Path, &u.CreatedAt, &u.UpdatedAt)
	u.CreatedAt, u.UpdatedAt = utc(u.CreatedAt), utc(u.UpdatedAt)
	return u, err
}

// GetUnit returns the unit with key.
func (q queries) GetUnit(ctx context.Context, key string) (heed.Unit, error) {
	u, err := scanUnit(q.db.QueryRow(ctx, unitSelect+` WHERE u.key = $1`, key))
	if err != nil {
		return heed.Unit{}, rowErr(err, heed.Errorf(heed.ENotFound, "no unit %q", key), "postgres: get unit")
	}
	return u, nil
}

// GetUnitByID returns the unit with id.
func (q queries) GetUnitByID(ctx context.Context, id int64) (heed.Unit, error) {
	u, err := scanUnit(q.db.QueryRow(ctx, unitSelect+` WHERE u.id = $1`, id))
	if err != nil {
		return heed.Unit{}, rowErr(err, heed.Errorf(heed.ENotFound, "no unit with id %d", id), "postgres: get unit by id")
	}
	return u, nil
}

// ListUnits returns the units inside scope, parents before children.
func (q queries) ListUnits(ctx context.Context, scope heed.Scope) ([]heed.Unit, error) {
	args := newArgs()
	cond := sqlstore.ScopeWhere(scope, args, sqlstore.ScopeColumns{UnitID: "u.id", UnitPath: "u.path"})
	stmt := unitSelect + ` WHERE ` + cond + ` ORDER BY u.path`
	return queryList(ctx, q.db, stmt, args.Values(), []heed.Unit{}, scanUnit, "postgres: list units")
}

// UpsertUnits writes units in order, all or none.
func (q queries) UpsertUnits(ctx context.Context, units []heed.Unit, now time.Time) (heed.UpsertResult, error) {
	return q.upsertTx(ctx, func(q queries) (heed.UpsertResult, error) {
		return sqlstore.UpsertUnits(ctx, unitWriter{q: q, now: utc(now)}, units)
	})
}

// unitWriter is the SQL of sqlstore.UpsertUnits, inside one transaction.
type unitWriter struct {
	q   queries
	now time.Time
}

func (w unitWriter) ParentPlace(ctx context.Context, key string) (sqlstore.UnitPlace, bool, error) {
	var p sqlstore.UnitPlace
	// FOR SHARE: the parent's path cannot change (a concurrent move) until
	// this transaction has used it.
	err := w.q.db.QueryRow(ctx, `SELECT id, path, depth FROM units WHERE key = $1 FOR SHARE`, key).
		Scan(&p.ParentID, &p.Path, &p.Depth)
	ok, err := found(err, "postgres: find parent unit")
	return p, ok, err
}

func (w unitWriter) StoredUnit(ctx context.Context, key string) (sqlstore.StoredUnit, bool, error) {
	var s sqlstore.StoredUnit
	// FOR UPDATE: a concurrent move of the same unit waits for this one.
	err := w.q.db.QueryRow(ctx, `SELECT id, name, COALESCE(parent_id, 0), responsible, depth, path
		FROM units WHERE key = $1 FOR UPDATE`, key).
		Scan(&s.ID, &s.Row.Name, &s.Row.ParentID, &s.Row.Responsible, &s.Depth, &s.Path)
	ok, err := found(err, "postgres: find unit")
	return s, ok, err
}

func (w unitWriter) InsertUnit(ctx context.Context, key string, row sqlstore.UnitRow, depth int) (int64, error) {
	var id int64
	err := w.q.db.QueryRow(ctx, `INSERT INTO units (key, name, parent_id, responsible, depth, path, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, '', $6, $6) RETURNING id`,
		key, row.Name, nullIfZero(row.ParentID), row.Responsible, depth, w.now).Scan(&id)
	if isUniqueViolation(err) {
		return 0, createdConcurrently("key")
	}
	return id, heed.Internal(err, "postgres: insert unit")
}

func (w unitWriter) SetUnitPath(ctx context.Context, id int64, path string) error {
	_, err := w.q.db.Exec(ctx, `UPDATE units SET path = $1 WHERE id = $2`, path, id)
	return heed.Internal(err, "postgres: set unit path")
}

func (w unitWriter) MoveSubtree(ctx context.Context, oldPath, newPath string, depthDelta int) error {
	_, err := w.q.db.Exec(ctx, `UPDATE units SET path = $1::text || substr(path, $2::int), depth = depth + $3::int
		WHERE path LIKE $4`,
		newPath, len(oldPath)+1, depthDelta, oldPath+"%")
	return heed.Internal(err, "postgres: move unit subtree")
}

func (w unitWriter) UpdateUnit(ctx context.Context, id int64, row sqlstore.UnitRow) error {
	_, err := w.q.db.Exec(ctx, `UPDATE units SET name = $1, parent_id = $2, responsible = $3, updated_at = $4 WHERE id = $5`,
		row.Name, nullIfZero(row.ParentID), row.Responsible, w.now, id)
	return heed.Internal(err, "postgres: update unit")
}
