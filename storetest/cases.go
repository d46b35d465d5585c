package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// testCases holds cases, their timelines, root causes and preventive
// actions to the contract.
func testCases(t *testing.T, open Opener) {
	t.Run("case round trip", func(t *testing.T) { testCaseRoundTrip(t, open(t)) })
	t.Run("case scope and filters", func(t *testing.T) { testCaseScope(t, open(t)) })
	t.Run("case update", func(t *testing.T) { testCaseUpdate(t, open(t)) })
	t.Run("case update concurrently", func(t *testing.T) { testCaseUpdateConcurrently(t, open(t)) })
	t.Run("case timeline", func(t *testing.T) { testCaseTimeline(t, open(t)) })
	t.Run("late cases", func(t *testing.T) { testCaseLate(t, open(t)) })
	t.Run("open case and resurvey", func(t *testing.T) { testOpenCase(t, open(t)) })
	t.Run("open case race", func(t *testing.T) { testOpenCaseRace(t, open(t)) })
	t.Run("case facts", func(t *testing.T) { testCaseFacts(t, open(t)) })
	t.Run("root causes", func(t *testing.T) { testRootCauses(t, open(t)) })
	t.Run("preventive actions", func(t *testing.T) { testPreventiveActions(t, open(t)) })
	t.Run("open case in sample candidates", func(t *testing.T) { testCaseSampleCandidates(t, open(t)) })
}

// caseTime is T0+d as a nullable time.
func caseTime(d time.Duration) *time.Time {
	t := T0.Add(d)
	return &t
}

// caseDay is a day, as case service levels count it.
const caseDay = 24 * time.Hour

// caseFixture is seedInvitations with six cases, created an hour apart
// from T0 in this order, each opened by a detractor's score of 3 but k5
// (a passive 7):
//
//	k1 c1 in n1, ann's, investigating       k4 c6 in north, boss's, escalated to admin
//	k2 c3 (ann's customer) in n2, bob's,    k5 c4 in n2, ann's (outside her unit)
//	   escalated to boss                    k6 c2 in n1, nobody's, closed
//	k3 c5 in s1, sue's
type caseFixture struct {
	invitationFixture
	cases map[string]heed.Case // as created, by name
	names map[int64]string     // by id
}

func seedCases(t *testing.T, s heed.Store) caseFixture {
	t.Helper()
	f := caseFixture{invitationFixture: seedInvitations(t, s), cases: map[string]heed.Case{}, names: map[int64]string{}}
	rows := []struct {
		name, customer, unit, owner, escalatedTo string
		stage                                    heed.Stage
	}{
		{"k1", "c1", "n1", "ann", "", heed.StageInvestigating},
		{"k2", "c3", "n2", "bob", "boss", heed.StageReported},
		{"k3", "c5", "s1", "sue", "", heed.StageReported},
		{"k4", "c6", "north", "boss", "admin", heed.StageFollowUp},
		{"k5", "c4", "n2", "ann", "", heed.StageReported},
		{"k6", "c2", "n1", "", "", heed.StageClosed},
	}
	for i, r := range rows {
		created := T0.Add(time.Duration(i) * time.Hour)
		c := f.newCase(t, s, r.customer, r.unit, r.owner, created)
		c.Stage, c.ScoreBefore, c.CategoryBefore = r.stage, ptr(3), "detractor"
		if r.name == "k5" {
			c.ScoreBefore, c.CategoryBefore = ptr(7), "passive"
		}
		if r.escalatedTo != "" {
			c.EscalationLevel, c.EscalatedToID, c.EscalatedAt = 1, f.emps[r.escalatedTo].Employee.ID, &created
		}
		if r.stage == heed.StageClosed {
			c.ClosedAt = &created
		}
		out := mustCreateCase(t, s, c, heed.CaseEvent{Actor: "system"}, created)
		f.cases[r.name], f.names[out.ID] = out, r.name
	}
	return f
}

// newCase is a case of customer in unit, owned by owner (a short name;
// "" for nobody), due a day and a week after created.
func (f caseFixture) newCase(t *testing.T, s heed.Store, customer, unit, owner string, created time.Time) heed.Case {
	t.Helper()
	c := heed.Case{CustomerID: mustGetCustomer(t, s, customer).ID, UnitID: f.units[unit].ID,
		Title: "Issue of " + customer, FirstContactDue: created.Add(caseDay), ResolveDue: created.Add(7 * caseDay)}
	if owner != "" {
		c.OwnerID = f.emps[owner].Employee.ID
	}
	return c
}

// caseNames are the fixture's names of cases, in their order.
func (f caseFixture) caseNames(cases []heed.Case) []string {
	var out []string
	for _, c := range cases {
		out = append(out, f.names[c.ID])
	}
	return out
}

func mustCreateCase(t *testing.T, s heed.Store, c heed.Case, ev heed.CaseEvent, now time.Time) heed.Case {
	t.Helper()
	out, err := s.CreateCase(t.Context(), c, ev, now)
	if err != nil {
		t.Fatalf("CreateCase(%s): %v", c.Title, err)
	}
	return out
}

func mustUpdateCase(t *testing.T, s heed.Store, c heed.Case, ev heed.CaseEvent, now time.Time) heed.Case {
	t.Helper()
	out, err := s.UpdateCase(t.Context(), c, ev, now)
	if err != nil {
		t.Fatalf("UpdateCase(%d): %v", c.ID, err)
	}
	return out
}

func mustGetCase(t *testing.T, s heed.Store, id int64) heed.Case {
	t.Helper()
	c, err := s.GetCase(t.Context(), heed.Scope{All: true}, id)
	if err != nil {
		t.Fatalf("GetCase(%d): %v", id, err)
	}
	return c
}

// wantCase compares cases exactly (times to the nanosecond and their
// location, nil against empty), showing them as JSON and the fields JSON
// hides.
func wantCase(t *testing.T, what string, got, want heed.Case) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s =\n%s\nwant\n%s", what, showCase(got), showCase(want))
	}
}

func showCase(c heed.Case) string {
	j, _ := json.Marshal(c)
	return fmt.Sprintf("%s (customer %d, unit %d %s, owner %d, rule %d, program %d, escalated to %d)", j,
		c.CustomerID, c.UnitID, c.UnitPath, c.OwnerID, c.RuleID, c.ProgramID, c.EscalatedToID)
}

func testCaseRoundTrip(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := caseFixture{invitationFixture: seedInvitations(t, s)}
	c1 := mustGetCustomer(t, s, "c1")
	resp := mustCreateResponse(t, s, heed.Response{SurveyID: f.survey.ID, InvitationID: f.ids["c1"], CustomerID: c1.ID,
		UnitID: f.units["n1"].ID, Channel: heed.ChannelEmail, Score: 3}, T0)
	pa, err := s.CreatePreventiveAction(ctx, heed.PreventiveAction{Title: "Faster checkout"}, T0)
	if err != nil {
		t.Fatalf("CreatePreventiveAction: %v", err)
	}
	rule, err := s.GetRule(ctx, "detractor-case") // seeded by the migrations
	if err != nil {
		t.Fatalf("GetRule: %v", err)
	}
	in := heed.Case{CustomerID: c1.ID, UnitID: f.units["n1"].ID, OwnerID: f.emps["ann"].Employee.ID,
		ResponseID: resp.ID, RuleID: rule.ID, ProgramID: f.program.ID, Title: `Slow <checkout> & "rude" ☺`,
		Stage: heed.StageInvestigating, ScoreBefore: ptr(3), CategoryBefore: "detractor",
		CustomerKind: heed.KindGeek, ResponseType: heed.ResponseAdvisory, RootCause: "waiting_time",
		PreventiveActionID: pa.ID, FirstContactDue: T0.Add(4*time.Hour + 999), ResolveDue: T0.Add(3 * caseDay),
		FirstContactAt: caseTime(time.Hour + 999), EscalationLevel: 1, EscalatedToID: f.emps["boss"].Employee.ID,
		EscalatedAt: caseTime(2 * time.Hour), ResurveyAt: caseTime(30 * caseDay), ResurveyInvitationID: f.ids["c3"],
		// Read-only: filled from the store, whatever the caller says.
		Customer: "ignored", Owner: "ignored", Rule: "ignored", Version: 7}
	ev := heed.CaseEvent{Actor: "system", ResponseID: resp.ID, Note: "opened by a rule",
		Data: json.RawMessage(`{ "rule": "detractors" }`)}
	now := T0.Add(time.Minute + 999)
	got, err := s.CreateCase(ctx, in, ev, now)
	if err != nil {
		t.Fatalf("CreateCase: %v", err)
	}
	want := in
	want.ID, want.Version, want.CreatedAt, want.UpdatedAt = got.ID, 1, T0.Add(time.Minute), T0.Add(time.Minute)
	want.Customer, want.CustomerName, want.Unit, want.UnitPath = "c1", "Alice Adams", "n1", f.units["n1"].Path
	want.Owner, want.OwnerName, want.EscalatedTo = "ann@acme.example", "Ann", "boss@acme.example"
	want.Rule = "detractor-case"
	want.FirstContactDue, want.FirstContactAt = T0.Add(4*time.Hour), caseTime(time.Hour)
	wantCase(t, "CreateCase", got, want)
	wantCase(t, "GetCase", mustGetCase(t, s, got.ID), want)
	evs, err := s.ListCaseEvents(ctx, got.ID)
	wantEv := []heed.CaseEvent{{ID: 0, CaseID: got.ID, Kind: heed.EventOpened, Actor: "system", ResponseID: resp.ID,
		Note: "opened by a rule", Data: json.RawMessage(`{"rule":"detractors"}`), At: T0.Add(time.Minute)}}
	if err == nil && len(evs) == 1 {
		wantEv[0].ID = evs[0].ID
	}
	if err != nil || !reflect.DeepEqual(evs, wantEv) {
		t.Errorf("ListCaseEvents = %+v, %v; want %+v", evs, err, wantEv)
	}

	// A case outlives the rule that opened it, and never comes to name
	// another: a new rule does not take the deleted one's id.
	promoter, err := s.GetRule(ctx, "promoter-advocacy") // seeded last: the highest id
	if err != nil {
		t.Fatalf("GetRule: %v", err)
	}
	byRule := in
	byRule.RuleID = promoter.ID
	byRule = mustCreateCase(t, s, byRule, heed.CaseEvent{}, T0)
	if byRule.Rule != "promoter-advocacy" || byRule.RuleID != promoter.ID {
		t.Errorf("case opened by a rule reads rule %q (%d); want promoter-advocacy (%d)",
			byRule.Rule, byRule.RuleID, promoter.ID)
	}
	if err := s.DeleteRule(ctx, "promoter-advocacy"); err != nil {
		t.Fatalf("DeleteRule: %v", err)
	}
	if _, err := s.CreateRule(ctx, heed.Rule{Key: "newer", Name: "Newer"}, T0); err != nil {
		t.Fatalf("CreateRule: %v", err)
	}
	if c := mustGetCase(t, s, byRule.ID); c.Rule != "" || c.RuleID != promoter.ID {
		t.Errorf("case of a deleted rule reads rule %q (%d); want none (%d)", c.Rule, c.RuleID, promoter.ID)
	}
	if cases, err := s.ListCases(ctx, heed.Scope{All: true}, heed.CaseFilter{}); err != nil || len(cases) != 2 ||
		cases[0].Rule != "" || cases[1].Rule != "detractor-case" {
		t.Errorf("ListCases reads rules %v, %v; want none, then detractor-case", caseRules(cases), err)
	}

	// The least a case needs: nothing optional reads back as anything.
	bare := heed.Case{CustomerID: mustGetCustomer(t, s, "c2").ID, UnitID: f.units["n1"].ID,
		FirstContactDue: T0.Add(caseDay), ResolveDue: T0.Add(7 * caseDay)}
	got = mustCreateCase(t, s, bare, heed.CaseEvent{At: T0.Add(-time.Hour)}, T0)
	want = bare
	want.ID, want.Version, want.CreatedAt, want.UpdatedAt, want.Stage = got.ID, 1, T0, T0, heed.StageReported
	want.Customer, want.CustomerName, want.Unit, want.UnitPath = "c2", "Bert Brown", "n1", f.units["n1"].Path
	wantCase(t, "CreateCase with the least", got, want)
	j, _ := json.Marshal(got)
	for _, part := range []string{`"owner":"","owner_name":""`, `"score_before":null,"category_before":"","score_after":null`} {
		if !strings.Contains(string(j), part) {
			t.Errorf("case JSON %s; want %s", j, part)
		}
	}
	evs, err = s.ListCaseEvents(ctx, got.ID)
	if err != nil || len(evs) != 1 || evs[0].Kind != heed.EventOpened || !evs[0].At.Equal(T0.Add(-time.Hour)) ||
		evs[0].Data != nil {
		t.Errorf("events of the bare case = %+v, %v; want one opened at its own time, without data", evs, err)
	}

	bad := []struct {
		change      func(c *heed.Case, ev *heed.CaseEvent)
		code        heed.Code
		field, what string
	}{
		{func(c *heed.Case, _ *heed.CaseEvent) { c.CustomerID = 0 }, heed.EInvalid, "customer", "no customer"},
		{func(c *heed.Case, _ *heed.CaseEvent) { c.UnitID = 0 }, heed.EInvalid, "unit", "no unit"},
		{func(c *heed.Case, _ *heed.CaseEvent) { c.Stage = "done" }, heed.EInvalid, "stage", "an unknown stage"},
		{func(c *heed.Case, _ *heed.CaseEvent) { c.CustomerKind = "shy" }, heed.EInvalid, "customer_kind", "an unknown kind"},
		{func(c *heed.Case, _ *heed.CaseEvent) { c.ResponseType = "ignore" }, heed.EInvalid, "response_type", "an unknown response type"},
		{func(c *heed.Case, _ *heed.CaseEvent) { c.CategoryBefore = "angry" }, heed.EInvalid, "category_before", "an unknown category"},
		{func(c *heed.Case, _ *heed.CaseEvent) { c.Title = "nul\x00" }, heed.EInvalid, "title", "a NUL in the title"},
		{func(c *heed.Case, _ *heed.CaseEvent) { c.CustomerID += 1000 }, heed.ENotFound, "", "an unknown customer"},
		{func(c *heed.Case, _ *heed.CaseEvent) { c.UnitID += 1000 }, heed.ENotFound, "", "an unknown unit"},
		{func(c *heed.Case, _ *heed.CaseEvent) { c.OwnerID = 1000 }, heed.ENotFound, "", "an unknown owner"},
		{func(c *heed.Case, _ *heed.CaseEvent) { c.PreventiveActionID = 1000 }, heed.ENotFound, "", "an unknown preventive action"},
		{func(c *heed.Case, _ *heed.CaseEvent) { c.ResurveyInvitationID = 1000 }, heed.ENotFound, "", "an unknown invitation"},
		{func(_ *heed.Case, ev *heed.CaseEvent) { ev.Data = json.RawMessage(`{`) }, heed.EInvalid, "data", "event data that is not JSON"},
		{func(_ *heed.Case, ev *heed.CaseEvent) { ev.Outcome = "maybe" }, heed.EInvalid, "outcome", "an unknown call outcome"},
		{func(_ *heed.Case, ev *heed.CaseEvent) { ev.Data = json.RawMessage("{\"a\":\"\xff\"}") }, heed.EInvalid, "data",
			"invalid UTF-8 in event data"},
	}
	for _, tt := range bad {
		c, ev := bare, heed.CaseEvent{}
		tt.change(&c, &ev)
		_, err := s.CreateCase(ctx, c, ev, T0)
		wantErr(t, "CreateCase with "+tt.what, err, tt.code, tt.field)
	}
	if cases, err := s.ListCases(ctx, heed.Scope{All: true}, heed.CaseFilter{}); err != nil || len(cases) != 3 {
		t.Errorf("ListCases after refused creates = %d cases, %v; want the 3 created", len(cases), err)
	}
	_, err = s.GetCase(ctx, heed.Scope{All: true}, got.ID+100)
	wantErr(t, "GetCase of an unknown id", err, heed.ENotFound, "")
}

// caseRules are the rules of cases, for messages.
func caseRules(cases []heed.Case) []string {
	var out []string
	for _, c := range cases {
		out = append(out, c.Rule)
	}
	return out
}

func testCaseScope(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedCases(t, s)
	all := heed.Scope{All: true}
	id := func(name string) int64 { return f.cases[name].ID }
	emp := func(name string) int64 { return f.emps[name].Employee.ID }
	tests := []struct {
		name   string
		scope  heed.Scope
		filter heed.CaseFilter
		want   []string
	}{
		{"admin", f.principal("admin").Scope(), heed.CaseFilter{}, []string{"k6", "k5", "k4", "k3", "k2", "k1"}},
		{"manager of north", f.principal("boss").Scope(), heed.CaseFilter{}, []string{"k6", "k5", "k4", "k2", "k1"}},
		// Ann owns customer c3, but its case is bob's: she does not see k2.
		{"frontline of n1, owner of k5", f.principal("ann").Scope(), heed.CaseFilter{}, []string{"k6", "k5", "k1"}},
		{"frontline of n2, owner of k2", f.principal("bob").Scope(), heed.CaseFilter{}, []string{"k5", "k2"}},
		{"frontline of s1", f.principal("sue").Scope(), heed.CaseFilter{}, []string{"k3"}},
		{"nobody", heed.Scope{}, heed.CaseFilter{}, nil},
		{"ann's", all, heed.CaseFilter{OwnerID: emp("ann")}, []string{"k5", "k1"}},
		{"escalated to boss", all, heed.CaseFilter{EscalatedTo: emp("boss")}, []string{"k2"}},
		{"escalated to boss, seen by sue", f.principal("sue").Scope(), heed.CaseFilter{EscalatedTo: emp("boss")}, nil},
		{"closed", all, heed.CaseFilter{Stage: heed.StageClosed}, []string{"k6"}},
		{"reported", all, heed.CaseFilter{Stage: heed.StageReported}, []string{"k5", "k3", "k2"}},
		{"open", all, heed.CaseFilter{Open: true}, []string{"k5", "k4", "k3", "k2", "k1"}},
		{"open, seen by ann", f.principal("ann").Scope(), heed.CaseFilter{Open: true}, []string{"k5", "k1"}},
		{"customer c3", all, heed.CaseFilter{CustomerID: f.cases["k2"].CustomerID}, []string{"k2"}},
		{"unit n2", all, heed.CaseFilter{Unit: "n2"}, []string{"k5", "k2"}},
		{"unit north", all, heed.CaseFilter{Unit: "north"}, []string{"k6", "k5", "k4", "k2", "k1"}},
		{"manager of north in south", f.principal("boss").Scope(), heed.CaseFilter{Unit: "south"}, nil},
		{"first page", all, heed.CaseFilter{Limit: 2}, []string{"k6", "k5"}},
		{"page after k3", all, heed.CaseFilter{BeforeID: id("k3")}, []string{"k2", "k1"}},
		{"one after k3", all, heed.CaseFilter{BeforeID: id("k3"), Limit: 1}, []string{"k2"}},
		{"an action nobody took", all, heed.CaseFilter{PreventiveActionID: 1000}, nil},
	}
	for _, tt := range tests {
		cases, err := s.ListCases(ctx, tt.scope, tt.filter)
		if got := f.caseNames(cases); err != nil || !slices.Equal(got, tt.want) || cases == nil {
			t.Errorf("%s: ListCases = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	// A list shows what a read does.
	if cases, err := s.ListCases(ctx, all, heed.CaseFilter{Unit: "n2", Limit: 1}); err != nil || len(cases) != 1 {
		t.Errorf("ListCases(n2, 1) = %v, %v", f.caseNames(cases), err)
	} else {
		wantCase(t, "listed k5", cases[0], mustGetCase(t, s, id("k5")))
		wantCase(t, "k5 as created", cases[0], f.cases["k5"])
	}
	k2 := f.cases["k2"]
	if k2.Customer != "c3" || k2.CustomerName != "Carla Cruz" || k2.Unit != "n2" || k2.Owner != "bob@acme.example" ||
		k2.OwnerName != "Bob" || k2.EscalatedTo != "boss@acme.example" || k2.UnitPath != f.units["n2"].Path {
		t.Errorf("k2 reads %s; want c3, Carla Cruz, n2, bob, Bob, escalated to boss", showCase(k2))
	}

	_, err := s.ListCases(ctx, all, heed.CaseFilter{Unit: "attic"})
	wantErr(t, "ListCases in an unknown unit", err, heed.ENotFound, "unit")
	_, err = s.ListCases(ctx, all, heed.CaseFilter{Stage: "done"})
	wantErr(t, "ListCases in an unknown stage", err, heed.EInvalid, "stage")
	for _, limit := range []int{-1, 1001} {
		_, err := s.ListCases(ctx, all, heed.CaseFilter{Limit: limit})
		wantErr(t, fmt.Sprintf("ListCases with limit %d", limit), err, heed.EInvalid, "limit")
	}
	for _, tt := range []struct {
		who, kase string
		sees      bool
	}{
		{"boss", "k1", true}, {"boss", "k3", false}, {"ann", "k5", true}, {"ann", "k2", false},
		{"bob", "k5", true}, {"sue", "k1", false}, {"admin", "k3", true},
	} {
		c, err := s.GetCase(ctx, f.principal(tt.who).Scope(), id(tt.kase))
		switch {
		case tt.sees && (err != nil || c.ID != id(tt.kase)):
			t.Errorf("GetCase(%s) by %s = %d, %v; want it", tt.kase, tt.who, c.ID, err)
		case !tt.sees:
			wantErr(t, fmt.Sprintf("GetCase(%s) by %s", tt.kase, tt.who), err, heed.ENotFound, "")
		}
	}
	_, err = s.GetCase(ctx, heed.Scope{}, id("k1"))
	wantErr(t, "GetCase by nobody", err, heed.ENotFound, "")
}

func testCaseUpdate(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedCases(t, s)
	pa, err := s.CreatePreventiveAction(ctx, heed.PreventiveAction{Title: "Train the night shift"}, T0)
	if err != nil {
		t.Fatalf("CreatePreventiveAction: %v", err)
	}
	k1 := f.cases["k1"]
	change := k1
	change.OwnerID, change.UnitID, change.Stage = f.emps["bob"].Employee.ID, f.units["n2"].ID, heed.StageCorrectiveAction
	change.Title, change.ScoreAfter, change.CategoryAfter = "Refund sent", ptr(9), "promoter"
	change.CustomerKind, change.ResponseType, change.RootCause = heed.KindRegular, heed.ResponseSolution, "billing_error"
	change.PreventiveActionID = pa.ID
	change.FirstContactDue, change.ResolveDue = T0.Add(2*time.Hour), T0.Add(2*caseDay+999)
	change.FirstContactAt, change.ClosedAt = caseTime(30*time.Minute), caseTime(3*caseDay)
	change.EscalationLevel, change.EscalatedToID, change.EscalatedAt = 2, f.emps["admin"].Employee.ID, caseTime(5*time.Hour)
	change.ResurveyAt, change.ResurveyInvitationID = caseTime(40*caseDay), f.ids["c1"]
	// The respondent corrected the answer that opened the case.
	change.ScoreBefore, change.CategoryBefore = ptr(5), "detractor"
	// Not the update's to change: the customer, the response, the rule,
	// the program, the times of creation.
	changeFixed := change
	changeFixed.CustomerID, changeFixed.RuleID, changeFixed.ProgramID = f.cases["k2"].CustomerID, 9, f.program.ID
	changeFixed.CreatedAt = T0.Add(-caseDay)
	ev := heed.CaseEvent{Kind: heed.EventTransition, Actor: "ann@acme.example", From: "investigating",
		To: "corrective_action", Note: "refund"}
	later := T0.Add(10*time.Hour + 999)
	got, err := s.UpdateCase(ctx, changeFixed, ev, later)
	if err != nil {
		t.Fatalf("UpdateCase: %v", err)
	}
	want := change
	want.Version, want.UpdatedAt, want.ResolveDue = 2, T0.Add(10*time.Hour), T0.Add(2*caseDay)
	want.Unit, want.UnitPath, want.Owner, want.OwnerName = "n2", f.units["n2"].Path, "bob@acme.example", "Bob"
	want.EscalatedTo = "admin@acme.example"
	wantCase(t, "UpdateCase", got, want)
	wantCase(t, "GetCase after update", mustGetCase(t, s, k1.ID), want)

	// A second update from the same version lost the race: refused, and
	// the first stays.
	again := change
	again.Title = "Overwritten"
	_, err = s.UpdateCase(ctx, again, ev, later.Add(time.Hour))
	wantErr(t, "UpdateCase from a stale version", err, heed.EConflict, "")
	wantCase(t, "GetCase after a stale update", mustGetCase(t, s, k1.ID), want)

	// Without an event: the timeline stays as it is.
	got.Stage, got.ClosedAt = heed.StageFollowUp, nil
	got = mustUpdateCase(t, s, got, heed.CaseEvent{}, later.Add(time.Hour))
	if got.Version != 3 || got.Stage != heed.StageFollowUp || got.ClosedAt != nil {
		t.Errorf("second update = version %d, stage %s, closed %v; want 3, follow_up, nil", got.Version, got.Stage, got.ClosedAt)
	}
	if evs, err := s.ListCaseEvents(ctx, k1.ID); err != nil || len(evs) != 2 {
		t.Errorf("ListCaseEvents after two updates, one with an event = %d, %v; want 2 (opened, transition)", len(evs), err)
	}
	// Back to nobody, nothing optional: NULLs again.
	cleared := got
	cleared.OwnerID, cleared.ScoreAfter, cleared.CategoryAfter, cleared.PreventiveActionID = 0, nil, "", 0
	cleared.FirstContactAt, cleared.EscalationLevel, cleared.EscalatedToID, cleared.EscalatedAt = nil, 0, 0, nil
	cleared.ResurveyAt, cleared.ResurveyInvitationID, cleared.RootCause = nil, 0, ""
	cleared.CustomerKind, cleared.ResponseType = heed.KindUnknown, heed.ResponseNone
	got = mustUpdateCase(t, s, cleared, heed.CaseEvent{}, later.Add(2*time.Hour))
	want = cleared
	want.Version, want.UpdatedAt = 4, T0.Add(12*time.Hour)
	want.Owner, want.OwnerName, want.EscalatedTo = "", "", ""
	wantCase(t, "UpdateCase clearing", got, want)

	bad := []struct {
		change      func(c *heed.Case)
		code        heed.Code
		field, what string
	}{
		{func(c *heed.Case) { c.Stage = "" }, heed.EInvalid, "stage", "no stage"},
		{func(c *heed.Case) { c.Stage = "done" }, heed.EInvalid, "stage", "an unknown stage"},
		{func(c *heed.Case) { c.CustomerKind = "shy" }, heed.EInvalid, "customer_kind", "an unknown kind"},
		{func(c *heed.Case) { c.ResponseType = "ignore" }, heed.EInvalid, "response_type", "an unknown response type"},
		{func(c *heed.Case) { c.CategoryAfter = "happy" }, heed.EInvalid, "category_after", "an unknown category"},
		{func(c *heed.Case) { c.UnitID = 0 }, heed.EInvalid, "unit", "no unit"},
		{func(c *heed.Case) { c.OwnerID = 1000 }, heed.ENotFound, "", "an unknown owner"},
		{func(c *heed.Case) { c.EscalatedToID = 1000 }, heed.ENotFound, "", "an unknown escalation"},
		{func(c *heed.Case) { c.ID += 1000 }, heed.ENotFound, "", "an unknown case"},
	}
	for _, tt := range bad {
		c := got
		tt.change(&c)
		_, err := s.UpdateCase(ctx, c, ev, later)
		wantErr(t, "UpdateCase with "+tt.what, err, tt.code, tt.field)
	}
	if c := mustGetCase(t, s, k1.ID); c.Version != 4 {
		t.Errorf("version after refused updates = %d; want 4", c.Version)
	}
	if evs, _ := s.ListCaseEvents(ctx, k1.ID); len(evs) != 2 {
		t.Errorf("%d events after refused updates; want 2", len(evs))
	}
}

// testCaseUpdateConcurrently: several people save the same version of
// a case at once; exactly one wins, the others hear EConflict.
func testCaseUpdateConcurrently(t *testing.T, s heed.Store) {
	f := seedCases(t, s)
	k := f.cases["k3"]
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			c := k
			c.Title = fmt.Sprintf("edit %d", i)
			_, errs[i] = s.UpdateCase(t.Context(), c, heed.CaseEvent{Kind: heed.EventChanged, Actor: "sue@acme.example",
				To: c.Title}, T0.Add(time.Hour))
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch heed.ErrorCode(err) {
		case "":
			won++
		case heed.EConflict:
		default:
			t.Errorf("update %d: %v; want success or EConflict", i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d concurrent updates of version 1 won; want exactly 1", won)
	}
	c := mustGetCase(t, s, k.ID)
	evs, err := s.ListCaseEvents(t.Context(), k.ID)
	if c.Version != 2 || err != nil || len(evs) != 2 || evs[1].To != c.Title {
		t.Errorf("after the race: version %d, title %q, events %+v, %v; want version 2 and the winner's one event",
			c.Version, c.Title, evs, err)
	}
}

func testCaseTimeline(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedCases(t, s)
	k1 := f.cases["k1"]
	moved := k1
	moved.Stage = heed.StageFollowUp
	mustUpdateCase(t, s, moved, heed.CaseEvent{Kind: heed.EventTransition, Actor: "ann@acme.example",
		From: "investigating", To: "follow_up"}, T0.Add(2*time.Hour))
	call := heed.CaseEvent{CaseID: k1.ID, Kind: heed.EventCall, Actor: "ann@acme.example", Outcome: heed.CallReached,
		Note: "called back\nall good ☺", Data: json.RawMessage("{\n  \"minutes\": 5\n}"), At: T0.Add(3*time.Hour + 999)}
	got, err := s.AddCaseEvent(ctx, call)
	if err != nil {
		t.Fatalf("AddCaseEvent: %v", err)
	}
	wantCall := call
	wantCall.ID, wantCall.At, wantCall.Data = got.ID, T0.Add(3*time.Hour), json.RawMessage(`{"minutes":5}`)
	if !reflect.DeepEqual(got, wantCall) {
		t.Errorf("AddCaseEvent = %+v; want %+v", got, wantCall)
	}
	// An event carries its own time: the timeline is in the order written.
	note, err := s.AddCaseEvent(ctx, heed.CaseEvent{CaseID: k1.ID, Kind: heed.EventNote, Actor: "boss@acme.example",
		Note: "keep me posted", At: T0.Add(time.Hour)})
	if err != nil {
		t.Fatalf("AddCaseEvent(note): %v", err)
	}
	mustCreateCase(t, s, f.newCase(t, s, "c1", "n1", "", T0), heed.CaseEvent{}, T0.Add(4*time.Hour)) // another case's

	evs, err := s.ListCaseEvents(ctx, k1.ID)
	if err != nil {
		t.Fatalf("ListCaseEvents: %v", err)
	}
	type line struct {
		kind heed.CaseEventKind
		at   time.Time
	}
	var lines []line
	for i, ev := range evs {
		lines = append(lines, line{ev.Kind, ev.At})
		if ev.CaseID != k1.ID || i > 0 && ev.ID <= evs[i-1].ID {
			t.Errorf("event %d: case %d, id %d; want case %d, ids ascending", i, ev.CaseID, ev.ID, k1.ID)
		}
	}
	wantLines := []line{{heed.EventOpened, T0}, {heed.EventTransition, T0.Add(2 * time.Hour)},
		{heed.EventCall, T0.Add(3 * time.Hour)}, {heed.EventNote, T0.Add(time.Hour)}}
	if !slices.Equal(lines, wantLines) {
		t.Errorf("timeline = %v; want %v", lines, wantLines)
	}
	if len(evs) == 4 {
		if !reflect.DeepEqual(evs[2], wantCall) || !reflect.DeepEqual(evs[3], note) {
			t.Errorf("listed call and note =\n%+v\n%+v\nwant\n%+v\n%+v", evs[2], evs[3], wantCall, note)
		}
		if tr := evs[1]; tr.Actor != "ann@acme.example" || tr.From != "investigating" || tr.To != "follow_up" ||
			tr.Data != nil || tr.Outcome != "" {
			t.Errorf("transition = %+v", tr)
		}
	}

	bad := []struct {
		change      func(ev *heed.CaseEvent)
		code        heed.Code
		field, what string
	}{
		{func(ev *heed.CaseEvent) { ev.CaseID += 1000 }, heed.ENotFound, "", "an unknown case"},
		{func(ev *heed.CaseEvent) { ev.Kind = "" }, heed.EInvalid, "kind", "no kind"},
		{func(ev *heed.CaseEvent) { ev.At = time.Time{} }, heed.EInvalid, "at", "no time"},
		{func(ev *heed.CaseEvent) { ev.Outcome = "maybe" }, heed.EInvalid, "outcome", "an unknown outcome"},
		{func(ev *heed.CaseEvent) { ev.Data = json.RawMessage(`[1,`) }, heed.EInvalid, "data", "data that is not JSON"},
		{func(ev *heed.CaseEvent) { ev.Note = "bad \xff" }, heed.EInvalid, "note", "invalid UTF-8"},
		{func(ev *heed.CaseEvent) { ev.Data = json.RawMessage("[\"bad \xff\"]") }, heed.EInvalid, "data",
			"invalid UTF-8 in data"},
	}
	for _, tt := range bad {
		ev := call
		tt.change(&ev)
		_, err := s.AddCaseEvent(ctx, ev)
		wantErr(t, "AddCaseEvent with "+tt.what, err, tt.code, tt.field)
	}
	if evs, _ := s.ListCaseEvents(ctx, k1.ID); len(evs) != 4 {
		t.Errorf("%d events after refused ones; want 4", len(evs))
	}
	_, err = s.ListCaseEvents(ctx, k1.ID+1000)
	wantErr(t, "ListCaseEvents of an unknown case", err, heed.ENotFound, "")
}

func testOpenCase(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedCases(t, s)
	c1 := f.cases["k1"].CustomerID
	found := func(what string, customerID int64, want heed.Case) {
		t.Helper()
		got, err := s.FindOpenCase(ctx, customerID)
		if err != nil {
			t.Errorf("%s: FindOpenCase: %v", what, err)
			return
		}
		wantCase(t, what+": FindOpenCase", got, want)
	}
	found("one open case", c1, f.cases["k1"])
	newer := mustCreateCase(t, s, f.newCase(t, s, "c1", "n1", "ann", T0), heed.CaseEvent{}, T0.Add(caseDay))
	found("two open cases", c1, newer)
	newer.Stage, newer.ClosedAt = heed.StageClosed, caseTime(2*caseDay)
	mustUpdateCase(t, s, newer, heed.CaseEvent{Kind: heed.EventTransition}, T0.Add(2*caseDay))
	found("the newer closed", c1, f.cases["k1"])
	k1 := f.cases["k1"]
	k1.Stage, k1.ClosedAt = heed.StageClosed, caseTime(2*caseDay)
	mustUpdateCase(t, s, k1, heed.CaseEvent{Kind: heed.EventTransition}, T0.Add(2*caseDay))
	_, err := s.FindOpenCase(ctx, c1)
	wantErr(t, "FindOpenCase after both closed", err, heed.ENotFound, "")
	_, err = s.FindOpenCase(ctx, f.cases["k6"].CustomerID)
	wantErr(t, "FindOpenCase of a customer with a closed case", err, heed.ENotFound, "")

	k3 := f.cases["k3"]
	k3.Stage, k3.ResurveyAt, k3.ResurveyInvitationID = heed.StageVerification, caseTime(caseDay), f.ids["c5"]
	k3 = mustUpdateCase(t, s, k3, heed.CaseEvent{}, T0.Add(caseDay))
	if got, err := s.GetCaseByResurvey(ctx, f.ids["c5"]); err != nil {
		t.Errorf("GetCaseByResurvey: %v", err)
	} else {
		wantCase(t, "GetCaseByResurvey", got, k3)
	}
	_, err = s.GetCaseByResurvey(ctx, f.ids["c1"])
	wantErr(t, "GetCaseByResurvey of an invitation no case made", err, heed.ENotFound, "")
}

func testCaseFacts(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedCases(t, s)
	k1 := f.cases["k1"]
	k1.FirstContactAt = caseTime(30 * time.Minute)
	f.cases["k1"] = mustUpdateCase(t, s, k1, heed.CaseEvent{}, T0.Add(time.Hour))
	fact := func(name string) heed.CaseFact {
		c := f.cases[name]
		return heed.CaseFact{ID: c.ID, UnitID: c.UnitID, CustomerID: c.CustomerID, Stage: c.Stage,
			CategoryBefore: c.CategoryBefore, CategoryAfter: c.CategoryAfter, CreatedAt: c.CreatedAt,
			FirstContactDue: c.FirstContactDue, FirstContactAt: c.FirstContactAt, ClosedAt: c.ClosedAt,
			ResolveDue: c.ResolveDue, EscalationLevel: c.EscalationLevel}
	}
	facts := func(names ...string) []heed.CaseFact {
		out := []heed.CaseFact{}
		for _, n := range names {
			out = append(out, fact(n))
		}
		return out
	}
	all := heed.Scope{All: true}
	tests := []struct {
		name   string
		scope  heed.Scope
		filter heed.CaseFactFilter
		want   []heed.CaseFact
	}{
		{"all", all, heed.CaseFactFilter{}, facts("k1", "k2", "k3", "k4", "k5", "k6")},
		{"open", all, heed.CaseFactFilter{Open: true}, facts("k1", "k2", "k3", "k4", "k5")},
		{"north", all, heed.CaseFactFilter{UnitPath: f.units["north"].Path}, facts("k1", "k2", "k4", "k5", "k6")},
		{"hours 1 and 2", all, heed.CaseFactFilter{From: T0.Add(time.Hour), To: T0.Add(3 * time.Hour)}, facts("k2", "k3")},
		{"from hour 4, open", all, heed.CaseFactFilter{From: T0.Add(4 * time.Hour), Open: true}, facts("k5")},
		{"closed in hour 5", all, heed.CaseFactFilter{ClosedFrom: T0.Add(5 * time.Hour), ClosedTo: T0.Add(6 * time.Hour)}, facts("k6")},
		{"closed from hour 5", all, heed.CaseFactFilter{ClosedFrom: T0.Add(5 * time.Hour)}, facts("k6")},
		{"closed before hour 5", all, heed.CaseFactFilter{ClosedTo: T0.Add(5 * time.Hour)}, facts()},
		{"closed after hour 5", all, heed.CaseFactFilter{ClosedFrom: T0.Add(5*time.Hour + time.Microsecond)}, facts()},
		{"manager of north", f.principal("boss").Scope(), heed.CaseFactFilter{}, facts("k1", "k2", "k4", "k5", "k6")},
		{"manager of north in south", f.principal("boss").Scope(), heed.CaseFactFilter{UnitPath: f.units["south"].Path}, facts()},
		{"ann", f.principal("ann").Scope(), heed.CaseFactFilter{}, facts("k1", "k5", "k6")},
		{"nobody", heed.Scope{}, heed.CaseFactFilter{}, facts()},
	}
	for _, tt := range tests {
		got, err := s.ListCaseFacts(ctx, tt.scope, tt.filter)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: ListCaseFacts =\n%+v, %v\nwant\n%+v", tt.name, got, err, tt.want)
		}
	}
}

func testRootCauses(t *testing.T, s heed.Store) {
	ctx := t.Context()
	check := func(when string, want ...heed.RootCause) {
		t.Helper()
		got, err := s.ListRootCauses(ctx)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: ListRootCauses =\n%+v, %v\nwant\n%+v", when, got, err, want)
		}
	}
	seeded := []heed.RootCause{
		{Key: "billing_error", Name: "Billing error", Active: true},
		{Key: "delivery", Name: "Delivery problem", Active: true},
		{Key: "misunderstanding", Name: "Misunderstanding", Active: true},
		{Key: "other", Name: "Other", Active: true},
		{Key: "process", Name: "Process or policy", Active: true},
		{Key: "product_defect", Name: "Product defect", Active: true},
		{Key: "staff_behaviour", Name: "Staff behaviour", Active: true},
		{Key: "waiting_time", Name: "Waiting time", Active: true},
		{Key: "wrong_information", Name: "Wrong or missing information", Active: true},
	}
	check("as migrated", seeded...)
	for _, rc := range []heed.RootCause{
		{Key: "parking", Name: "Parking", Active: true},
		{Key: "other", Name: "Anything else", Active: false},
		{Key: "zz", Name: "Billing error", Active: true}, // names may repeat; keys break the tie
	} {
		if err := s.UpsertRootCause(ctx, rc, T0); err != nil {
			t.Fatalf("UpsertRootCause(%s): %v", rc.Key, err)
		}
	}
	check("after upserts",
		heed.RootCause{Key: "other", Name: "Anything else"}, seeded[0], heed.RootCause{Key: "zz", Name: "Billing error", Active: true},
		seeded[1], seeded[2], heed.RootCause{Key: "parking", Name: "Parking", Active: true},
		seeded[4], seeded[5], seeded[6], seeded[7], seeded[8])
	for _, tt := range []struct {
		rc    heed.RootCause
		field string
	}{
		{heed.RootCause{Name: "No key"}, "key"},
		{heed.RootCause{Key: "nameless", Name: " "}, "name"},
		{heed.RootCause{Key: "nul", Name: "a\x00"}, "name"},
	} {
		wantErr(t, fmt.Sprintf("UpsertRootCause(%+v)", tt.rc), s.UpsertRootCause(ctx, tt.rc, T0), heed.EInvalid, tt.field)
	}
}

func testPreventiveActions(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedCases(t, s)
	if list, err := s.ListPreventiveActions(ctx); err != nil || list == nil || len(list) != 0 {
		t.Errorf("ListPreventiveActions before any = %+v, %v; want an empty list", list, err)
	}
	in := heed.PreventiveAction{Title: "Second cashier at peak hours", Description: "Mondays & Fridays <b>",
		OwnerID: f.emps["boss"].Employee.ID, Due: caseTime(30*caseDay + 999),
		Owner: "ignored", Cases: 7} // read-only
	a, err := s.CreatePreventiveAction(ctx, in, T0.Add(999))
	if err != nil {
		t.Fatalf("CreatePreventiveAction: %v", err)
	}
	want := in
	want.ID, want.Owner, want.Due, want.Status, want.Cases = a.ID, "boss@acme.example", caseTime(30*caseDay), heed.ActionOpen, 0
	want.CreatedAt, want.UpdatedAt = T0, T0
	wantAction(t, "CreatePreventiveAction", a, want)
	b, err := s.CreatePreventiveAction(ctx, heed.PreventiveAction{Title: "Clearer price tags", Status: heed.ActionDone}, T0)
	if err != nil {
		t.Fatalf("CreatePreventiveAction(b): %v", err)
	}

	// Linked to a: k1 (c1, a detractor now a promoter: recovered), k2
	// (c3, not verified yet) and a new case of c1's (a detractor still:
	// verified, not recovered). Linked to b: k5 (c4, passive before, so
	// not recovered however it ends).
	link := func(c heed.Case, action int64, after *int, category string) heed.Case {
		c.PreventiveActionID, c.ScoreAfter, c.CategoryAfter = action, after, category
		return mustUpdateCase(t, s, c, heed.CaseEvent{}, T0.Add(caseDay))
	}
	link(f.cases["k1"], a.ID, ptr(9), "promoter")
	link(f.cases["k2"], a.ID, nil, "")
	k7 := mustCreateCase(t, s, heed.Case{CustomerID: f.cases["k1"].CustomerID, UnitID: f.units["n1"].ID,
		ScoreBefore: ptr(2), CategoryBefore: "detractor", PreventiveActionID: a.ID,
		ScoreAfter: ptr(4), CategoryAfter: "detractor", ResolveDue: T0}, heed.CaseEvent{}, T0.Add(caseDay))
	link(f.cases["k5"], b.ID, ptr(10), "promoter")

	want.Cases, want.Customers, want.Verified, want.Recovered = 3, 2, 2, 1
	got, err := s.GetPreventiveAction(ctx, a.ID)
	if err != nil {
		t.Fatalf("GetPreventiveAction: %v", err)
	}
	wantAction(t, "GetPreventiveAction with cases", got, want)
	wantB := b
	wantB.Cases, wantB.Customers, wantB.Verified, wantB.Recovered = 1, 1, 1, 0
	list, err := s.ListPreventiveActions(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("ListPreventiveActions = %+v, %v; want b and a", list, err)
	}
	wantAction(t, "listed first (newest)", list[0], wantB)
	wantAction(t, "listed second", list[1], want)
	cases, err := s.ListCases(ctx, heed.Scope{All: true}, heed.CaseFilter{PreventiveActionID: a.ID})
	f.names[k7.ID] = "k7"
	if names := f.caseNames(cases); err != nil || !slices.Equal(names, []string{"k7", "k2", "k1"}) {
		t.Errorf("ListCases of action a = %v, %v; want k7, k2, k1", names, err)
	}

	change := got
	change.Title, change.Description, change.OwnerID, change.Due = "Two cashiers", "", 0, nil
	change.Status, change.Owner = heed.ActionInProgress, "ignored"
	updated, err := s.UpdatePreventiveAction(ctx, change, T0.Add(2*caseDay))
	if err != nil {
		t.Fatalf("UpdatePreventiveAction: %v", err)
	}
	want = change
	want.Owner, want.UpdatedAt = "", T0.Add(2*caseDay)
	wantAction(t, "UpdatePreventiveAction", updated, want)
	change.Status = ""
	if updated, err := s.UpdatePreventiveAction(ctx, change, T0.Add(2*caseDay)); err != nil || updated.Status != heed.ActionOpen {
		t.Errorf("UpdatePreventiveAction without a status = %q, %v; want open", updated.Status, err)
	}

	bad := []struct {
		change      func(a *heed.PreventiveAction)
		code        heed.Code
		field, what string
	}{
		{func(a *heed.PreventiveAction) { a.Title = "" }, heed.EInvalid, "title", "no title"},
		{func(a *heed.PreventiveAction) { a.Title = "  " }, heed.EInvalid, "title", "a blank title"},
		{func(a *heed.PreventiveAction) { a.Status = "someday" }, heed.EInvalid, "status", "an unknown status"},
		{func(a *heed.PreventiveAction) { a.Description = "nul\x00" }, heed.EInvalid, "description", "a NUL"},
		{func(a *heed.PreventiveAction) { a.OwnerID = 1000 }, heed.ENotFound, "owner", "an unknown owner"},
	}
	for _, tt := range bad {
		pa := heed.PreventiveAction{ID: a.ID, Title: "Fine"}
		tt.change(&pa)
		_, err := s.CreatePreventiveAction(ctx, pa, T0)
		wantErr(t, "CreatePreventiveAction with "+tt.what, err, tt.code, tt.field)
		_, err = s.UpdatePreventiveAction(ctx, pa, T0)
		wantErr(t, "UpdatePreventiveAction with "+tt.what, err, tt.code, tt.field)
	}
	if list, _ := s.ListPreventiveActions(ctx); len(list) != 2 {
		t.Errorf("%d preventive actions after refused creates; want 2", len(list))
	}
	_, err = s.UpdatePreventiveAction(ctx, heed.PreventiveAction{ID: b.ID + 100, Title: "Gone"}, T0)
	wantErr(t, "UpdatePreventiveAction of an unknown id", err, heed.ENotFound, "")
	_, err = s.GetPreventiveAction(ctx, b.ID+100)
	wantErr(t, "GetPreventiveAction of an unknown id", err, heed.ENotFound, "")
}

func wantAction(t *testing.T, what string, got, want heed.PreventiveAction) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		t.Errorf("%s =\n%s (owner %d)\nwant\n%s (owner %d)", what, gj, got.OwnerID, wj, want.OwnerID)
	}
}

func testCaseSampleCandidates(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := caseFixture{invitationFixture: seedInvitations(t, s)}
	everyone := mustCreateProgram(t, s, heed.Program{Key: "everyone", Survey: "visit"})
	check := func(when string, open ...string) {
		t.Helper()
		cands, err := s.SampleCandidates(ctx, everyone)
		if err != nil || len(cands) != 6 {
			t.Fatalf("%s: SampleCandidates = %d, %v; want all 6 customers", when, len(cands), err)
		}
		var got []string
		for _, c := range cands {
			if c.OpenCase {
				got = append(got, c.ExternalID)
			}
		}
		if !slices.Equal(got, open) {
			t.Errorf("%s: customers with an open case = %v; want %v", when, got, open)
		}
	}
	check("before any case")
	k := mustCreateCase(t, s, f.newCase(t, s, "c1", "n1", "ann", T0), heed.CaseEvent{}, T0)
	closed := f.newCase(t, s, "c2", "n1", "", T0)
	closed.Stage = heed.StageClosed
	mustCreateCase(t, s, closed, heed.CaseEvent{}, T0)
	check("with c1's case open and c2's closed", "c1")
	k.Stage = heed.StageClosed
	mustUpdateCase(t, s, k, heed.CaseEvent{Kind: heed.EventTransition}, T0.Add(caseDay))
	check("after closing c1's case")
}
