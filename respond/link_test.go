package respond_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/survey"
)

func TestScoreTapRecordsThenReasonChangesTheSameResponse(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, inv := e.invite("visit", "C-1")

	p := e.get(link, nil)
	wantStatus(t, p, 200, "open link")
	wantContains(t, p, "score step",
		`<html lang="en">`, `<button type="submit" name="score" value="0" aria-describedby="score-lo">0</button>`,
		`<button type="submit" name="score" value="10" aria-describedby="score-hi">10</button>`,
		`<legend>How likely is it that you would recommend us to a friend or colleague?</legend>`,
		`id="score-lo">0 = Not at all likely</span>`, `name="step" value="score"`)
	wantNotContains(t, p, "score step", "<textarea", "confirm.js")
	if n := len(e.responsesOf("visit", inv)); n != 0 {
		t.Fatalf("opening the link recorded %d responses", n)
	}

	// One tap: the score is recorded, and the reason step follows.
	p = e.post(link, form("step", "score", "score", "9"), nil)
	wantStatus(t, p, 303, "tap 9")
	if loc := p.header.Get("Location"); loc != link {
		t.Errorf("after the tap, Location = %q; want %q", loc, link)
	}
	r := e.onlyResponse("visit", inv)
	if r.Score != 9 || r.Comment != "" || r.Channel != "link" || r.Customer != "C-1" || r.Unit != "store-1" {
		t.Errorf("response after the tap = %+v; want score 9 by C-1 in store-1 through link", r)
	}

	p = e.get(link, nil)
	wantStatus(t, p, 200, "reason step")
	wantContains(t, p, "reason step",
		`<input type="radio" id="score-9" name="score" value="9" checked>`,
		`<label for="comment">What are the reasons behind your score? <span class="opt">(optional)</span></label>`,
		"Thank you, your score has been saved.", survey.UIText("en").ChangeAnswer,
		`<legend>Why did you visit? <span class="opt">(required)</span></legend>`,
		`name="q.topics" value="staff"`, `<label for="q-note">Anything else?`)

	// The whole form changes the same response.
	p = e.post(link, form("step", "details", "score", "7", "comment", "Friendly staff, long queue",
		"q.visit", "shop", "q.topics", "staff", "q.topics", "wait", "q.note", "Parking was full"), nil)
	wantStatus(t, p, 303, "send")
	if loc := p.header.Get("Location"); loc != link+"/thanks" {
		t.Errorf("after Send, Location = %q; want %q", loc, link+"/thanks")
	}
	r = e.onlyResponse("visit", inv)
	if r.Score != 7 || r.Comment != "Friendly staff, long queue" || r.Answers["visit"] != "shop" ||
		!slices.Equal(asStrings(r.Answers["topics"]), []string{"staff", "wait"}) || r.Answers["note"] != "Parking was full" {
		t.Errorf("response after Send = %+v", r)
	}

	p = e.get(link+"/thanks", nil)
	wantStatus(t, p, 200, "thanks")
	wantContains(t, p, "thanks", "Thank you! Your answer helps us do better.",
		`<a href="`+link+`">`+survey.UIText("en").ChangeAnswer+`</a>`)

	// Coming back shows the answer given, ready to change.
	p = e.get(link, nil)
	wantContains(t, p, "revisit", `id="score-7" name="score" value="7" checked`, ">Friendly staff, long queue</textarea>",
		`id="q-visit" name="q.visit" value="shop" checked`, `value="Parking was full"`)
	wantNotContains(t, p, "revisit", `value="9" checked`)

	// Unticking every box clears the multiple choice.
	p = e.post(link, form("step", "details", "score", "7", "comment", "", "q.visit", "shop"), nil)
	wantStatus(t, p, 303, "clear")
	r = e.onlyResponse("visit", inv)
	if r.Comment != "" || len(asStrings(r.Answers["topics"])) != 0 {
		t.Errorf("after clearing, response = %+v; want no comment and no topics", r)
	}
}

func asStrings(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		var out []string
		for _, e := range x {
			s, _ := e.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

func TestEmailScoreLinkRecordsOnlyWhenConfirmed(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, inv := e.invite("visit", "C-1")

	// A scanner fetches the link, twice: nothing is recorded.
	for range 2 {
		p := e.get(link+"?score=9", nil)
		wantStatus(t, p, 200, "?score=9")
		wantContains(t, p, "?score=9", `id="score-9" name="score" value="9" checked`,
			`data-confirm="`+link+`/confirm"`, `<script src="/s/static/confirm.js?v=`, "<textarea")
	}
	if n := len(e.responsesOf("visit", inv)); n != 0 {
		t.Fatalf("GET ?score=9 recorded %d responses; want none", n)
	}
	// A score outside the scale preselects nothing.
	p := e.get(link+"?score=99", nil)
	wantContains(t, p, "?score=99", `name="step" value="score"`)
	wantNotContains(t, p, "?score=99", "checked", "confirm.js")

	// The script's background post counts.
	p = e.post(link+"/confirm", form("score", "9"), nil)
	wantStatus(t, p, 204, "confirm")
	if r := e.onlyResponse("visit", inv); r.Score != 9 {
		t.Errorf("confirmed score = %d; want 9", r.Score)
	}
	// A second email click and confirmation changes it, still one.
	p = e.post(link+"/confirm", form("score", "10"), nil)
	wantStatus(t, p, 204, "confirm again")
	if r := e.onlyResponse("visit", inv); r.Score != 10 {
		t.Errorf("re-confirmed score = %d; want 10", r.Score)
	}
	p = e.post(link+"/confirm", form("score", "11"), nil)
	wantStatus(t, p, 422, "confirm 11")
	p = e.post(link+"/confirm", form("score", "3"), header("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"))
	wantStatus(t, p, 403, "cross-site confirm")
	// Answered already: the email's score is shown, but only Send changes
	// the answer; nothing is confirmed in the background.
	p = e.get(link+"?score=2", nil)
	wantContains(t, p, "answered link ?score=2", `value="2" checked`)
	wantNotContains(t, p, "answered link ?score=2", "data-confirm", "confirm.js")
	if r := e.onlyResponse("visit", inv); r.Score != 10 {
		t.Errorf("after refused posts the score = %d; want 10", r.Score)
	}
	p = e.post("/s/"+strings.Repeat("x", 32)+"/confirm", form("score", "3"), nil)
	wantStatus(t, p, 404, "confirm unknown link")
}

func TestSendFromEmailScorePageRecords(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, inv := e.invite("visit", "C-1")
	e.get(link+"?score=8", nil)
	p := e.post(link, form("step", "details", "score", "8", "comment", "Good", "q.visit", "return"), nil)
	wantStatus(t, p, 303, "send")
	if r := e.onlyResponse("visit", inv); r.Score != 8 || r.Comment != "Good" {
		t.Errorf("response = %+v; want 8, Good", r)
	}
}

func TestChangeWindow(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, inv := e.invite("visit", "C-1")
	wantStatus(t, e.post(link, form("step", "score", "score", "4"), nil), 303, "tap 4")

	e.clock.advance(23 * time.Hour)
	wantStatus(t, e.post(link, form("step", "details", "score", "6", "comment", "Better now", "q.visit", "shop"), nil), 303, "change after 23h")
	if r := e.onlyResponse("visit", inv); r.Score != 6 || r.Comment != "Better now" {
		t.Errorf("changed response = %+v; want 6, Better now", r)
	}
	p := e.get(link+"/thanks", nil)
	wantContains(t, p, "thanks within the window", `<a href="`+link+`">`)

	e.clock.advance(2 * time.Hour) // 25 h after the first answer
	p = e.get(link, nil)
	wantStatus(t, p, 200, "closed link")
	wantContains(t, p, "closed link", survey.UIText("en").Closed)
	wantNotContains(t, p, "closed link", "<form", "<textarea")
	p = e.get(link+"?score=10", nil)
	wantStatus(t, p, 200, "closed link with a score")
	wantNotContains(t, p, "closed link with a score", "<form", "confirm.js")

	p = e.post(link, form("step", "details", "score", "10", "comment", "Too late", "q.visit", "shop"), nil)
	wantStatus(t, p, 409, "change after 25h")
	wantContains(t, p, "change after 25h", survey.UIText("en").Closed)
	wantStatus(t, e.post(link+"/confirm", form("score", "10"), nil), 409, "confirm after 25h")
	if r := e.onlyResponse("visit", inv); r.Score != 6 || r.Comment != "Better now" {
		t.Errorf("closed response changed to %+v", r)
	}
	p = e.get(link+"/thanks", nil)
	wantStatus(t, p, 200, "thanks after the window")
	wantNotContains(t, p, "thanks after the window", `<a href="`+link+`">`)
}

func TestExpiredAndUnknownLinks(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, _ := e.invite("visit", "C-NL")

	p := e.get("/s/"+strings.Repeat("A", 32), header("Accept-Language", "de-DE,de;q=0.9"))
	wantStatus(t, p, 404, "unknown link")
	wantContains(t, p, "unknown link", `<html lang="de">`, survey.UIText("de").Unknown)
	p = e.get("/s/short", nil)
	wantStatus(t, p, 404, "short token")
	wantContains(t, p, "short token", `<html lang="en">`, survey.UIText("en").Unknown)
	p = e.get("/s/"+strings.Repeat("A", 32)+"/thanks", nil)
	wantStatus(t, p, 404, "unknown thanks")
	p = e.post("/s/"+strings.Repeat("A", 32), form("step", "score", "score", "5"), nil)
	wantStatus(t, p, 404, "post to unknown link")
	p = e.get("/s/nothing/here/at/all", nil)
	wantStatus(t, p, 404, "unknown path")

	e.clock.advance(31 * 24 * time.Hour)
	p = e.get(link, nil)
	wantStatus(t, p, 410, "expired link")
	wantContains(t, p, "expired link", `<html lang="nl">`, survey.UIText("nl").Expired)
	wantNotContains(t, p, "expired link", "<form", "goroutine", "panic")
	p = e.post(link, form("step", "score", "score", "5"), nil)
	wantStatus(t, p, 410, "post to expired link")
	if n := len(e.responses("visit")); n != 0 {
		t.Errorf("an expired link recorded %d responses", n)
	}
}

func TestRefusedAnswersNameTheField(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, inv := e.invite("visit", "C-1")
	long := strings.Repeat("é", survey.MaxComment+1)
	for _, c := range []struct {
		name   string
		form   []string
		status int
		want   []string
	}{
		{"score above the scale", []string{"score", "11", "q.visit", "shop"}, 422,
			[]string{`<a href="#score-0">Choose a number from 0 to 10.</a>`, `<p class="field-error" id="score-err">`}},
		{"score below the scale", []string{"score", "-1", "q.visit", "shop"}, 422, []string{`href="#score-0"`}},
		{"score not a number", []string{"score", "ten", "q.visit", "shop"}, 422, []string{`href="#score-0"`}},
		{"comment too long", []string{"score", "8", "comment", long, "q.visit", "shop"}, 422,
			[]string{`<a href="#comment">Please use at most 5,000 characters.</a>`, `aria-invalid="true" aria-describedby="comment-err">` + long + `</textarea>`}},
		{"unknown question", []string{"score", "8", "q.visit", "shop", "q.bogus", "x"}, 422,
			[]string{`This survey has no question &#34;bogus&#34;.`}},
		{"option not offered", []string{"score", "8", "q.visit", "fly"}, 422,
			[]string{`<a href="#q-visit">Why did you visit?: Choose one of the options.</a>`}},
		{"required question left out", []string{"score", "8", "comment", "kept"}, 422,
			[]string{`<a href="#q-visit">Why did you visit?: Please answer this question.</a>`, ">kept</textarea>"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := e.post(link, form(append([]string{"step", "details"}, c.form...)...), nil)
			wantStatus(t, p, c.status, c.name)
			wantContains(t, p, c.name, append(c.want, `<div class="errors" role="alert" tabindex="-1" autofocus>`,
				"<h2>Please check your answer:</h2>")...)
		})
	}
	if n := len(e.responsesOf("visit", inv)); n != 0 {
		t.Fatalf("refused answers recorded %d responses", n)
	}

	// The respondent's input comes back, escaped.
	p := e.post(link, form("step", "details", "score", "12", "comment", "<script>alert(1)</script>", "q.note", `"><b>x`, "q.visit", "return"), nil)
	wantStatus(t, p, 422, "script comment")
	wantContains(t, p, "script comment", ">&lt;script&gt;alert(1)&lt;/script&gt;</textarea>", `value="&#34;&gt;&lt;b&gt;x"`,
		`id="q-visit-1" name="q.visit" value="return" checked`)
	wantNotContains(t, p, "script comment", "<script>alert(1)", "<b>x")

	// The score step refuses a missing score on its own page.
	p = e.post(link, form("step", "score"), nil)
	wantStatus(t, p, 422, "no score")
	wantContains(t, p, "no score", `<a href="#score">Choose a number from 0 to 10.</a>`, `name="step" value="score"`)

	// A stored comment with markup is shown escaped too.
	wantStatus(t, e.post(link, form("step", "details", "score", "3", "comment", "<img src=x onerror=alert(1)>", "q.visit", "shop"), nil), 303, "markup comment")
	p = e.get(link, nil)
	wantContains(t, p, "stored markup", ">&lt;img src=x onerror=alert(1)&gt;</textarea>")
}

func TestLanguageOfTheCustomer(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, _ := e.invite("visit", "C-NL")
	// The customer's language wins over the browser's.
	p := e.get(link, header("Accept-Language", "en-GB,en;q=0.9"))
	wantStatus(t, p, 200, "Dutch link")
	wantContains(t, p, "Dutch score step", `<html lang="nl">`, "<title>Hoe deden we het?</title>",
		"Hoe waarschijnlijk is het dat u ons zou aanbevelen aan een vriend of collega?",
		survey.UIText("nl").ClickToAnswer, "0 = Zeer onwaarschijnlijk", "10 = Zeer waarschijnlijk")
	wantStatus(t, e.post(link, form("step", "score", "score", "8"), nil), 303, "tap")
	p = e.get(link, nil)
	wantContains(t, p, "Dutch reason step", "Wat zijn de redenen voor uw score?", "(optioneel)", "Waarom kwam u langs?",
		"Om te winkelen", ">Versturen</button>", "Dank u, uw score is opgeslagen.", survey.UIText("nl").ChangeAnswer)
	p = e.post(link, form("step", "details", "score", "8", "comment", strings.Repeat("x", survey.MaxComment+1), "q.visit", "shop"), nil)
	wantContains(t, p, "Dutch error", "Controleer uw antwoord:", "Gebruik maximaal 5.000 tekens.")
	wantStatus(t, e.post(link, form("step", "details", "score", "8", "q.visit", "shop"), nil), 303, "send")
	p = e.get(link+"/thanks", nil)
	wantContains(t, p, "Dutch thanks", `<html lang="nl">`, "Dank u wel! Uw antwoord helpt ons beter te worden.")

	// German for an Austrian customer (de-AT), though the survey says "de".
	link, _ = e.invite("visit", "C-DE")
	p = e.get(link, nil)
	wantContains(t, p, "German", `<html lang="de">`, "Wie wahrscheinlich ist es")
}

func TestRewardOnThanksPage(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, _ := e.invite("gift", "C-1")
	p := e.get(link, nil)
	wantContains(t, p, "CSAT", `class="points n5"`, `value="1"`, `value="5"`)
	wantNotContains(t, p, "CSAT", `value="0"`, `value="6"`)
	wantStatus(t, e.post(link, form("step", "score", "score", "5"), nil), 303, "tap 5")
	p = e.get(link+"/thanks", nil)
	wantContains(t, p, "reward", "As a thank-you, here is your code:", `<p class="code">THANKS-000`)
	code := between(p.body, `<p class="code">`, "</p>")
	// The same code every time the page is shown.
	if again := between(e.get(link+"/thanks", nil).body, `<p class="code">`, "</p>"); again != code {
		t.Errorf("second visit shows code %q; first %q", again, code)
	}
	// No thank-you before an answer: the survey instead.
	other, _ := e.invite("gift", "C-NL")
	p = e.get(other+"/thanks", nil)
	wantStatus(t, p, 303, "thanks before answering")
	if loc := p.header.Get("Location"); loc != other {
		t.Errorf("thanks before answering goes to %q; want %q", loc, other)
	}
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, to)
	return v
}

// TestConcurrentFirstAnswers: the first answer of a link can meet its own
// background confirmation; however they interleave, each post succeeds
// and the link keeps one response.
// PostgreSQL, where two transactions can both see no response yet, is
// where this matters.
func TestConcurrentFirstAnswers(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) { concurrentFirstAnswers(t, engine) })
	}
}

func concurrentFirstAnswers(t *testing.T, engine string) {
	e := newEnv(t, envOptions{engine: engine})
	link, inv := e.invite("visit", "C-1")
	const n = 6
	statuses := make(chan int, n)
	for i := range n {
		go func() {
			req := e.request("POST", link+"/confirm", strings.NewReader("score="+strconv.Itoa(i)), nil)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}()
	}
	for range n {
		if s := <-statuses; s != http.StatusNoContent {
			t.Errorf("a concurrent confirmation answered %d; want 204", s)
		}
	}
	e.onlyResponse("visit", inv)
}
