package sqlstore

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/heedhq/heed"
)

func TestScopeWhere(t *testing.T) {
	cols := CustomerScope()
	tests := []struct {
		name  string
		scope heed.Scope
		want  string
		args  []any
	}{
		{"all", heed.Scope{All: true}, "TRUE", nil},
		{"nothing", heed.Scope{}, "FALSE", nil},
		{"subtree", heed.Scope{UnitPath: "/1/5/"}, "(u.path LIKE $1)", []any{"/1/5/%"}},
		{"unit and owner", heed.Scope{UnitID: 5, OwnerID: 7}, "(c.unit_id = $1 OR c.owner_id = $2)", []any{int64(5), int64(7)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewArgs(dollar)
			if got := ScopeWhere(tt.scope, a, cols); got != tt.want {
				t.Errorf("ScopeWhere = %q; want %q", got, tt.want)
			}
			if !reflect.DeepEqual(a.Values(), tt.args) {
				t.Errorf("args = %v; want %v", a.Values(), tt.args)
			}
		})
	}
}

func TestScopeWhereWithoutOwner(t *testing.T) {
	// Units have no owner: an owner-only scope sees none of them.
	a := NewArgs(question)
	got := ScopeWhere(heed.Scope{OwnerID: 7}, a, ScopeColumns{UnitID: "u.id", UnitPath: "u.path"})
	if got != "FALSE" || len(a.Values()) != 0 {
		t.Errorf("ScopeWhere = %q %v; want FALSE and no args", got, a.Values())
	}
}

func TestListWhere(t *testing.T) {
	paths := func(_ context.Context, key string) (string, bool, error) {
		return "/1/5/", key == "shop", nil
	}
	cols := ScopeColumns{UnitID: "e.unit_id", UnitPath: "u.path"}
	a := NewArgs(question)
	got, err := ListWhere(context.Background(), heed.Scope{UnitID: 1}, "shop", a, cols, paths)
	if err != nil || got != "(e.unit_id = ?) AND u.path LIKE ?" {
		t.Errorf("ListWhere = %q, %v", got, err)
	}
	if want := []any{int64(1), "/1/5/%"}; !reflect.DeepEqual(a.Values(), want) {
		t.Errorf("args = %v; want %v (in placeholder order)", a.Values(), want)
	}
	_, err = ListWhere(context.Background(), heed.Scope{All: true}, "nope", NewArgs(question), cols, paths)
	wantCode(t, "unknown unit", err, heed.ENotFound, "unit")
}

func TestCollectAndList(t *testing.T) {
	scan := func(sc Scanner) (string, error) {
		var s string
		return s, sc.Scan(&s)
	}
	rows := &fakeRows{rows: [][]any{{"a"}, {"b"}}}
	got, err := List(rows, nil, nil, scan, "test")
	if err != nil || !reflect.DeepEqual(got, []string{"a", "b"}) || !rows.closed {
		t.Errorf("List = %v, %v, closed %v", got, err, rows.closed)
	}
	empty, err := List(&fakeRows{}, nil, []string{}, scan, "test")
	if err != nil || empty == nil {
		t.Errorf("List of no rows into [] = %#v, %v; want an empty, non-nil list", empty, err)
	}
	rows = &fakeRows{rows: [][]any{{"a"}}, err: errors.New("connection lost")}
	_, err = List(rows, nil, nil, scan, "test")
	wantCode(t, "rows.Err", err, heed.EInternal, "")
	_, err = List[string](nil, errors.New("syntax error"), nil, scan, "test")
	wantCode(t, "query error", err, heed.EInternal, "")
}

func TestInTx(t *testing.T) {
	commitFails := func(fn func(int) error) error {
		if err := fn(1); err != nil {
			return err
		}
		return errors.New("commit failed")
	}
	res, err := InTx(commitFails, func(int) (heed.UpsertResult, error) {
		return heed.UpsertResult{Created: 3}, nil
	})
	if err == nil || res != (heed.UpsertResult{}) {
		t.Errorf("InTx after a failed commit = %+v, %v; want a zero result and the error", res, err)
	}
}

func TestRowErrAndFound(t *testing.T) {
	noRows := errors.New("no rows")
	notFound := heed.Errorf(heed.ENotFound, "no such thing")
	if err := RowErr(nil, noRows, notFound, "op"); err != nil {
		t.Errorf("RowErr(nil) = %v", err)
	}
	if err := RowErr(noRows, noRows, notFound, "op"); err != notFound {
		t.Errorf("RowErr(no rows) = %v; want notFound", err)
	}
	wantCode(t, "RowErr(other)", RowErr(errors.New("disk full"), noRows, notFound, "op"), heed.EInternal, "")
	if ok, err := Found(noRows, noRows, "op"); ok || err != nil {
		t.Errorf("Found(no rows) = %v, %v; want false, nil", ok, err)
	}
	if ok, err := Found(nil, noRows, "op"); !ok || err != nil {
		t.Errorf("Found(nil) = %v, %v; want true, nil", ok, err)
	}
}

func TestAbout(t *testing.T) {
	err := About(KeyNotFound("unit", "unit", "x"), "customer", "C1")
	if got := heed.ErrorMessage(err); got != `customer "C1": no unit "x"` {
		t.Errorf("message %q", got)
	}
	wantCode(t, "About", err, heed.ENotFound, "unit")
	internal := heed.Internal(errors.New("boom"), "op")
	if About(internal, "customer", "C1") != internal {
		t.Error("About changed an internal error")
	}
}
