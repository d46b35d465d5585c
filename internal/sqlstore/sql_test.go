package sqlstore

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/heedhq/heed"
)

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
