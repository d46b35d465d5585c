package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/heedhq/heed"
)

// browserSignIn signs the tab in through the sign-in form.
func browserSignIn(t *testing.T, ctx context.Context, e *env, email string) {
	t.Helper()
	must(t, "sign in as "+email, chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), email),
		chromedp.SendKeys(css("#password"), password),
		chromedp.Click(css(`.login button[type="submit"]`)),
		chromedp.WaitVisible(css(".site-nav")),
	))
}

// previewText is the text of the editor's preview iframe ("" while it
// loads).
const previewText = `((d) => (d && d.body ? d.body.innerText : ""))(document.getElementById("preview").contentDocument)`

// waitPreview waits until the preview's text includes s.
func waitPreview(t *testing.T, ctx context.Context, what, s string) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](previewText+`.includes(`+jsString(s)+`)`,
		chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](previewText))
		t.Fatalf("%s: the preview does not show %q: %v\n%s", what, s, err, got)
	}
}

func TestBrowserSurveyEditorAndScores(t *testing.T) {
	e := newEnv(t, envOptions{})
	scoresFixture(e)
	ctx0 := context.Background()
	sv := e.survey("visits")
	sv.Questions = []heed.Question{{ID: "visit_reason", Type: heed.QuestionSingle, Options: []string{"shop", "repair"}}}
	if _, err := e.sv.UpdateSurvey(ctx0, heed.System(), sv); err != nil {
		t.Fatal(err)
	}
	if err := e.seedProgramRun(); err != nil {
		t.Fatal(err)
	}
	e.seedAnswers("visits", []answer{{unit: "north-1", score: 4, comment: "The <b>queue</b> was long.\nStaff were kind though.", at: time.Now().Add(-time.Hour)}})

	ctx := browser(t)
	shots := newShooter(t, ctx)
	must(t, "desktop viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
	browserSignIn(t, ctx, e, "admin@acme.test")

	// The editor: type into the score question, and the preview follows.
	must(t, "open editor", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/surveys/visits"),
		chromedp.WaitVisible(css("#t-en-score")),
	))
	waitPreview(t, ctx, "the saved survey", "How likely is it that you would recommend us")
	shots.shot("desktop-survey-editor")
	typed := "How likely are you to recommend Acme to a friend?"
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.getElementById("t-en-score").value = "") === ""`))
	must(t, "clear the question", err)
	must(t, "type the question", chromedp.Do(ctx, chromedp.SendKeys(css("#t-en-score"), typed)))
	waitPreview(t, ctx, "after typing", typed)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](previewText))
	must(t, "read preview", err)
	if !strings.Contains(got, "visit_reason") || strings.Contains(got, "How likely is it that you would recommend us") {
		t.Errorf("preview after typing shows:\n%s", got)
	}
	// Typing changed nothing saved, and the back button still leaves the
	// editor rather than stepping through previews.
	if s := e.survey("visits"); s.Texts["en"].Score == typed {
		t.Error("typing saved the survey")
	}
	hist, err := chromedp.Run(ctx, chromedp.Evaluate[int](`history.length`))
	must(t, "history", err)
	shots.shot("desktop-survey-editor-typed")

	// Working in the Dutch texts shows the Dutch page.
	must(t, "open dutch", chromedp.Do(ctx,
		chromedp.Click(css(`details[data-lang="nl"] > summary`)),
		chromedp.WaitVisible(css("#t-nl-title")),
		chromedp.Click(css("#t-nl-title")),
		chromedp.SendKeys(css("#t-nl-title"), " nu"),
	))
	waitPreview(t, ctx, "in the Dutch texts", "Hoe waarschijnlijk")
	if h, err := chromedp.Run(ctx, chromedp.Evaluate[int](`history.length`)); err != nil || h != hist {
		t.Errorf("history grew from %d to %d entries while typing (%v)", hist, h, err)
	}
	shots.shot("desktop-survey-editor-dutch")

	// Save: the page comes back with the saved preview.
	must(t, "save", chromedp.Do(ctx,
		chromedp.Click(css(`.form-actions button[type="submit"]`)),
		chromedp.WaitVisible(css(".alert-ok")),
	))
	if s := e.survey("visits"); s.Texts["en"].Score != typed {
		t.Errorf("after Save the score question is %q", s.Texts["en"].Score)
	}

	// The unit panel: the score, its margin, the weekly chart and the
	// units below.
	must(t, "open unit", chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/units/north"),
		chromedp.WaitVisible(css(`a[href="/scores?unit=north"]`)),
		chromedp.Click(css(`a[href="/scores?unit=north"]`)),
		chromedp.WaitVisible(css("svg.chart")),
	))
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Math.round(document.querySelector("svg.chart").getBoundingClientRect().width)`))
	must(t, "measure chart", err)
	if width < 400 {
		t.Errorf("the chart is %d px wide", width)
	}
	page := text(t, ctx)
	for _, want := range []string{"North region", "NPS", "±", "n = ", "Promoters", "Leeds", "York", "not enough answers"} {
		if !strings.Contains(page, want) {
			t.Errorf("scores page lacks %q:\n%s", want, page)
		}
	}
	noBrokenWords(t, ctx, "desktop /scores")
	shots.shot("desktop-scores")

	pages := []struct{ path, wait, name string }{
		{"/surveys", "table", "surveys"},
		{"/programs", "table", "programs"},
		{"/programs/weekly/dry-run", ".report", "program-dry-run"},
		{"/programs/per-store/dry-run", ".report", "program-dry-run-strata"},
		{"/invitations", "table", "invitations"},
		{"/responses", ".responses", "responses"},
		{"/scores?survey=visits&unit=north-2", ".score-panel", "scores-york"},
		{"/surveys/new", "#name", "survey-new"},
	}
	for _, p := range pages {
		must(t, p.path, chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+p.path), chromedp.WaitVisible(css(p.wait))))
		noBrokenWords(t, ctx, "desktop "+p.path)
		shots.shot("desktop-" + p.name)
	}
	must(t, "responses", chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/responses"), chromedp.WaitVisible(css(".responses"))))
	if got := text(t, ctx); !strings.Contains(got, "The <b>queue</b> was long.\nStaff were kind though.") {
		t.Errorf("the comment is not shown as typed:\n%s", got)
	}

	// Phone: the new pages fit 375 px.
	must(t, "phone viewport", chromedp.Do(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2))))
	pages = append(pages, struct{ path, wait, name string }{"/scores?survey=visits&unit=north", "svg.chart", "scores"},
		struct{ path, wait, name string }{"/surveys/visits", "#t-en-score", "survey-editor"})
	for _, p := range pages {
		must(t, p.path, chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+p.path), chromedp.WaitVisible(css(p.wait))))
		fits(t, ctx, p.path, 375)
		shots.shot("phone-" + p.name)
	}
}

// seedProgramRun adds a program and runs it, so the invitations and
// program pages have something to show.
func (e *env) seedProgramRun() error {
	ctx := context.Background()
	e.consenting()
	_, err := e.sv.CreateProgram(ctx, heed.System(), heed.Program{Key: "weekly", Name: "Weekly NPS", Survey: "visits",
		Target: 500, Period: "week", Active: true})
	if err == nil {
		_, err = e.sv.CreateProgram(ctx, heed.System(), heed.Program{Key: "per-store", Name: "Per store", Survey: "visits",
			Margin: 15, Period: "month"})
	}
	if err == nil {
		_, err = e.sv.Sample(ctx, heed.System(), "weekly", false)
	}
	return err
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b)
}
