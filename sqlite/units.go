package sqlite

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

func scanUnit(sc sqlstore.Scanner) (heed.Unit, error) {
	var u heed.Unit
	var created, updated int64
	err := sc.Scan(&u.ID, &u.Key, &u.Name, &u.Parent, &u.Responsible, &u.Depth, &u.Path, &created, &updated)
	u.CreatedAt, u.UpdatedAt = fromMicros(created), fromMicros(updated)
	return u, err
}

// GetUnit returns the unit with key.
func (q queries) GetUnit(ctx context.Context, key string) (heed.Unit, error) {
	u, err := scanUnit(q.r.QueryRowContext(ctx, unitSelect+` WHERE u.key = ?`, key))
	if err != nil {
		return heed.Unit{}, rowErr(err, heed.Errorf(heed.ENotFound, "no unit %q", key), "sqlite: get unit")
	}
	return u, nil
}

// GetUnitByID returns the unit with id.
func (q queries) GetUnitByID(ctx context.Context, id int64) (heed.Unit, error) {
	u, err := scanUnit(q.r.QueryRowContext(ctx, unitSelect+` WHERE u.id = ?`, id))
	if err != nil {
		return heed.Unit{}, rowErr(err, heed.Errorf(heed.ENotFound, "no unit with id %d", id), "sqlite: get unit by id")
	}
	return u, nil
}

// ListUnits returns the units inside scope, parents before children.
func (q queries) ListUnits(ctx context.Context, scope heed.Scope) ([]heed.Unit, error) {
	args := newArgs()
	cond := sqlstore.ScopeWhere(scope, args, sqlstore.ScopeColumns{UnitID: "u.id", UnitPath: "u.path"})
	stmt := unitSelect + ` WHERE ` + cond + ` ORDER BY u.path`
	return queryList(ctx, q.r, stmt, args.Values(), []heed.Unit{}, scanUnit, "sqlite: list units")
}

// UpsertUnits writes units in order, all or none.
func (q queries) UpsertUnits(ctx context.Context, units []heed.Unit, now time.Time) (heed.UpsertResult, error) {
	return q.upsertTx(ctx, func(q queries) (heed.UpsertResult, error) {
		return sqlstore.UpsertUnits(ctx, unitWriter{q: q, now: micros(now)}, units)
	})
}

// unitWriter is the SQL of sqlstore.UpsertUnits, inside one transaction.
type unitWriter struct {
	q   queries
	now int64
}

func (w unitWriter) ParentPlace(ctx context.Context, key string) (sqlstore.UnitPlace, bool, error) {
	var p sqlstore.UnitPlace
	err := w.q.w.QueryRowContext(ctx, `SELECT id, path, depth FROM units WHERE key = ?`, key).
		Scan(&p.ParentID, &p.Path, &p.Depth)
	ok, err := found(err, "sqlite: find parent unit")
	return p, ok, err
}

func (w unitWriter) StoredUnit(ctx context.Context, key string) (sqlstore.StoredUnit, bool, error) {
	var s sqlstore.StoredUnit
	err := w.q.w.QueryRowContext(ctx, `SELECT id, name, COALESCE(parent_id, 0), responsible, depth, path
		FROM units WHERE key = ?`, key).
		Scan(&s.ID, &s.Row.Name, &s.Row.ParentID, &s.Row.Responsible, &s.Depth, &s.Path)
	ok, err := found(err, "sqlite: find unit")
	return s, ok, err
}

func (w unitWriter) InsertUnit(ctx context.Context, key string, row sqlstore.UnitRow, depth int) (int64, error) {
	var id int64
	err := w.q.w.QueryRowContext(ctx, `INSERT INTO units (key, name, parent_id, responsible, depth, path, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, '', ?, ?) RETURNING id`,
		key, row.Name, sqlstore.NullID(row.ParentID), row.Responsible, depth, w.now, w.now).Scan(&id)
	return id, heed.Internal(err, "sqlite: insert unit")
}

func (w unitWriter) SetUnitPath(ctx context.Context, id int64, path string) error {
	_, err := w.q.w.ExecContext(ctx, `UPDATE units SET path = ? WHERE id = ?`, path, id)
	return heed.Internal(err, "sqlite: set unit path")
}

func (w unitWriter) MoveSubtree(ctx context.Context, oldPath, newPath string, depthDelta int) error {
	_, err := w.q.w.ExecContext(ctx, `UPDATE units SET path = ? || substr(path, ?), depth = depth + ? WHERE path LIKE ?`,
		newPath, len(oldPath)+1, depthDelta, oldPath+"%")
	return heed.Internal(err, "sqlite: move unit subtree")
}

func (w unitWriter) UpdateUnit(ctx context.Context, id int64, row sqlstore.UnitRow) error {
	_, err := w.q.w.ExecContext(ctx, `UPDATE units SET name = ?, parent_id = ?, responsible = ?, updated_at = ? WHERE id = ?`,
		row.Name, sqlstore.NullID(row.ParentID), row.Responsible, w.now, id)
	return heed.Internal(err, "sqlite: update unit")
}
