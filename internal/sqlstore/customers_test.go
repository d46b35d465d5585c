package sqlstore

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/heedhq/heed"
)

func TestPageLimit(t *testing.T) {
	if n, err := PageLimit(0); n != DefaultPageSize || err != nil {
		t.Errorf("PageLimit(0) = %d, %v", n, err)
	}
	if n, err := PageLimit(MaxPageSize); n != MaxPageSize || err != nil {
		t.Errorf("PageLimit(max) = %d, %v", n, err)
	}
	for _, n := range []int{-1, MaxPageSize + 1} {
		_, err := PageLimit(n)
		wantCode(t, "PageLimit out of range", err, heed.EInvalid, "limit")
	}
}

func listed(ids ...string) []ListedCustomer {
	var out []ListedCustomer
	for _, id := range ids {
		out = append(out, ListedCustomer{Customer: heed.Customer{ExternalID: id}, SortName: "n" + id})
	}
	return out
}

func TestCustomerPage(t *testing.T) {
	page := CustomerPage(listed("a", "b", "c"), 2)
	if len(page.Customers) != 2 || page.Customers[1].ExternalID != "b" {
		t.Fatalf("page %+v; want a and b", page.Customers)
	}
	sortName, ext, err := DecodeCursor(page.NextCursor)
	if err != nil || sortName != "nb" || ext != "b" {
		t.Errorf("cursor after (%q, %q), %v; want after b", sortName, ext, err)
	}
	last := CustomerPage(listed("a", "b"), 2)
	if last.NextCursor != "" || len(last.Customers) != 2 {
		t.Errorf("last page %+v; want both rows and no cursor", last)
	}
	if empty := CustomerPage(nil, 2); empty.Customers == nil {
		t.Error("an empty page lists nil customers; want an empty list")
	}
}

func TestListCustomersAsksOneMore(t *testing.T) {
	var gotLimit string
	query := func(where, limit string) ([]ListedCustomer, error) {
		gotLimit = limit
		return listed("a", "b", "c"), nil
	}
	a := NewArgs(dollar)
	page, err := ListCustomers(context.Background(), heed.Scope{All: true}, heed.CustomerFilter{Limit: 2}, a, nil, "x", query)
	if err != nil || gotLimit != "$1" || a.Values()[0] != 3 || page.NextCursor == "" {
		t.Errorf("limit %s = %v, page %+v, %v; want 3 rows asked and a next page", gotLimit, a.Values(), page, err)
	}
}

func TestNewCustomerRow(t *testing.T) {
	lookup := func(key string, id int64) Lookup {
		return func(_ context.Context, k string) (int64, bool, error) { return id, k == key, nil }
	}
	refs := NewCustomerRefs(lookup("shop", 5), lookup("ann@example.com", 9))
	ctx := context.Background()
	c := heed.Customer{ExternalID: "C1", Name: "Zoë", Unit: "shop", Owner: " Ann@Example.com ", Value: 1250,
		Attributes: json.RawMessage(`{"b": 1e2, "a": true}`)}
	row, err := NewCustomerRow(ctx, c, refs)
	want := CustomerRow{Name: "Zoë", Value: 1250, OwnerID: 9, UnitID: 5, Attributes: `{"a":true,"b":100}`}
	if err != nil || row != want {
		t.Errorf("NewCustomerRow = %+v, %v; want %+v", row, err, want)
	}
	bad := []struct {
		change func(*heed.Customer)
		code   heed.Code
		field  string
	}{
		{func(c *heed.Customer) { c.ExternalID = "" }, heed.EInvalid, "external_id"},
		{func(c *heed.Customer) { c.Unit = "" }, heed.EInvalid, "unit"},
		{func(c *heed.Customer) { c.Unit = "attic" }, heed.ENotFound, "unit"},
		{func(c *heed.Customer) { c.Owner = "bob@example.com" }, heed.ENotFound, "owner"},
		{func(c *heed.Customer) { c.Attributes = json.RawMessage(`[1]`) }, heed.EInvalid, "attributes"},
	}
	for _, b := range bad {
		c2 := c
		b.change(&c2)
		_, err := NewCustomerRow(ctx, c2, refs)
		wantCode(t, b.field, err, b.code, b.field)
	}
}
