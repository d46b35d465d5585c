package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/browsertest"
)

// browser starts Debian's headless Chromium (see package browsertest)
// and returns a tab's context.
func browser(t *testing.T) context.Context { return browsertest.Tab(t) }

// shooter saves full-page screenshots to a temp dir and, when
// HEED_SCREENSHOTS names a directory, there too, for a person to look at.
type shooter struct {
	t    *testing.T
	ctx  context.Context
	dirs []string
}

func newShooter(t *testing.T, ctx context.Context) *shooter {
	s := &shooter{t: t, ctx: ctx, dirs: []string{t.TempDir()}}
	if d := os.Getenv("HEED_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		s.dirs = append(s.dirs, d)
	}
	return s
}

func (s *shooter) shot(name string) {
	s.t.Helper()
	png, err := chromedp.Run(s.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Fatalf("screenshot %s: %v", name, err)
	}
	for _, d := range s.dirs {
		if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
			s.t.Fatal(err)
		}
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// text returns the visible text of the page.
func text(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	must(t, "read page text", err)
	return s
}

func TestBrowserSignInSearchAndPhoneLayout(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.seedLongValues()
	ctx := browser(t)
	shots := newShooter(t, ctx)

	// Desktop: a wrong password first; the email stays and the cursor
	// waits in the password field.
	must(t, "desktop viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	must(t, "open overview", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/"),
		chromedp.WaitVisible(css("#email")),
	))
	shots.shot("desktop-login")
	must(t, "wrong password", chromedp.Do(ctx,
		chromedp.SendKeys(css("#email"), "admin@acme.test"),
		chromedp.SendKeys(css("#password"), "not the password"),
		chromedp.Click(css(`.login button[type="submit"]`)),
		chromedp.WaitVisible(css("#login-error")),
	))
	focus, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	must(t, "read focus", err)
	if focus != "password" {
		t.Errorf("after a wrong password the focus is on %q, want the password field", focus)
	}
	shots.shot("desktop-login-wrong")
	must(t, "sign in", chromedp.Do(ctx,
		chromedp.SendKeys(css("#password"), password),
		chromedp.Click(css(`.login button[type="submit"]`)),
		chromedp.WaitVisible(css(".stats")),
	))
	if got := text(t, ctx); !strings.Contains(got, "Welcome, Ada Admin") || !strings.Contains(got, "Sign out") {
		t.Fatalf("overview after sign-in shows:\n%s", got)
	}
	shots.shot("desktop-overview")

	// Search from the overview, then open a customer.
	must(t, "search", chromedp.Do(ctx,
		chromedp.SendKeys(css("#overview-q"), "alice"),
		chromedp.Click(css(`form.search button`)),
		chromedp.WaitVisible(css(`a[href="/customers/C-100"]`)),
	))
	if got := text(t, ctx); strings.Contains(got, "Dan Dale") {
		t.Errorf("search for alice also shows Dan Dale:\n%s", got)
	}
	must(t, "all customers", chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/customers"), chromedp.WaitVisible(css("#q"))))
	noBrokenWords(t, ctx, "desktop /customers")
	shots.shot("desktop-customers")
	must(t, "open customer", chromedp.Do(ctx,
		chromedp.Click(css(`a[href="/customers/C-100"]`)),
		chromedp.WaitVisible(css(".table-kv")),
	))
	if got := text(t, ctx); !strings.Contains(got, "Alice Archer") || !strings.Contains(got, "tier") {
		t.Errorf("customer page shows:\n%s", got)
	}
	shots.shot("desktop-customer")
	// The navigation items stay put whichever of them is the current page.
	navLefts, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](navLeftsJS))
	must(t, "measure navigation", err)
	for _, p := range []struct{ path, wait, name string }{
		{"/units", ".tree", "desktop-units"},
		{"/units/north", ".facts", "desktop-unit"},
		{"/employees", "table", "desktop-employees"},
		{"/no-such-page", ".error-page", "desktop-404"},
		{"/customers/C-300", ".table-kv", "desktop-customer-long"},
		{"/account", "#current_password", "desktop-account"},
	} {
		must(t, p.path, chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+p.path), chromedp.WaitVisible(css(p.wait))))
		noBrokenWords(t, ctx, "desktop "+p.path)
		sameNavPlaces(t, ctx, p.path, navLefts)
		shots.shot(p.name)
	}
	// Change the password: this device stays signed in.
	must(t, "change password", chromedp.Do(ctx,
		chromedp.SendKeys(css("#current_password"), password),
		chromedp.SendKeys(css("#new_password"), "a brand new secret"),
		chromedp.SendKeys(css("#repeat_password"), "a brand new secret"),
		chromedp.Click(css(`form[action="/account/password"] button`)),
		chromedp.WaitVisible(css(".alert-ok")),
	))
	if got := text(t, ctx); !strings.Contains(got, "Password changed; other devices have been signed out.") {
		t.Errorf("account page after the change shows:\n%s", got)
	}
	shots.shot("desktop-account-changed")
	// Jobs: the buttons enqueue through a same-origin form post.
	must(t, "enqueue test jobs", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/jobs"),
		chromedp.WaitVisible(css(".stats")),
		chromedp.Click(css(`form[action="/jobs/test"] button`)),
		chromedp.WaitVisible(css(".alert-ok")),
	))
	if got := text(t, ctx); !strings.Contains(got, "was enqueued") || !strings.Contains(got, "heed.test") {
		t.Errorf("jobs page after enqueue shows:\n%s", got)
	}
	noBrokenWords(t, ctx, "desktop /jobs")
	shots.shot("desktop-jobs")

	// Phone: every page fits 375 px without sideways scrolling.
	must(t, "phone viewport", chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2))))
	for _, p := range []struct{ path, wait, name string }{
		{"/", ".stats", "phone-overview"},
		{"/units", ".tree", "phone-units"},
		{"/units/north", ".facts", "phone-unit"},
		{"/employees", "table", "phone-employees"},
		{"/customers", "table", "phone-customers"},
		{"/customers/C-100", ".table-kv", "phone-customer"},
		{"/jobs", ".stats", "phone-jobs"},
		{"/customers/C-300", ".table-kv", "phone-customer-long"},
		{"/account", "#current_password", "phone-account"},
	} {
		must(t, p.path, chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+p.path), chromedp.WaitVisible(css(p.wait))))
		fit, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth,
			Math.ceil(Math.max(...[...document.querySelectorAll(".site-nav a, .account button")].map(a => a.getBoundingClientRect().right)))]`))
		must(t, "measure "+p.path, err)
		if fit[0] > fit[1] || fit[1] != 375 {
			t.Errorf("%s at 375 px: scrollWidth %d, innerWidth %d: the page overflows sideways", p.path, fit[0], fit[1])
		}
		if fit[2] > fit[1] {
			t.Errorf("%s at 375 px: a navigation link ends at %d px, off the screen", p.path, fit[2])
		}
		lines, err := chromedp.Run(ctx, chromedp.Evaluate[int](`new Set([...document.querySelectorAll(".site-nav a")].map(a => Math.round(a.getBoundingClientRect().top))).size`))
		must(t, "measure navigation", err)
		if lines != 1 {
			t.Errorf("%s at 375 px: the navigation takes %d lines, want 1", p.path, lines)
		}
		noBrokenWords(t, ctx, "phone "+p.path)
		if p.path == "/" {
			// Real organisations have 12,000 customers: that number keeps
			// clear of its card's right edge (at least its padding).
			gap, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
				const v = document.querySelectorAll(".stat-value")[2];
				v.textContent = "12,000";
				const r = document.createRange(); r.selectNodeContents(v);
				return Math.floor(v.closest("a").getBoundingClientRect().right - r.getBoundingClientRect().right);
			})()`))
			must(t, "measure 12,000", err)
			if gap < 8 {
				t.Errorf("/ at 375 px: 12,000 ends %d px from its card's right edge, want at least 8", gap)
			}
		}
		if p.path == "/customers" {
			// The long email must need wrapping here, or the check above
			// proves nothing about where it wraps.
			lines, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
				const td = [...document.querySelectorAll("td")].find(td => td.textContent.startsWith("maximilian."));
				const r = document.createRange(); r.selectNodeContents(td);
				return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;
			})()`))
			must(t, "measure long email", err)
			if lines < 2 {
				t.Errorf("/customers at 375 px: the long email takes %d line, want it wrapped", lines)
			}
		}
		shots.shot(p.name)
	}

	// Sign out from the phone layout; pages ask to sign in again.
	must(t, "sign out", chromedp.Do(ctx,
		chromedp.Click(css(`form[action="/logout"] button`)),
		chromedp.WaitVisible(css("#email")),
	))
	shots.shot("phone-login")
	must(t, "customers after sign-out", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/customers"),
		chromedp.WaitVisible(css("#email")),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, "location", err)
	if !strings.Contains(loc, "/login?next=") {
		t.Errorf("after sign-out /customers led to %s, want the sign-in page", loc)
	}
	must(t, "404 signed out", chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/no-such-page"), chromedp.WaitVisible(css(".error-page"))))
	shots.shot("phone-404-signed-out")
}

// brokenWordsJS lists the words of table cells and facts that the layout
// split over two lines. Emails may wrap only after "@" or before "."; a
// hyphen or slash is a fair place to break, so the parts between them
// count as words.
const brokenWordsJS = `(() => {
	const bad = [];
	for (const el of document.querySelectorAll(".table th, .table td, .facts dd")) {
		const head = el.closest("thead");
		if (head && head.getBoundingClientRect().width <= 1) continue; // hidden on phones
		const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
		for (let n; (n = walk.nextNode()); ) {
			// An email shown with <wbr> after "@" and before each "." is
			// split into text nodes at those points, so each part must stay
			// whole. Free text quoting an address (a job's error) may wrap.
			const breakable = n.parentElement.querySelector(":scope > wbr");
			for (const m of n.data.matchAll(/[^\s\-\/]+/g)) {
				if (!breakable && m[0].includes("@")) continue;
				const r = document.createRange();
				r.setStart(n, m.index);
				r.setEnd(n, m.index + m[0].length);
				if (new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1) bad.push(m[0]);
			}
		}
	}
	return bad;
})()`

// navLeftsJS gives the left edge of each main navigation item.
const navLeftsJS = `[...document.querySelectorAll(".site-nav a")].map(a => Math.round(a.getBoundingClientRect().left))`

// sameNavPlaces fails the test when the navigation items are not where
// they were on another page.
func sameNavPlaces(t *testing.T, ctx context.Context, where string, want []int) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](navLeftsJS))
	must(t, "measure navigation on "+where, err)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: navigation items start at x=%v, on /customers at x=%v: they shift when the current page changes", where, got, want)
	}
}

// noBrokenWords fails the test when the page splits a word mid-word.
func noBrokenWords(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](brokenWordsJS))
	must(t, "look for broken words on "+where, err)
	if len(bad) > 0 {
		t.Errorf("%s: words broken over two lines: %q", where, bad)
	}
}

// seedLongValues adds what real data has and the fixture lacks: long
// names, emails and unit names, and jobs with errors, dead and done.
func (e *env) seedLongValues() {
	t, ctx, now := e.t, context.Background(), time.Now()
	units := []heed.Unit{{Key: "south-2", Name: "London Westfield Stratford City", Parent: "south"}}
	if _, err := e.dir.UpsertUnits(ctx, heed.System(), units); err != nil {
		t.Fatal(err)
	}
	custs := []heed.Customer{
		{ExternalID: "NW115315", Name: "Aarav Ahmed", Email: "aarav.ahmed101@example.com", Segment: "consumer", Unit: "south-2"},
		{ExternalID: "C-300", Name: "Maximilian Fitzgerald-Worthington", Email: "maximilian.fitzgerald-worthington@a-very-long-company-name.example",
			Phone: "+44 20 7946 0000", Segment: "enterprise", Unit: "south-2", Owner: "sam@acme.test",
			Attributes: json.RawMessage(`{"preferred_contact_channel":"telephone","loyalty_programme":"platinum-plus"}`)},
	}
	if _, err := e.dir.UpsertCustomers(ctx, heed.System(), custs); err != nil {
		t.Fatal(err)
	}
	for _, dead := range []bool{true, false} {
		id, err := e.store.EnqueueJob(ctx, heed.NewJob{Kind: "heed.test", Payload: []byte(`{}`), MaxAttempts: 2}, now)
		if err == nil {
			_, err = e.store.LeaseJobs(ctx, "w", 10, now, time.Minute)
		}
		if err == nil {
			err = e.store.FailJob(ctx, id, "w", `heed.test: planned failure 1 of 2 (marker "web:admin@acme.test")`, now, dead, now)
		}
		if err == nil && !dead {
			if _, err = e.store.LeaseJobs(ctx, "w", 10, now, time.Minute); err == nil {
				err = e.store.CompleteJob(ctx, id, "w", now)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// css selects the first element matching a CSS selector.
func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// fits fails the test when the page is wider than the screen or a word
// breaks over two lines.
func fits(t *testing.T, ctx context.Context, path string, width int) {
	t.Helper()
	fit, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
	must(t, "measure "+path, err)
	if fit[0] > fit[1] || fit[1] != width {
		t.Errorf("%s at %d px: scrollWidth %d > innerWidth %d", path, width, fit[0], fit[1])
	}
	noBrokenWords(t, ctx, fmt.Sprintf("%s at %d px", path, width))
}
