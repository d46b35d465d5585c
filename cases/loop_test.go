package cases_test

import (
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/webhooks"
)

// TestDetractorOpensCase is the first "done when": a detractor
// answers; the store manager who answers for the customer has a case and
// an email, a webhook receiver gets case.opened signed so that a Standard
// Webhooks verifier accepts it, the regional manager above sees the case
// and the other region's manager does not.
func TestDetractorOpensCase(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			rcv := newReceiver(t)
			wh, err := f.hooks.Create(ctx, heed.System(), heed.Webhook{URL: rcv.URL, Events: []string{heed.EventCaseOpened}, Active: true})
			if err != nil || !strings.HasPrefix(wh.Secret, "whsec_") {
				t.Fatalf("create webhook = %+v, %v", wh, err)
			}
			f.runPool(t)

			r := f.answer(t, "C-1", 3, "The queue was endless and nobody helped.")
			nick := f.who(t, "nick@co.example")
			mine, err := f.cs.List(ctx, nick, cases.Filter{Owner: "me"})
			if err != nil || len(mine) != 1 {
				t.Fatalf("nick's cases = %+v, %v; want the new one", mine, err)
			}
			c := mine[0]
			if c.Customer != "C-1" || c.ResponseID != r.ID || c.Stage != heed.StageReported || c.Owner != "nick@co.example" ||
				c.CategoryBefore != "detractor" || *c.ScoreBefore != 3 || !c.FirstContactDue.Equal(t0.Add(48*time.Hour)) {
				t.Fatalf("case = %+v", c)
			}
			msgs, err := f.mail.WaitFor(ctx, 1)
			if err != nil || msgs[0].To[0] != "nick@co.example" || !strings.Contains(msgs[0].Text, "The queue was endless") ||
				!strings.Contains(msgs[0].Text, "http://heed.test/cases/") {
				t.Fatalf("alert email = %+v, %v", msgs, err)
			}
			waitFor(t, "case.opened at the receiver", func() bool { return len(rcv.all()) == 1 })
			got := rcv.all()[0]
			if err := webhooks.Verify(wh.Secret, got.Header, got.Body, f.clock.Now(), 5*time.Minute); err != nil {
				t.Fatalf("signature: %v", err)
			}
			if got.Event.Type != heed.EventCaseOpened || got.Case != c.ID {
				t.Fatalf("event = %s for case %d; want case.opened for %d", got.Event.Type, got.Case, c.ID)
			}
			if _, err := f.cs.Get(ctx, f.who(t, "nora@co.example"), c.ID); err != nil {
				t.Fatalf("the regional manager above cannot see the case: %v", err)
			}
			if _, err := f.cs.Get(ctx, f.who(t, "sam@co.example"), c.ID); !heed.IsNotFound(err) {
				t.Fatalf("the other region's manager: %v; want not found", err)
			}
			if cs, _ := f.cs.List(ctx, f.who(t, "sam@co.example"), cases.Filter{}); len(cs) != 0 {
				t.Fatalf("the other region's manager lists %d cases", len(cs))
			}
			// A second detractor answer joins the open case; a promoter opens none.
			f.answer(t, "C-1", 2, "Still waiting.")
			f.answer(t, "C-3", 10, "Lovely")
			all, _ := f.cs.List(ctx, heed.System(), cases.Filter{})
			if len(all) != 1 {
				t.Fatalf("%d cases; want 1 (one open case per customer, none for promoters)", len(all))
			}
			tl, err := f.cs.Timeline(ctx, nick, c.ID)
			if err != nil || len(tl) != 2 || tl[1].Kind != heed.EventFeedback {
				t.Fatalf("timeline = %+v, %v; want opened, feedback", tl, err)
			}
		})
	}
}

// TestRouting: the customer's own owner first, else the unit's
// responsible, else up the tree.
func TestRouting(t *testing.T) {
	f := newFixture(t, "sqlite")
	ctx := t.Context()
	f.answer(t, "C-2", 1, "")
	cs, _ := f.cs.List(ctx, heed.System(), cases.Filter{Customer: "C-2"})
	if len(cs) != 1 || cs[0].Owner != "kim@co.example" {
		t.Fatalf("C-2's case = %+v; want owned by kim, the customer's owner", cs)
	}
	// Nobody responsible for n2 any more: the case goes up to north.
	dirUnits(t, f, heed.Unit{Key: "n2", Name: "North Two", Parent: "north"})
	f.answer(t, "C-3", 0, "")
	cs, _ = f.cs.List(ctx, heed.System(), cases.Filter{Customer: "C-3"})
	if len(cs) != 1 || cs[0].Owner != "nora@co.example" {
		t.Fatalf("C-3's case = %+v; want owned by nora, responsible one level up", cs)
	}
}

// TestWorkCaseThroughEveryStage: the case goes through all nine stages, a
// call is logged, it is redirected once, closed, and the re-survey goes
// out after the configured 30 days — on a controlled clock.
func TestWorkCaseThroughEveryStage(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			f.answer(t, "C-1", 4, "Wrong price on the shelf")
			nick := f.who(t, "nick@co.example")
			c := onlyCase(t, f, nick)

			if _, err := f.cs.Transition(ctx, nick, c.ID, heed.StageRootCause, "", 0); err == nil ||
				!strings.Contains(err.Error(), "follow_up cannot be skipped") {
				t.Fatalf("skipping the follow-up: %v; want refused", err)
			}
			if _, err := f.cs.Transition(ctx, f.who(t, "sue@co.example"), c.ID, heed.StageInvestigating, "", 0); !heed.IsNotFound(err) {
				t.Fatalf("someone of another store moved the case: %v", err)
			}
			c = step(t, f, nick, c, heed.StageInvestigating)
			c, err := f.cs.LogCall(ctx, nick, c.ID, heed.CallNoAnswer, "voicemail")
			if err != nil || c.FirstContactAt != nil {
				t.Fatalf("no-answer call: %+v, %v; not a contact yet", c.FirstContactAt, err)
			}
			f.clock.Add(3 * time.Hour)
			if c, err = f.cs.LogCall(ctx, nick, c.ID, heed.CallReached, "apologised, explained the shelf label"); err != nil ||
				c.FirstContactAt == nil || !c.FirstContactAt.Equal(f.clock.Now()) {
				t.Fatalf("reached call: %+v, %v; want first contact now", c.FirstContactAt, err)
			}
			// Redirect to the pricing team (another store's unit and person).
			c, err = f.cs.Redirect(ctx, nick, c.ID, cases.RedirectTo{Owner: "nell@co.example", Note: "Nell runs pricing for the region"})
			if err != nil || c.Owner != "nell@co.example" || c.Unit != "n2" || c.ResponseType != heed.ResponseRedirect {
				t.Fatalf("redirect = %+v, %v", c, err)
			}
			nell := f.who(t, "nell@co.example")
			for _, st := range []heed.Stage{heed.StageCorrectiveAction, heed.StageFollowUp, heed.StageRootCause} {
				c = step(t, f, nell, c, st)
			}
			rc := "wrong_information"
			if c, err = f.cs.Update(ctx, nell, c.ID, cases.Change{RootCause: &rc}); err != nil || c.RootCause != rc {
				t.Fatalf("root cause: %+v, %v", c.RootCause, err)
			}
			pa, err := f.cs.SavePreventiveAction(ctx, f.who(t, "nora@co.example"), heed.PreventiveAction{Title: "Print shelf labels from the price system"})
			if err != nil {
				t.Fatal(err)
			}
			if c, err = f.cs.Update(ctx, nell, c.ID, cases.Change{PreventiveActionID: &pa.ID}); err != nil {
				t.Fatal(err)
			}
			for _, st := range []heed.Stage{heed.StagePreventiveAction, heed.StageFollowUp2, heed.StageVerification, heed.StageClosed} {
				c = step(t, f, nell, c, st)
			}
			if c.ClosedAt == nil || c.ResurveyAt == nil || !c.ResurveyAt.Equal(f.clock.Now().AddDate(0, 0, 30)) {
				t.Fatalf("closed case: closed %v, re-survey %v; want re-survey in 30 days", c.ClosedAt, c.ResurveyAt)
			}
			tl, _ := f.cs.Timeline(ctx, nell, c.ID)
			var kinds []string
			for _, e := range tl {
				kinds = append(kinds, string(e.Kind))
			}
			if want := "opened transition call call redirect transition transition transition changed changed transition transition transition transition"; strings.Join(kinds, " ") != want {
				t.Fatalf("timeline %s\nwant     %s", strings.Join(kinds, " "), want)
			}
			f.runPool(t)
			before := len(f.mail.Messages())
			f.advance(t, 29*24*time.Hour)
			time.Sleep(200 * time.Millisecond) // the pool has looked, on a clock not yet there
			if n := invitationsOf(t, f, "C-1"); n != 1 {
				t.Fatalf("%d invitations of C-1 after 29 days; want only the first", n)
			}
			f.advance(t, 24*time.Hour+time.Minute)
			waitFor(t, "the re-survey", func() bool { return invitationsOf(t, f, "C-1") == 2 })
			waitFor(t, "the re-survey email", func() bool {
				for _, m := range f.mail.Messages()[before:] {
					if m.To[0] == "c1@mail.example" {
						return true
					}
				}
				return false
			})
			c, _ = f.cs.Get(ctx, heed.System(), c.ID)
			if c.ResurveyInvitationID == 0 {
				t.Fatalf("the case does not link its re-survey")
			}
			// The customer answers 9: the case shows before and after, the
			// preventive action one recovered customer.
			answerInvitation(t, f, c.ResurveyInvitationID, 9)
			c, _ = f.cs.Get(ctx, heed.System(), c.ID)
			if c.ScoreAfter == nil || *c.ScoreAfter != 9 || c.CategoryAfter != "promoter" {
				t.Fatalf("score after = %v (%s); want 9, promoter", c.ScoreAfter, c.CategoryAfter)
			}
			pa, _ = f.cs.PreventiveAction(ctx, nell, pa.ID)
			if pa.Cases != 1 || pa.Customers != 1 || pa.Verified != 1 || pa.Recovered != 1 {
				t.Fatalf("preventive action = %+v; want 1 case, 1 customer, verified and recovered (4 → 9)", pa)
			}
			m, err := f.cs.Metrics(ctx, f.who(t, "nora@co.example"), "", t0.AddDate(0, 0, -1), f.clock.Now())
			if err != nil || m.Total.Detractors != 1 || m.Total.Verified != 1 || m.Total.Recovered != 1 ||
				m.Total.RecoveryRate == nil || *m.Total.RecoveryRate != 100 || m.Total.Contacted != 1 {
				t.Fatalf("loop metrics = %+v, %v", m.Total, err)
			}
		})
	}
}

func onlyCase(t *testing.T, f *fixture, p heed.Principal) heed.Case {
	t.Helper()
	cs, err := f.cs.List(t.Context(), p, cases.Filter{Owner: "me"})
	if err != nil || len(cs) != 1 {
		t.Fatalf("cases of %s = %+v, %v; want one", p.Name, cs, err)
	}
	return cs[0]
}

func step(t *testing.T, f *fixture, p heed.Principal, c heed.Case, to heed.Stage) heed.Case {
	t.Helper()
	out, err := f.cs.Transition(t.Context(), p, c.ID, to, "on to "+string(to), c.Version)
	if err != nil || out.Stage != to {
		t.Fatalf("move %d from %s to %s: %v", c.ID, c.Stage, to, err)
	}
	return out
}

func invitationsOf(t *testing.T, f *fixture, customer string) int {
	t.Helper()
	invs, err := f.store.ListInvitations(t.Context(), heed.Scope{All: true}, heed.InvitationFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, inv := range invs {
		if inv.Customer == customer {
			n++
		}
	}
	return n
}

func dirUnits(t *testing.T, f *fixture, units ...heed.Unit) {
	t.Helper()
	if _, err := f.store.UpsertUnits(t.Context(), units, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
}
