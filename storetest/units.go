package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

func testUnitTree(t *testing.T, s heed.Store) {
	ctx := t.Context()
	res := mustUpsertUnits(t, s, T0,
		heed.Unit{Key: "acme", Name: "Acme", Responsible: "CEO@Acme.example"},
		heed.Unit{Key: "north", Name: "North", Parent: "acme"},
		heed.Unit{Key: "n1", Name: "North 1", Parent: "north"},
	)
	wantResult(t, res, heed.UpsertResult{Created: 3})

	acme, north, n1 := mustGetUnit(t, s, "acme"), mustGetUnit(t, s, "north"), mustGetUnit(t, s, "n1")
	if acme.Parent != "" || acme.Depth != 0 || acme.Path != fmt.Sprintf("/%d/", acme.ID) {
		t.Errorf("root = parent %q depth %d path %q; want no parent, depth 0, path /%d/", acme.Parent, acme.Depth, acme.Path, acme.ID)
	}
	if acme.Responsible != "ceo@acme.example" {
		t.Errorf("Responsible = %q; want the email lower-cased", acme.Responsible)
	}
	wantPath := fmt.Sprintf("/%d/%d/%d/", acme.ID, north.ID, n1.ID)
	if n1.Parent != "north" || n1.Depth != 2 || n1.Path != wantPath || n1.Name != "North 1" {
		t.Errorf("n1 = %+v; want parent north, depth 2, path %s", n1, wantPath)
	}
	wantTimes(t, "n1", n1.CreatedAt, n1.UpdatedAt, T0, T0)
	byID, err := s.GetUnitByID(ctx, n1.ID)
	if err != nil || byID != n1 {
		t.Errorf("GetUnitByID = %+v, %v; want %+v", byID, err, n1)
	}

	// Re-importing the same units changes nothing, not even updated_at.
	res = mustUpsertUnits(t, s, T0.Add(time.Hour),
		heed.Unit{Key: "acme", Name: "Acme", Responsible: "ceo@acme.example"},
		heed.Unit{Key: "north", Name: "North", Parent: "acme"},
		heed.Unit{Key: "n1", Name: "North 1", Parent: "north"},
	)
	wantResult(t, res, heed.UpsertResult{Unchanged: 3})
	if got := mustGetUnit(t, s, "n1"); got != n1 {
		t.Errorf("after identical upsert n1 = %+v; want %+v", got, n1)
	}

	res = mustUpsertUnits(t, s, T0.Add(2*time.Hour),
		heed.Unit{Key: "north", Name: "North region", Parent: "acme"},
		heed.Unit{Key: "n1", Name: "North 1", Parent: "north"},
		heed.Unit{Key: "n2", Name: "North 2", Parent: "north"},
	)
	wantResult(t, res, heed.UpsertResult{Created: 1, Updated: 1, Unchanged: 1})
	north = mustGetUnit(t, s, "north")
	if north.Name != "North region" {
		t.Errorf("renamed unit's name = %q", north.Name)
	}
	wantTimes(t, "north", north.CreatedAt, north.UpdatedAt, T0, T0.Add(2*time.Hour))

	// Ordered by path: every parent before its children.
	units, err := s.ListUnits(ctx, heed.Scope{All: true})
	if err != nil {
		t.Fatalf("ListUnits: %v", err)
	}
	wantUnitKeys(t, units, "acme", "north", "n1", "n2")
}

func testUnitMove(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0,
		heed.Unit{Key: "a", Name: "A"},
		heed.Unit{Key: "b", Name: "B", Parent: "a"},
		heed.Unit{Key: "c", Name: "C", Parent: "b"},
		heed.Unit{Key: "d", Name: "D", Parent: "c"},
		heed.Unit{Key: "x", Name: "X"},
	)
	tests := []struct {
		parent    string // b's new parent
		wantDepth int    // b's depth after the move
	}{
		{"x", 1},
		{"", 0},
		{"a", 1},
	}
	for _, tt := range tests {
		res := mustUpsertUnits(t, s, T0.Add(time.Hour), heed.Unit{Key: "b", Name: "B", Parent: tt.parent})
		wantResult(t, res, heed.UpsertResult{Updated: 1})
		b, c, d := mustGetUnit(t, s, "b"), mustGetUnit(t, s, "c"), mustGetUnit(t, s, "d")
		prefix := "/"
		if tt.parent != "" {
			prefix = mustGetUnit(t, s, tt.parent).Path
		}
		if b.Parent != tt.parent || b.Depth != tt.wantDepth || b.Path != fmt.Sprintf("%s%d/", prefix, b.ID) {
			t.Errorf("after moving b under %q: b = parent %q depth %d path %q", tt.parent, b.Parent, b.Depth, b.Path)
		}
		// The subtree moves along.
		if c.Depth != tt.wantDepth+1 || c.Path != fmt.Sprintf("%s%d/", b.Path, c.ID) || c.Parent != "b" {
			t.Errorf("after moving b under %q: c = depth %d path %q", tt.parent, c.Depth, c.Path)
		}
		if d.Depth != tt.wantDepth+2 || d.Path != fmt.Sprintf("%s%d/", c.Path, d.ID) {
			t.Errorf("after moving b under %q: d = depth %d path %q", tt.parent, d.Depth, d.Path)
		}
		units, err := s.ListUnits(t.Context(), heed.Scope{All: true})
		if err != nil {
			t.Fatalf("ListUnits: %v", err)
		}
		wantUnitKeys(t, units, "a", "b", "c", "d", "x")
	}
}

func testUnitCycle(t *testing.T, s heed.Store) {
	ctx := t.Context()
	mustUpsertUnits(t, s, T0,
		heed.Unit{Key: "a", Name: "A"},
		heed.Unit{Key: "b", Name: "B", Parent: "a"},
		heed.Unit{Key: "c", Name: "C", Parent: "b"},
	)
	before, err := s.ListUnits(ctx, heed.Scope{All: true})
	if err != nil {
		t.Fatalf("ListUnits: %v", err)
	}
	tests := []struct {
		name  string
		units []heed.Unit
	}{
		{"own parent", []heed.Unit{{Key: "a", Name: "A", Parent: "a"}}},
		{"below own child", []heed.Unit{{Key: "a", Name: "A", Parent: "b"}}},
		{"below own grandchild", []heed.Unit{{Key: "b", Name: "B", Parent: "c"}}},
		{"after a valid row", []heed.Unit{{Key: "z", Name: "Z"}, {Key: "a", Name: "A", Parent: "c"}}},
	}
	for _, tt := range tests {
		_, err := s.UpsertUnits(ctx, tt.units, T0.Add(time.Hour))
		wantErr(t, tt.name, err, heed.EConflict, "parent")
	}
	after, err := s.ListUnits(ctx, heed.Scope{All: true})
	if err != nil {
		t.Fatalf("ListUnits: %v", err)
	}
	if !slices.Equal(before, after) {
		t.Errorf("a rejected move changed the tree:\nbefore %+v\nafter  %+v", before, after)
	}
}
