package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestErrorShapes checks that every kind of failure answers with the
// right status and {"error": {"code", "message", "field"}}.
func TestErrorShapes(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		big := strings.Repeat(" ", 1<<20) // over the 1 MiB limit of one item
		cases := []struct {
			name        string
			who, method string
			path        string
			body        any
			status      int
			code, field string
		}{
			{"bad JSON", "admin", "PUT", "/api/v1/units/x", `{"name": `, 400, "bad_request", ""},
			{"batch not JSON", "admin", "POST", "/api/v1/customers", `[{"external_id": "x",`, 400, "bad_request", ""},
			{"no token", "", "GET", "/api/v1/units", nil, 401, "unauthorized", ""},
			{"not admin", "fl-a1", "PUT", "/api/v1/units/a1", map[string]any{"name": "Store A1", "parent": "ra"}, 403, "forbidden", ""},
			{"jobs are for admins", "analyst", "GET", "/api/v1/jobs", nil, 403, "forbidden", ""},
			{"no such unit", "admin", "GET", "/api/v1/units/nope", nil, 404, "not_found", ""},
			{"hidden customer", "fl-b1", "GET", "/api/v1/customers/c-a1", nil, 404, "not_found", ""},
			{"no such route", "admin", "GET", "/api/v1/nope", nil, 404, "not_found", ""},
			{"wrong method", "admin", "DELETE", "/api/v1/units", nil, 405, "method_not_allowed", ""},
			{"unit under its own descendant", "admin", "PUT", "/api/v1/units/ra", map[string]any{"name": "Region A", "parent": "a1t"}, 409, "conflict", "parent"},
			{"body too large", "admin", "PUT", "/api/v1/units/x", `{"name": "x"` + big + `}`, 413, "too_large", ""},
			{"invalid email", "admin", "PUT", "/api/v1/customers/x", map[string]any{"unit": "a1", "email": "not an email"}, 422, "invalid", "email"},
			{"wrong JSON type", "admin", "PUT", "/api/v1/customers/x", map[string]any{"unit": "a1", "consent": "yes"}, 422, "invalid", "consent"},
			{"unknown field", "admin", "PUT", "/api/v1/units/x", map[string]any{"name": "X", "colour": "red"}, 422, "invalid", "colour"},
			{"key differs from path", "admin", "PUT", "/api/v1/units/a1", map[string]any{"key": "b1", "name": "X"}, 422, "invalid", "key"},
			{"no such parent", "admin", "PUT", "/api/v1/units/x", map[string]any{"name": "X", "parent": "nope"}, 422, "invalid", "parent"},
			{"bad query parameter", "admin", "GET", "/api/v1/customers?limit=5000", nil, 422, "invalid", "limit"},
			{"bad token request", "admin", "POST", "/api/v1/tokens", map[string]any{"name": "t", "role": "boss"}, 422, "invalid", "role"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				a := e.call(t, c.who, c.method, c.path, c.body)
				if a.status != c.status {
					t.Fatalf("status %d, want %d: %s", a.status, c.status, a.body)
				}
				got := a.apiError(t).Error
				if got.Code != c.code || got.Field != c.field {
					t.Errorf("code %q field %q, want %q %q: %s", got.Code, got.Field, c.code, c.field, a.body)
				}
				if ct := a.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
			})
		}
	})
}

func TestUnauthorizedAsksForBearer(t *testing.T) {
	e := newOrgEnv(t, "sqlite")
	for _, auth := range []string{"", "Basic YTpi", "Bearer ", "Bearer heed_not-a-real-token"} {
		a := e.send(t, "", "GET", "/api/v1/me", "", nil)
		if auth != "" {
			req, _ := http.NewRequest("GET", e.url+"/api/v1/me", nil)
			req.Header.Set("Authorization", auth)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			a = answer{status: res.StatusCode, header: res.Header}
		}
		if a.status != 401 || !strings.HasPrefix(a.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("Authorization %q: status %d, WWW-Authenticate %q", auth, a.status, a.header.Get("WWW-Authenticate"))
		}
	}
}

func TestBatchErrorsListEveryItem(t *testing.T) {
	e := newOrgEnv(t, "sqlite")
	body := `[
		{"external_id": "ok-1", "unit": "a1"},
		{"external_id": "bad-type", "unit": "a1", "consent": "yes"},
		{"external_id": "bad-value", "unit": "a1", "value": "12.345678"},
		{"external_id": "bad-field", "unit": "a1", "colour": "red"}
	]`
	a := e.call(t, "admin", "POST", "/api/v1/customers", body).must(t, 422)
	got := a.apiError(t).Error
	want := map[int]string{2: "consent", 3: "value", 4: "colour"}
	if len(got.Details) != len(want) {
		t.Fatalf("details %+v, want lines %v", got.Details, want)
	}
	for _, d := range got.Details {
		if want[d.Line] != d.Field || d.Problem == "" {
			t.Errorf("detail %+v, want field %q on line %d", d, want[d.Line], d.Line)
		}
	}

	// Valid JSON, but rules broken: the service lists every problem.
	body = `[{"external_id": "ok-2", "unit": "a1"}, {"external_id": "x", "unit": "nope"}, {"unit": "a1", "email": "@"}]`
	got = e.call(t, "admin", "POST", "/api/v1/customers", body).must(t, 422).apiError(t).Error
	lines := map[int]bool{}
	for _, d := range got.Details {
		lines[d.Line] = true
	}
	if !lines[2] || !lines[3] || lines[1] {
		t.Errorf("details %+v, want problems on lines 2 and 3 only", got.Details)
	}
	// Nothing was written.
	if a := e.call(t, "admin", "GET", "/api/v1/customers/ok-2", nil); a.status != 404 {
		t.Errorf("ok-2 written by a rejected batch: %d", a.status)
	}
}

func TestBatchTooLarge(t *testing.T) {
	e := newOrgEnv(t, "sqlite")
	body := "[" + strings.Repeat(" ", 32<<20) + "]"
	a := e.call(t, "admin", "POST", "/api/v1/customers", body).must(t, 413)
	if got := a.apiError(t).Error.Code; got != "too_large" {
		t.Errorf("code %q", got)
	}
}

func TestRepeatedBadTokensAreRateLimited(t *testing.T) {
	e := newOrgEnv(t, "sqlite")
	var a answer
	for i := range 25 {
		a = e.send(t, fmt.Sprintf("heed_guess-%d", i), "GET", "/api/v1/units", "", nil)
		if a.status == 429 {
			break
		}
		if a.status != 401 {
			t.Fatalf("guess %d: status %d", i, a.status)
		}
	}
	a.must(t, 429)
	if a.apiError(t).Error.Code != "rate_limited" || a.header.Get("Retry-After") == "" {
		t.Errorf("429 without code rate_limited or Retry-After: %v %s", a.header, a.body)
	}
	// A valid token from the same address still passes: only rejected
	// tokens are limited.
	e.call(t, "admin", "GET", "/api/v1/me", nil).must(t, 200)
	e.send(t, "heed_guess-again", "GET", "/api/v1/units", "", nil).must(t, 429)
	// The document stays public.
	e.call(t, "", "GET", "/api/v1/openapi.json", nil).must(t, 200)
}

// TestClosedStoreAnswers503: with the database gone under a running
// API, calls answer what /healthz says, 503 "database unavailable" (the
// client may retry), not 500; the log has the cause and the request id
// the client was given.
func TestClosedStoreAnswers503(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		e.call(t, "admin", "GET", "/api/v1/units", nil).must(t, 200)
		e.store.Close()
		for _, path := range []string{"/api/v1/units", "/api/v1/customers/c-a1", "/api/v1/jobs"} {
			a := e.call(t, "admin", "GET", path, nil).must(t, 503)
			got := a.apiError(t).Error
			if got.Code != "unavailable" || got.Message != "database unavailable" {
				t.Errorf("GET %s: %+v, want unavailable / database unavailable", path, got)
			}
			id := a.header.Get("X-Request-Id")
			if id == "" || !strings.Contains(e.logs.String(), id) {
				t.Errorf("log does not name request %q:\n%s", id, e.logs)
			}
		}
	})
}

// TestFormBodyIsUnsupported: curl -d without a Content-Type sends a form;
// the API answers 415 in its own shape, and PATCH (there is none) 405.
func TestFormBodyIsUnsupported(t *testing.T) {
	e := newOrgEnv(t, "sqlite")
	a := e.send(t, e.tokens["admin"], "PUT", "/api/v1/customers/c-new", "application/x-www-form-urlencoded",
		strings.NewReader(`{"name": "New", "unit": "a1"}`)).must(t, http.StatusUnsupportedMediaType)
	if got := a.apiError(t).Error.Code; got != "unsupported_media_type" {
		t.Errorf("code %q", got)
	}
	a = e.call(t, "admin", "PATCH", "/api/v1/customers/c-a1", map[string]any{"name": "x"}).must(t, http.StatusMethodNotAllowed)
	if got := a.header.Get("Allow"); got != "GET, PUT" {
		t.Errorf("Allow %q, want GET, PUT", got)
	}
}
