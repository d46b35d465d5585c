package api_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/api"
)

// TestOpenAPIDescribesEveryRoute keeps the document in step with what the
// live server serves: every pattern registered on the API's router (by
// huma or by hand) is documented and nothing else is; every documented
// operation answers; and every other method on a documented path is
// refused, so no method is served undocumented.
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
	// The router also holds the document itself and the catch-all that
	// answers 404 and 405 in the API's error shape; neither is an operation.
	var served []string
	for _, p := range api.MuxPatterns(e.handler) {
		if p != "GET /api/v1/openapi.json" && p != "/api/v1/" {
			served = append(served, p)
		}
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Errorf("document and router differ:\n documented %v\n served     %v", documented, served)
	}
	if len(served) < 20 {
		t.Errorf("only %d routes served: %v", len(served), served)
	}

	live := routeServer(t, e)
	params := validParams(t, e)
	for _, route := range documented {
		method, path, _ := strings.Cut(route, " ")
		concrete := fillParams(t, path, params)
		got, servedBy := live(method, concrete)
		if servedBy != route {
			t.Errorf("%s (as %s %s): served by %q, status %d: %s", route, method, concrete, servedBy, got.status, got.body)
		}
		if ct := got.header.Get("Content-Type"); got.status != http.StatusNoContent && !strings.Contains(ct, "json") {
			t.Errorf("%s: Content-Type %q, want JSON", route, ct)
		}
	}
	// Every other method on a documented path is refused by the catch-all
	// or served by another documented operation (GET /jobs/test is GET
	// /jobs/{id}).
	for path, item := range doc.Paths {
		concrete := fillParams(t, path, params)
		for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if item[strings.ToLower(method)] != nil {
				continue
			}
			got, servedBy := live(method, concrete)
			if servedBy == "/api/v1/" && got.status != http.StatusMethodNotAllowed && got.status != http.StatusNotFound ||
				servedBy != "/api/v1/" && !slices.Contains(documented, servedBy) {
				t.Errorf("%s %s: served by %q, status %d: %s", method, concrete, servedBy, got.status, got.body)
			}
		}
	}

	// huma's other documentation routes are off.
	for _, path := range []string{"/api/v1/docs", "/api/v1/openapi.yaml", "/api/v1/openapi-3.0.json", "/api/v1/schemas/Unit"} {
		if got := e.call(t, "admin", "GET", path, nil); got.status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, got.status)
		}
	}
}

// routeServer serves the API on loopback behind middleware that notes
// the route pattern of each request, as the metrics do, and returns a
// function sending a request as admin and answering with the route that
// served it.
func routeServer(t *testing.T, e *env) func(method, path string) (answer, string) {
	routes := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(api.WithRouteRecorder(r.Context()))
		e.handler.ServeHTTP(w, r)
		routes <- api.RouteFrom(r.Context())
	}))
	t.Cleanup(srv.Close)
	live := *e
	live.url = srv.URL
	return func(method, path string) (answer, string) {
		a := live.call(t, "admin", method, path, probeBody(method))
		return a, <-routes
	}
}

// probeBody is an empty object for the methods that take a body.
func probeBody(method string) any {
	if method == "POST" || method == "PUT" || method == "PATCH" {
		return "{}"
	}
	return nil
}

// validParams returns a value for each path parameter that names
// something that exists, so a 404 can only mean a missing route.
func validParams(t *testing.T, e *env) map[string]string {
	t.Helper()
	_, tok, err := e.acc.CreateToken(t.Context(), heed.System(), accounts.NewToken{Name: "to revoke", Role: heed.RoleAnalyst})
	if err != nil {
		t.Fatal(err)
	}
	var job heed.Job
	e.call(t, "admin", "POST", "/api/v1/jobs/test", map[string]any{"marker": "openapi"}).must(t, http.StatusCreated).decode(t, &job)
	sv, pr, resp := surveyFixtures(t, e)
	params := map[string]string{
		"key":             "ra",
		"email":           mgrRAEmail,
		"external_id":     customerOf("a1"),
		"kind":            "customers",
		"/tokens/{id}":    strconv.FormatInt(tok.ID, 10),
		"/jobs/{id}":      strconv.FormatInt(job.ID, 10),
		"/surveys/{key}":  sv,
		"/programs/{key}": pr,
		"/responses/{id}": strconv.FormatInt(resp["a1"], 10),
	}
	maps.Copy(params, loopParams(t, e, sv))
	var fb struct{ Results []struct{ ID int64 } }
	e.call(t, "admin", "POST", "/api/v1/feedback", []map[string]any{{"kind": "note", "source": "crm", "external_id": "n-1",
		"text": "Asked about opening hours", "unit": "a1"}}).must(t, http.StatusOK).decode(t, &fb)
	params["/feedback/{id}"] = strconv.FormatInt(fb.Results[0].ID, 10)
	return params
}

// fillParams replaces {name} in path; a value for the collection
// ("/jobs/{id}") comes before one for the name alone ("key").
func fillParams(t *testing.T, path string, params map[string]string) string {
	t.Helper()
	for {
		i := strings.Index(path, "{")
		if i < 0 {
			return path
		}
		j := strings.Index(path, "}")
		name := path[i+1 : j]
		v, ok := params[path[strings.LastIndex(path[:i-1], "/"):j+1]]
		if !ok {
			v, ok = params[name]
		}
		if !ok {
			t.Fatalf("no test value for parameter %s of %s", name, path)
		}
		path = path[:i] + v + path[j+1:]
	}
}
