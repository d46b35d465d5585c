package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/internal/testdb"
)

// digestFixture is yesterday below the north and the south, as the
// managers' digest tells it: Bob's case, opened three days ago, late
// and escalated to Nora; yesterday Alice (Leeds) was unhappy, a Leeds
// customer happy and Dan (Bristol) unhappy.
type digestFixture struct {
	day       time.Time // yesterday's first instant, in the server's zone
	bob, dan  int64     // cases
	aliceCase int64
}

func seedDigest(t *testing.T, e *loopEnv) digestFixture {
	t.Helper()
	now := time.Now()
	day := time.Date(now.Year(), now.Month(), now.Day()-1, 0, 0, 0, 0, time.Local)
	noon := day.Add(12 * time.Hour)
	var f digestFixture
	f.day = day
	e.clock.Set(-72 * time.Hour)
	f.bob = e.answerAs("C-101", 1, "Three days and nobody called me back.")
	e.clock.Set(noon.Sub(time.Now()))
	f.aliceCase = e.answerAs("C-100", 2, "The queue was endless and nobody helped.")
	f.dan = e.answerAs("C-200", 0, "Bristol is a mess")
	e.clock.Set(0)
	e.seedAnswers("visits", []answer{{unit: "north-1", score: 10, comment: "Lovely staff in Leeds.", at: noon}})
	if f.bob == 0 || f.aliceCase == 0 || f.dan == 0 {
		t.Fatalf("cases %d %d %d: every detractor should open one", f.bob, f.aliceCase, f.dan)
	}
	// Bob's case is late: the first escalation, as the job would run it.
	payload, _ := json.Marshal(map[string]any{"case": f.bob, "level": 1})
	if err := e.cs.Escalate(context.Background(), heed.Job{Kind: cases.EscalateJob, Payload: payload}); err != nil {
		t.Fatal(err)
	}
	if c := e.kase(f.bob); c.EscalatedTo != "nora@acme.test" {
		t.Fatalf("Bob's case escalated to %q, want nora", c.EscalatedTo)
	}
	return f
}

// TestDigestPage: a regional manager reads yesterday below their region
// — the answers, the unhappy customer's words, the cases, which store
// is behind, the late and escalated cases linked — and nothing of
// another region; the days around are a click away.
func TestDigestPage(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newLoopEnv(t, engine)
			f := seedDigest(t, e)
			nora := e.signedIn("nora@acme.test")
			p := e.get(nora, "/digest")
			wantStatus(t, p, http.StatusOK, "nora's digest")
			text := html.UnescapeString(p.body)
			for _, want := range []string{
				"Daily digest — " + f.day.Format("Monday 2 January 2006"), "What happened below North region that day",
				`href="/digest" aria-current="page">Daily digest</a>`,
				// Feedback: Alice's 2 and the Leeds promoter's 10.
				"Survey visits", ">2</td>", "NPS</span> <strong>0</strong>",
				"The queue was endless and nobody helped.", `href="/customers/C-100">Alice Archer</a>`,
				// Cases: Alice's opened yesterday; Bob's and hers open, his late.
				`<span class="stat-value">1</span> <span class="stat-label">opened that day</span>`,
				`<span class="stat-value">2</span> <span class="stat-label">open now</span>`,
				`<span class="stat-value error-text">1</span> <span class="stat-label">late now</span>`,
				`href="/cases?f=1&open=1&unit=north-2">York</a>`, `href="/cases?f=1&open=1&unit=north-1">Leeds</a>`,
				"Managers get this digest by email each morning",
				`href="/digest?day=` + f.day.AddDate(0, 0, -1).Format(time.DateOnly) + `" rel="prev"`,
				`href="/digest?day=` + f.day.AddDate(0, 0, 1).Format(time.DateOnly) + `" rel="next"`,
			} {
				if !strings.Contains(text, want) {
					t.Errorf("nora's digest lacks %q", want)
				}
			}
			late, escal := between(p.body, `id="late"`, "</section>"), between(p.body, `id="escalated"`, "</section>")
			bobLink := fmt.Sprintf(`href="/cases/%d"`, f.bob)
			for what, list := range map[string]string{"late": late, "escalated": escal} {
				wantContains(t, page{body: list}, "nora's "+what+" cases", bobLink, "Bob Baker", "York", "Fred Front", "Reported", "first contact ")
				wantNotContains(t, page{body: list}, "nora's "+what+" cases", fmt.Sprintf(`href="/cases/%d"`, f.aliceCase))
			}
			wantContains(t, page{body: late}, "nora's late cases", " late</span>")
			wantNotContains(t, p, "nora's digest", "Bristol is a mess", "Dan Dale", "South region", "Bristol", "more late case",
				`id="for"`)

			// Sam, in the south, reads Dan's words and not Alice's.
			p = e.get(e.signedIn("sam@acme.test"), "/digest?day="+f.day.Format(time.DateOnly))
			wantStatus(t, p, http.StatusOK, "sam's digest")
			wantContains(t, p, "sam's digest", "Bristol is a mess", "Dan Dale", "below South region")
			wantNotContains(t, p, "sam's digest", "The queue was endless", "Alice Archer", "Bob Baker")
		})
	}
}

// TestDigestPageRefuses: a day that is no date is named on the page
// beside the form; a manager may not read another's digest; an admin
// may, and is told when the employee does not exist.
func TestDigestPageRefuses(t *testing.T) {
	e := newLoopEnv(t, "")
	f := seedDigest(t, e)
	nora := e.signedIn("nora@acme.test")
	p := e.get(nora, "/digest?day=garbage")
	wantStatus(t, p, http.StatusBadRequest, "a day that is no date")
	wantContains(t, page{body: html.UnescapeString(p.body)}, "a day that is no date",
		`Day "garbage" is not a date like 2026-03-01.`, `name="day" type="date" value="garbage" aria-invalid="true"`)

	p = e.get(nora, "/digest?for=sam@acme.test")
	wantStatus(t, p, http.StatusForbidden, "nora reading sam's digest")
	wantContains(t, p, "nora reading sam's digest", "Not allowed")
	wantNotContains(t, p, "nora reading sam's digest", "Bristol is a mess")

	admin := e.signedIn("admin@acme.test")
	p = e.get(admin, "/digest?for=nora@acme.test&day="+f.day.Format(time.DateOnly))
	wantStatus(t, p, http.StatusOK, "the admin reading nora's digest")
	wantContains(t, page{body: html.UnescapeString(p.body)}, "the admin reading nora's digest",
		"Nora North's digest: what happened below North region", "The queue was endless and nobody helped.",
		`id="for" name="for" type="email" list="managers" value="nora@acme.test"`, `<option value="sam@acme.test">Sam South</option>`,
		"Escalated to Nora North", `href="/cases?f=1&open=1&unit=north">Open cases</a>`,
		`href="/digest?day=`+f.day.AddDate(0, 0, -1).Format(time.DateOnly)+`&for=nora%40acme.test"`)
	wantNotContains(t, p, "the admin reading nora's digest", "Bristol is a mess")

	p = e.get(admin, "/digest")
	wantStatus(t, p, http.StatusOK, "the admin's own digest")
	wantContains(t, p, "the admin's own digest", "What happened in all you can see that day",
		"Bristol is a mess", "The queue was endless")

	p = e.get(admin, "/digest?for=ghost@acme.test")
	wantStatus(t, p, http.StatusBadRequest, "an unknown employee")
	wantContains(t, page{body: html.UnescapeString(p.body)}, "an unknown employee", `No employee "ghost@acme.test"`,
		`value="ghost@acme.test" placeholder="manager@example.com" aria-invalid="true"`)
}

// TestDigestPageEmptyAndToday: a quiet day says so, as the email would
// not go out; today's digest has no next day yet; the front line may
// read their own.
func TestDigestPageEmptyAndToday(t *testing.T) {
	e := newLoopEnv(t, "")
	seedDigest(t, e)
	sam := e.signedIn("sam@acme.test")
	p := e.get(sam, "/digest?day=2020-01-01")
	wantStatus(t, p, http.StatusOK, "a quiet day")
	wantContains(t, p, "a quiet day", "Daily digest — Wednesday 1 January 2020",
		"Nothing happened below you that day; no email goes out for a day like this.", "1 case is open now, none of them late.",
		`href="/digest?day=2020-01-02" rel="next"`)
	wantNotContains(t, p, "a quiet day", `id="cases-title"`, "Bristol is a mess")

	p = e.get(sam, "/digest?day="+time.Now().Format(time.DateOnly))
	wantStatus(t, p, http.StatusOK, "today's digest")
	wantNotContains(t, p, "today's digest", `rel="next"`)

	p = e.get(e.signedIn("fred@acme.test"), "/digest")
	wantStatus(t, p, http.StatusOK, "fred's own digest")
	wantContains(t, p, "fred's own digest", "below Leeds", "The queue was endless")
	wantNotContains(t, p, "fred's own digest", `aria-label="Follow-up"`)
}

// TestDigestPageMoreLate: the late list stops at ten; the rest are a
// link away.
func TestDigestPageMoreLate(t *testing.T) {
	e := newLoopEnv(t, "")
	var custs []heed.Customer
	for i := range 11 {
		custs = append(custs, heed.Customer{ExternalID: fmt.Sprintf("C-3%02d", i), Name: fmt.Sprintf("Late Customer %d", i), Unit: "north-1"})
	}
	if _, err := e.dir.UpsertCustomers(context.Background(), heed.System(), custs); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(-72 * time.Hour)
	for _, c := range custs {
		e.answerAs(c.ExternalID, 3, "")
	}
	e.clock.Set(0)
	p := e.get(e.signedIn("nora@acme.test"), "/digest")
	wantStatus(t, p, http.StatusOK, "nora's digest")
	late := between(p.body, `id="late"`, "</section>")
	if n := countMatches(page{body: late}, `<td data-label="Case"><a href="/cases/\d+">`); n != 10 {
		t.Errorf("the late list shows %d cases, want 10", n)
	}
	wantContains(t, page{body: late}, "nora's late cases", "11 cases, newest first",
		`<a href="/cases?f=1&amp;open=1&amp;late=1">…and 1 more late case</a>`)
}

// TestBrowserDigest: a regional manager opens the digest from the
// follow-up tabs; it reads cleanly on a desktop and fits a phone.
// Screenshots go where newShooter puts them ($HEED_SCREENSHOTS when set).
func TestBrowserDigest(t *testing.T) {
	e := newLoopEnv(t, "")
	f := seedDigest(t, e)
	ctx := browser(t)
	shots := newShooter(t, ctx)
	must(t, "desktop viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
	browserSignIn(t, ctx, e.env, "nora@acme.test")
	must(t, "open the digest", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/cases"),
		chromedp.Click(css(`.tabs a[href="/digest"]`)),
		chromedp.WaitVisible(css("#unhappy")),
	))
	got := text(t, ctx)
	for _, want := range []string{"Daily digest — " + f.day.Format("Monday 2 January 2006"), "In their words",
		"The queue was endless and nobody helped.", "Units below", "Late now", "Escalated to you", "Bob Baker"} {
		if !strings.Contains(got, want) {
			t.Errorf("the digest lacks %q:\n%s", want, got)
		}
	}
	noBrokenWords(t, ctx, "desktop /digest")
	shots.shot("desktop-digest")

	must(t, "phone viewport", chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2)),
		chromedp.Reload(), chromedp.WaitVisible(css("#unhappy"))))
	fits(t, ctx, "/digest", 375)
	shots.shot("phone-digest")
}
