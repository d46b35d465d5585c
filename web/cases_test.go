package web_test

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/internal/testdb"
)

// TestInboxShowsDetractorToOwner: a detractor's answer is on the call
// list of the employee who answers for the customer, most urgent first,
// with its one-click call buttons; the manager above sees the answer but
// does not own the call; another region sees neither.
func TestInboxShowsDetractorToOwner(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newLoopEnv(t, engine)
			// Bob's case is older than Alice's, with a lower score, but
			// Alice's is late: it comes first; then Bob's, due sooner
			// than Carol's newer one, which fred does not own anyway.
			e.clock.Set(-72 * time.Hour)
			alice := e.answerAs("C-100", 5, "The queue was endless and nobody helped.")
			e.clock.Set(-time.Hour)
			bob := e.answerAs("C-101", 1, "Broken on arrival")
			e.clock.Set(0)
			carol := e.answerAs("C-102", 2, "Rude staff in York")
			e.answerAs("C-200", 0, "Bristol is a mess")
			if alice == 0 || bob == 0 || carol == 0 {
				t.Fatalf("cases %d %d %d: every detractor should open one", alice, bob, carol)
			}
			if c := e.kase(alice); c.Owner != "fred@acme.test" || !c.Late(time.Now()) {
				t.Fatalf("Alice's case = %+v; want fred's and late", c)
			}

			p := e.get(e.signedIn("fred@acme.test"), "/inbox")
			wantStatus(t, p, http.StatusOK, "fred's inbox")
			calls := between(p.body, `id="calls"`, `id="feedback"`)
			wantContains(t, page{body: calls}, "fred's call list", "Alice Archer", "The queue was endless and nobody helped.",
				"Bob Baker", "Broken on arrival", ">Late<", fmt.Sprintf(`action="/cases/%d/calls"`, alice),
				`name="outcome" value="reached"`, `name="outcome" value="no_answer"`, `name="outcome" value="call_back_later"`,
				`btn-quiet">No answer</button>`, `btn-quiet">Call back later</button>`,
				`<input type="hidden" name="next" value="/inbox">`, "2 open cases")
			wantNotContains(t, page{body: calls}, "fred's call list", "Carol Cole", "Dan Dale")
			if a, b := strings.Index(calls, "Alice Archer"), strings.Index(calls, "Bob Baker"); a > b {
				t.Errorf("the late case (Alice) is not first on the call list")
			}
			feedback := between(p.body, `id="feedback"`, "</section>")
			wantContains(t, page{body: feedback}, "fred's new feedback", "Broken on arrival", "response-bad")
			wantNotContains(t, page{body: feedback}, "fred's new feedback", "Bristol is a mess", "Rude staff in York")
			wantContains(t, p, "fred's inbox", `data-events="/inbox/events"`, `src="/static/inbox.js?v=`, `href="/inbox" aria-current="page"`)
			wantNotContains(t, p, "fred's navigation", `href="/cases"`, `href="/settings/rules"`)

			// Nora owns Carol's case (nobody answers for York, so it went up
			// to the region) and hears every answer of the north.
			p = e.get(e.signedIn("nora@acme.test"), "/inbox")
			calls = between(p.body, `id="calls"`, `id="feedback"`)
			wantContains(t, page{body: calls}, "nora's call list", "Carol Cole", "Rude staff in York")
			wantNotContains(t, page{body: calls}, "nora's call list", "Alice Archer")
			wantContains(t, p, "nora's feedback", "The queue was endless", "Broken on arrival", `href="/cases"`)
			wantNotContains(t, p, "nora's feedback", "Bristol is a mess")

			p = e.get(e.signedIn("sam@acme.test"), "/inbox")
			wantContains(t, p, "sam's inbox", "Dan Dale", "Bristol is a mess")
			wantNotContains(t, p, "sam's inbox", "Alice Archer", "The queue was endless", "Rude staff")
		})
	}
}

// TestInboxCommentsReadTogether: the call list's comments come from one
// read of the answers; an answer older than that read is looked up on
// its own, and one outside the viewer's scope (a case handed over from
// another region) gives way to the case's title.
func TestInboxCommentsReadTogether(t *testing.T) {
	e := newLoopEnv(t, "")
	e.answerAs("C-100", 5, "The queue was endless and nobody helped.")
	dan := e.answerAs("C-200", 0, "Bristol is a mess")
	e.seedAnswers("visits", many(210, "north-1", 10, time.Now())) // more answers than one read, none a case
	e.answerAs("C-101", 1, "Broken on arrival")
	if _, err := e.cs.Redirect(context.Background(), heed.System(), dan, cases.RedirectTo{Owner: "fred@acme.test", Note: "he knows Dan"}); err != nil {
		t.Fatal(err)
	}
	p := e.get(e.signedIn("fred@acme.test"), "/inbox")
	wantStatus(t, p, http.StatusOK, "fred's inbox")
	calls := between(p.body, `id="calls"`, `id="feedback"`)
	wantContains(t, page{body: calls}, "fred's call list",
		`<p class="call-comment">The queue was endless and nobody helped.</p>`,
		`<p class="call-comment">Broken on arrival</p>`,
		`<p class="call-comment">`+html.EscapeString(e.kase(dan).Title)+`</p>`, "Dan Dale")
}

// TestCasePageAccess: the case shows to whoever may see its customer's
// unit, and is "not found" to another region's manager.
func TestCasePageAccess(t *testing.T) {
	e := newLoopEnv(t, "")
	id := e.answerAs("C-100", 3, "Wrong price on the shelf")
	path := fmt.Sprintf("/cases/%d", id)
	for _, who := range []string{"fred@acme.test", "nora@acme.test", "admin@acme.test"} {
		p := e.get(e.signedIn(who), path)
		wantStatus(t, p, http.StatusOK, who+" on the case")
		wantContains(t, p, who+" on the case", "Alice Archer", "Wrong price on the shelf", "Leeds", "Fred Front")
	}
	sam := e.signedIn("sam@acme.test")
	p := e.get(sam, path)
	wantStatus(t, p, http.StatusNotFound, "another region's manager on the case")
	wantNotContains(t, p, "another region's manager on the case", "Alice Archer", "Wrong price")
	wantStatus(t, e.get(sam, "/cases/abc"), http.StatusNotFound, "a malformed case id")
	wantStatus(t, e.get(sam, "/cases/999999"), http.StatusNotFound, "no such case")
	// Nor can he act on it.
	p = e.post(sam, path+"/calls", url.Values{"outcome": {"reached"}})
	wantStatus(t, p, http.StatusNotFound, "another region's manager logging a call")
	if evs := e.timeline(id); len(evs) != 1 {
		t.Errorf("the refused call left %d events", len(evs))
	}
	wantNotContains(t, e.get(sam, "/cases"), "sam's cases", "Alice Archer")
}

// TestCasePageWorksTheCase: the case page's forms call the service, and
// what it refuses is shown next to the form.
func TestCasePageWorksTheCase(t *testing.T) {
	e := newLoopEnv(t, "")
	id := e.answerAs("C-100", 2, "I feel ignored, nobody ever calls back!!")
	path := fmt.Sprintf("/cases/%d", id)
	fred := e.signedIn("fred@acme.test")

	p := e.get(fred, path)
	wantContains(t, p, "the case page",
		`<li class="step step-current" aria-current="step">`, "Reported", "Second follow-up",
		`value="reached" class="btn">Reached</button>`,
		// Follow-up may not be skipped, so forward the form offers only
		// the stages up to it; back, nothing (the case is at the start).
		`<option value="investigating" selected>Investigating</option>`, `<option value="follow_up">Follow-up</option>`,
		// The suggestion from the comment's feelings, preselected.
		`<option value="empathizer" selected>Empathizer</option>`, "speaks of how they felt",
		`<option value="waiting_time">Waiting time</option>`)
	wantNotContains(t, p, "the case page", `<option value="root_cause"`)
	if n := countMatches(p, `step-skippable`); n != 6 {
		t.Errorf("%d stages are marked skippable, want 6", n)
	}
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(p.body)[1]

	p = e.post(fred, path+"/stage", url.Values{"to": {"investigating"}, "version": {version}})
	wantStatus(t, p, http.StatusSeeOther, "move forward")
	if got := p.header.Get("Location"); !strings.HasPrefix(got, path+"?") || !strings.Contains(got, "done=moved") {
		t.Errorf("after moving, sent to %q", got)
	}
	if c := e.kase(id); c.Stage != heed.StageInvestigating {
		t.Fatalf("stage %s after the move", c.Stage)
	}
	// The same form again, with the version it was shown: refused.
	p = e.post(fred, path+"/stage", url.Values{"to": {"corrective_action"}, "version": {version}})
	wantStatus(t, p, http.StatusConflict, "a stale version")
	wantContains(t, p, "a stale version", "changed by someone else")
	// Skipping the follow-up, and going back without a note: the
	// service's reasons, beside the form, with what was typed.
	p = e.post(fred, path+"/stage", url.Values{"to": {"root_cause"}})
	wantStatus(t, p, http.StatusBadRequest, "skipping the follow-up")
	wantContains(t, p, "skipping the follow-up", "follow_up cannot be skipped", `href="#form-stage"`)
	p = e.post(fred, path+"/stage", url.Values{"to": {"reported"}})
	wantStatus(t, p, http.StatusBadRequest, "back without a note")
	wantContains(t, p, "back without a note", "Say why the case goes back")
	p = e.post(fred, path+"/stage", url.Values{"to": {"reported"}, "note": {"wrong customer"}})
	wantStatus(t, p, http.StatusSeeOther, "back with a note")
	if c := e.kase(id); c.Stage != heed.StageReported {
		t.Fatalf("stage %s after going back", c.Stage)
	}

	// A call from the inbox's one-click form goes back to the inbox.
	p = e.post(fred, path+"/calls", url.Values{"outcome": {"reached"}, "call_note": {"apologised"}, "next": {"/inbox"}})
	wantStatus(t, p, http.StatusSeeOther, "log a call")
	if got := p.header.Get("Location"); !strings.HasPrefix(got, "/inbox?") || !strings.Contains(got, "done=call") {
		t.Errorf("after the call, sent to %q", got)
	}
	if c := e.kase(id); c.FirstContactAt == nil {
		t.Error("a call that reached the customer is no first contact")
	}
	wantStatus(t, e.post(fred, path+"/calls", url.Values{"outcome": {"voicemail"}}), http.StatusBadRequest, "an unknown outcome")
	wantStatus(t, e.post(fred, path+"/calls", url.Values{"outcome": {"no_answer"}, "next": {"https://evil.example/"}}),
		http.StatusSeeOther, "a foreign next")

	// Decisions: only what changed is recorded.
	p = e.post(fred, path+"/decisions", url.Values{"customer_kind": {"empathizer"}, "response_type": {""}, "root_cause": {"waiting_time"},
		"note": {"long wait at the till"}})
	wantStatus(t, p, http.StatusSeeOther, "decisions")
	c := e.kase(id)
	if c.CustomerKind != heed.KindEmpathizer || c.RootCause != "waiting_time" || c.ResponseType != "" {
		t.Fatalf("after the decisions: kind %q, cause %q, type %q", c.CustomerKind, c.RootCause, c.ResponseType)
	}
	evs := e.timeline(id)
	last := evs[len(evs)-1]
	if last.Kind != heed.EventChanged || last.To != "customer kind empathizer; root cause waiting_time" || last.Note != "long wait at the till" {
		t.Errorf("decision event = %+v", last)
	}
	wantStatus(t, e.post(fred, path+"/decisions", url.Values{"customer_kind": {"empathizer"}, "root_cause": {"waiting_time"}}),
		http.StatusBadRequest, "nothing to change")

	// The timeline shows who did what, oldest first.
	p = e.get(fred, path)
	tl := between(p.body, `class="timeline"`, "</ol>")
	for i, want := range []string{"Case opened", "Moved from Reported to Investigating", "Moved back from Investigating to Reported",
		"wrong customer", "Called the customer: reached", "apologised", "Fred Front", "Set customer kind empathizer"} {
		if !strings.Contains(tl, want) {
			t.Errorf("timeline item %d %q missing:\n%s", i, want, tl)
		}
	}
	if strings.Index(tl, "Case opened") > strings.Index(tl, "Called the customer") {
		t.Error("the timeline is not oldest first")
	}
	wantContains(t, p, "the case page", "I feel ignored", "opened this case", `class="history-item history-this"`)

	// A preventive action planned from the case (managers only).
	nora := e.signedIn("nora@acme.test")
	wantStatus(t, e.post(fred, path+"/action", url.Values{"action_title": {"Second till at peak hours"}}), http.StatusForbidden,
		"a frontline employee planning an action")
	p = e.post(nora, path+"/action", url.Values{"action_title": {"Second till at peak hours"}})
	wantStatus(t, p, http.StatusSeeOther, "nora plans an action")
	if c := e.kase(id); c.PreventiveActionID == 0 {
		t.Fatal("the new action is not linked")
	}
	p = e.get(nora, "/actions")
	wantContains(t, p, "the actions page", "Second till at peak hours", `<td data-label="Cases" class="num">1</td>`)

	// Handed over to Yara in York.
	p = e.post(fred, path+"/redirect", url.Values{"owner": {"yara@acme.test"}})
	wantStatus(t, p, http.StatusBadRequest, "a hand-over without a note")
	wantContains(t, p, "a hand-over without a note", "Say why the case is handed over")
	p = e.post(fred, path+"/redirect", url.Values{"owner": {"nobody@acme.test"}, "redirect_note": {"who?"}})
	wantStatus(t, p, http.StatusBadRequest, "a hand-over to nobody")
	wantContains(t, p, "a hand-over to nobody", "nobody@acme.test", `value="who?"`)
	p = e.post(fred, path+"/redirect", url.Values{"owner": {"yara@acme.test"}, "redirect_note": {"she knows Alice"}})
	wantStatus(t, p, http.StatusSeeOther, "hand-over")
	if c := e.kase(id); c.Owner != "yara@acme.test" || c.Unit != "north-2" || c.ResponseType != heed.ResponseRedirect {
		t.Errorf("after the hand-over: owner %s, unit %s, type %s", c.Owner, c.Unit, c.ResponseType)
	}
	// Out of Leeds, the case is no longer Fred's to see.
	wantStatus(t, e.get(fred, path), http.StatusNotFound, "fred after handing over")
	if got := p.header.Get("Location"); got != "/inbox?done=redirected" {
		t.Errorf("after handing over out of sight, sent to %q", got)
	}
}

// TestCaseFormsRefuse: what a case form must not do — plan an action
// on a case the viewer may not see, read a broken version as none (which
// would skip the check for a stale edit), or drop a bad choice on the
// error page rather than beside the form.
func TestCaseFormsRefuse(t *testing.T) {
	e := newLoopEnv(t, "")
	id := e.answerAs("C-100", 2, "Nobody called me back")
	path := fmt.Sprintf("/cases/%d", id)
	ctx := context.Background()

	// Sam manages the south: Alice's case is not his to see, so nothing
	// he posts to it is created.
	p := e.post(e.signedIn("sam@acme.test"), path+"/action", url.Values{"action_title": {"A fix for the north"}})
	wantStatus(t, p, http.StatusNotFound, "another region's manager planning an action on the case")
	if acts, err := e.cs.PreventiveActions(ctx, heed.System()); err != nil || len(acts) != 0 {
		t.Errorf("after the refusal there are preventive actions %+v (%v)", acts, err)
	}

	fred := e.signedIn("fred@acme.test")
	for _, form := range []string{"/stage", "/decisions"} {
		p = e.post(fred, path+form, url.Values{"to": {"investigating"}, "customer_kind": {"geek"}, "version": {"1x"}})
		wantStatus(t, p, http.StatusBadRequest, "a broken version on "+form)
		wantContains(t, p, "a broken version on "+form, `Version &#34;1x&#34; is not a whole number`, "Nobody called me back")
	}
	if c := e.kase(id); c.Stage != heed.StageReported || c.CustomerKind != "" || c.Version != 1 {
		t.Errorf("forms with a broken version changed the case: %+v", c)
	}

	p = e.post(fred, path+"/action", url.Values{"action": {"the first one"}})
	wantStatus(t, p, http.StatusBadRequest, "an action that is not on the list")
	wantContains(t, p, "an action that is not on the list", "Choose a preventive action from the list.",
		`href="#form-action"`, "Nobody called me back")
	if c := e.kase(id); c.PreventiveActionID != 0 || c.Version != 1 {
		t.Errorf("a bad choice changed the case: %+v", c)
	}
}

// TestCasesManagerView: the list filters and marks late and escalated
// cases; the figures roll up the tree.
func TestCasesManagerView(t *testing.T) {
	e := newLoopEnv(t, "")
	e.clock.Set(-72 * time.Hour)
	late := e.answerAs("C-100", 1, "late one")
	e.clock.Set(0)
	fresh := e.answerAs("C-102", 4, "fresh one")
	done := e.answerAs("C-101", 6, "closed one")
	ctx, sys := context.Background(), heed.System()
	for _, st := range []heed.Stage{heed.StageFollowUp, heed.StageClosed} {
		if _, err := e.cs.Transition(ctx, sys, done, st, "", 0); err != nil {
			t.Fatal(err)
		}
	}
	nora := e.signedIn("nora@acme.test")
	// A closed case: every step done or skipped, reopening needs a note.
	p := e.get(nora, fmt.Sprintf("/cases/%d", done))
	wantStatus(t, p, http.StatusOK, "a closed case")
	wantContains(t, p, "a closed case", "closed ", "asked ", `<li class="step step-skipped step-skippable">`,
		`<option value="follow_up">Back to Follow-up (say why)</option>`)
	wantNotContains(t, p, "a closed case", `id="form-call"`, `id="form-redirect"`, `step-current`)
	p = e.get(nora, "/cases")
	wantStatus(t, p, http.StatusOK, "nora's cases")
	rows := between(p.body, "<tbody>", "</tbody>")
	wantContains(t, page{body: rows}, "open cases", "Alice Archer", "Carol Cole", `class="row-late"`)
	wantNotContains(t, page{body: rows}, "open cases", "Bob Baker")
	wantContains(t, p, "nora's cases", `name="open" value="1" checked`, `href="/cases" aria-current="page"`)

	p = e.get(nora, "/cases?f=1")
	wantContains(t, p, "all cases", "Bob Baker", "Alice Archer")
	p = e.get(nora, "/cases?f=1&late=1")
	wantContains(t, p, "late cases", fmt.Sprintf(`href="/cases/%d"`, late))
	wantNotContains(t, p, "late cases", fmt.Sprintf(`href="/cases/%d"`, fresh))
	p = e.get(nora, "/cases?f=1&unit=north-1&stage=reported")
	wantContains(t, p, "Leeds reported", "Alice Archer")
	wantNotContains(t, p, "Leeds reported", "Carol Cole")
	wantStatus(t, e.get(nora, "/cases?unit=south"), http.StatusNotFound, "nora filtering on the south")
	wantStatus(t, e.get(nora, "/cases?stage=lost"), http.StatusBadRequest, "an unknown stage")

	// The figures: three cases in the north, all detractors; one contacted
	// (the closed one went through the follow-up), one closed in time.
	p = e.get(nora, "/cases")
	figures := between(p.body, `id="figures-title"`, "</table>")
	for _, want := range []string{"North region", "Leeds", "York", "33%", "1 of 3", "100%", "1 of 1"} {
		if !strings.Contains(html.UnescapeString(figures), want) {
			t.Errorf("figures lack %q:\n%s", want, figures)
		}
	}
	wantNotContains(t, page{body: figures}, "nora's figures", "South region", "Bristol")
}

// TestLoopSettingsAdminsOnly: the settings pages refuse everyone but
// admins, because the services do.
func TestLoopSettingsAdminsOnly(t *testing.T) {
	e := newLoopEnv(t, "")
	for _, who := range []string{"fred@acme.test", "nora@acme.test"} {
		c := e.signedIn(who)
		for _, path := range []string{"/settings/rules", "/settings/rules/new", "/settings/rules/detractor-case", "/settings/webhooks"} {
			p := e.get(c, path)
			wantStatus(t, p, http.StatusForbidden, who+" on "+path)
			wantContains(t, p, who+" on "+path, "Not allowed")
		}
		for path, form := range map[string]url.Values{
			"/settings/rules/new":                   {"name": {"Sneaky"}, "open_case": {"on"}},
			"/settings/rules/detractor-case/delete": {"confirm": {"yes"}},
			"/settings/root-causes":                 {"name": {"Sneaky"}, "add": {"1"}},
			"/settings/webhooks":                    {"url": {"https://evil.example/"}},
			"/settings/rules/-/try":                 {"category": {"detractor"}},
		} {
			wantStatus(t, e.post(c, path, form), http.StatusForbidden, who+" posting "+path)
		}
		wantNotContains(t, e.get(c, "/inbox"), who+"'s navigation", `href="/settings/rules"`)
	}
	rules, err := e.cs.Rules(context.Background(), heed.System())
	if err != nil || len(rules) != 2 {
		t.Errorf("rules after the refusals: %d, %v", len(rules), err)
	}
	admin := e.signedIn("admin@acme.test")
	for _, path := range []string{"/settings/rules", "/settings/rules/new", "/settings/rules/detractor-case", "/settings/webhooks", "/settings/root-causes"} {
		wantStatus(t, e.get(admin, path), http.StatusOK, "admin on "+path)
	}
	wantContains(t, e.get(admin, "/inbox"), "admin's navigation", `href="/settings/rules"`, `href="/cases"`)
}

// TestRuleTryCreateEditDelete: "Try" counts what the rule as typed would
// have done; the rule is then saved, changed and deleted.
func TestRuleTryCreateEditDelete(t *testing.T) {
	e := newLoopEnv(t, "")
	e.answerAs("C-100", 3, "The card reader was broken")
	e.answerAs("C-100", 2, "Still broken")
	e.answerAs("C-102", 9, "Broken? Not at all")
	e.answerAs("C-200", 1, "Slow")
	admin := e.signedIn("admin@acme.test")
	form := url.Values{"name": {"Broken things"}, "category": {"detractor"}, "words": {"broken"}, "open_case": {"on"},
		"tag": {"on"}, "tag_text": {"broken"}, "active": {"on"}, "position": {"5"}}
	p := e.post(admin, "/settings/rules/-/try", form)
	wantStatus(t, p, http.StatusOK, "try")
	wantContains(t, p, "try", "This rule would have fired 2 times (1 customer)", "Still broken", `value="Broken things"`)
	wantNotContains(t, p, "try", "Not at all")
	if rules, _ := e.cs.Rules(context.Background(), heed.System()); len(rules) != 2 {
		t.Fatalf("trying saved a rule: %d rules", len(rules))
	}

	p = e.post(admin, "/settings/rules/new", url.Values{"name": {"Broken things"}, "min_score": {"ten"}})
	wantStatus(t, p, http.StatusBadRequest, "a bad number")
	wantContains(t, p, "a bad number", "min score must be a whole number", `href="#min_score"`)
	p = e.post(admin, "/settings/rules/new", url.Values{"name": {"Broken things"}})
	wantStatus(t, p, http.StatusBadRequest, "no action")
	wantContains(t, p, "no action", "A rule needs at least one action")
	p = e.post(admin, "/settings/rules/new", form)
	wantStatus(t, p, http.StatusSeeOther, "create")
	rule, err := e.cs.Rule(context.Background(), heed.System(), "broken-things")
	if err != nil || rule.Position != 5 || len(rule.Then) != 2 || rule.Then[1].Tag != "broken" || rule.When.Words[0] != "broken" {
		t.Fatalf("created rule = %+v, %v", rule, err)
	}
	p = e.get(admin, "/settings/rules")
	wantContains(t, p, "rules list", "Broken things", "Detractors · comment mentions “broken”", "Open a case, tag “broken”")
	if strings.Index(p.body, "Broken things") > strings.Index(p.body, "Detractors open a case") {
		t.Error("the rules are not listed in the order they apply")
	}

	form.Del("active")
	wantStatus(t, e.post(admin, "/settings/rules/broken-things", form), http.StatusSeeOther, "switch off")
	if rule, _ := e.cs.Rule(context.Background(), heed.System(), "broken-things"); rule.Active {
		t.Error("the rule is still active")
	}
	wantContains(t, e.get(admin, "/settings/rules/broken-things"), "edit page", "Try against last 30 days", "Delete rule")
	wantStatus(t, e.post(admin, "/settings/rules/broken-things/delete", url.Values{"confirm": {"yes"}}), http.StatusSeeOther, "delete")
	wantStatus(t, e.get(admin, "/settings/rules/broken-things"), http.StatusNotFound, "the deleted rule")
}

// TestWebhookSecretShownOnce: the signing secret is on the page that
// answers the creation and nowhere afterwards; deliveries show with a
// Redeliver button that works.
func TestWebhookSecretShownOnce(t *testing.T) {
	e := newLoopEnv(t, "")
	admin := e.signedIn("admin@acme.test")
	p := e.post(admin, "/settings/webhooks", url.Values{"url": {"ftp://nope"}})
	wantStatus(t, p, http.StatusBadRequest, "a bad url")
	wantContains(t, p, "a bad url", "must be an absolute http or https URL")

	p = e.post(admin, "/settings/webhooks", url.Values{"url": {"http://127.0.0.1:9/hook"}, "events": {"case.opened", "case.closed"},
		"format": {"standard"}, "active": {"on"}, "description": {"CRM"}})
	wantStatus(t, p, http.StatusCreated, "create")
	secret := regexp.MustCompile(`whsec_[A-Za-z0-9+/=]+`).FindString(html.UnescapeString(p.body))
	if secret == "" {
		t.Fatalf("the new webhook's secret is not shown:\n%s", p.body)
	}
	wantContains(t, p, "create", "This secret is shown only once")
	hooks, err := e.hooks.List(context.Background(), heed.System())
	if err != nil || len(hooks) != 1 {
		t.Fatalf("webhooks = %+v, %v", hooks, err)
	}
	id := hooks[0].ID
	wantNotContains(t, e.get(admin, "/settings/webhooks"), "the list afterwards", "whsec_", secret)
	wantNotContains(t, e.get(admin, fmt.Sprintf("/settings/webhooks/%d", id)), "the webhook's page", "whsec_", secret)

	kase := e.answerAs("C-100", 2, "webhook me")
	p = e.get(admin, fmt.Sprintf("/settings/webhooks/%d", id))
	wantContains(t, p, "deliveries", "case.opened", fmt.Sprintf(`href="/cases/%d"`, kase), ">Redeliver<")
	ds, err := e.hooks.Deliveries(context.Background(), heed.System(), heed.DeliveryFilter{WebhookID: id})
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries = %+v, %v", ds, err)
	}
	// The delivery failed for good (as the sender records it); Redeliver
	// queues it again — from its own webhook's page only.
	did := ds[0].ID
	if err := e.store.RecordDelivery(context.Background(), did, heed.DeliveryResult{State: heed.DeliveryGivenUp, Status: 500,
		Error: "receiver down"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	delivery := func() heed.WebhookDelivery {
		t.Helper()
		d, err := e.store.GetDelivery(context.Background(), did)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if d := delivery(); d.State != heed.DeliveryGivenUp || d.Attempts != 1 {
		t.Fatalf("the failed delivery: %+v", d)
	}
	other, err := e.hooks.Create(context.Background(), heed.System(), heed.Webhook{URL: "http://127.0.0.1:9/other", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	p = e.post(admin, fmt.Sprintf("/settings/webhooks/%d/redeliver/%d", other.ID, did), nil)
	wantStatus(t, p, http.StatusNotFound, "redeliver through another webhook")
	if d := delivery(); d.State != heed.DeliveryGivenUp || d.Attempts != 1 {
		t.Errorf("redelivering through another webhook changed the delivery: %+v", d)
	}
	p = e.post(admin, fmt.Sprintf("/settings/webhooks/%d/redeliver/%d", id, did), nil)
	wantStatus(t, p, http.StatusSeeOther, "redeliver")
	if got, want := p.header.Get("Location"), fmt.Sprintf("/settings/webhooks/%d?done=redelivered", id); got != want {
		t.Errorf("after Redeliver, sent to %q, want %q", got, want)
	}
	if d := delivery(); d.State != heed.DeliveryPending || d.Attempts != 0 {
		t.Errorf("after Redeliver the delivery is %s with %d attempts", d.State, d.Attempts)
	}
	wantStatus(t, e.post(admin, fmt.Sprintf("/settings/webhooks/%d/redeliver/%d", id, did+1000), nil), http.StatusNotFound,
		"redeliver a delivery that does not exist")

	// Editing: switched off, one event less; the secret is kept.
	p = e.post(admin, fmt.Sprintf("/settings/webhooks/%d", id), url.Values{"url": {"http://127.0.0.1:9/hook"}, "events": {"case.opened"},
		"format": {"slack"}})
	wantStatus(t, p, http.StatusSeeOther, "edit")
	w, err := e.store.GetWebhook(context.Background(), id)
	if err != nil || w.Active || w.Format != heed.FormatSlack || len(w.Events) != 1 || w.Secret != secret {
		t.Errorf("after the edit: %+v, %v", w, err)
	}
	wantStatus(t, e.post(admin, fmt.Sprintf("/settings/webhooks/%d/delete", id), url.Values{"confirm": {"yes"}}), http.StatusSeeOther, "delete")
	wantStatus(t, e.get(admin, fmt.Sprintf("/settings/webhooks/%d", id)), http.StatusNotFound, "the deleted webhook")
}

// TestRootCausesEdit: admins add, rename and switch off root causes; a
// switched-off one is no longer offered on a case.
func TestRootCausesEdit(t *testing.T) {
	e := newLoopEnv(t, "")
	admin := e.signedIn("admin@acme.test")
	wantStatus(t, e.post(admin, "/settings/root-causes", url.Values{"add": {"1"}, "name": {"Stock out"}}), http.StatusSeeOther, "add")
	p := e.post(admin, "/settings/root-causes", url.Values{"add": {"1"}, "name": {"stock OUT"}})
	wantStatus(t, p, http.StatusConflict, "add twice")
	wantContains(t, p, "add twice", "on the list already")
	wantStatus(t, e.post(admin, "/settings/root-causes", url.Values{"key": {"waiting_time"}, "name": {"Queues"}}), http.StatusSeeOther, "rename and switch off")
	p = e.get(admin, "/settings/root-causes")
	wantContains(t, p, "root causes", `value="Stock out"`, "stock_out", `value="Queues"`)
	id := e.answerAs("C-100", 3, "")
	p = e.get(admin, fmt.Sprintf("/cases/%d", id))
	wantContains(t, p, "the case's causes", `<option value="stock_out">Stock out</option>`)
	wantNotContains(t, p, "the case's causes", `value="waiting_time"`)
	// Everyone reads the list; only admins change it.
	p = e.get(e.signedIn("fred@acme.test"), "/settings/root-causes")
	wantStatus(t, p, http.StatusOK, "fred reads root causes")
	wantNotContains(t, p, "fred reads root causes", ">Save</button>", "Add a root cause")
}

// TestInboxEventsStream reads the inbox's event stream over HTTP: quiet
// while nothing changes, an event when a new case arrives (stored as any
// process would, in the database), and the stream ends on Stop.
func TestInboxEventsStream(t *testing.T) {
	e := newLoopEnv(t, "")
	e.answerAs("C-100", 4, "first")
	fred := e.signedIn("fred@acme.test")
	since := regexp.MustCompile(`data-since="([^"]+)"`).FindStringSubmatch(e.get(fred, "/inbox").body)[1]

	req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/inbox/events?since="+url.QueryEscape(since), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := fred.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	// next returns the next event's name and data, or "" when none
	// comes within d (or the stream ended: closed is true).
	next := func(d time.Duration) (event, data string, closed bool) {
		timeout := time.After(d)
		for {
			select {
			case l, ok := <-lines:
				switch {
				case !ok:
					return "", "", true
				case strings.HasPrefix(l, "event: "):
					event = strings.TrimPrefix(l, "event: ")
				case strings.HasPrefix(l, "data: "):
					data = strings.TrimPrefix(l, "data: ")
				case l == "" && event != "":
					return event, data, false
				}
			case <-timeout:
				return "", "", false
			}
		}
	}
	if ev, _, closed := next(500 * time.Millisecond); ev != "" || closed {
		t.Fatalf("the stream sent %q (closed %v) while nothing changed", ev, closed)
	}
	e.answerAs("C-101", 1, "second")
	ev, data, _ := next(5 * time.Second)
	if ev != "inbox" || data == since || data == "" {
		t.Fatalf("after a new case the stream sent %q %q", ev, data)
	}
	// The page now carries the state the event announced.
	if got := regexp.MustCompile(`data-since="([^"]+)"`).FindStringSubmatch(e.get(fred, "/inbox").body)[1]; got != data {
		t.Errorf("the page's state %q is not the event's %q", got, data)
	}
	// Another region's answer is none of Fred's business: no event.
	e.answerAs("C-200", 1, "elsewhere")
	if ev, _, _ := next(500 * time.Millisecond); ev != "" {
		t.Errorf("an answer fred cannot see sent %q", ev)
	}
	close(e.stop)
	if _, _, closed := next(2 * time.Second); !closed {
		t.Error("the stream did not end on Stop")
	}
}

// TestInboxEventsNeedSignIn: the stream is a page like the others.
func TestInboxEventsNeedSignIn(t *testing.T) {
	e := newLoopEnv(t, "")
	p := e.get(e.client(), "/inbox/events")
	wantStatus(t, p, http.StatusSeeOther, "signed out")
	if got := p.header.Get("Location"); !strings.HasPrefix(got, "/login") {
		t.Errorf("signed out, sent to %q", got)
	}
}
