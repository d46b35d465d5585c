package api_test

import (
	"context"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/survey"
)

// The organisation every access test runs against:
//
//	co ─┬─ ra ─┬─ a1 ── a1t
//	    │      └─ a2
//	    └─ rb ─┬─ b1
//	           └─ b2
//
// Each unit has one staff member (staff.KEY@heed.test, frontline) and one
// customer (c-KEY); c-a2-own sits in a2 but is owned by fl.a1, the
// frontline employee of a1.
func fixtureUnits() []heed.Unit {
	return []heed.Unit{
		{Key: "co", Name: "Company"},
		{Key: "ra", Name: "Region A", Parent: "co"},
		{Key: "rb", Name: "Region B", Parent: "co"},
		{Key: "a1", Name: "Store A1", Parent: "ra"},
		{Key: "a2", Name: "Store A2", Parent: "ra"},
		{Key: "b1", Name: "Store B1", Parent: "rb"},
		{Key: "b2", Name: "Store B2", Parent: "rb"},
		{Key: "a1t", Name: "Team A1", Parent: "a1"},
	}
}

func unitKeys() []string {
	var keys []string
	for _, u := range fixtureUnits() {
		keys = append(keys, u.Key)
	}
	return keys
}

func fixtureUnit(key string) heed.Unit {
	for _, u := range fixtureUnits() {
		if u.Key == key {
			return u
		}
	}
	panic("no fixture unit " + key)
}

// The employees the tokens act as.
const (
	adminEmail   = "admin@heed.test"
	analystEmail = "analyst@heed.test"
	mgrRAEmail   = "mgr.ra@heed.test"
	mgrA1Email   = "mgr.a1@heed.test"
	flA1Email    = "fl.a1@heed.test"
	flB1Email    = "fl.b1@heed.test"
)

func staff(unit string) string { return "staff." + unit + "@heed.test" }

func fixtureEmployees() []heed.Employee {
	emps := []heed.Employee{
		{Email: adminEmail, Name: "Ada Admin", Role: heed.RoleAdmin},
		{Email: analystEmail, Name: "Ann Analyst", Role: heed.RoleAnalyst},
		{Email: mgrRAEmail, Name: "Mia Manager", Role: heed.RoleManager, Unit: "ra"},
		{Email: mgrA1Email, Name: "Max Manager", Role: heed.RoleManager, Unit: "a1"},
		{Email: flA1Email, Name: "Fay Frontline", Role: heed.RoleFrontline, Unit: "a1"},
		{Email: flB1Email, Name: "Fred Frontline", Role: heed.RoleFrontline, Unit: "b1"},
	}
	for _, u := range unitKeys() {
		emps = append(emps, heed.Employee{Email: staff(u), Name: "Staff " + u, Role: heed.RoleFrontline, Unit: u})
	}
	return emps
}

func customerOf(unit string) string { return "c-" + unit }

const ownedElsewhere = "c-a2-own"

func fixtureCustomers() []heed.Customer {
	var cs []heed.Customer
	for _, u := range unitKeys() {
		cs = append(cs, fixtureCustomer(customerOf(u)))
	}
	return append(cs, fixtureCustomer(ownedElsewhere))
}

func fixtureCustomer(id string) heed.Customer {
	if id == ownedElsewhere {
		return heed.Customer{ExternalID: id, Name: "Customer owned by fl.a1", Unit: "a2", Owner: flA1Email}
	}
	unit := id[len("c-"):]
	return heed.Customer{ExternalID: id, Name: "Customer " + unit, Unit: unit}
}

// The tokens, by name. Employee tokens act as the employee; role tokens
// carry a role (and unit) of their own.
func fixtureTokens() []accounts.NewToken {
	return []accounts.NewToken{
		{Name: "admin", Employee: adminEmail},
		{Name: "admin-role", Role: heed.RoleAdmin},
		{Name: "analyst", Employee: analystEmail},
		{Name: "analyst-role", Role: heed.RoleAnalyst},
		{Name: "mgr-ra", Employee: mgrRAEmail},
		{Name: "mgr-ra-role", Role: heed.RoleManager, Unit: "ra"},
		{Name: "mgr-a1", Employee: mgrA1Email},
		{Name: "fl-a1", Employee: flA1Email},
		{Name: "fl-a1-role", Role: heed.RoleFrontline, Unit: "a1"},
		{Name: "fl-b1", Employee: flB1Email},
	}
}

// newOrgEnv is newEnv with the organisation and tokens above.
func newOrgEnv(t *testing.T, engine string) *env {
	t.Helper()
	e := newEnv(t, engine)
	ctx := context.Background()
	if _, err := e.dir.UpsertUnits(ctx, heed.System(), fixtureUnits()); err != nil {
		t.Fatalf("units: %v", err)
	}
	if _, err := e.dir.UpsertEmployees(ctx, heed.System(), fixtureEmployees()); err != nil {
		t.Fatalf("employees: %v", err)
	}
	if _, err := e.dir.UpsertCustomers(ctx, heed.System(), fixtureCustomers()); err != nil {
		t.Fatalf("customers: %v", err)
	}
	for _, nt := range fixtureTokens() {
		e.token(t, nt)
	}
	return e
}

// Survey fixtures: the survey fixtureSurvey with the program
// fixtureProgram, and one response filed under each unit.
const (
	fixtureSurvey  = "visits"
	fixtureProgram = "monthly"
)

// surveyFixtures adds the survey fixtures to e and returns the survey's
// and program's keys and the id of each unit's response.
func surveyFixtures(t *testing.T, e *env) (surveyKey, programKey string, responses map[string]int64) {
	t.Helper()
	ctx := context.Background()
	sv, err := e.surveys.CreateSurvey(ctx, heed.System(), heed.Survey{
		Key: fixtureSurvey, Kind: heed.SurveyNPS, Name: "Store visits", Hidden: []string{"order"},
		Questions: []heed.Question{{ID: "visit_reason", Type: heed.QuestionSingle, Options: []string{"buy", "browse", "return"}}},
	})
	if err != nil {
		t.Fatalf("survey: %v", err)
	}
	pr, err := e.surveys.CreateProgram(ctx, heed.System(), heed.Program{Key: fixtureProgram, Name: "Monthly", Survey: sv.Key, Target: 100})
	if err != nil {
		t.Fatalf("program: %v", err)
	}
	var in []survey.ResponseInput
	for _, u := range unitKeys() {
		in = append(in, survey.ResponseInput{Survey: sv.Key, Unit: u, Score: ptr(9), ExternalID: "fixture-" + u})
	}
	recs, err := e.surveys.RecordResponses(ctx, heed.System(), "", "", in)
	if err != nil {
		t.Fatalf("responses: %v", err)
	}
	responses = map[string]int64{}
	for i, u := range unitKeys() {
		responses[u] = recs[i].ID
	}
	return sv.Key, pr.Key, responses
}

func ptr[T any](v T) *T { return &v }
