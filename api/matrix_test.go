package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/survey"
)

// A group is the tokens that must see and be refused exactly the same
// things, with the units that are, for them, their own unit, a unit below
// it and a unit outside it. Admins and analysts belong nowhere: for them
// the places are just three units.
type group struct {
	tokens            []string
	own, below, other string // unit keys; "" when there is no such unit
}

func groups() map[string]group {
	return map[string]group{
		"admin":             {tokens: []string{"admin", "admin-role"}, own: "ra", below: "a1", other: "rb"},
		"analyst":           {tokens: []string{"analyst", "analyst-role"}, own: "ra", below: "a1", other: "rb"},
		"manager region A":  {tokens: []string{"mgr-ra", "mgr-ra-role"}, own: "ra", below: "a1", other: "rb"},
		"manager store A1":  {tokens: []string{"mgr-a1"}, own: "a1", below: "a1t", other: "a2"},
		"frontline A1":      {tokens: []string{"fl-a1"}, own: "a1", below: "a1t", other: "b1"},
		"frontline role A1": {tokens: []string{"fl-a1-role"}, own: "a1", below: "a1t", other: "b1"},
		"frontline B1":      {tokens: []string{"fl-b1"}, own: "b1", other: "a1"},
	}
}

// action does one thing to the unit (or its staff member, or its
// customer) as token and returns the status.
type action func(t *testing.T, e *env, token, unit string) int

func actions() map[string]action {
	get := func(path func(unit string) string) action {
		return func(t *testing.T, e *env, token, unit string) int {
			return e.call(t, token, "GET", path(unit), nil).status
		}
	}
	return map[string]action{
		"get unit":               get(func(u string) string { return "/api/v1/units/" + u }),
		"get employee":           get(func(u string) string { return "/api/v1/employees/" + staff(u) }),
		"get customer":           get(func(u string) string { return "/api/v1/customers/" + customerOf(u) }),
		"list employees of unit": get(func(u string) string { return "/api/v1/employees?unit=" + u }),
		"list customers of unit": get(func(u string) string { return "/api/v1/customers?unit=" + u }),
		"put unit": func(t *testing.T, e *env, token, unit string) int {
			u := fixtureUnit(unit)
			return e.call(t, token, "PUT", "/api/v1/units/"+unit, map[string]any{"name": u.Name, "parent": u.Parent}).status
		},
		"put customer": func(t *testing.T, e *env, token, unit string) int {
			c := fixtureCustomer(customerOf(unit))
			return e.call(t, token, "PUT", "/api/v1/customers/"+c.ExternalID, map[string]any{"name": c.Name, "unit": c.Unit}).status
		},
		"post customers": func(t *testing.T, e *env, token, unit string) int {
			c := fixtureCustomer(customerOf(unit))
			return e.call(t, token, "POST", "/api/v1/customers", []map[string]any{{"external_id": c.ExternalID, "name": c.Name, "unit": c.Unit}}).status
		},
		"import customers": func(t *testing.T, e *env, token, unit string) int {
			c := fixtureCustomer(customerOf(unit))
			csv := fmt.Sprintf("external_id,name,unit\n%s,%s,%s\n", c.ExternalID, c.Name, c.Unit)
			return e.send(t, e.tokens[token], "POST", "/api/v1/imports/customers", "text/csv", strings.NewReader(csv)).status
		},
		"create token for unit": func(t *testing.T, e *env, token, unit string) int {
			return checkedWrite(t, token+" creates a token for "+unit, func() any { return tokenCount(t, e) }, func() int {
				return e.call(t, token, "POST", "/api/v1/tokens", map[string]any{"name": "made by " + token, "role": "manager", "unit": unit}).status
			})
		},
		"put employee":         putStaff,
		"create user":          createUser,
		"revoke token of unit": revokeTokenOf,
		// The job and token list actions concern no unit: each place just
		// repeats them.
		"list tokens":      get(func(string) string { return "/api/v1/tokens" }),
		"get job":          getJob,
		"retry job":        retryJob,
		"enqueue test job": enqueueTestJob,
		// Survey actions run against the survey fixtures.
		"get response of unit":     getResponseOf,
		"get metrics of unit":      get(func(u string) string { return "/api/v1/metrics?survey=" + fixtureSurvey + "&unit=" + u }),
		"invite customer of unit":  inviteCustomerOf,
		"record response for unit": recordResponseFor,
		"create survey":            createSurvey,
		"dry-run program":          dryRunProgram,
		// Case actions run against a case of the unit's customer.
		"get case of unit":  getCaseOf,
		"move case of unit": moveCaseOf,
	}
}

// getResponseOf asks for the fixture response filed under the unit.
func getResponseOf(t *testing.T, e *env, token, unit string) int {
	ctx := context.Background()
	sv, err := e.store.GetSurvey(ctx, fixtureSurvey)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.store.GetResponseByExternalID(ctx, sv.ID, "fixture-"+unit)
	if err != nil {
		t.Fatal(err)
	}
	return e.call(t, token, "GET", "/api/v1/responses/"+strconv.FormatInt(r.ID, 10), nil).status
}

// inviteCustomerOf asks to invite the unit's customer. The API answers
// 200 even for a customer out of sight, skipped as not_found; the matrix
// reads that as the 404 the customer itself would get.
func inviteCustomerOf(t *testing.T, e *env, token, unit string) int {
	count := func() any { return len(allInvitations(t, e)) }
	return checkedWrite(t, token+" invites "+customerOf(unit), count, func() int {
		a := e.call(t, token, "POST", "/api/v1/surveys/"+fixtureSurvey+"/invitations", map[string]any{"customers": []string{customerOf(unit)}})
		if a.status != http.StatusOK {
			return a.status
		}
		var res struct{ Results []survey.InviteResult }
		a.decode(t, &res)
		if len(res.Results) == 1 && res.Results[0].Skipped == survey.SkipNotFound {
			return http.StatusNotFound
		}
		return a.status
	})
}

// recordResponseFor asks to record a new response under the unit.
func recordResponseFor(t *testing.T, e *env, token, unit string) int {
	count := func() any { return len(allResponses(t, e)) }
	return checkedWrite(t, token+" records a response for "+unit, count, func() int {
		return e.call(t, token, "POST", "/api/v1/responses", []map[string]any{
			{"survey": fixtureSurvey, "unit": unit, "score": 8, "external_id": "matrix-" + token + "-" + unit},
		}).status
	})
}

// createSurvey asks to create a survey (of no unit: each place makes its
// own).
func createSurvey(t *testing.T, e *env, token, unit string) int {
	count := func() any {
		list, err := e.surveys.ListSurveys(context.Background(), heed.System())
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	return checkedWrite(t, token+" creates a survey", count, func() int {
		return e.call(t, token, "POST", "/api/v1/surveys", map[string]any{"name": "Made by " + token + " at " + unit}).status
	})
}

// dryRunProgram asks what the fixture program would do today; a dry run
// changes nothing, but only admins may ask.
func dryRunProgram(t *testing.T, e *env, token, _ string) int {
	return e.call(t, token, "POST", "/api/v1/programs/"+fixtureProgram+"/run?dry_run=true", nil).status
}

func allInvitations(t *testing.T, e *env) []heed.Invitation {
	t.Helper()
	list, err := e.store.ListInvitations(context.Background(), heed.Scope{All: true}, heed.InvitationFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func allResponses(t *testing.T, e *env) []heed.Response {
	t.Helper()
	list, err := e.store.ListResponses(context.Background(), heed.Scope{All: true}, heed.ResponseFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// checkedWrite runs write and fails unless its answer matches what state
// shows: a write that was answered 2xx changed the state, a refused one
// changed nothing.
func checkedWrite(t *testing.T, what string, state func() any, write func() int) int {
	t.Helper()
	before := state()
	status := write()
	after := state()
	switch changed := !reflect.DeepEqual(before, after); {
	case status < 300 && !changed:
		t.Errorf("%s: answered %d but changed nothing (%v)", what, status, after)
	case status >= 300 && changed:
		t.Errorf("%s: refused (%d) but changed %v to %v", what, status, before, after)
	}
	return status
}

// putStaff asks to change the role and name of the unit's staff member.
func putStaff(t *testing.T, e *env, token, unit string) int {
	email := staff(unit)
	state := func() any { return employee(t, e, email) }
	role := heed.RoleManager
	if employee(t, e, email).Role == heed.RoleManager {
		role = heed.RoleFrontline // toggled, so every attempt is a change
	}
	body := map[string]any{"name": "Staff " + unit + " renamed by " + token, "role": role, "unit": unit}
	return checkedWrite(t, token+" puts employee "+email, state, func() int {
		return e.call(t, token, "PUT", "/api/v1/employees/"+email, body).status
	})
}

// createUser asks to add a user to the unit.
func createUser(t *testing.T, e *env, token, unit string) int {
	email := "new." + token + "." + unit + "@heed.test"
	exists := func() any {
		_, err := e.dir.GetEmployee(context.Background(), heed.System(), email)
		if err != nil && heed.ErrorCode(err) != heed.ENotFound {
			t.Fatal(err)
		}
		return err == nil
	}
	return checkedWrite(t, token+" creates user "+email, exists, func() int {
		return e.call(t, token, "POST", "/api/v1/users", map[string]any{"email": email, "role": "frontline", "unit": unit}).status
	})
}

// revokeTokenOf asks to revoke a fresh token of the unit; the state is
// whether that token still lets its holder in.
func revokeTokenOf(t *testing.T, e *env, token, unit string) int {
	ctx := context.Background()
	secret, victim, err := e.acc.CreateToken(ctx, heed.System(), accounts.NewToken{Name: "victim of " + token, Role: heed.RoleManager, Unit: unit})
	if err != nil {
		t.Fatal(err)
	}
	works := func() any {
		_, err := e.acc.TokenPrincipal(ctx, secret)
		return err == nil
	}
	return checkedWrite(t, token+" revokes a token of "+unit, works, func() int {
		return e.call(t, token, "DELETE", "/api/v1/tokens/"+strconv.FormatInt(victim.ID, 10), nil).status
	})
}

func getJob(t *testing.T, e *env, token, _ string) int {
	return e.call(t, token, "GET", "/api/v1/jobs/"+strconv.FormatInt(waitingJob(t, e), 10), nil).status
}

// retryJob asks to run a job that waits for an hour now.
func retryJob(t *testing.T, e *env, token, _ string) int {
	id := waitingJob(t, e)
	state := func() any {
		j, err := e.jobs.Get(context.Background(), heed.System(), id)
		if err != nil {
			t.Fatal(err)
		}
		return j
	}
	return checkedWrite(t, token+" retries job "+strconv.FormatInt(id, 10), state, func() int {
		return e.call(t, token, "POST", "/api/v1/jobs/"+strconv.FormatInt(id, 10)+"/retry", nil).status
	})
}

func enqueueTestJob(t *testing.T, e *env, token, _ string) int {
	count := func() any {
		c, err := e.store.CountJobs(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return checkedWrite(t, token+" enqueues a test job", count, func() int {
		return e.call(t, token, "POST", "/api/v1/jobs/test", map[string]any{"marker": "by " + token}).status
	})
}

// waitingJob enqueues a test job due in an hour (no worker runs in these
// tests) and returns its id.
func waitingJob(t *testing.T, e *env) int64 {
	t.Helper()
	now := time.Now()
	id, err := jobs.Enqueue(context.Background(), e.store, jobs.TestKind, jobs.TestPayload{Marker: "matrix"}, now, jobs.RunAt(now.Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func employee(t *testing.T, e *env, email string) heed.Employee {
	t.Helper()
	emp, err := e.dir.GetEmployee(context.Background(), heed.System(), email)
	if err != nil {
		t.Fatal(err)
	}
	return emp
}

func tokenCount(t *testing.T, e *env) int {
	t.Helper()
	toks, err := e.acc.ListTokens(context.Background(), heed.System())
	if err != nil {
		t.Fatal(err)
	}
	return len(toks)
}

// TestAccessMatrix proves the access rules through the API: role × action
// × own unit / unit below / other unit. Admins' writes repeat the
// fixtures or touch only what no other row depends on (staff members'
// names and roles, new users, tokens and jobs, new surveys, invitations
// and responses); every refused write of the admin-only actions, and of
// invitations, is checked to have changed nothing.
func TestAccessMatrix(t *testing.T) {
	const no = 0 // no such unit for this group
	matrix := []struct {
		group, action     string
		own, below, other int
	}{
		{"admin", "get unit", 200, 200, 200},
		{"admin", "get employee", 200, 200, 200},
		{"admin", "get customer", 200, 200, 200},
		{"admin", "list employees of unit", 200, 200, 200},
		{"admin", "list customers of unit", 200, 200, 200},
		{"admin", "put unit", 200, 200, 200},
		{"admin", "put customer", 200, 200, 200},
		{"admin", "post customers", 200, 200, 200},
		{"admin", "import customers", 200, 200, 200},
		{"admin", "create token for unit", 201, 201, 201},
		{"admin", "put employee", 200, 200, 200},
		{"admin", "create user", 201, 201, 201},
		{"admin", "revoke token of unit", 204, 204, 204},
		{"admin", "list tokens", 200, 200, 200},
		{"admin", "get job", 200, 200, 200},
		{"admin", "retry job", 200, 200, 200},
		{"admin", "enqueue test job", 201, 201, 201},
		{"admin", "get response of unit", 200, 200, 200},
		{"admin", "get metrics of unit", 200, 200, 200},
		{"admin", "invite customer of unit", 200, 200, 200},
		{"admin", "record response for unit", 200, 200, 200},
		{"admin", "create survey", 201, 201, 201},
		{"admin", "dry-run program", 200, 200, 200},
		{"admin", "get case of unit", 200, 200, 200},
		{"admin", "move case of unit", 200, 200, 200},

		{"analyst", "get unit", 200, 200, 200},
		{"analyst", "get employee", 200, 200, 200},
		{"analyst", "get customer", 200, 200, 200},
		{"analyst", "list employees of unit", 200, 200, 200},
		{"analyst", "list customers of unit", 200, 200, 200},
		{"analyst", "put unit", 403, 403, 403},
		{"analyst", "put customer", 403, 403, 403},
		{"analyst", "post customers", 403, 403, 403},
		{"analyst", "import customers", 403, 403, 403},
		{"analyst", "create token for unit", 403, 403, 403},
		{"analyst", "put employee", 403, 403, 403},
		{"analyst", "create user", 403, 403, 403},
		{"analyst", "revoke token of unit", 403, 403, 403},
		{"analyst", "list tokens", 403, 403, 403},
		{"analyst", "get job", 403, 403, 403},
		{"analyst", "retry job", 403, 403, 403},
		{"analyst", "enqueue test job", 403, 403, 403},
		{"analyst", "get response of unit", 200, 200, 200},
		{"analyst", "get metrics of unit", 200, 200, 200},
		{"analyst", "invite customer of unit", 403, 403, 403},
		{"analyst", "record response for unit", 403, 403, 403},
		{"analyst", "create survey", 403, 403, 403},
		{"analyst", "dry-run program", 403, 403, 403},
		{"analyst", "get case of unit", 200, 200, 200},
		{"analyst", "move case of unit", 403, 403, 403},

		{"manager region A", "get unit", 200, 200, 404},
		{"manager region A", "get employee", 200, 200, 404},
		{"manager region A", "get customer", 200, 200, 404},
		{"manager region A", "list employees of unit", 200, 200, 404},
		{"manager region A", "list customers of unit", 200, 200, 404},
		{"manager region A", "put unit", 403, 403, 403},
		{"manager region A", "put customer", 403, 403, 403},
		{"manager region A", "post customers", 403, 403, 403},
		{"manager region A", "import customers", 403, 403, 403},
		{"manager region A", "create token for unit", 403, 403, 403},
		{"manager region A", "put employee", 403, 403, 403},
		{"manager region A", "create user", 403, 403, 403},
		{"manager region A", "revoke token of unit", 403, 403, 403},
		{"manager region A", "list tokens", 403, 403, 403},
		{"manager region A", "get job", 403, 403, 403},
		{"manager region A", "retry job", 403, 403, 403},
		{"manager region A", "enqueue test job", 403, 403, 403},
		{"manager region A", "get response of unit", 200, 200, 404},
		{"manager region A", "get metrics of unit", 200, 200, 404},
		{"manager region A", "invite customer of unit", 200, 200, 404},
		{"manager region A", "record response for unit", 403, 403, 403},
		{"manager region A", "create survey", 403, 403, 403},
		{"manager region A", "dry-run program", 403, 403, 403},
		{"manager region A", "get case of unit", 200, 200, 404},
		{"manager region A", "move case of unit", 200, 200, 404},

		{"manager store A1", "get unit", 200, 200, 404},
		{"manager store A1", "get employee", 200, 200, 404},
		{"manager store A1", "get customer", 200, 200, 404},
		{"manager store A1", "list employees of unit", 200, 200, 404},
		{"manager store A1", "list customers of unit", 200, 200, 404},
		{"manager store A1", "put unit", 403, 403, 403},
		{"manager store A1", "put customer", 403, 403, 403},
		{"manager store A1", "post customers", 403, 403, 403},
		{"manager store A1", "import customers", 403, 403, 403},
		{"manager store A1", "create token for unit", 403, 403, 403},
		{"manager store A1", "put employee", 403, 403, 403},
		{"manager store A1", "create user", 403, 403, 403},
		{"manager store A1", "revoke token of unit", 403, 403, 403},
		{"manager store A1", "list tokens", 403, 403, 403},
		{"manager store A1", "get job", 403, 403, 403},
		{"manager store A1", "retry job", 403, 403, 403},
		{"manager store A1", "enqueue test job", 403, 403, 403},
		{"manager store A1", "get response of unit", 200, 200, 404},
		{"manager store A1", "get metrics of unit", 200, 200, 404},
		{"manager store A1", "invite customer of unit", 200, 200, 404},
		{"manager store A1", "record response for unit", 403, 403, 403},
		{"manager store A1", "create survey", 403, 403, 403},
		{"manager store A1", "dry-run program", 403, 403, 403},
		{"manager store A1", "get case of unit", 200, 200, 404},
		{"manager store A1", "move case of unit", 200, 200, 404},

		// Frontline staff see their own unit only, not the units below it.
		{"frontline A1", "get unit", 200, 404, 404},
		{"frontline A1", "get employee", 200, 404, 404},
		{"frontline A1", "get customer", 200, 404, 404},
		{"frontline A1", "list employees of unit", 200, 404, 404},
		{"frontline A1", "list customers of unit", 200, 404, 404},
		{"frontline A1", "put unit", 403, 403, 403},
		{"frontline A1", "put customer", 403, 403, 403},
		{"frontline A1", "post customers", 403, 403, 403},
		{"frontline A1", "import customers", 403, 403, 403},
		{"frontline A1", "create token for unit", 403, 403, 403},
		{"frontline A1", "put employee", 403, 403, 403},
		{"frontline A1", "create user", 403, 403, 403},
		{"frontline A1", "revoke token of unit", 403, 403, 403},
		{"frontline A1", "list tokens", 403, 403, 403},
		{"frontline A1", "get job", 403, 403, 403},
		{"frontline A1", "retry job", 403, 403, 403},
		{"frontline A1", "enqueue test job", 403, 403, 403},
		{"frontline A1", "get response of unit", 200, 404, 404},
		{"frontline A1", "get metrics of unit", 200, 404, 404},
		{"frontline A1", "invite customer of unit", 200, 404, 404},
		{"frontline A1", "record response for unit", 403, 403, 403},
		{"frontline A1", "create survey", 403, 403, 403},
		{"frontline A1", "dry-run program", 403, 403, 403},
		{"frontline A1", "get case of unit", 200, 404, 404},
		{"frontline A1", "move case of unit", 200, 404, 404},

		{"frontline role A1", "get unit", 200, 404, 404},
		{"frontline role A1", "get employee", 200, 404, 404},
		{"frontline role A1", "get customer", 200, 404, 404},
		{"frontline role A1", "list employees of unit", 200, 404, 404},
		{"frontline role A1", "list customers of unit", 200, 404, 404},
		{"frontline role A1", "put unit", 403, 403, 403},
		{"frontline role A1", "put customer", 403, 403, 403},
		{"frontline role A1", "post customers", 403, 403, 403},
		{"frontline role A1", "import customers", 403, 403, 403},
		{"frontline role A1", "create token for unit", 403, 403, 403},
		{"frontline role A1", "put employee", 403, 403, 403},
		{"frontline role A1", "create user", 403, 403, 403},
		{"frontline role A1", "revoke token of unit", 403, 403, 403},
		{"frontline role A1", "list tokens", 403, 403, 403},
		{"frontline role A1", "get job", 403, 403, 403},
		{"frontline role A1", "retry job", 403, 403, 403},
		{"frontline role A1", "enqueue test job", 403, 403, 403},
		{"frontline role A1", "get response of unit", 200, 404, 404},
		{"frontline role A1", "get metrics of unit", 200, 404, 404},
		{"frontline role A1", "invite customer of unit", 200, 404, 404},
		{"frontline role A1", "record response for unit", 403, 403, 403},
		{"frontline role A1", "create survey", 403, 403, 403},
		{"frontline role A1", "dry-run program", 403, 403, 403},
		{"frontline role A1", "get case of unit", 200, 404, 404},
		{"frontline role A1", "move case of unit", 200, 404, 404},

		{"frontline B1", "get unit", 200, no, 404},
		{"frontline B1", "get employee", 200, no, 404},
		{"frontline B1", "get customer", 200, no, 404},
		{"frontline B1", "list employees of unit", 200, no, 404},
		{"frontline B1", "list customers of unit", 200, no, 404},
		{"frontline B1", "put unit", 403, no, 403},
		{"frontline B1", "put customer", 403, no, 403},
		{"frontline B1", "post customers", 403, no, 403},
		{"frontline B1", "import customers", 403, no, 403},
		{"frontline B1", "create token for unit", 403, no, 403},
		{"frontline B1", "put employee", 403, no, 403},
		{"frontline B1", "create user", 403, no, 403},
		{"frontline B1", "revoke token of unit", 403, no, 403},
		{"frontline B1", "list tokens", 403, no, 403},
		{"frontline B1", "get job", 403, no, 403},
		{"frontline B1", "retry job", 403, no, 403},
		{"frontline B1", "enqueue test job", 403, no, 403},
		{"frontline B1", "get response of unit", 200, no, 404},
		{"frontline B1", "get metrics of unit", 200, no, 404},
		{"frontline B1", "invite customer of unit", 200, no, 404},
		{"frontline B1", "record response for unit", 403, no, 403},
		{"frontline B1", "create survey", 403, no, 403},
		{"frontline B1", "dry-run program", 403, no, 403},
		{"frontline B1", "get case of unit", 200, no, 404},
		{"frontline B1", "move case of unit", 200, no, 404},
	}
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		surveyFixtures(t, e)
		gs, acts := groups(), actions()
		for _, row := range matrix {
			g, act := gs[row.group], acts[row.action]
			if act == nil || g.tokens == nil {
				t.Fatalf("row %v names an unknown group or action", row)
			}
			for _, token := range g.tokens {
				for _, c := range []struct {
					place, unit string
					want        int
				}{{"own", g.own, row.own}, {"below", g.below, row.below}, {"other", g.other, row.other}} {
					if c.want == no {
						continue
					}
					if got := act(t, e, token, c.unit); got != c.want {
						t.Errorf("%s (token %s) %s on %s unit %s: status %d, want %d", row.group, token, row.action, c.place, c.unit, got, c.want)
					}
				}
			}
		}
	})
}

// TestVisibleLists checks, for every group, exactly which units,
// employees and customers its lists show, and the admin-only routes.
func TestVisibleLists(t *testing.T) {
	all := unitKeys()
	var everyone []string
	for _, emp := range fixtureEmployees() {
		everyone = append(everyone, emp.Email)
	}
	allCustomers := append(customersOf(all...), ownedElsewhere)
	lists := []struct {
		group                string
		units                []string
		employees            []string
		customers            []string
		ownedElsewhere, jobs int // status of GET customers/c-a2-own and GET /jobs
	}{
		{"admin", all, everyone, allCustomers, 200, 200},
		{"analyst", all, everyone, allCustomers, 200, 403},
		{"manager region A", []string{"ra", "a1", "a2", "a1t"},
			append(staffOf("ra", "a1", "a2", "a1t"), mgrRAEmail, mgrA1Email, flA1Email),
			append(customersOf("ra", "a1", "a2", "a1t"), ownedElsewhere), 200, 403},
		{"manager store A1", []string{"a1", "a1t"},
			append(staffOf("a1", "a1t"), mgrA1Email, flA1Email),
			customersOf("a1", "a1t"), 404, 403},
		// A frontline employee sees their unit's customers and the ones
		// they own elsewhere; a frontline role token owns nothing.
		{"frontline A1", []string{"a1"}, append(staffOf("a1"), mgrA1Email, flA1Email),
			append(customersOf("a1"), ownedElsewhere), 200, 403},
		{"frontline role A1", []string{"a1"}, append(staffOf("a1"), mgrA1Email, flA1Email),
			customersOf("a1"), 404, 403},
		{"frontline B1", []string{"b1"}, append(staffOf("b1"), flB1Email), customersOf("b1"), 404, 403},
	}
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		gs := groups()
		for _, l := range lists {
			for _, token := range gs[l.group].tokens {
				name := l.group + " (token " + token + ")"
				sameKeys(t, name+" units", listUnits(t, e, token), l.units)
				sameKeys(t, name+" employees", listEmployees(t, e, token, ""), l.employees)
				sameKeys(t, name+" customers", listCustomers(t, e, token, url.Values{}), l.customers)
				if got := e.call(t, token, "GET", "/api/v1/customers/"+ownedElsewhere, nil).status; got != l.ownedElsewhere {
					t.Errorf("%s: GET customer %s: status %d, want %d", name, ownedElsewhere, got, l.ownedElsewhere)
				}
				if got := e.call(t, token, "GET", "/api/v1/jobs", nil).status; got != l.jobs {
					t.Errorf("%s: GET jobs: status %d, want %d", name, got, l.jobs)
				}
			}
		}
	})
}

// TestEmployeeTokenSeesWhatEmployeeSees compares each employee token's
// lists through the API with what the services show the employee signed
// in (accounts.PrincipalFor).
func TestEmployeeTokenSeesWhatEmployeeSees(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		ctx := context.Background()
		for _, nt := range fixtureTokens() {
			if nt.Employee == "" {
				continue
			}
			p, err := e.acc.PrincipalFor(ctx, nt.Employee)
			if err != nil {
				t.Fatal(err)
			}
			units, err := e.dir.ListUnits(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			emps, err := e.dir.ListEmployees(ctx, p, heed.EmployeeFilter{})
			if err != nil {
				t.Fatal(err)
			}
			page, err := e.dir.ListCustomers(ctx, p, heed.CustomerFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			var wantUnits, wantEmps, wantCusts []string
			for _, u := range units {
				wantUnits = append(wantUnits, u.Key)
			}
			for _, x := range emps {
				wantEmps = append(wantEmps, x.Email)
			}
			for _, c := range page.Customers {
				wantCusts = append(wantCusts, c.ExternalID)
			}
			sameKeys(t, nt.Name+" units", listUnits(t, e, nt.Name), wantUnits)
			sameKeys(t, nt.Name+" employees", listEmployees(t, e, nt.Name, ""), wantEmps)
			sameKeys(t, nt.Name+" customers", listCustomers(t, e, nt.Name, url.Values{}), wantCusts)
		}
	})
}

func listUnits(t *testing.T, e *env, token string) []string {
	t.Helper()
	var out struct{ Units []heed.Unit }
	e.call(t, token, "GET", "/api/v1/units", nil).must(t, http.StatusOK).decode(t, &out)
	var keys []string
	for _, u := range out.Units {
		keys = append(keys, u.Key)
	}
	return keys
}

func listEmployees(t *testing.T, e *env, token, unit string) []string {
	t.Helper()
	var out struct{ Employees []heed.Employee }
	e.call(t, token, "GET", "/api/v1/employees?unit="+url.QueryEscape(unit), nil).must(t, http.StatusOK).decode(t, &out)
	var emails []string
	for _, x := range out.Employees {
		emails = append(emails, x.Email)
	}
	return emails
}

// listCustomers walks every page of GET /customers with the query q.
func listCustomers(t *testing.T, e *env, token string, q url.Values) []string {
	t.Helper()
	var ids []string
	for page := 0; ; page++ {
		if page > 10000 {
			t.Fatal("pagination does not end")
		}
		var out heed.CustomerPage
		e.call(t, token, "GET", "/api/v1/customers?"+q.Encode(), nil).must(t, http.StatusOK).decode(t, &out)
		for _, c := range out.Customers {
			ids = append(ids, c.ExternalID)
		}
		if out.NextCursor == "" {
			return ids
		}
		q.Set("cursor", out.NextCursor)
	}
}

func staffOf(units ...string) []string {
	var out []string
	for _, u := range units {
		out = append(out, staff(u))
	}
	return out
}

func customersOf(units ...string) []string {
	var out []string
	for _, u := range units {
		out = append(out, customerOf(u))
	}
	return out
}

// sameKeys fails unless got and want hold the same keys, each once.
func sameKeys(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s:\n got  %v\n want %v", what, g, w)
	}
}
