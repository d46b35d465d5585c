package sqlstore

import (
	"slices"
	"testing"
)

func TestUnitDeltasSorted(t *testing.T) {
	d := UnitDeltas{}
	d.Created(9)
	d.Created(3)
	d.Moved(3, 9)  // 3 back to 0: left out
	d.Moved(5, 5)  // stays: nothing
	d.Moved(12, 1) // a stored customer leaves 12
	units, deltas := d.Sorted()
	if want := []int64{1, 9, 12}; !slices.Equal(units, want) {
		t.Errorf("units = %v; want %v (unit-id order, no zero)", units, want)
	}
	if want := []int64{1, 2, -1}; !slices.Equal(deltas, want) {
		t.Errorf("deltas = %v; want %v", deltas, want)
	}
	if u, n := (UnitDeltas{}).Sorted(); len(u) != 0 || len(n) != 0 {
		t.Errorf("empty deltas sorted = %v, %v; want none", u, n)
	}
}
