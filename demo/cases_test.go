package demo

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/metrics"
)

// TestLoadCases loads the demo into a real SQLite file and checks that a
// fresh demo shows the closed loop at once: cases in every stage, late and
// escalated ones, preventive actions with their cases, a recovery rate,
// owners as the routing rule names them, timelines that agree with the
// cases, and a second load that adds nothing.
func TestLoadCases(t *testing.T) {
	ctx := context.Background()
	ds := Generate(1)
	store := loadOrg(t, ds)
	if _, err := LoadSurveys(ctx, newService(store), store, ds, demoNow, nil); err != nil {
		t.Fatal(err)
	}
	var done, total int
	rep, err := LoadCases(ctx, store, ds, demoNow, func(d, n int) { done, total = d, n })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first load: %+v", rep)
	if rep.Cases < 100 || rep.Actions != len(actionSpecs) || done != total || total != rep.Cases {
		t.Fatalf("first load %+v, progress %d of %d", rep, done, total)
	}
	all := readCases(t, store)
	if len(all) != rep.Cases {
		t.Fatalf("stored %d cases, the report says %d", len(all), rep.Cases)
	}

	t.Run("stages", func(t *testing.T) { checkStages(t, all) })
	t.Run("late and escalated", func(t *testing.T) { checkEscalations(t, store, all) })
	t.Run("owners", func(t *testing.T) { checkOwners(t, store, ds, all) })
	t.Run("timelines", func(t *testing.T) { checkTimelines(t, store, all) })
	t.Run("preventive actions", func(t *testing.T) { checkActions(t, store, all) })
	t.Run("recovery", func(t *testing.T) { checkRecovery(t, store, all) })
	t.Run("pending jobs", func(t *testing.T) { checkPendingJobs(t, store, all) })

	again, err := LoadCases(ctx, store, ds, demoNow.Add(24*time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again != (CaseReport{}) {
		t.Errorf("second load added %+v", again)
	}
	if n := len(readCases(t, store)); n != len(all) {
		t.Errorf("after a second load %d cases, were %d", n, len(all))
	}
	if acts, err := store.ListPreventiveActions(ctx); err != nil || len(acts) != len(actionSpecs) {
		t.Errorf("after a second load %d preventive actions (%v), want %d", len(acts), err, len(actionSpecs))
	}
}

// checkPendingJobs: the demo's cases go on when heed serve runs, as cases
// worked live would — each open case below the top escalation level has
// its escalation check queued, each closed case not yet re-surveyed its
// re-survey, at the time the case says.
func checkPendingJobs(t *testing.T, store heed.Store, all []heed.Case) {
	type pending struct {
		Case  int64     `json:"case"`
		Level int       `json:"level"`
		At    time.Time `json:"closed_at"`
	}
	queued := map[string]map[int64]heed.Job{cases.EscalateJob: {}, cases.ResurveyJob: {}}
	f := heed.JobFilter{State: heed.JobQueued, Limit: 1000}
	for {
		page, err := store.ListJobs(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range page {
			var pl pending
			if err := json.Unmarshal(j.Payload, &pl); err != nil {
				t.Fatal(err)
			}
			if m := queued[j.Kind]; m != nil {
				if _, dup := m[pl.Case]; dup {
					t.Errorf("case %d has two %s jobs", pl.Case, j.Kind)
				}
				m[pl.Case] = j
			}
		}
		if len(page) < f.Limit {
			break
		}
		f.BeforeID = page[len(page)-1].ID
	}
	var escalations, resurveys int
	for _, c := range all {
		esc, hasEsc := queued[cases.EscalateJob][c.ID]
		res, hasRes := queued[cases.ResurveyJob][c.ID]
		switch {
		case c.Open() && c.EscalationLevel < cases.MaxEscalation:
			escalations++
			if !hasEsc || (c.EscalationLevel == 0 && !esc.RunAt.Equal(c.FirstContactDue)) {
				t.Errorf("open case %d (level %d) has escalation job %v (%+v)", c.ID, c.EscalationLevel, hasEsc, esc)
			}
		case !c.Open() && c.ResurveyInvitationID == 0 && c.ResurveyAt != nil && c.ResurveyAt.After(demoNow):
			resurveys++
			if !hasRes || !res.RunAt.Equal(*c.ResurveyAt) {
				t.Errorf("closed case %d, re-survey due %v, has re-survey job %v (%+v)", c.ID, c.ResurveyAt, hasRes, res)
			}
		case hasEsc || hasRes:
			t.Errorf("case %d (%s, level %d, re-survey invitation %d) has a job it does not need", c.ID, c.Stage,
				c.EscalationLevel, c.ResurveyInvitationID)
		}
	}
	t.Logf("%d escalation checks and %d re-surveys queued", escalations, resurveys)
	if escalations == 0 || resurveys == 0 {
		t.Errorf("%d escalation checks and %d re-surveys pending; want some of each", escalations, resurveys)
	}
}

// readCases reads every case back through the store.
func readCases(t *testing.T, store heed.Store) []heed.Case {
	t.Helper()
	var out []heed.Case
	f := heed.CaseFilter{Limit: 1000}
	for {
		page, err := store.ListCases(context.Background(), heed.Scope{All: true}, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if len(page) < f.Limit {
			return out
		}
		f.BeforeID = page[len(page)-1].ID
	}
}

func countBy[K comparable](cs []heed.Case, key func(heed.Case) K) map[K]int {
	m := map[K]int{}
	for _, c := range cs {
		m[key(c)]++
	}
	return m
}

// checkStages: every stage has cases, the first two the most of the open
// ones, and most cases are closed.
func checkStages(t *testing.T, all []heed.Case) {
	by := countBy(all, func(c heed.Case) heed.Stage { return c.Stage })
	t.Logf("by stage: %v", by)
	for _, st := range heed.Stages() {
		if by[st] == 0 {
			t.Errorf("no case at %s", st)
		}
	}
	early, open := by[heed.StageReported]+by[heed.StageInvestigating], len(all)-by[heed.StageClosed]
	for _, st := range heed.Stages()[2:8] {
		if by[st] >= early/2 {
			t.Errorf("%d cases at %s; want fewer than half the %d reported or investigating", by[st], st, early)
		}
	}
	if by[heed.StageReported] < 3 || by[heed.StageInvestigating] < 3 || 3*early < open {
		t.Errorf("%d reported and %d investigating of %d open; want several of each, a third of the open ones",
			by[heed.StageReported], by[heed.StageInvestigating], open)
	}
	if closed := by[heed.StageClosed]; 2*closed < len(all) {
		t.Errorf("%d of %d cases closed; want most", closed, len(all))
	}
}

// checkEscalations: a few open cases are late, some escalated to each
// level, each to the manager cases.Managers finds for its owner.
func checkEscalations(t *testing.T, store heed.Store, all []heed.Case) {
	ctx := context.Background()
	late, levels := 0, map[int]int{}
	for _, c := range all {
		if c.Late(demoNow) {
			late++
			if c.EscalationLevel == 0 {
				t.Errorf("case %d is late but was never escalated", c.ID)
			}
		}
		if !c.Open() || c.EscalationLevel == 0 {
			continue
		}
		levels[c.EscalationLevel]++
		owner, err := store.GetEmployeeByID(ctx, c.OwnerID)
		if err != nil {
			t.Fatal(err)
		}
		mgrs, err := cases.Managers(ctx, store, owner, c.UnitID, cases.MaxEscalation)
		if err != nil || len(mgrs) == 0 {
			t.Fatalf("managers of %s: %v, %v", owner.Email, mgrs, err)
		}
		// As the escalation job does: the top of the chain when it is short.
		if want := mgrs[min(c.EscalationLevel, len(mgrs))-1]; c.EscalatedToID != want.ID || c.EscalatedTo != want.Email || c.EscalatedAt == nil {
			t.Errorf("case %d at level %d escalated to %q at %v, want %s", c.ID, c.EscalationLevel, c.EscalatedTo,
				c.EscalatedAt, want.Email)
		}
	}
	t.Logf("%d late, open escalated by level %v", late, levels)
	if late < 3 || late > 15 {
		t.Errorf("%d late cases; want a few", late)
	}
	if levels[1] == 0 || levels[2] == 0 {
		t.Errorf("open cases escalated by level: %v; want some at 1 and 2", levels)
	}
}

// checkOwners: each case is owned as the routing rule says (customer
// owner, else the unit's responsible, up the tree) unless it was handed
// over, and the store manager with a demo login has open cases.
func checkOwners(t *testing.T, store heed.Store, ds Dataset, all []heed.Case) {
	ctx := context.Background()
	redirected := 0
	for _, c := range all {
		evs, err := store.ListCaseEvents(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(evs, func(e heed.CaseEvent) bool { return e.Kind == heed.EventRedirect }) {
			redirected++
			if c.ResponseType != heed.ResponseRedirect {
				t.Errorf("redirected case %d has response type %q", c.ID, c.ResponseType)
			}
			continue
		}
		cust, err := store.GetCustomer(ctx, heed.Scope{All: true}, c.Customer)
		if err != nil {
			t.Fatal(err)
		}
		r, err := store.GetResponse(ctx, heed.Scope{All: true}, c.ResponseID)
		if err != nil {
			t.Fatal(err)
		}
		want, ok, err := cases.Owner(ctx, store, cust, r.UnitID)
		if err != nil || !ok || c.OwnerID != want.ID || c.UnitID != r.UnitID {
			t.Errorf("case %d owned by %s in unit %d; routing names %s (%v, %v) in %d", c.ID, c.Owner, c.UnitID,
				want.Email, ok, err, r.UnitID)
		}
	}
	if redirected < 1 || redirected > 3 {
		t.Errorf("%d redirected cases; want one or two", redirected)
	}
	var manager string
	for _, l := range ds.Logins {
		if l.Description == "store manager, "+loginStore {
			manager = l.Email
		}
	}
	e, err := store.GetEmployee(ctx, manager)
	if err != nil {
		t.Fatalf("store manager login %q: %v", manager, err)
	}
	mine, err := store.ListCases(ctx, heed.Scope{All: true}, heed.CaseFilter{OwnerID: e.ID, Open: true})
	late := 0
	for _, c := range mine {
		if c.Late(demoNow) {
			late++
		}
	}
	t.Logf("the store manager %s has %d open cases, %d late", manager, len(mine), late)
	if err != nil || len(mine) < 2 {
		t.Errorf("the store manager %s has %d open cases (%v); want a few in their inbox", manager, len(mine), err)
	}
}

// checkTimelines: every case opens with its response, its events are in
// time order and before now, and its fields agree with what happened.
func checkTimelines(t *testing.T, store heed.Store, all []heed.Case) {
	ctx := context.Background()
	rcs, err := store.ListRootCauses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	causes := map[string]bool{}
	for _, rc := range rcs {
		causes[rc.Key] = true
	}
	kinds := map[heed.CaseEventKind]int{}
	for _, c := range all {
		evs, err := store.ListCaseEvents(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 || evs[0].Kind != heed.EventOpened || evs[0].ResponseID != c.ResponseID || !evs[0].At.Equal(c.CreatedAt) {
			t.Fatalf("case %d does not start with its opening: %+v", c.ID, evs)
		}
		stage := heed.StageReported
		for i, e := range evs {
			kinds[e.Kind]++
			if i > 0 && e.At.Before(evs[i-1].At) || e.At.After(demoNow) {
				t.Errorf("case %d: event %d at %v is out of order or after now", c.ID, i, e.At)
			}
			if e.Kind == heed.EventTransition {
				if heed.Stage(e.From) != stage || !heed.CanMove(stage, heed.Stage(e.To)) {
					t.Errorf("case %d: transition %s → %s from stage %s", c.ID, e.From, e.To, stage)
				}
				stage = heed.Stage(e.To)
			}
			if e.Kind == heed.EventCall && !e.Outcome.Valid() {
				t.Errorf("case %d: call with outcome %q", c.ID, e.Outcome)
			}
		}
		switch {
		case stage != c.Stage:
			t.Errorf("case %d is at %s, its timeline ends at %s", c.ID, c.Stage, stage)
		case c.Stage.Index() >= heed.StageFollowUp.Index() && c.FirstContactAt == nil:
			t.Errorf("case %d at %s has no first contact", c.ID, c.Stage)
		case c.Stage == heed.StageClosed && (c.ClosedAt == nil || c.ResurveyAt == nil):
			t.Errorf("closed case %d has no closing time or re-survey", c.ID)
		case c.Stage != heed.StageReported && (c.CustomerKind == "" || c.ResponseType == ""):
			t.Errorf("worked case %d has no customer kind or response type", c.ID)
		case c.RootCause != "" && !causes[c.RootCause]:
			t.Errorf("case %d has the unknown root cause %q", c.ID, c.RootCause)
		case !c.FirstContactDue.Equal(c.CreatedAt.Add(48*time.Hour)) || !c.ResolveDue.Equal(c.CreatedAt.AddDate(0, 0, 14)):
			t.Errorf("case %d: service levels %v and %v for a case opened %v", c.ID, c.FirstContactDue, c.ResolveDue, c.CreatedAt)
		}
	}
	t.Logf("events by kind: %v", kinds)
	for _, k := range []heed.CaseEventKind{heed.EventCall, heed.EventTransition, heed.EventChanged, heed.EventRedirect,
		heed.EventEscalated, heed.EventFeedback, heed.EventNote} {
		if kinds[k] == 0 {
			t.Errorf("no %s event in any timeline", k)
		}
	}
	withCause := countBy(all, func(c heed.Case) bool { return c.RootCause != "" })
	if withCause[true] < len(all)/3 {
		t.Errorf("only %d of %d cases have a root cause", withCause[true], len(all))
	}
}

// checkActions: every preventive action covers several cases and
// customers, and its cases say so.
func checkActions(t *testing.T, store heed.Store, all []heed.Case) {
	acts, err := store.ListPreventiveActions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	linked := countBy(all, func(c heed.Case) int64 { return c.PreventiveActionID })
	for _, a := range acts {
		t.Logf("action %d %q: %d cases, %d customers, %d verified, %d recovered", a.ID, a.Title, a.Cases, a.Customers,
			a.Verified, a.Recovered)
		if a.Cases < 3 || a.Cases != linked[a.ID] || a.Customers < 3 || a.Owner == "" || a.Due == nil {
			t.Errorf("action %q: %d cases (%d link to it), %d customers, owner %q, due %v", a.Title, a.Cases,
				linked[a.ID], a.Customers, a.Owner, a.Due)
		}
	}
	if len(acts) < 3 {
		t.Errorf("%d preventive actions; want 3 or 4", len(acts))
	}
}

// checkRecovery: the closed-loop figures show a recovery rate between 40
// and 80%, and every verified case has the re-survey answer behind it.
func checkRecovery(t *testing.T, store heed.Store, all []heed.Case) {
	ctx := context.Background()
	svc := cases.New(store, nil, nil, cases.Config{Now: func() time.Time { return demoNow },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	m, err := svc.Metrics(ctx, heed.System(), "", demoNow.AddDate(0, -6, 0), demoNow)
	if err != nil {
		t.Fatal(err)
	}
	tot := m.Total
	t.Logf("closed loop: %d cases, %d verified, %d recovered, rate %v, open %d, late %d, escalated %d",
		tot.Cases, tot.Verified, tot.Recovered, deref(tot.RecoveryRate), tot.Open, tot.Late, tot.Escalated)
	if tot.RecoveryRate == nil || *tot.RecoveryRate < 40 || *tot.RecoveryRate > 80 || tot.Verified < 20 {
		t.Errorf("recovery %v of %d verified; want 40–80%% of a few dozen", deref(tot.RecoveryRate), tot.Verified)
	}
	byResponse := map[int64]heed.Case{}
	for _, c := range all {
		byResponse[c.ResponseID] = c
	}
	for _, c := range all {
		if c.CategoryAfter == "" {
			continue
		}
		answer := mustResurveyAnswer(t, store, c)
		// An unhappy verification is a detractor answer like any other:
		// the rule opened a case for it.
		if next, ok := byResponse[answer]; c.CategoryAfter == metrics.Detractor && (!ok || next.CustomerID != c.CustomerID || next.ID < c.ID) {
			t.Errorf("case %d was verified a detractor by response %d, which opened no later case", c.ID, answer)
		}
		r, err := store.GetResponse(ctx, heed.Scope{All: true}, answer)
		if err != nil || r.Score != *c.ScoreAfter || r.CustomerID != c.CustomerID || !r.CreatedAt.After(*c.ClosedAt) {
			t.Errorf("case %d verified %d; its re-survey answer is %+v (%v)", c.ID, *c.ScoreAfter, r, err)
		}
		sv, err := store.GetSurveyByID(ctx, r.SurveyID)
		if err != nil {
			t.Fatal(err)
		}
		if cat := metrics.Category(sv.Kind, *c.ScoreAfter); cat != c.CategoryAfter {
			t.Errorf("case %d: score after %d on %s is %s, not %s", c.ID, *c.ScoreAfter, sv.Key, cat, c.CategoryAfter)
		}
	}
}

// mustResurveyAnswer is the response to c's re-survey invitation.
func mustResurveyAnswer(t *testing.T, store heed.Store, c heed.Case) int64 {
	t.Helper()
	if c.ResurveyInvitationID == 0 {
		t.Fatalf("case %d has a score after but no re-survey invitation", c.ID)
	}
	r, err := store.GetResponseByInvitation(context.Background(), c.ResurveyInvitationID)
	if err != nil {
		t.Fatalf("case %d: the answer to invitation %d: %v", c.ID, c.ResurveyInvitationID, err)
	}
	return r.ID
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
