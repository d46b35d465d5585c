package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

func testCustomerRoundTrip(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "shop", Name: "Shop"})
	mustUpsertEmployees(t, s, T0, heed.Employee{Email: "ann@example.com", Name: "Ann", Role: heed.RoleFrontline, Unit: "shop"})
	value, _ := heed.ParseDecimal("48000.5")
	neg, _ := heed.ParseDecimal("-12.3456")
	in := []heed.Customer{
		{ExternalID: "C-1", Name: "Zoë Müller", Email: "zoe@example.com", Phone: "+32 470 12 34 56",
			Language: "nl-BE", Segment: "gold", Value: value, Owner: "ANN@example.com", Unit: "shop", Consent: true,
			Attributes: json.RawMessage(`{"tier": "gold", "b": {"z": 1.50, "y": [1e2, "x<y"]}, "a": null}`)},
		{ExternalID: "C-2", Name: "Negative", Value: neg, Unit: "shop"},
		{ExternalID: "C-3", Name: "Null attributes", Unit: "shop", Attributes: json.RawMessage(`null`)},
	}
	// Stores keep microseconds: the nanoseconds of now are dropped.
	now := T0.Add(999 * time.Nanosecond)
	wantResult(t, mustUpsertCustomers(t, s, now, in...), heed.UpsertResult{Created: 3})

	c1 := mustGetCustomer(t, s, "C-1")
	want := heed.Customer{ID: c1.ID, ExternalID: "C-1", Name: "Zoë Müller", Email: "zoe@example.com",
		Phone: "+32 470 12 34 56", Language: "nl-BE", Segment: "gold", Value: value, Owner: "ann@example.com",
		OwnerName: "Ann", Unit: "shop", Consent: true, CreatedAt: T0, UpdatedAt: T0,
		Attributes: json.RawMessage(`{"a":null,"b":{"y":[100,"x<y"],"z":1.50},"tier":"gold"}`)}
	wantCustomer(t, c1, want)
	wantTimes(t, "C-1", c1.CreatedAt, c1.UpdatedAt, T0, T0)
	if c2 := mustGetCustomer(t, s, "C-2"); c2.Value != neg || c2.Value.String() != "-12.3456" || c2.Owner != "" ||
		string(c2.Attributes) != "{}" || c2.Consent {
		t.Errorf("C-2 = %+v; want value -12.3456, no owner, {} attributes, no consent", c2)
	}
	if c3 := mustGetCustomer(t, s, "C-3"); string(c3.Attributes) != "{}" {
		t.Errorf("null attributes read back as %s; want {}", c3.Attributes)
	}

	// The same object written differently is unchanged; the owner's name
	// is read-only.
	same := in[0]
	same.Attributes = json.RawMessage(`{ "a":null, "tier":"gold","b":{"y":[100, "x<y"], "z":1.50} }`)
	same.Owner = "ann@example.com"
	same.OwnerName = "Someone Else"
	c2 := in[1]
	c2.Attributes = json.RawMessage(`{}`)
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(time.Hour), same, c2), heed.UpsertResult{Unchanged: 2})
	wantCustomer(t, mustGetCustomer(t, s, "C-1"), want)

	// Clearing the owner and changing the value are updates.
	changed := same
	changed.Owner = ""
	changed.Value++
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(2*time.Hour), changed), heed.UpsertResult{Updated: 1})
	want.Owner, want.OwnerName, want.Value, want.UpdatedAt = "", "", value+1, T0.Add(2*time.Hour)
	wantCustomer(t, mustGetCustomer(t, s, "C-1"), want)
	if got := mustGetCustomer(t, s, "C-1").Value.String(); got != "48000.5001" {
		t.Errorf("value = %s; want 48000.5001", got)
	}
}

func testCustomerCounts(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "shop", Name: "Shop"}, heed.Unit{Key: "other", Name: "Other"})
	batch := []heed.Customer{
		{ExternalID: "A", Name: "Anna", Unit: "shop"},
		{ExternalID: "B", Name: "Bram", Unit: "shop", Attributes: json.RawMessage(`{"k":"v"}`)},
		{ExternalID: "C", Name: "Cor", Unit: "shop"},
	}
	wantResult(t, mustUpsertCustomers(t, s, T0, batch...), heed.UpsertResult{Created: 3})
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(time.Hour), batch...), heed.UpsertResult{Unchanged: 3})
	for _, c := range batch {
		if got := mustGetCustomer(t, s, c.ExternalID); !got.UpdatedAt.Equal(T0) {
			t.Errorf("%s updated_at = %v after an identical upsert; want %v", c.ExternalID, got.UpdatedAt, T0)
		}
	}
	tests := []struct {
		name   string
		change func(c *heed.Customer)
	}{
		{"name", func(c *heed.Customer) { c.Name = "Anna B" }},
		{"unit", func(c *heed.Customer) { c.Unit = "other" }},
		{"attributes", func(c *heed.Customer) { c.Attributes = json.RawMessage(`{"k":"w"}`) }},
		{"consent", func(c *heed.Customer) { c.Consent = true }},
		{"language", func(c *heed.Customer) { c.Language = "fr" }},
	}
	for i, tt := range tests {
		at := T0.Add(time.Duration(i+2) * time.Hour)
		c := mustGetCustomer(t, s, "A")
		tt.change(&c)
		fresh := heed.Customer{ExternalID: fmt.Sprintf("N%d", i), Name: "New", Unit: "shop"}
		res := mustUpsertCustomers(t, s, at, c, fresh, batch[2])
		wantResult(t, res, heed.UpsertResult{Created: 1, Updated: 1, Unchanged: 1})
		if got := mustGetCustomer(t, s, "A"); !got.UpdatedAt.Equal(at) || !got.CreatedAt.Equal(T0) {
			t.Errorf("after changing %s: times %v, %v; want created %v, updated %v", tt.name, got.CreatedAt, got.UpdatedAt, T0, at)
		}
	}
}

func testCustomerUnitFilter(t *testing.T, s heed.Store) {
	o := seedOrg(t, s)
	tests := []struct {
		scope heed.Scope
		unit  string
		want  []string
	}{
		{heed.Scope{All: true}, "acme", []string{"c1", "c2", "c3", "c4", "c5", "c6"}},
		{heed.Scope{All: true}, "north", []string{"c1", "c2", "c3", "c4", "c6"}},
		{heed.Scope{All: true}, "n2", []string{"c3", "c4"}},
		{o.principal("ann").Scope(), "n2", []string{"c3"}},
		{o.principal("ann").Scope(), "south", nil},
		{o.principal("boss").Scope(), "south", nil},
	}
	for _, tt := range tests {
		page, err := s.ListCustomers(t.Context(), tt.scope, heed.CustomerFilter{Unit: tt.unit})
		if err != nil {
			t.Errorf("ListCustomers(%+v, unit %s): %v", tt.scope, tt.unit, err)
			continue
		}
		if got := customerIDs(page.Customers); !slices.Equal(got, tt.want) {
			t.Errorf("ListCustomers(%+v, unit %s) = %v; want %v", tt.scope, tt.unit, got, tt.want)
		}
	}
}

func testPagination(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "hq", Name: "HQ"}, heed.Unit{Key: "shop", Name: "Shop", Parent: "hq"})
	var custs []heed.Customer
	for i := range 23 {
		// Names repeat, so the external id must break ties.
		custs = append(custs, heed.Customer{ExternalID: fmt.Sprintf("P%02d", 22-i), Name: fmt.Sprintf("Name %d", i%4), Unit: "shop"})
	}
	mustUpsertCustomers(t, s, T0, custs...)
	var want []string
	sort.Slice(custs, func(i, j int) bool {
		a, b := custs[i], custs[j]
		return a.Name < b.Name || a.Name == b.Name && a.ExternalID < b.ExternalID
	})
	for _, c := range custs {
		want = append(want, c.ExternalID)
	}
	tests := []struct {
		scope     heed.Scope
		f         heed.CustomerFilter
		wantPages int
	}{
		{heed.Scope{All: true}, heed.CustomerFilter{Limit: 5}, 5},
		{heed.Scope{All: true}, heed.CustomerFilter{Limit: 1}, 23},
		{heed.Scope{All: true}, heed.CustomerFilter{Limit: 23}, 1},
		{heed.Scope{All: true}, heed.CustomerFilter{}, 1}, // 50 by default
		{heed.Scope{All: true}, heed.CustomerFilter{Limit: 1000, Unit: "hq"}, 1},
		{heed.Scope{UnitPath: mustGetUnit(t, s, "hq").Path}, heed.CustomerFilter{Limit: 4, Query: "name"}, 6},
	}
	for _, tt := range tests {
		got, pages := walkPages(t, s, tt.scope, tt.f)
		if !slices.Equal(got, want) || pages != tt.wantPages {
			t.Errorf("walking %+v: %d pages %v; want %d pages %v", tt.f, pages, got, tt.wantPages, want)
		}
	}
}

// walkPages follows NextCursor to the end, returning every external id
// seen and the number of pages.
func walkPages(t *testing.T, s heed.Store, scope heed.Scope, f heed.CustomerFilter) ([]string, int) {
	t.Helper()
	var ids []string
	for pages := 1; pages < 100; pages++ {
		page, err := s.ListCustomers(t.Context(), scope, f)
		if err != nil {
			t.Fatalf("ListCustomers(%+v): %v", f, err)
		}
		ids = append(ids, customerIDs(page.Customers)...)
		if page.NextCursor == "" {
			return ids, pages
		}
		f.Cursor = page.NextCursor
	}
	t.Fatalf("ListCustomers(%+v): pagination does not end", f)
	return nil, 0
}

func testSearch(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "shop", Name: "Shop"})
	mustUpsertCustomers(t, s, T0,
		heed.Customer{ExternalID: "S-1", Name: "Zoë Müller", Email: "zoe@example.com", Phone: "+32 470 12 34 56", Unit: "shop"},
		heed.Customer{ExternalID: "S-2", Name: "John 100% Smith", Email: "john@example.org", Unit: "shop"},
		heed.Customer{ExternalID: "S_3", Name: "Under_Score", Unit: "shop"},
		heed.Customer{ExternalID: "S-4", Name: "Plain", Email: "PLAIN@EXAMPLE.NET", Unit: "shop"},
		heed.Customer{ExternalID: "X5", Name: "Émile Zola", Unit: "shop"},
		heed.Customer{ExternalID: "X6", Name: "ØRSTED A/S", Unit: "shop"},
		heed.Customer{ExternalID: "X7", Name: "Straße AG", Unit: "shop"},
		heed.Customer{ExternalID: "X8", Name: "Strasse  BV", Unit: "shop"},
	)
	tests := []struct {
		query string
		want  []string // in name order
	}{
		// Case and accents do not matter, on either side.
		{"müller", []string{"S-1"}},
		{"muller", []string{"S-1"}},
		{"MULLER", []string{"S-1"}},
		{"zoe müller", []string{"S-1"}},
		{"emile", []string{"X5"}},
		{"ÉMILE z", []string{"X5"}},
		{"ORSTED", []string{"X6"}},
		{"ørsted a/s", []string{"X6"}},
		{"straße", []string{"X7", "X8"}},
		{"STRASSE", []string{"X7", "X8"}},
		{"strasse bv", []string{"X8"}},        // runs of space count as one
		{"müller zoe", nil},                   // never across two fields
		{"ZOE@", []string{"S-1"}},             // email, other case
		{"470 12", []string{"S-1"}},           // phone
		{"example.net", []string{"S-4"}},      // stored upper case
		{"s-", []string{"S-2", "S-4", "S-1"}}, // external id, other case
		{"100%", []string{"S-2"}},
		{"%", []string{"S-2"}}, // a literal percent sign, not a wildcard
		{"_", []string{"S_3"}}, // a literal underscore
		{`\`, nil},
		{"nobody", nil},
	}
	for _, tt := range tests {
		page, err := s.ListCustomers(t.Context(), heed.Scope{All: true}, heed.CustomerFilter{Query: tt.query})
		if err != nil {
			t.Errorf("search %q: %v", tt.query, err)
			continue
		}
		if got := customerIDs(page.Customers); !slices.Equal(got, tt.want) {
			t.Errorf("search %q = %v; want %v", tt.query, got, tt.want)
		}
	}
}

// CustomerOrder checks that customers list in the order users expect —
// alphabetical whatever the case and accents, ties broken by external id
// in byte order — on every page size, and that the order and search follow
// a renamed customer. Exported so package postgres can also run it on a
// database whose default collation would order otherwise.
func CustomerOrder(t *testing.T, s heed.Store) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "hq", Name: "HQ"}, heed.Unit{Key: "shop", Name: "Shop", Parent: "hq"})
	mustUpsertEmployees(t, s, T0, heed.Employee{Email: "owner@example.com", Name: "Olga Owner", Role: heed.RoleFrontline, Unit: "shop"})
	// In the order expected; external ids "e-B" < "e-a" < "e-b" in byte
	// order (a case-insensitive collation would put "e-B" last).
	want := []heed.Customer{
		{ExternalID: "ae", Name: "Æble"},
		{ExternalID: "a1", Name: "anna"},
		{ExternalID: "a3", Name: "Anna Maria"},
		{ExternalID: "a2", Name: "Anna-Lena"},
		{ExternalID: "b1", Name: "Bob"},
		{ExternalID: "b2", Name: "BOB"},
		{ExternalID: "e-B", Name: "Émile", Owner: "owner@example.com"},
		{ExternalID: "e-a", Name: "EMILE"},
		{ExternalID: "e-b", Name: "emile"},
		{ExternalID: "l1", Name: "Łukasz"},
		{ExternalID: "m1", Name: "Müller"},
		{ExternalID: "m2", Name: "Muller"},
		{ExternalID: "o1", Name: "Ørsted"},
		{ExternalID: "s1", Name: "ßeta"},
		{ExternalID: "s2", Name: "Straße"},
		{ExternalID: "z1", Name: "Zed"},
		{ExternalID: "z2", Name: "Zoë"},
	}
	in := slices.Clone(want)
	slices.Reverse(in)
	for i := range in {
		in[i].Unit = "shop"
	}
	mustUpsertCustomers(t, s, T0, in...)
	ids := customerIDs(want)
	checkCustomerOrder(t, s, ids)

	// OwnerName comes with every customer listed.
	page, err := s.ListCustomers(t.Context(), heed.Scope{All: true}, heed.CustomerFilter{Query: "emile"})
	if err != nil {
		t.Fatalf("ListCustomers: %v", err)
	}
	for _, c := range page.Customers {
		wantName := ""
		if c.Owner != "" {
			wantName = "Olga Owner"
		}
		if c.OwnerName != wantName {
			t.Errorf("customer %s: owner %q, OwnerName %q; want %q", c.ExternalID, c.Owner, c.OwnerName, wantName)
		}
	}
	if got := customerIDs(page.Customers); !slices.Equal(got, []string{"e-B", "e-a", "e-b"}) {
		t.Errorf("search emile = %v; want [e-B e-a e-b]", got)
	}

	// Identical rows are unchanged; a rename moves the customer and its
	// search text along.
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(time.Hour), in...), heed.UpsertResult{Unchanged: len(in)})
	zed := in[slices.IndexFunc(in, func(c heed.Customer) bool { return c.ExternalID == "z1" })]
	zed.Name = "Aaron"
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(2*time.Hour), zed), heed.UpsertResult{Updated: 1})
	checkCustomerOrder(t, s, append([]string{"z1"}, slices.DeleteFunc(ids, func(id string) bool { return id == "z1" })...))
	for q, want := range map[string][]string{"aaron": {"z1"}, "zed": nil} {
		page, err := s.ListCustomers(t.Context(), heed.Scope{All: true}, heed.CustomerFilter{Query: q})
		if err != nil || !slices.Equal(customerIDs(page.Customers), want) {
			t.Errorf("search %q after rename = %v, %v; want %v", q, customerIDs(page.Customers), err, want)
		}
	}
}

// StaleKeys checks that a customer whose stored sort and search keys are
// stale (derived by an older heed.Fold) is rewritten by an upsert of the
// same customer, and reported Updated, not Unchanged: a change of Fold
// reaches stored rows at the next import. setKeys writes the sort_name
// and search_text of a stored customer directly, in the engine's SQL.
// Package sqlite and package postgres each run it.
func StaleKeys(t *testing.T, s heed.Store, setKeys func(externalID, sortName, searchText string) error) {
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "hq", Name: "HQ"})
	custs := []heed.Customer{{ExternalID: "a", Name: "Ann", Unit: "hq"}, {ExternalID: "b", Name: "Bob", Unit: "hq"}}
	mustUpsertCustomers(t, s, T0, custs...)
	if err := setKeys("a", "zzz", "zzz"); err != nil {
		t.Fatalf("writing stale keys: %v", err)
	}
	if got, _ := walkPages(t, s, heed.Scope{All: true}, heed.CustomerFilter{}); !slices.Equal(got, []string{"b", "a"}) {
		t.Fatalf("customers with a stale sort name list as %v; want [b a], else this test proves nothing", got)
	}
	wantResult(t, mustUpsertCustomers(t, s, T0.Add(time.Hour), custs...), heed.UpsertResult{Updated: 1, Unchanged: 1})
	if got, _ := walkPages(t, s, heed.Scope{All: true}, heed.CustomerFilter{}); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("customers after re-upserting list as %v; want [a b]: the sort name was not rewritten", got)
	}
	if got, _ := walkPages(t, s, heed.Scope{All: true}, heed.CustomerFilter{Query: "ann"}); !slices.Equal(got, []string{"a"}) {
		t.Errorf("search ann after re-upserting = %v; want [a]: the search text was not rewritten", got)
	}
	if got := mustGetCustomer(t, s, "a"); !got.UpdatedAt.Equal(T0.Add(time.Hour)) {
		t.Errorf("UpdatedAt of the rewritten customer = %v; want %v", got.UpdatedAt, T0.Add(time.Hour))
	}
}

// checkCustomerOrder walks the customers of the fixture of CustomerOrder
// in pages of every size and through both indexes (all, one unit).
func checkCustomerOrder(t *testing.T, s heed.Store, want []string) {
	t.Helper()
	shop := mustGetUnit(t, s, "shop")
	for _, scope := range []heed.Scope{{All: true}, {UnitID: shop.ID}} {
		for _, limit := range []int{1, 2, 3, 5, len(want), 1000} {
			got, _ := walkPages(t, s, scope, heed.CustomerFilter{Limit: limit})
			if !slices.Equal(got, want) {
				t.Errorf("%+v in pages of %d:\n got %v\nwant %v", scope, limit, got, want)
			}
		}
	}
}

// BenchUpsertCustomers imports 10,000 new customers per op through
// UpsertCustomers, as `heed import customers` does, and reports
// customers/s. Package sqlite and package postgres each run it.
func BenchUpsertCustomers(b *testing.B, s heed.Store) {
	const perOp = 10_000
	ctx := b.Context()
	units := []heed.Unit{{Key: "hq", Name: "HQ"}}
	var emps []heed.Employee
	for i := range 10 {
		key := fmt.Sprintf("store-%d", i)
		units = append(units, heed.Unit{Key: key, Name: "Store", Parent: "hq"})
		emps = append(emps, heed.Employee{Email: fmt.Sprintf("am%d@acme.example", i), Name: "AM", Role: heed.RoleFrontline, Unit: key})
	}
	if _, err := s.UpsertUnits(ctx, units, T0); err != nil {
		b.Fatal(err)
	}
	if _, err := s.UpsertEmployees(ctx, emps, T0); err != nil {
		b.Fatal(err)
	}
	ops := 0
	for b.Loop() {
		b.StopTimer()
		custs := make([]heed.Customer, perOp)
		for j := range custs {
			custs[j] = heed.Customer{ExternalID: fmt.Sprintf("B%d-%d", ops, j), Name: fmt.Sprintf("Customer %d", j),
				Email: fmt.Sprintf("c%d@example.com", j), Phone: "+32 470 00 00 00", Language: "nl-BE", Segment: "retail",
				Value: heed.Decimal(j * 10000), Unit: units[1+j%10].Key, Consent: j%2 == 0,
				Attributes: json.RawMessage(`{"tier": "gold", "since": 2019}`)}
			if j%3 == 0 {
				custs[j].Owner = emps[j%10].Email
			}
		}
		b.StartTimer()
		res, err := s.UpsertCustomers(ctx, custs, T0)
		if err != nil || res.Created != perOp {
			b.Fatalf("UpsertCustomers = %+v, %v", res, err)
		}
		ops++
	}
	b.ReportMetric(float64(perOp*ops)/b.Elapsed().Seconds(), "customers/s")
}
