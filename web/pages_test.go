package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/heedhq/heed"
)

func TestUnitPages(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.signedIn("admin@acme.test")

	p := e.get(c, "/units")
	wantStatus(t, p, http.StatusOK, "units")
	// Nested: York sits in a list inside North's item, which sits inside Acme's.
	acme, north, york := strings.Index(p.body, "Acme Ltd"), strings.Index(p.body, "North region"), strings.Index(p.body, "York")
	if !(acme < north && north < york) || strings.Count(p.body, `<ul class="tree">`) < 3 {
		t.Errorf("units page is not a nested tree:\n%s", p.body)
	}
	wantContains(t, p, "units", "Nora North", "Fred Front")

	p = e.get(c, "/units/north")
	wantStatus(t, p, http.StatusOK, "unit north")
	wantContains(t, p, "unit north", "North region", `href="/units/acme"`, `href="/units/north-1"`, `href="/units/north-2"`,
		"Nora North", `href="/customers?unit=north"`)
	wantNotContains(t, p, "unit north's own employees", "Fred Front")

	wantStatus(t, e.get(c, "/units/nowhere"), http.StatusNotFound, "unknown unit")
}

// TestUnitsOrderedByName checks that siblings are listed by name, ignoring
// case, on the tree, on a unit's page and in the filters, whatever order
// they were added in.
func TestUnitsOrderedByName(t *testing.T) {
	e := newEnv(t, envOptions{})
	more := []heed.Unit{
		{Key: "zz-care", Name: "Customer Care", Parent: "acme"},
		{Key: "a-east", Name: "east region", Parent: "acme"},
		{Key: "north-0", Name: "Zetland", Parent: "north"},
	}
	if _, err := e.dir.UpsertUnits(context.Background(), heed.System(), more); err != nil {
		t.Fatal(err)
	}
	c := e.signedIn("admin@acme.test")
	for path, want := range map[string][]string{
		"/units":       {">Acme Ltd<", ">Customer Care<", ">east region<", ">North region<", ">Leeds<", ">York<", ">Zetland<", ">South region<", ">Bristol<"},
		"/units/acme":  {">Customer Care<", ">east region<", ">North region<", ">South region<"},
		"/units/north": {">Leeds<", ">York<", ">Zetland<"},
		"/customers":   {">Acme Ltd<", "Customer Care<", "east region<", "North region<", "Leeds<", "York<", "Zetland<", "South region<", "Bristol<"},
		"/employees":   {">Acme Ltd<", "Customer Care<", "east region<", "North region<", "Leeds<", "York<", "Zetland<", "South region<", "Bristol<"},
	} {
		p := e.get(c, path)
		wantStatus(t, p, http.StatusOK, path)
		at := 0
		for _, name := range want {
			i := strings.Index(p.body[at:], name)
			if i < 0 {
				t.Errorf("%s: %q missing or out of order (want %q)", path, name, want)
				break
			}
			at += i
		}
	}
}

func TestCountsHaveThousandsSeparators(t *testing.T) {
	e := newEnv(t, envOptions{})
	var many []heed.Customer
	for i := range 1000 {
		many = append(many, heed.Customer{ExternalID: fmt.Sprintf("M-%04d", i), Name: fmt.Sprintf("Max %04d", i), Unit: "south-1"})
	}
	if _, err := e.dir.UpsertCustomers(context.Background(), heed.System(), many); err != nil {
		t.Fatal(err)
	}
	c := e.signedIn("admin@acme.test")
	wantContains(t, e.get(c, "/"), "overview", `<span class="stat-value">1,004</span> <span class="stat-label">customers`)
	wantContains(t, e.get(c, "/customers"), "customers", "You can see 1,004 customers.")
}

func TestEmployeesFilter(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.signedIn("admin@acme.test")
	p := e.get(c, "/employees?unit=north-2")
	wantStatus(t, p, http.StatusOK, "employees of York")
	wantContains(t, p, "employees of York", "Yara York")
	wantNotContains(t, p, "employees of York", "Fred Front", "Nora North")
}

func TestCustomerSearchAndPage(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.signedIn("admin@acme.test")

	p := e.get(c, "/customers?q=carol")
	wantStatus(t, p, http.StatusOK, "search")
	wantContains(t, p, "search for carol", "Carol Cole", `value="carol"`)
	wantNotContains(t, p, "search for carol", "Alice Archer")

	p = e.get(c, "/customers?unit=north-2")
	wantContains(t, p, "customers of York", "Bob Baker", "Carol Cole")
	wantNotContains(t, p, "customers of York", "Alice Archer")

	p = e.get(c, "/customers/C-100")
	wantStatus(t, p, http.StatusOK, "customer page")
	wantContains(t, p, "customer page", "Alice Archer", "C-100", "alice@<wbr>example<wbr>.com", "113 496 0000", "Gold",
		"48,000", "Leeds", `href="/units/north-1"`, "tier", "gold", "visits", "12", html.EscapeString(`["vip","early"]`), "Yes")
	wantStatus(t, e.get(c, "/customers/C-999"), http.StatusNotFound, "unknown customer")
}

func TestCustomerPagination(t *testing.T) {
	e := newEnv(t, envOptions{})
	var many []heed.Customer
	for i := range 60 {
		many = append(many, heed.Customer{ExternalID: fmt.Sprintf("P-%03d", i), Name: fmt.Sprintf("Pat %03d", i), Unit: "south-1"})
	}
	if _, err := e.dir.UpsertCustomers(context.Background(), heed.System(), many); err != nil {
		t.Fatal(err)
	}
	c := e.signedIn("admin@acme.test")
	seen := map[string]bool{}
	next := "/customers?q=pat"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("pagination does not end")
		}
		p := e.get(c, next)
		wantStatus(t, p, http.StatusOK, next)
		for _, m := range regexp.MustCompile(`Pat \d{3}`).FindAllString(p.body, -1) {
			if seen[m] {
				t.Errorf("%s shown on two pages", m)
			}
			seen[m] = true
		}
		next = ""
		if m := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(p.body); m != nil {
			next = html.UnescapeString(m[1])
			if !strings.Contains(next, "q=pat") || !strings.Contains(next, "cursor=") {
				t.Errorf("next-page link %q loses the search or has no cursor", next)
			}
		}
	}
	if len(seen) != 60 {
		t.Errorf("paged through %d customers, want 60", len(seen))
	}
}

func TestFriendlyErrorPages(t *testing.T) {
	e := newEnv(t, envOptions{})
	p := e.get(e.client(), "/no/such/page")
	wantStatus(t, p, http.StatusNotFound, "unknown path, signed out")
	wantContains(t, p, "404 page", "Page not found", `href="/login"`, "sign in and start again from the overview", ">Sign in<")

	c := e.signedIn("fred@acme.test")
	p = e.get(c, "/no/such/page")
	wantStatus(t, p, http.StatusNotFound, "unknown path, signed in")
	wantContains(t, p, "404 page", "Page not found", "Fred Front", `href="/customers"`, "start again from the overview", ">Go to the overview<")

	p = e.get(c, "/customers?cursor=garbage!!")
	if p.status == http.StatusInternalServerError || p.status == http.StatusOK && !strings.Contains(p.body, "Customers") {
		t.Errorf("bad cursor: status %d", p.status)
	}
}

func TestStaticAssets(t *testing.T) {
	e := newEnv(t, envOptions{})
	p := e.get(e.client(), "/login")
	m := regexp.MustCompile(`href="(/static/heed\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("login page links no versioned stylesheet:\n%s", p.body)
	}
	css := e.get(e.client(), m[1])
	wantStatus(t, css, http.StatusOK, "stylesheet")
	if ct := css.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("stylesheet Content-Type %q", ct)
	}
	if cc := css.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("versioned stylesheet Cache-Control %q, want long-lived", cc)
	}
	if cc := e.get(e.client(), "/static/heed.css").header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
		t.Errorf("unversioned stylesheet Cache-Control %q, want short-lived", cc)
	}
	wantStatus(t, e.get(e.client(), "/static/nope.css"), http.StatusNotFound, "missing asset")
}

// TestDatabaseGoneIsUnavailable: with the store's Ping, a database that
// stopped answering is an outage page (503), as /healthz says, not a bug.
func TestDatabaseGoneIsUnavailable(t *testing.T) {
	e := newEnv(t, envOptions{ping: true})
	c := e.signedIn("admin@acme.test")
	e.store.Close()
	p := e.get(c, "/customers")
	wantStatus(t, p, http.StatusServiceUnavailable, "customers with the database gone")
	wantContains(t, p, "503 page", "Heed is unavailable")
	wantNotContains(t, p, "503 page", "sql", "closed", "internal:")
}

func TestInternalErrorPageHidesDetails(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.signedIn("admin@acme.test")
	e.store.Close() // every query now fails
	p := e.get(c, "/customers")
	wantStatus(t, p, http.StatusInternalServerError, "customers with the database gone")
	wantContains(t, p, "500 page", "Something went wrong")
	wantNotContains(t, p, "500 page", "sql", "closed", "internal:")
}
