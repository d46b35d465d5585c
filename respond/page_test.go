package respond_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/respond"
	"github.com/heedhq/heed/survey"
)

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, _ := e.invite("visit", "C-1")
	for _, path := range []string{link, link + "?score=3", link + "/unsubscribe", "/s/open/visit", "/s/unknown-path"} {
		p := e.get(path, nil)
		h := p.header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows inline code: %q", path, csp)
		}
		if h.Get("Referrer-Policy") != "same-origin" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", path, h)
		}
		if strings.Contains(p.body, "<style") || strings.Contains(p.body, " style=") || strings.Contains(p.body, "<script>") {
			t.Errorf("%s: inline style or script, which the CSP would block", path)
		}
	}
	if cc := e.get(link, nil).header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("a personal page may be cached: Cache-Control %q", cc)
	}

	// A form post from another site records nothing.
	_, inv := e.invite("visit", "C-NL")
	p := e.post(link, form("step", "score", "score", "0"), header("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"))
	wantStatus(t, p, 403, "cross-site answer")
	if n := len(e.responsesOf("visit", inv)) + len(e.responses("visit")); n != 0 {
		t.Errorf("a cross-site post recorded %d responses", n)
	}

	// Assets are served, versioned ones for a year.
	for _, name := range []string{"survey.css", "confirm.js", "widget.js"} {
		p := e.get("/s/static/"+name, nil)
		wantStatus(t, p, 200, name)
	}
	body := e.get(link, nil).body
	css := between(body, `<link rel="stylesheet" href="`, `"`)
	if p := e.get(css, nil); p.status != 200 || !strings.Contains(p.header.Get("Cache-Control"), "immutable") {
		t.Errorf("versioned %s: status %d, Cache-Control %q", css, p.status, p.header.Get("Cache-Control"))
	}
	wantStatus(t, e.get("/s/static/nothing.css", nil), 404, "missing asset")
}

// TestPagesAreSmall keeps every page with its stylesheet under 30 KB, the
// budget of a survey opened on a slow phone connection.
func TestPagesAreSmall(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, _ := e.invite("visit", "C-1")
	css := e.get("/s/static/survey.css", nil).body
	pages := map[string]string{"score step": e.get(link, nil).body, "from email": e.get(link+"?score=7", nil).body}
	pages["with errors"] = e.post(link, form("step", "details", "score", "11", "comment", strings.Repeat("x", 5001)), nil).body
	e.post(link, form("step", "score", "score", "7"), nil)
	pages["reason step"] = e.get(link, nil).body
	pages["thanks"] = e.get(link+"/thanks", nil).body
	pages["open"] = e.get("/s/open/visit?store=store-1", nil).body
	for name, body := range pages {
		size := len(body) + len(css)
		if name == "with errors" {
			size -= 5001 // the respondent's own text, echoed back
		}
		if size >= 30*1024 {
			t.Errorf("%s: page %d + CSS %d bytes = %d; want under 30 KB", name, len(body), len(css), size)
		}
		if len(body) < 500 {
			t.Errorf("%s: page of %d bytes is suspiciously small:\n%s", name, len(body), body)
		}
	}
	js := e.get("/s/static/confirm.js", nil).body
	if len(js) > 4*1024 {
		t.Errorf("confirm.js is %d bytes; keep it under 4 KB", len(js))
	}
}

func TestPreview(t *testing.T) {
	sv := heed.Survey{Key: "p", Kind: heed.SurveyCES, Language: "en", Texts: survey.DefaultTexts(heed.SurveyCES),
		Questions: []heed.Question{{ID: "channel", Type: heed.QuestionSingle, Options: []string{"phone", "chat"}}}}
	var buf bytes.Buffer
	if err := respond.Preview(&buf, sv, "de"); err != nil {
		t.Fatal(err)
	}
	p := page{status: 200, body: buf.String()}
	wantContains(t, p, "preview", `<html lang="de">`, "<h1>War es einfach?</h1>",
		`class="survey step-score" novalidate inert>`, `class="survey step-details" novalidate inert>`,
		`name="score" value="7" aria-describedby="score-hi">7</button>`, `id="score-1" name="score" value="1" aria-describedby="details-lo">`,
		"1 = Stimme überhaupt nicht zu", ">Senden</button>", `name="q.channel" value="chat"`)
	wantNotContains(t, p, "preview", "action=", "checked", `value="8"`, `value="0"`)
	// Every id on the page is used once, though both steps are shown.
	seen := map[string]bool{}
	for _, part := range strings.Split(buf.String(), ` id="`)[1:] {
		id, _, _ := strings.Cut(part, `"`)
		if seen[id] {
			t.Errorf("id %q is used twice in the preview", id)
		}
		seen[id] = true
	}
}

// TestLogPath: a personal link's token never reaches a log line; fixed
// paths and paths outside /s/ are logged as they are.
func TestLogPath(t *testing.T) {
	for in, want := range map[string]string{
		"/s/AbCdEfGhIjKlMnOpQrStUvWxYz012345":             "/s/{token}",
		"/s/AbCdEfGhIjKlMnOpQrStUvWxYz012345/thanks":      "/s/{token}/thanks",
		"/s/AbCdEfGhIjKlMnOpQrStUvWxYz012345/unsubscribe": "/s/{token}/unsubscribe",
		"/s/open/store-visit":                             "/s/open/store-visit",
		"/s/static/survey.css":                            "/s/static/survey.css",
		"/api/v1/units":                                   "/api/v1/units",
	} {
		if got := respond.LogPath(in); got != want {
			t.Errorf("LogPath(%q) = %q; want %q", in, got, want)
		}
	}
}
