package api_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/heedhq/heed/api"
)

// TestRouteRecorder checks that middleware holding a route recorder learns
// the pattern of the operation that served the request (for metrics),
// not the "/api/v1/" the API is mounted at.
func TestRouteRecorder(t *testing.T) {
	e := newOrgEnv(t, "sqlite")
	var got string
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", e.handler)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(api.WithRouteRecorder(r.Context()))
		mux.ServeHTTP(w, r)
		got = api.RouteFrom(r.Context())
	})
	for _, c := range []struct {
		method, path, token string
		status              int
		want                string
	}{
		{"GET", "/api/v1/customers/c-a1", "admin", 200, "GET /api/v1/customers/{external_id}"},
		{"GET", "/api/v1/customers/c-nobody", "admin", 404, "GET /api/v1/customers/{external_id}"},
		{"DELETE", "/api/v1/tokens/1", "analyst", 403, "DELETE /api/v1/tokens/{id}"},
		{"POST", "/api/v1/jobs/7/retry", "analyst", 403, "POST /api/v1/jobs/{id}/retry"},
		{"GET", "/api/v1/openapi.json", "", 200, "GET /api/v1/openapi.json"},
		{"GET", "/api/v1/nowhere", "admin", 404, "/api/v1/"}, // the catch-all
		{"GET", "/api/v1/units", "", 401, ""},                // refused before routing
	} {
		req := httptest.NewRequest(c.method, c.path, nil)
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+e.tokens[c.token])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.status || got != c.want {
			t.Errorf("%s %s as %q: status %d, route %q; want %d, %q", c.method, c.path, c.token, rec.Code, got, c.status, c.want)
		}
	}
	if api.RouteFrom(t.Context()) != "" {
		t.Error("RouteFrom without a recorder is not empty")
	}
}
