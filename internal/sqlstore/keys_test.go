package sqlstore

import (
	"context"
	"errors"
	"testing"

	"github.com/heedhq/heed"
)

func TestKeyCacheAsksOncePerKey(t *testing.T) {
	asked := map[string]int{}
	lookup := func(_ context.Context, key string) (int64, bool, error) {
		asked[key]++
		return 42, key == "shop", nil
	}
	c := NewKeyCache("unit", "unit", lookup)
	ctx := context.Background()
	for range 3 {
		if id, err := c.ID(ctx, "shop"); id != 42 || err != nil {
			t.Fatalf("ID(shop) = %d, %v", id, err)
		}
	}
	_, err := c.ID(ctx, "attic")
	wantCode(t, "unknown key", err, heed.ENotFound, "unit")
	if heed.ErrorMessage(err) != `no unit "attic"` {
		t.Errorf("message %q", heed.ErrorMessage(err))
	}
	if asked["shop"] != 1 {
		t.Errorf("asked for shop %d times; want once", asked["shop"])
	}
}

func TestKeyCacheLookupError(t *testing.T) {
	boom := heed.Internal(errors.New("boom"), "find unit")
	c := NewKeyCache("unit", "unit", func(context.Context, string) (int64, bool, error) { return 0, false, boom })
	if _, err := c.ID(context.Background(), "shop"); err != boom {
		t.Errorf("ID = %v; want the lookup's error", err)
	}
}

func TestNormEmail(t *testing.T) {
	if got := heed.NormEmail("  Ann@Example.COM\t"); got != "ann@example.com" {
		t.Errorf("NormEmail = %q", got)
	}
}

func TestResolveTokenRefs(t *testing.T) {
	var askedEmail string
	employees := func(_ context.Context, email string) (int64, bool, error) {
		askedEmail = email
		return 7, email == "ann@example.com", nil
	}
	units := func(_ context.Context, key string) (int64, bool, error) { return 3, key == "shop", nil }
	ctx := context.Background()
	tok := heed.APIToken{Employee: " Ann@Example.com ", Unit: "shop"}
	if err := ResolveTokenRefs(ctx, &tok, employees, units); err != nil || tok.EmployeeID != 7 || tok.UnitID != 3 {
		t.Errorf("resolved %d, %d, %v; want 7, 3", tok.EmployeeID, tok.UnitID, err)
	}
	if askedEmail != "ann@example.com" {
		t.Errorf("looked up %q; want the email as stored (NormEmail)", askedEmail)
	}
	byID := heed.APIToken{EmployeeID: 9, Employee: "nobody@example.com"}
	if err := ResolveTokenRefs(ctx, &byID, employees, units); err != nil || byID.EmployeeID != 9 {
		t.Errorf("an ID given was looked up again: %d, %v", byID.EmployeeID, err)
	}
	missing := heed.APIToken{Employee: "Bob@Example.com"}
	err := ResolveTokenRefs(ctx, &missing, employees, units)
	wantCode(t, "unknown employee", err, heed.ENotFound, "employee")
	if heed.ErrorMessage(err) != `no employee "Bob@Example.com"` {
		t.Errorf("message %q; want the email as given", heed.ErrorMessage(err))
	}
	err = ResolveTokenRefs(ctx, &heed.APIToken{Unit: "attic"}, employees, units)
	wantCode(t, "unknown unit", err, heed.ENotFound, "unit")
}
