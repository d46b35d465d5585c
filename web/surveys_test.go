package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/heedhq/heed"
)

// newSurveyForm is the editor's form for a new survey as a browser sends
// it, with the three shipped languages offered.
func newSurveyForm(name string) url.Values {
	return url.Values{
		"name": {name}, "kind": {"nps"}, "language": {"en"},
		"langs": {"en", "nl", "de"}, "lang.en": {"on"}, "lang.nl": {"on"}, "lang.de": {"on"},
	}
}

func TestSurveyCreateListAndEdit(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.signedIn("admin@acme.test")

	p := e.get(c, "/surveys/new")
	wantStatus(t, p, http.StatusOK, "new survey form")
	wantContains(t, p, "new survey form", `name="name"`, `name="kind"`, `name="t.nl.score"`, `<iframe name="preview"`,
		// The empty fields show the kind's own wording.
		`placeholder="How likely is it that you would recommend us to a friend or colleague?"`)

	form := newSurveyForm("Store visits")
	form.Set("t.en.score", "How likely are you to recommend our stores?")
	form.Set("t.nl.title", "Uw bezoek")
	p = e.post(c, "/surveys/new", form)
	wantStatus(t, p, http.StatusSeeOther, "create survey")
	if loc := p.header.Get("Location"); loc != "/surveys/store-visits?done=created" {
		t.Fatalf("after create: Location %q", loc)
	}
	sv := e.survey("store-visits")
	if sv.Texts["en"].Score != "How likely are you to recommend our stores?" || sv.Texts["nl"].Title != "Uw bezoek" || len(sv.Texts) != 3 {
		t.Errorf("saved texts %+v", sv.Texts)
	}

	p = e.get(c, "/surveys")
	wantStatus(t, p, http.StatusOK, "surveys")
	wantContains(t, p, "surveys", `href="/surveys/store-visits"`, "Store visits", "NPS", "en, nl, de")

	p = e.get(c, "/surveys/store-visits?done=created")
	wantContains(t, p, "editor", "Survey created.", ">How likely are you to recommend our stores?</textarea>",
		`src="/surveys/store-visits/preview?lang=en"`, `value="Uw bezoek"`)

	// Change the wording; the saved preview shows it, in each language.
	form = newSurveyForm("Store visits")
	form.Set("t.en.score", "Would you recommend the shop?")
	form.Set("t.de.title", "Ihr Besuch")
	p = e.post(c, "/surveys/store-visits", form)
	wantStatus(t, p, http.StatusSeeOther, "save survey")
	p = e.get(c, "/surveys/store-visits/preview?lang=en")
	wantStatus(t, p, http.StatusOK, "preview")
	wantContains(t, p, "english preview", "Would you recommend the shop?")
	wantNotContains(t, p, "english preview", "our stores")
	wantContains(t, e.get(c, "/surveys/store-visits/preview?lang=de"), "german preview", "Ihr Besuch")
	// A language the survey does not speak shows the default one.
	wantContains(t, e.get(c, "/surveys/store-visits/preview?lang=fr"), "unknown language", "Would you recommend the shop?")
}

func TestSurveyPreviewMayBeFramedHereOnly(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.seedSurvey("visits", heed.SurveyNPS)
	c := e.signedIn("admin@acme.test")
	for _, path := range []string{"/surveys/visits/preview?lang=nl", "/surveys/-/preview?kind=csat&preview_lang=en"} {
		p := e.get(c, path)
		wantStatus(t, p, http.StatusOK, path)
		if got := p.header.Get("X-Frame-Options"); got != "SAMEORIGIN" {
			t.Errorf("%s: X-Frame-Options %q", path, got)
		}
		csp := p.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'self'") || !strings.Contains(csp, "form-action 'none'") {
			t.Errorf("%s: CSP %q, want framing by this site only and no form posts", path, csp)
		}
	}
	// The editor itself may not be framed at all.
	if got := e.get(c, "/surveys/visits").header.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("editor X-Frame-Options %q", got)
	}
	wantContains(t, e.get(c, "/surveys/visits/preview?lang=nl"), "dutch preview", "Hoe waarschijnlijk")
	wantContains(t, e.get(c, "/surveys/-/preview?kind=csat&preview_lang=en"), "new CSAT preview", "How satisfied were you")
}

func TestSurveyDraftPreviewDoesNotSave(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.seedSurvey("visits", heed.SurveyNPS)
	c := e.signedIn("admin@acme.test")
	form := newSurveyForm("Survey visits")
	form.Set("survey", "visits")
	form.Set("kind", "ces") // ignored: a saved survey keeps its kind
	form.Set("t.nl.score", "Zou u ons aanraden, ja?")
	form.Set("preview_lang", "nl")
	form.Set("q.0.id", "channel")
	form.Set("q.0.type", "single")
	form.Set("q.0.options", "shop, web")
	form.Set("t.nl.q.0.label", "Waar kocht u?")
	form.Set("t.nl.q.0.o.web", "Online")

	for _, p := range []page{
		e.get(c, "/surveys/-/preview?"+form.Encode()), // the script, as the admin types
		e.post(c, "/surveys/-/preview", form),         // the Update button without script
	} {
		wantStatus(t, p, http.StatusOK, "draft preview")
		wantContains(t, p, "draft preview", "Zou u ons aanraden, ja?", "Waar kocht u?", "Online", ">10<")
	}
	sv := e.survey("visits")
	if sv.Texts["nl"].Score == "Zou u ons aanraden, ja?" || len(sv.Questions) != 0 || sv.Kind != heed.SurveyNPS {
		t.Errorf("a preview changed the saved survey: %+v", sv)
	}
	// Only admins edit, so only they preview drafts.
	wantStatus(t, e.get(e.signedIn("nora@acme.test"), "/surveys/-/preview?"+form.Encode()), http.StatusForbidden, "draft preview by a manager")
}

func TestSurveyQuestionsRewardAndErrors(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.signedIn("admin@acme.test")
	wantStatus(t, e.post(c, "/surveys/new", newSurveyForm("Visits")), http.StatusSeeOther, "create")

	// "Add question" redraws the form with an empty row; nothing is saved.
	form := newSurveyForm("Visits")
	form.Set("op", "add-question")
	p := e.post(c, "/surveys/visits", form)
	wantStatus(t, p, http.StatusOK, "add question")
	wantContains(t, p, "add question", `name="q.0.id"`, `value="remove-question-0"`)

	// A bad option key is refused, the form comes back with the field marked.
	form = newSurveyForm("Visits")
	form.Set("q.0.id", "channel")
	form.Set("q.0.type", "single")
	form.Set("q.0.options", "shop, Web Shop!")
	p = e.post(c, "/surveys/visits", form)
	wantStatus(t, p, http.StatusBadRequest, "bad option")
	wantContains(t, p, "bad option", `role="alert"`, `href="#q-0-options"`, `id="q-0-options" name="q.0.options" type="text" value="shop, Web Shop!"`, `aria-invalid="true"`)

	form.Set("q.0.options", "shop, web")
	form.Set("q.0.required", "on")
	form.Set("reward", "on")
	form.Set("open_link", "on")
	form.Set("hidden", "order_id, store")
	form.Set("origins", "https://shop.example.com\n")
	wantStatus(t, e.post(c, "/surveys/visits", form), http.StatusSeeOther, "save question")
	sv := e.survey("visits")
	if len(sv.Questions) != 1 || sv.Questions[0].ID != "channel" || !sv.Questions[0].Required || len(sv.Questions[0].Options) != 2 ||
		!sv.Reward || !sv.OpenLink || strings.Join(sv.Hidden, ",") != "order_id,store" || len(sv.Origins) != 1 {
		t.Fatalf("saved %+v", sv)
	}
	// The saved question gets its wording fields in every language.
	p = e.get(c, "/surveys/visits")
	wantContains(t, p, "editor with a question", `name="t.de.q.0.label"`, `name="t.nl.q.0.o.web"`, "/s/open/visits", `<span class="num">0</span> in the pool`)

	// Reward codes: blank lines and repeats are skipped.
	p = e.post(c, "/surveys/visits/codes", url.Values{"codes": {"A-1\r\nA-2\r\n\r\nA-1\r\n"}})
	wantStatus(t, p, http.StatusSeeOther, "add codes")
	p = e.get(c, p.header.Get("Location"))
	wantContains(t, p, "after codes", "2 new reward codes added to the pool.", `<span class="num">2</span> in the pool, <strong class="num">2</strong> left`)

	// Removing the question keeps the rest of the form as typed.
	form.Set("op", "remove-question-0")
	p = e.post(c, "/surveys/visits", form)
	wantStatus(t, p, http.StatusOK, "remove question")
	wantNotContains(t, p, "remove question", `name="q.0.id"`)
	wantContains(t, p, "remove question", `value="order_id, store"`)
}

func TestSurveysReadOnlyForOthers(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.seedSurvey("visits", heed.SurveyNPS)
	c := e.signedIn("nora@acme.test")
	p := e.get(c, "/surveys")
	wantStatus(t, p, http.StatusOK, "surveys for a manager")
	wantContains(t, p, "surveys for a manager", `href="/surveys/visits"`)
	wantNotContains(t, p, "surveys for a manager", `href="/surveys/new"`)

	p = e.get(c, "/surveys/visits")
	wantStatus(t, p, http.StatusOK, "survey for a manager")
	wantContains(t, p, "survey for a manager", `<fieldset class="plain" disabled>`, "read-only", `target="preview"`)
	wantNotContains(t, p, "survey for a manager", "Save changes", "preview.js", `action="/surveys/visits/codes"`)

	wantStatus(t, e.get(c, "/surveys/new"), http.StatusForbidden, "new survey form for a manager")
	wantStatus(t, e.post(c, "/surveys/new", newSurveyForm("Mine")), http.StatusForbidden, "create by a manager")
	wantStatus(t, e.post(c, "/surveys/visits", newSurveyForm("Renamed")), http.StatusForbidden, "save by a manager")
	wantStatus(t, e.post(c, "/surveys/visits/codes", url.Values{"codes": {"X"}}), http.StatusForbidden, "codes by a manager")
	wantStatus(t, e.get(c, "/surveys/nope"), http.StatusNotFound, "unknown survey")
}

func TestSurveyAddAndDropLanguages(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.signedIn("admin@acme.test")
	wantStatus(t, e.post(c, "/surveys/new", newSurveyForm("Visits")), http.StatusSeeOther, "create")

	form := newSurveyForm("Visits")
	form.Set("op", "add-language")
	form.Set("add_lang", "Français")
	p := e.post(c, "/surveys/visits", form)
	wantStatus(t, p, http.StatusBadRequest, "a bad language code")
	wantContains(t, p, "a bad language code", "is not a language code", `href="#add_lang"`)

	form.Set("add_lang", "FR")
	p = e.post(c, "/surveys/visits", form)
	wantStatus(t, p, http.StatusOK, "add French")
	wantContains(t, p, "add French", `data-lang="fr"`, `name="lang.fr" value="on" checked`, `name="t.fr.title"`)

	// Save with French worded and German no longer offered.
	form.Del("op")
	form["langs"] = []string{"en", "nl", "de", "fr"}
	form.Set("lang.fr", "on")
	form.Del("lang.de")
	form.Set("t.fr.title", "Votre visite")
	wantStatus(t, e.post(c, "/surveys/visits", form), http.StatusSeeOther, "save languages")
	sv := e.survey("visits")
	if _, de := sv.Texts["de"]; de || sv.Texts["fr"].Title != "Votre visite" || len(sv.Texts) != 3 {
		t.Errorf("saved languages %v", sv.Texts)
	}
	p = e.get(c, "/surveys/visits")
	wantContains(t, p, "editor", `data-lang="fr"`, `<span class="badge">not offered</span>`, `<option value="fr">fr</option>`)
	wantContains(t, e.get(c, "/surveys"), "list", "en, nl, fr")
}
