package respond_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestWidgetScript(t *testing.T) {
	e := newEnv(t, envOptions{})
	p := e.get("/s/widget.js", nil)
	wantStatus(t, p, 200, "widget.js")
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("widget.js Content-Type = %q", ct)
	}
	if p.header.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
		t.Errorf("widget.js may not be loaded by other sites: CORP %q", p.header.Get("Cross-Origin-Resource-Policy"))
	}
	wantContains(t, p, "widget.js", `data-survey`, `/s/widget/`, `"/responses"`)
}

func TestWidgetSurveyAndCORS(t *testing.T) {
	e := newEnv(t, envOptions{})
	p := e.get("/s/widget/visit", header("Origin", shopOrigin, "Accept-Language", "nl-NL,nl;q=0.9"))
	wantStatus(t, p, 200, "widget survey")
	wantCORS(t, p, shopOrigin, "widget survey")
	var ws struct {
		Language  string `json:"language"`
		Question  string `json:"question"`
		Min, Max  int
		Submit    string `json:"submit"`
		Close     string `json:"close"`
		Hidden    []string
		Questions []struct {
			ID, Type, Label string
			Required        bool
			Options         []struct{ Value, Label string }
		}
	}
	if err := json.Unmarshal([]byte(p.body), &ws); err != nil {
		t.Fatalf("widget survey is not JSON: %v\n%s", err, p.body)
	}
	if ws.Language != "nl" || !strings.HasPrefix(ws.Question, "Hoe waarschijnlijk") || ws.Min != 0 || ws.Max != 10 ||
		ws.Submit != "Versturen" || ws.Close != "Sluiten" || len(ws.Questions) != 3 || ws.Questions[0].Label != "Waarom kwam u langs?" ||
		!ws.Questions[0].Required || ws.Questions[0].Options[1].Label != "Om iets te ruilen" || strings.Join(ws.Hidden, ",") != "store,order" {
		t.Errorf("widget survey = %+v", ws)
	}

	p = e.get("/s/widget/visit", header("Origin", "https://evil.example"))
	wantStatus(t, p, 403, "widget survey for another origin")
	wantCORS(t, p, "", "widget survey for another origin")
	wantStatus(t, e.get("/s/widget/gift", header("Origin", shopOrigin)), 403, "survey without widget")
	wantStatus(t, e.get("/s/widget/none", header("Origin", shopOrigin)), 404, "no such survey")
}

func TestWidgetPreflight(t *testing.T) {
	e := newEnv(t, envOptions{})
	pre := func(origin string) page {
		return e.do(e.request(http.MethodOptions, "/s/widget/visit/responses", nil, header("Origin", origin,
			"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")))
	}
	p := pre(shopOrigin)
	wantStatus(t, p, 204, "preflight")
	wantCORS(t, p, shopOrigin, "preflight")
	if p.header.Get("Access-Control-Allow-Methods") != "POST" || p.header.Get("Access-Control-Allow-Headers") != "Content-Type" {
		t.Errorf("preflight headers = %v", p.header)
	}
	p = pre("https://evil.example")
	wantStatus(t, p, 403, "preflight from another origin")
	wantCORS(t, p, "", "preflight from another origin")
	if p.header.Get("Access-Control-Allow-Methods") != "" {
		t.Errorf("preflight from another origin allows methods %q", p.header.Get("Access-Control-Allow-Methods"))
	}
}

func TestWidgetAnswers(t *testing.T) {
	e := newEnv(t, envOptions{rateLimit: 5})
	post := func(origin, body string) page {
		h := header("Content-Type", "application/json")
		if origin != "" {
			h.Set("Origin", origin)
			h.Set("Sec-Fetch-Site", "cross-site")
		}
		return e.do(e.request(http.MethodPost, "/s/widget/visit/responses", strings.NewReader(body), h))
	}
	ok := `{"score": 9, "comment": "Quick checkout", "answers": {"visit": "shop", "topics": ["price"]},
		"hidden": {"order": "W-1", "coupon": "x"}, "language": "de"}`
	p := post(shopOrigin, ok)
	wantStatus(t, p, 201, "widget answer")
	wantCORS(t, p, shopOrigin, "widget answer")
	wantContains(t, p, "widget answer", `"thanks":"Vielen Dank! Ihre Antwort hilft uns, besser zu werden."`)
	rs := e.responses("visit")
	if len(rs) != 1 {
		t.Fatalf("%d responses after one widget answer", len(rs))
	}
	if r := rs[0]; r.Channel != "widget" || r.Score != 9 || r.Comment != "Quick checkout" || r.Answers["visit"] != "shop" ||
		r.Hidden["order"] != "W-1" || len(r.Hidden) != 1 || r.Language != "de" {
		t.Errorf("widget response = %+v", r)
	}

	p = post("https://evil.example", ok)
	wantStatus(t, p, 403, "answer from another origin")
	wantCORS(t, p, "", "answer from another origin")
	wantStatus(t, post("", ok), 403, "answer without an origin")

	p = post(shopOrigin, `{"score": 11, "answers": {"visit": "shop"}}`)
	wantStatus(t, p, 422, "score 11")
	wantContains(t, p, "score 11", `"field":"score"`, `"error":"Choose a number from 0 to 10."`)
	p = post(shopOrigin, `{"score": 5, "answers": {"visit": "shop", "bogus": "x"}}`)
	wantStatus(t, p, 422, "unknown question")
	wantContains(t, p, "unknown question", `"field":"answers.bogus"`, `"error":"This survey has no question \"bogus\"."`)
	p = post(shopOrigin, `{"score": 5, "comment": "", "answers": {"topics": ["price"]}}`)
	wantStatus(t, p, 422, "required question")
	wantContains(t, p, "required question", `"field":"answers.visit"`, `"error":"Why did you visit?: Please answer this question."`)
	p = post(shopOrigin, `{"score": 5, "comment": 3}`)
	wantStatus(t, p, 400, "not an answer")
	wantContains(t, p, "not an answer", `"field":"comment"`)
	if n := len(e.responses("visit")); n != 1 {
		t.Errorf("%d responses after refused answers; want 1", n)
	}
	// Five posts from this address in the minute so far; the sixth waits.
	p = post(shopOrigin, ok)
	wantStatus(t, p, 429, "over the limit")
	wantCORS(t, p, shopOrigin, "over the limit")
	if p.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

// wantCORS checks the CORS headers: for origin, or none when origin is "".
func wantCORS(t *testing.T, p page, origin, what string) {
	t.Helper()
	if got := p.header.Get("Access-Control-Allow-Origin"); got != origin {
		t.Errorf("%s: Access-Control-Allow-Origin = %q; want %q", what, got, origin)
	}
	if !strings.Contains(strings.Join(p.header.Values("Vary"), ","), "Origin") {
		t.Errorf("%s: no Vary: Origin (%v)", what, p.header.Values("Vary"))
	}
}
