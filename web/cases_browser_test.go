package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/heedhq/heed"
)

// TestBrowserInboxAndCase: the store manager opens the inbox, sees the
// case, watches a new one arrive without reloading, logs a call with one
// click, opens the case and moves it to the next stage. Screenshots go
// where newShooter puts them ($HEED_SCREENSHOTS when set).
func TestBrowserInboxAndCase(t *testing.T) {
	e := newLoopEnv(t, "")
	e.clock.Set(-50 * time.Hour)
	bob := e.answerAs("C-101", 6, "The delivery was two days late and nobody told me.")
	e.clock.Set(0)
	alice := e.answerAs("C-100", 2, "The queue was endless and nobody helped. I felt ignored!")
	e.seedAnswers("visits", []answer{{unit: "north-1", score: 10, comment: "Lovely staff in Leeds.", at: time.Now().Add(-30 * time.Minute)}})
	if _, err := e.dir.UpsertCustomers(context.Background(), heed.System(), []heed.Customer{
		{ExternalID: "C-103", Name: "Erin Evans", Email: "erin@example.com", Unit: "north-1"}}); err != nil {
		t.Fatal(err)
	}

	ctx := browser(t)
	shots := newShooter(t, ctx)
	must(t, "desktop viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
	browserSignIn(t, ctx, e.env, "fred@acme.test")
	must(t, "open the inbox", chromedp.Do(ctx,
		chromedp.Click(css(`.site-nav a[href="/inbox"]`)),
		chromedp.WaitVisible(css(fmt.Sprintf("#case-%d", alice))),
	))
	got := text(t, ctx)
	for _, want := range []string{"Today's call list", "Alice Archer", "The queue was endless", "Bob Baker", "Late",
		"New feedback from your customers", "Lovely staff in Leeds."} {
		if !strings.Contains(got, want) {
			t.Errorf("the inbox lacks %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "Bob Baker") > strings.Index(got, "Alice Archer") {
		t.Error("Bob's late case is not first")
	}
	noBrokenWords(t, ctx, "desktop /inbox")
	shots.shot("desktop-inbox")

	// A new case arrives while the page is open: it shows without a
	// reload (the marker set on this page survives).
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(window.heedMarker = true)`))
	must(t, "mark the page", err)
	erin := e.answerAs("C-103", 1, "Nobody answered the phone.")
	must(t, "the new case shows", chromedp.Do(ctx, chromedp.WaitVisible(css(fmt.Sprintf("#case-%d", erin)))))
	if kept, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.heedMarker === true`)); err != nil || !kept {
		t.Errorf("the inbox reloaded the whole page for the new case (%v)", err)
	}

	// One click logs the call.
	must(t, "log a call", chromedp.Do(ctx,
		chromedp.Click(css(fmt.Sprintf(`#case-%d button[value="reached"]`, alice))),
		chromedp.WaitVisible(css(".alert-ok")),
	))
	if got := text(t, ctx); !strings.Contains(got, "Call logged.") {
		t.Errorf("after the call the inbox shows:\n%s", got)
	}
	if c := e.kase(alice); c.FirstContactAt == nil {
		t.Fatal("the call was not logged as the first contact")
	}

	// The case page: move it on.
	must(t, "open the case", chromedp.Do(ctx,
		chromedp.Click(css(fmt.Sprintf(`#case-%d .call-who a`, alice))),
		chromedp.WaitVisible(css(".stages")),
	))
	got = text(t, ctx)
	for _, want := range []string{"Alice Archer", "Reported", "Verification", "Called the customer: reached", "Empathizer", "Move the case"} {
		if !strings.Contains(got, want) {
			t.Errorf("the case page lacks %q:\n%s", want, got)
		}
	}
	noBrokenWords(t, ctx, "desktop /cases/id")
	shots.shot("desktop-case")
	must(t, "move to the next stage", chromedp.Do(ctx,
		chromedp.Click(css(`#form-stage button[type="submit"]`)),
		chromedp.WaitVisible(css(".alert-ok")),
	))
	if c := e.kase(alice); c.Stage != heed.StageInvestigating {
		t.Errorf("after Move the case is at %s", c.Stage)
	}
	cur, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.step[aria-current="step"]').innerText`))
	must(t, "read the current step", err)
	if !strings.Contains(cur, "Investigating") {
		t.Errorf("the current step shows %q", cur)
	}
	shots.shot("desktop-case-moved")

	// Phones: both pages fit 375 px.
	must(t, "phone viewport", chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2))))
	for _, p := range []struct{ path, wait, name string }{
		{"/inbox", "#calls", "inbox"},
		{fmt.Sprintf("/cases/%d", bob), ".stages", "case"},
	} {
		must(t, p.path, chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+p.path), chromedp.WaitVisible(css(p.wait))))
		fits(t, ctx, p.path, 375)
		shots.shot("phone-" + p.name)
	}
}

// TestBrowserLoopPages: the manager's and admin's pages of the loop read
// cleanly on a desktop and fit a phone; the webhook secret shows once.
func TestBrowserLoopPages(t *testing.T) {
	e := newLoopEnv(t, "")
	e.clock.Set(-72 * time.Hour)
	late := e.answerAs("C-100", 1, "late one")
	e.clock.Set(0)
	e.answerAs("C-102", 4, "fresh one")
	e.answerAs("C-200", 3, "south one")
	ctx0, sys := context.Background(), heed.System()
	if _, err := e.cs.Transition(ctx0, sys, late, heed.StageFollowUp, "", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cs.SavePreventiveAction(ctx0, sys, heed.PreventiveAction{Title: "Second till at peak hours",
		Owner: "nora@acme.test", Status: heed.ActionInProgress}); err != nil {
		t.Fatal(err)
	}

	ctx := browser(t)
	shots := newShooter(t, ctx)
	must(t, "desktop viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
	browserSignIn(t, ctx, e.env, "admin@acme.test")
	must(t, "add a webhook", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/settings/webhooks"),
		chromedp.WaitVisible(css("#url")),
		chromedp.SendKeys(css("#url"), "https://crm.example/hooks/heed"),
		chromedp.Click(css(`input[value="case.opened"]`)),
		chromedp.Click(css(`form[action="/settings/webhooks"] button[type="submit"]`)),
		chromedp.WaitVisible(css("#secret")),
	))
	secret, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("secret").value`))
	must(t, "read the secret", err)
	if !strings.HasPrefix(secret, "whsec_") || !strings.Contains(text(t, ctx), "This secret is shown only once.") {
		t.Errorf("after adding a webhook the page shows secret %q:\n%s", secret, text(t, ctx))
	}
	shots.shot("desktop-webhook-created")
	must(t, "try a rule", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/settings/rules/new"),
		chromedp.WaitVisible(css("#name")),
		chromedp.SendKeys(css("#name"), "Detractors in the north"),
		chromedp.SetValue(css("#unit"), "north"),
		chromedp.Click(css(`button[formaction="/settings/rules/-/try"]`)),
		chromedp.WaitVisible(css("#trial")),
	))
	if got := text(t, ctx); !strings.Contains(got, "This rule would have fired 2 times (2 customers)") {
		t.Errorf("the trial shows:\n%s", got)
	}
	shots.shot("desktop-rule-trial")
	pages := []struct{ path, wait, name string }{
		{"/cases", ".figures-table", "cases"},
		{"/actions", "table", "actions"},
		{"/settings/rules", "table", "rules"},
		{"/settings/rules/detractor-case", "#name", "rule"},
		{"/settings/webhooks", "table", "webhooks"},
		{"/settings/webhooks/1", "#url", "webhook"},
		{"/settings/root-causes", "table", "root-causes"},
	}
	for _, p := range pages {
		must(t, p.path, chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+p.path), chromedp.WaitVisible(css(p.wait))))
		noBrokenWords(t, ctx, "desktop "+p.path)
		shots.shot("desktop-" + p.name)
		if strings.HasPrefix(p.path, "/settings/webhooks") {
			// The whole document, not only its text: the secret was shown
			// in a field.
			doc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
			must(t, "read "+p.path, err)
			if strings.Contains(doc, secret) || strings.Contains(doc, "whsec_") {
				t.Errorf("the secret shows again on %s", p.path)
			}
		}
	}
	must(t, "phone viewport", chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2))))
	for _, p := range pages {
		must(t, p.path, chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+p.path), chromedp.WaitVisible(css(p.wait))))
		fits(t, ctx, p.path, 375)
		shots.shot("phone-" + p.name)
	}
}
