package respond_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
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

// shoot saves a screenshot of the viewport to the test's temp dir and,
// when HEED_SCREENSHOTS names a directory, there too, for a person to
// look at.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	must(t, "screenshot "+name, err)
	dirs := []string{t.TempDir()}
	if d := os.Getenv("HEED_SCREENSHOTS"); d != "" {
		must(t, "screenshot dir", os.MkdirAll(d, 0o755))
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		must(t, "write screenshot", os.WriteFile(filepath.Join(d, name+".png"), png, 0o644))
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	must(t, "evaluate "+js, err)
	return v
}

// fitsThePhone checks the page scrolls only vertically and every control
// is a tap target of at least 44×44 CSS pixels.
func fitsThePhone(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("%s: the page is %d px wide on a 390 px phone", where, w)
	}
	small := eval[[]string](t, ctx, `[...document.querySelectorAll('button, .points label, .choice label, textarea, input[type=text], .choice')]
		.filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.width < 44 || r.height < 44); })
		.map(e => e.outerHTML.slice(0, 80))`)
	if len(small) > 0 {
		t.Errorf("%s: tap targets under 44 px: %v", where, small)
	}
}

func TestBrowserAnswerOnAPhone(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, inv := e.invite("visit", "C-1")
	ctx := browser(t)
	must(t, "phone viewport", chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)))

	must(t, "open link", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+link),
		chromedp.WaitVisible(css(`button[name="score"][value="9"]`)),
	))
	shoot(t, ctx, "respond-phone-1-score")
	fitsThePhone(t, ctx, "score step")
	if n := len(e.responsesOf("visit", inv)); n != 0 {
		t.Fatalf("opening the page recorded %d responses", n)
	}

	must(t, "tap 9", chromedp.Do(ctx,
		chromedp.Click(css(`button[name="score"][value="9"]`)),
		chromedp.WaitVisible(css("#comment")),
	))
	if r := e.onlyResponse("visit", inv); r.Score != 9 {
		t.Fatalf("after the tap the score is %d; want 9", r.Score)
	}
	if !eval[bool](t, ctx, `document.querySelector('#score-9').checked`) {
		t.Error("the reason step does not show 9 as chosen")
	}
	fitsThePhone(t, ctx, "reason step")

	must(t, "reason", chromedp.Do(ctx,
		chromedp.Click(css(`label[for="q-visit"]`)),
		chromedp.SendKeys(css("#comment"), "The staff knew their stuff."),
		chromedp.Click(css(`label[for="q-topics-1"]`)),
	))
	shoot(t, ctx, "respond-phone-2-reason")
	must(t, "send", chromedp.Do(ctx,
		chromedp.Click(css("button.send")),
		chromedp.WaitVisible(css(`p.lead[role="status"]`)),
	))
	shoot(t, ctx, "respond-phone-3-thanks")
	if got := eval[string](t, ctx, `document.body.innerText`); !strings.Contains(got, "Thank you! Your answer helps us do better.") {
		t.Errorf("thank-you page shows:\n%s", got)
	}
	r := e.onlyResponse("visit", inv)
	if r.Score != 9 || r.Comment != "The staff knew their stuff." || r.Answers["visit"] != "shop" ||
		!slices.Equal(asStrings(r.Answers["topics"]), []string{"staff"}) {
		t.Errorf("response = %+v", r)
	}

	// Validation in the browser: the summary takes the focus and links to
	// the field.
	must(t, "change", chromedp.Do(ctx,
		chromedp.Click(css(`p.change a`)),
		chromedp.WaitVisible(css("#comment")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#comment').value = 'x'.repeat(5001)`),
		chromedp.Click(css("button.send")),
		chromedp.WaitVisible(css(`.errors a[href="#comment"]`)),
	))
	if cls := eval[string](t, ctx, `document.activeElement.className`); cls != "errors" {
		t.Errorf("after a refused answer the focus is on %q; want the error summary", cls)
	}
	shoot(t, ctx, "respond-phone-4-error")
}

func TestBrowserEmailScoreCountsOnFirstTouch(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, inv := e.invite("visit", "C-NL")
	ctx := browser(t)
	must(t, "phone viewport", chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)))
	must(t, "open ?score=6", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+link+"?score=6"),
		chromedp.WaitVisible(css("#comment")),
		// Scrolling is no interaction a person must mean.
		chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 400)`),
	))
	shoot(t, ctx, "respond-phone-email-score")
	// The script is loaded and listening; loading and scrolling posted nothing.
	if !eval[bool](t, ctx, `!!document.querySelector('script[src^="/s/static/confirm.js"]')`) {
		t.Fatal("confirm.js is not on the page")
	}
	if n := len(e.responsesOf("visit", inv)); n != 0 {
		t.Fatalf("loading the page recorded %d responses", n)
	}
	must(t, "touch the page", chromedp.Do(ctx, chromedp.Click(css("#comment"))))
	waitFor(t, func() bool { return len(e.responsesOf("visit", inv)) == 1 }, "the background confirmation")
	if r := e.onlyResponse("visit", inv); r.Score != 6 || r.Language != "nl" {
		t.Errorf("confirmed response = %+v; want 6 in Dutch", r)
	}
	// Sending right after changes the same response.
	must(t, "send", chromedp.Do(ctx,
		chromedp.Click(css(`label[for="score-7"]`)),
		chromedp.Click(css(`label[for="q-visit-1"]`)),
		chromedp.SendKeys(css("#comment"), "Snel geholpen"),
		chromedp.Click(css("button.send")),
		chromedp.WaitVisible(css(`p.lead[role="status"]`)),
	))
	if r := e.onlyResponse("visit", inv); r.Score != 7 || r.Comment != "Snel geholpen" {
		t.Errorf("response after Send = %+v", r)
	}
}

// waitFor polls cond for what a browser does in the background, up to a
// guard that only catches a hang.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s did not happen", what)
}

func TestBrowserWidgetOnAnotherSite(t *testing.T) {
	e := newEnv(t, envOptions{})
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shop</title><script src="%s/s/widget.js" data-survey="visit" data-order="B-7" async></script></head>
<body><h1>Checkout complete</h1><p>Your order B-7 is on its way.</p></body></html>`, e.srv.URL)
	}))
	t.Cleanup(shop.Close)
	ctx0 := context.Background()
	sv, err := e.svc.GetSurvey(ctx0, heed.System(), "visit")
	must(t, "get survey", err)
	sv.Origins = append(sv.Origins, shop.URL)
	_, err = e.svc.UpdateSurvey(ctx0, heed.System(), sv)
	must(t, "allow the shop", err)

	ctx := browser(t)
	must(t, "phone viewport", chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)))
	const root = `document.querySelector('[data-heed-widget]').shadowRoot`
	must(t, "open the shop", chromedp.Do(ctx,
		chromedp.Navigate(shop.URL),
		chromedp.Poll[chromedp.Void](`document.querySelector('[data-heed-widget]') && `+root+`.querySelector('.pts button')`),
	))
	small := eval[[]string](t, ctx, `[...`+root+`.querySelectorAll('button')].filter(b => {
		const r = b.getBoundingClientRect(); return r.width > 0 && (r.width < 44 || r.height < 44); }).map(b => b.textContent)`)
	if len(small) > 0 {
		t.Errorf("widget buttons under 44 px: %v", small)
	}
	must(t, "answer in the widget", chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](root+`.querySelector('.pts button[value="8"]').click()`),
		chromedp.Evaluate[chromedp.Void](root+`.querySelector('#q-visit-0').click()`),
		chromedp.Evaluate[chromedp.Void](root+`.querySelector('textarea').value = 'Easy checkout'`),
	))
	shoot(t, ctx, "respond-widget-1-panel")
	must(t, "send", chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](root+`.querySelector('.send').click()`),
		chromedp.Poll[chromedp.Void](root+`.querySelector('[role=status]')`),
	))
	shoot(t, ctx, "respond-widget-2-thanks")
	rs := e.responses("visit")
	if len(rs) != 1 {
		t.Fatalf("%d responses after the widget; want 1", len(rs))
	}
	if r := rs[0]; r.Channel != "widget" || r.Score != 8 || r.Comment != "Easy checkout" || r.Hidden["order"] != "B-7" || r.Answers["visit"] != "shop" {
		t.Errorf("widget response = %+v", r)
	}
	// Answered: the widget remembers, and stays away from this browser.
	if eval[string](t, ctx, `localStorage.getItem('heed-widget:visit') || ''`) == "" {
		t.Error("the widget did not remember it was answered")
	}
}
