package sqlstore

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/heedhq/heed"
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

func TestCountCustomersSQL(t *testing.T) {
	tests := []struct {
		name  string
		scope heed.Scope
		reads []string // what the statement must contain, in order
		args  []any
	}{
		{"all", heed.Scope{All: true}, []string{"FROM unit_stats"}, nil},
		{"subtree", heed.Scope{UnitPath: "/1/4/"},
			[]string{"FROM unit_stats st JOIN units u", "u.path LIKE $1"}, []any{"/1/4/%"}},
		{"frontline", heed.Scope{UnitID: 7, OwnerID: 3},
			[]string{"FROM unit_stats st WHERE (st.unit_id = $1)", "COUNT(*) FROM customers c WHERE c.owner_id = $2 AND NOT (c.unit_id = $3)"},
			[]any{int64(7), int64(3), int64(7)}},
		{"owner only", heed.Scope{OwnerID: 3},
			[]string{"COUNT(*) FROM customers c WHERE c.owner_id = $1)"}, []any{int64(3)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewArgs(func(n int) string { return "$" + strconv.Itoa(n) })
			stmt, ok := CountCustomersSQL(tt.scope, a)
			if !ok {
				t.Fatalf("CountCustomersSQL(%+v) has no statement", tt.scope)
			}
			rest := stmt
			for _, part := range tt.reads {
				i := strings.Index(rest, part)
				if i < 0 {
					t.Fatalf("statement %q lacks %q (in order)", stmt, part)
				}
				rest = rest[i+len(part):]
			}
			if !slices.Equal(a.Values(), tt.args) {
				t.Errorf("args = %v; want %v", a.Values(), tt.args)
			}
		})
	}
	if _, ok := CountCustomersSQL(heed.Scope{}, NewArgs(func(int) string { return "?" })); ok {
		t.Errorf("the zero scope has a statement; want none (it sees nothing)")
	}
}
