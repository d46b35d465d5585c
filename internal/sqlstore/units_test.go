package sqlstore

import (
	"context"
	"strings"
	"testing"

	"github.com/heedhq/heed"
)

// memUnits is a UnitWriter over a map, enough to watch UpsertUnits decide.
type memUnits struct {
	byKey  map[string]*StoredUnit
	nextID int64
	moves  []string // "old -> new (delta)"
}

func newMemUnits() *memUnits { return &memUnits{byKey: map[string]*StoredUnit{}} }

func (m *memUnits) ParentPlace(_ context.Context, key string) (UnitPlace, bool, error) {
	u, ok := m.byKey[key]
	if !ok {
		return UnitPlace{}, false, nil
	}
	return UnitPlace{ParentID: u.ID, Path: u.Path, Depth: u.Depth}, true, nil
}

func (m *memUnits) StoredUnit(_ context.Context, key string) (StoredUnit, bool, error) {
	u, ok := m.byKey[key]
	if !ok {
		return StoredUnit{}, false, nil
	}
	return *u, true, nil
}

func (m *memUnits) InsertUnit(_ context.Context, key string, row UnitRow, depth int) (int64, error) {
	m.nextID++
	m.byKey[key] = &StoredUnit{ID: m.nextID, Row: row, Depth: depth}
	return m.nextID, nil
}

func (m *memUnits) SetUnitPath(_ context.Context, id int64, path string) error {
	for _, u := range m.byKey {
		if u.ID == id {
			u.Path = path
		}
	}
	return nil
}

func (m *memUnits) MoveSubtree(_ context.Context, oldPath, newPath string, delta int) error {
	m.moves = append(m.moves, oldPath+" -> "+newPath)
	for _, u := range m.byKey {
		if strings.HasPrefix(u.Path, oldPath) {
			u.Path = newPath + u.Path[len(oldPath):]
			u.Depth += delta
		}
	}
	return nil
}

func (m *memUnits) UpdateUnit(_ context.Context, id int64, row UnitRow) error {
	for _, u := range m.byKey {
		if u.ID == id {
			u.Row = row
		}
	}
	return nil
}

func TestUpsertUnits(t *testing.T) {
	ctx := context.Background()
	m := newMemUnits()
	res, err := UpsertUnits(ctx, m, []heed.Unit{
		{Key: "hq", Name: "HQ"}, {Key: "north", Name: "North", Parent: "hq"}, {Key: "shop", Name: "Shop", Parent: "north"},
	})
	if err != nil || res != (heed.UpsertResult{Created: 3}) {
		t.Fatalf("create = %+v, %v", res, err)
	}
	if p := m.byKey["shop"].Path; p != "/1/2/3/" {
		t.Errorf("shop path %q; want /1/2/3/", p)
	}
	res, err = UpsertUnits(ctx, m, []heed.Unit{
		{Key: "hq", Name: "HQ"},
		{Key: "north", Name: "North", Parent: "", Responsible: " Ann@Example.com "},
	})
	if err != nil || res != (heed.UpsertResult{Updated: 1, Unchanged: 1}) {
		t.Fatalf("move = %+v, %v", res, err)
	}
	if s := m.byKey["shop"]; s.Path != "/2/3/" || s.Depth != 1 {
		t.Errorf("shop after its parent moved: %q depth %d; want /2/3/ depth 1", s.Path, s.Depth)
	}
	if r := m.byKey["north"].Row.Responsible; r != "ann@example.com" {
		t.Errorf("responsible stored as %q", r)
	}
}

func TestUpsertUnitsRefuses(t *testing.T) {
	ctx := context.Background()
	m := newMemUnits()
	if _, err := UpsertUnits(ctx, m, []heed.Unit{{Key: "a"}, {Key: "b", Parent: "a"}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		unit  heed.Unit
		code  heed.Code
		field string
	}{
		{"no key", heed.Unit{Name: "x"}, heed.EInvalid, "key"},
		{"own parent", heed.Unit{Key: "a", Parent: "a"}, heed.EConflict, "parent"},
		{"below itself", heed.Unit{Key: "a", Parent: "b"}, heed.EConflict, "parent"},
		{"no parent", heed.Unit{Key: "c", Parent: "zz"}, heed.ENotFound, "parent"},
	}
	for _, tt := range tests {
		res, err := UpsertUnits(ctx, m, []heed.Unit{tt.unit})
		wantCode(t, tt.name, err, tt.code, tt.field)
		if res != (heed.UpsertResult{}) {
			t.Errorf("%s: result %+v; want zero", tt.name, res)
		}
	}
	if len(m.moves) != 0 {
		t.Errorf("moved %v; want no move", m.moves)
	}
}

func TestChildPath(t *testing.T) {
	if got := ChildPath("/1/5/", 23); got != "/1/5/23/" {
		t.Errorf("ChildPath = %q", got)
	}
	if got := ChildPath(RootPlace.Path, 1); got != "/1/" {
		t.Errorf("ChildPath(root) = %q", got)
	}
}
