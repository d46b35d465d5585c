package web_test

import (
	"net/http"
	"testing"

	"github.com/heedhq/heed/internal/testdb"
)

// TestVisibility checks, on both engines, that each page shows a viewer
// only what their role and unit allow.
func TestVisibility(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, envOptions{engine: engine})
			t.Run("manager sees the subtree", func(t *testing.T) { managerSeesSubtree(t, e) })
			t.Run("frontline sees own unit and own customers", func(t *testing.T) { frontlineSeesOwn(t, e) })
			t.Run("admin sees everything", func(t *testing.T) { adminSeesAll(t, e) })
		})
	}
}

func managerSeesSubtree(t *testing.T, e *env) {
	c := e.signedIn("nora@acme.test")
	p := e.get(c, "/customers")
	wantStatus(t, p, http.StatusOK, "customers")
	wantContains(t, p, "nora's customers", "Alice Archer", "Bob Baker", "Carol Cole", "You can see 3 customers")
	wantNotContains(t, p, "nora's customers", "Dan Dale")

	wantStatus(t, e.get(c, "/customers/C-102"), http.StatusOK, "a customer of her subtree")
	p = e.get(c, "/customers/C-200")
	wantStatus(t, p, http.StatusNotFound, "another region's customer")
	wantContains(t, p, "another region's customer", "Page not found")
	wantNotContains(t, p, "another region's customer", "Dan Dale")

	p = e.get(c, "/units")
	wantContains(t, p, "nora's units", "North region", "Leeds", "York")
	wantNotContains(t, p, "nora's units", "South region", "Bristol", "Acme Ltd")
	wantStatus(t, e.get(c, "/units/south"), http.StatusNotFound, "another region's unit")
	wantStatus(t, e.get(c, "/customers?unit=south-1"), http.StatusNotFound, "customers filtered on another region")

	p = e.get(c, "/employees")
	wantContains(t, p, "nora's employees", "Fred Front", "Yara York", "Nora North")
	wantNotContains(t, p, "nora's employees", "Sam South", "Ada Admin")

	p = e.get(c, "/")
	wantContains(t, p, "nora's overview", "North region", `<span class="stat-value">3</span> <span class="stat-label">units`,
		`<span class="stat-value">3</span> <span class="stat-label">customers`)
	wantNotContains(t, p, "nora's navigation", `href="/jobs"`)
	wantStatus(t, e.get(c, "/jobs"), http.StatusForbidden, "jobs page for a manager")
}

func frontlineSeesOwn(t *testing.T, e *env) {
	c := e.signedIn("fred@acme.test")
	p := e.get(c, "/customers")
	wantContains(t, p, "fred's customers", "Alice Archer", "Bob Baker", "You can see 2 customers")
	wantNotContains(t, p, "fred's customers", "Carol Cole", "Dan Dale")

	// Fred owns Bob, whose unit (York) he cannot open: shown, not linked.
	p = e.get(c, "/customers/C-101")
	wantStatus(t, p, http.StatusOK, "his own customer in another unit")
	wantContains(t, p, "Bob's page", "Bob Baker", "north-2", "Fred Front")
	wantNotContains(t, p, "Bob's page", `href="/units/north-2"`)
	wantStatus(t, e.get(c, "/customers/C-102"), http.StatusNotFound, "a colleague's unit's customer")
	wantStatus(t, e.get(c, "/customers/C-200"), http.StatusNotFound, "another region's customer")
	wantStatus(t, e.get(c, "/units/north"), http.StatusNotFound, "the unit above his own")

	p = e.get(c, "/units")
	wantContains(t, p, "fred's units", "Leeds")
	wantNotContains(t, p, "fred's units", "York", "North region")
}

func adminSeesAll(t *testing.T, e *env) {
	c := e.signedIn("admin@acme.test")
	p := e.get(c, "/customers")
	wantContains(t, p, "admin's customers", "Alice Archer", "Bob Baker", "Carol Cole", "Dan Dale", "You can see 4 customers")
	wantContains(t, e.get(c, "/"), "admin's navigation", `href="/jobs"`, "whole organisation")
	wantStatus(t, e.get(c, "/customers/C-200"), http.StatusOK, "any customer")
}
