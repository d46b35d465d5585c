package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
)

// UnitRow is what a caller can change of a stored unit; two rows compare
// equal with == exactly when an upsert changes nothing.
type UnitRow struct {
	Name        string
	ParentID    int64 // 0 for a root
	Responsible string
}

// UnitPlace is where a unit hangs: its parent's id (0 for none), path and
// depth. A root hangs under the pseudo-parent RootPlace.
type UnitPlace struct {
	ParentID int64
	Path     string
	Depth    int
}

// RootPlace is the place of a unit without a parent.
var RootPlace = UnitPlace{Path: "/", Depth: -1}

// StoredUnit is the part of a stored unit an upsert compares and moves.
type StoredUnit struct {
	ID    int64
	Row   UnitRow
	Depth int
	Path  string
}

// UnitWriter is the SQL half of an upsert of units, each method one
// statement in its engine's dialect, inside the caller's transaction.
type UnitWriter interface {
	// ParentPlace reads the place below the unit with key; found is
	// false when there is none.
	ParentPlace(ctx context.Context, key string) (place UnitPlace, found bool, err error)
	// StoredUnit reads the unit with key; found is false when there is none.
	StoredUnit(ctx context.Context, key string) (old StoredUnit, found bool, err error)
	// InsertUnit inserts a unit with an empty path and returns its id.
	InsertUnit(ctx context.Context, key string, row UnitRow, depth int) (int64, error)
	// SetUnitPath sets the path of the unit with id.
	SetUnitPath(ctx context.Context, id int64, path string) error
	// MoveSubtree replaces the prefix oldPath by newPath in the paths of
	// every unit below oldPath, itself included, and adds depthDelta to
	// their depths.
	MoveSubtree(ctx context.Context, oldPath, newPath string, depthDelta int) error
	// UpdateUnit writes row over the unit with id.
	UpdateUnit(ctx context.Context, id int64, row UnitRow) error
}

// UpsertUnits writes units in order through w: checks, the parent's
// place, created/updated/unchanged and the move of a subtree. Both stores
// upsert units here, so the tree rules are the same on either engine.
func UpsertUnits(ctx context.Context, w UnitWriter, units []heed.Unit) (heed.UpsertResult, error) {
	key := func(u heed.Unit) string { return u.Key }
	return UpsertEach(units, "unit", key, func(u heed.Unit) (heed.UpsertResult, error) {
		return upsertUnit(ctx, w, u)
	})
}

func upsertUnit(ctx context.Context, w UnitWriter, u heed.Unit) (heed.UpsertResult, error) {
	if err := CheckUnit(u); err != nil {
		return heed.UpsertResult{}, err
	}
	place, err := parentPlace(ctx, w, u.Parent)
	if err != nil {
		return heed.UpsertResult{}, err
	}
	row := UnitRow{Name: u.Name, ParentID: place.ParentID, Responsible: heed.NormEmail(u.Responsible)}
	old, found, err := w.StoredUnit(ctx, u.Key)
	if err != nil {
		return heed.UpsertResult{}, err
	}
	switch {
	case !found:
		return heed.UpsertResult{Created: 1}, insertUnit(ctx, w, u.Key, row, place)
	case old.Row == row:
		return heed.UpsertResult{Unchanged: 1}, nil
	}
	if old.Row.ParentID != place.ParentID {
		if err := moveUnit(ctx, w, old, place); err != nil {
			return heed.UpsertResult{}, err
		}
	}
	return heed.UpsertResult{Updated: 1}, w.UpdateUnit(ctx, old.ID, row)
}

// CheckUnit refuses a unit without a key or that is its own parent.
func CheckUnit(u heed.Unit) error {
	if u.Key == "" {
		return heed.FieldErrorf(heed.EInvalid, "key", "a unit needs a key")
	}
	if u.Parent == u.Key {
		return heed.FieldErrorf(heed.EConflict, "parent", "a unit cannot be its own parent")
	}
	return nil
}

// parentPlace resolves a parent key ("" for a root).
func parentPlace(ctx context.Context, w UnitWriter, parent string) (UnitPlace, error) {
	if parent == "" {
		return RootPlace, nil
	}
	place, found, err := w.ParentPlace(ctx, parent)
	if err == nil && !found {
		err = KeyNotFound("parent", "parent unit", parent)
	}
	return place, err
}

// insertUnit inserts a unit, then gives it its path, which holds the
// unit's own id, known only once inserted.
func insertUnit(ctx context.Context, w UnitWriter, key string, row UnitRow, place UnitPlace) error {
	id, err := w.InsertUnit(ctx, key, row, place.Depth+1)
	if err != nil {
		return err
	}
	return w.SetUnitPath(ctx, id, ChildPath(place.Path, id))
}

// moveUnit rewrites the path and depth of the unit and its whole subtree
// for its new place, refusing to hang a unit below itself.
func moveUnit(ctx context.Context, w UnitWriter, old StoredUnit, place UnitPlace) error {
	if strings.HasPrefix(place.Path, old.Path) {
		return heed.FieldErrorf(heed.EConflict, "parent", "a unit cannot move below itself")
	}
	return w.MoveSubtree(ctx, old.Path, ChildPath(place.Path, old.ID), place.Depth+1-old.Depth)
}

// ChildPath is the path of the unit with id below the unit at parentPath:
// "/1/5/" and 23 give "/1/5/23/".
func ChildPath(parentPath string, id int64) string {
	return parentPath + strconv.FormatInt(id, 10) + "/"
}
