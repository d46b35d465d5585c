package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/api"
)

// TestOpenAPIDescribesEveryRoute keeps the document in step with the
// routes: every operation huma registered is in /api/v1/openapi.json, and
// every path and method of the document is served.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	e := newOrgEnv(t, "sqlite")
	a := e.call(t, "", "GET", "/api/v1/openapi.json", nil).must(t, http.StatusOK) // no token needed
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	a.decode(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi = %q, want 3.x", doc.OpenAPI)
	}

	var documented []string
	for path, item := range doc.Paths {
		for method := range item {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	registered := api.RegisteredRoutes(e.handler)
	slices.Sort(documented)
	slices.Sort(registered)
	if !slices.Equal(documented, registered) {
		t.Errorf("document and routes differ:\n documented %v\n registered %v", documented, registered)
	}
	if len(registered) < 20 {
		t.Errorf("only %d routes registered: %v", len(registered), registered)
	}

	params := validParams(t, e)
	for _, route := range documented {
		method, path, _ := strings.Cut(route, " ")
		concrete := fillParams(t, path, params)
		var body any
		if method == "POST" || method == "PUT" {
			body = "{}"
		}
		got := e.call(t, "admin", method, concrete, body)
		if got.status == http.StatusNotFound || got.status == http.StatusMethodNotAllowed {
			t.Errorf("%s (as %s %s): status %d: %s", route, method, concrete, got.status, got.body)
		}
		if ct := got.header.Get("Content-Type"); got.status != http.StatusNoContent && !strings.Contains(ct, "json") {
			t.Errorf("%s: Content-Type %q, want JSON", route, ct)
		}
	}

	// huma's other documentation routes are off.
	for _, path := range []string{"/api/v1/docs", "/api/v1/openapi.yaml", "/api/v1/openapi-3.0.json", "/api/v1/schemas/Unit"} {
		if got := e.call(t, "admin", "GET", path, nil); got.status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, got.status)
		}
	}
}

// validParams returns a value for each path parameter that names
// something that exists, so a 404 can only mean a missing route.
func validParams(t *testing.T, e *env) map[string]string {
	t.Helper()
	_, tok, err := e.acc.CreateToken(t.Context(), heed.System, accounts.NewToken{Name: "to revoke", Role: heed.RoleAnalyst})
	if err != nil {
		t.Fatal(err)
	}
	var job heed.Job
	e.call(t, "admin", "POST", "/api/v1/jobs/test", map[string]any{"marker": "openapi"}).must(t, http.StatusCreated).decode(t, &job)
	return map[string]string{
		"key":          "ra",
		"email":        mgrRAEmail,
		"external_id":  customerOf("a1"),
		"kind":         "customers",
		"/tokens/{id}": strconv.FormatInt(tok.ID, 10),
		"/jobs/{id}":   strconv.FormatInt(job.ID, 10),
	}
}

// fillParams replaces {name} in path; {id} depends on the collection.
func fillParams(t *testing.T, path string, params map[string]string) string {
	t.Helper()
	for {
		i := strings.Index(path, "{")
		if i < 0 {
			return path
		}
		j := strings.Index(path, "}")
		name := path[i+1 : j]
		v, ok := params[name]
		if !ok {
			coll := path[strings.LastIndex(path[:i-1], "/") : j+1]
			v, ok = params[coll]
		}
		if !ok {
			t.Fatalf("no test value for parameter %s of %s", name, path)
		}
		path = path[:i] + v + path[j+1:]
	}
}
