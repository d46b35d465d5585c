package demo

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/heedhq/heed"
)

func TestDeterministic(t *testing.T) {
	a, b := Generate(42), Generate(42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different data")
	}
	if c := Generate(43); reflect.DeepEqual(a.Customers, c.Customers) {
		t.Error("another seed gave the same customers")
	}
}

func TestCounts(t *testing.T) {
	d := Generate(1)
	children := map[string]int{}
	for _, u := range d.Units {
		children[u.Parent]++
	}
	regions := children["northwind"] - 1 // less the customer-care team
	stores := 0
	for _, r := range []string{"north", "south", "east", "west"} {
		stores += children[r]
	}
	if children[""] != 1 || regions != 4 || stores < 35 || stores > 45 {
		t.Errorf("%d roots, %d regions, %d stores", children[""], regions, stores)
	}
	if len(d.Customers) != 12_000 {
		t.Errorf("%d customers", len(d.Customers))
	}
	unique(t, "unit key", len(d.Units), func(i int) string { return d.Units[i].Key })
	unique(t, "employee email", len(d.Employees), func(i int) string { return d.Employees[i].Email })
	unique(t, "employee name", len(d.Employees), func(i int) string { return d.Employees[i].Name })
	unique(t, "external id", len(d.Customers), func(i int) string { return d.Customers[i].ExternalID })
	unique(t, "customer email", len(d.Customers), func(i int) string { return d.Customers[i].Email })
}

func unique(t *testing.T, what string, n int, key func(int) string) {
	t.Helper()
	seen := map[string]bool{}
	for i := range n {
		k := key(i)
		if k == "" || seen[k] {
			t.Errorf("%s %q is empty or repeated", what, k)
		}
		seen[k] = true
	}
}

// TestReferences checks what the directory would reject: every parent,
// unit, responsible and owner exists, and owners are account managers of
// the customer's store.
func TestReferences(t *testing.T) {
	d := Generate(7)
	units := map[string]bool{}
	for _, u := range d.Units {
		if u.Parent != "" && !units[u.Parent] {
			t.Errorf("unit %s comes before its parent %s", u.Key, u.Parent)
		}
		units[u.Key] = true
	}
	emps := map[string]heed.Employee{}
	staff := map[string]int{} // unit → employees
	for _, e := range d.Employees {
		emps[e.Email] = e
		staff[e.Unit]++
		if !e.Role.Valid() || (e.Unit == "") != (e.Role == heed.RoleAdmin || e.Role == heed.RoleAnalyst) || (e.Unit != "" && !units[e.Unit]) {
			t.Errorf("employee %+v", e)
		}
		if e.Email != strings.ToLower(e.Email) || !strings.HasSuffix(e.Email, "@northwind.example") {
			t.Errorf("employee email %s", e.Email)
		}
	}
	for _, u := range d.Units {
		if m, ok := emps[u.Responsible]; !ok || m.Role != heed.RoleManager || m.Unit != u.Key {
			t.Errorf("unit %s: responsible %q is not its manager", u.Key, u.Responsible)
		}
		if strings.HasPrefix(u.Key, "store-") && (staff[u.Key] < 2 || staff[u.Key] > 4) {
			t.Errorf("store %s has %d staff, want a manager and 1-3 account managers", u.Key, staff[u.Key])
		}
	}
	parent := map[string]string{}
	for _, u := range d.Units {
		parent[u.Key] = u.Parent
	}
	elsewhere := map[string]int{} // account manager → customers owned in another store
	for _, c := range d.Customers {
		if !strings.HasPrefix(c.Unit, "store-") || !units[c.Unit] {
			t.Errorf("customer %s in unit %q", c.ExternalID, c.Unit)
		}
		if o, ok := emps[c.Owner]; c.Owner != "" && (!ok || o.Role != heed.RoleFrontline || parent[o.Unit] != parent[c.Unit]) {
			t.Errorf("customer %s owned by %q, not a frontline of %s's region", c.ExternalID, c.Owner, c.Unit)
		} else if c.Owner != "" && o.Unit != c.Unit {
			elsewhere[c.Owner]++
		}
		var attrs map[string]string
		if err := json.Unmarshal(c.Attributes, &attrs); err != nil || attrs["since"] == "" {
			t.Errorf("customer %s attributes %s", c.ExternalID, c.Attributes)
		}
	}
	// The account manager's demo login must see more than their store
	// manager: customers they own in another store.
	for _, l := range d.Logins {
		if l.Role == string(heed.RoleFrontline) && elsewhere[l.Email] == 0 {
			t.Errorf("demo login %s owns no customer outside their store; frontline and store manager would look alike", l.Email)
		}
	}
	for _, l := range d.Logins {
		e, ok := emps[l.Email]
		if !ok || string(e.Role) != l.Role || len(l.Password) < 10 || l.Description == "" {
			t.Errorf("login %+v", l)
		}
	}
	if roles := loginRoles(d.Logins); roles != "admin manager manager frontline" {
		t.Errorf("login roles %q", roles)
	}
}

func loginRoles(ls []Login) string {
	var rs []string
	for _, l := range ls {
		rs = append(rs, l.Role)
	}
	return strings.Join(rs, " ")
}

// TestShares checks the mix a user would notice if it were off.
func TestShares(t *testing.T) {
	d := Generate(3)
	n := float64(len(d.Customers))
	count := map[string]float64{}
	value := map[string]float64{}
	owned := map[string]float64{}
	perStore := map[string]int{}
	for _, c := range d.Customers {
		count[c.Segment]++
		count["lang "+c.Language]++
		value[c.Segment] += c.Value.Float()
		perStore[c.Unit]++
		if c.Consent {
			count["consent"]++
		}
		if c.Owner != "" {
			owned[c.Segment]++
		}
	}
	near := func(what string, got, want, tol float64) {
		if math.Abs(got-want) > tol {
			t.Errorf("%s: %.3f, want %.3f ± %.3f", what, got, want, tol)
		}
	}
	near("consumer share", count["consumer"]/n, 0.80, 0.02)
	near("business share", count["business"]/n, 0.15, 0.02)
	near("vip share", count["vip"]/n, 0.05, 0.01)
	near("consent share", count["consent"]/n, 0.92, 0.01)
	near("english share", count["lang en"]/n, 0.80, 0.05)
	for _, l := range []string{"nl", "de", "fr", "es"} {
		near(l+" share", count["lang "+l]/n, 0.04, 0.02)
	}
	near("business owned", owned["business"]/count["business"], 0.70, 0.05)
	near("vip owned", owned["vip"]/count["vip"], 0.70, 0.07)
	if owned["consumer"] != 0 {
		t.Errorf("%v consumers have an owner", owned["consumer"])
	}
	avg := func(s string) float64 { return value[s] / count[s] }
	if !(avg("consumer")*5 < avg("vip") && avg("consumer")*5 < avg("business")) {
		t.Errorf("average revenue consumer %.0f, vip %.0f, business %.0f", avg("consumer"), avg("vip"), avg("business"))
	}
	if perStore["store-manchester-arndale"] < 2*perStore["store-york-coppergate"] {
		t.Errorf("flagship has %d customers, small store %d", perStore["store-manchester-arndale"], perStore["store-york-coppergate"])
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"Łukasz": "lukasz", "van den Berg": "van-den-berg", "O'Brien": "obrien", "Cardiff St David's": "cardiff-st-davids", "Zoë": "zoe", "Müller": "muller", "Benoît": "benoit"} {
		if got := slug(in, "-"); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
