package respond_test

import (
	"testing"
	"time"
)

func TestOpenLinkCarriesHiddenFields(t *testing.T) {
	e := newEnv(t, envOptions{})
	p := e.get("/s/open/visit?store=store-1&order=A-42&utm_source=receipt", header("Accept-Language", "nl-BE,nl;q=0.9,en;q=0.5"))
	wantStatus(t, p, 200, "open link")
	wantContains(t, p, "open link", `<html lang="nl">`, `action="/s/open/visit"`,
		`<input type="hidden" name="h.store" value="store-1">`, `<input type="hidden" name="h.order" value="A-42">`,
		`name="step" value="details"`, "<textarea", "Waarom kwam u langs?")
	wantNotContains(t, p, "open link", "utm_source", "confirm.js")
	if n := len(e.responses("visit")); n != 0 {
		t.Fatalf("opening the open link recorded %d responses", n)
	}

	// A refused answer keeps the hidden fields.
	p = e.post("/s/open/visit", form("h.store", "store-1", "h.order", "A-42", "score", "11", "q.visit", "shop"), nil)
	wantStatus(t, p, 422, "bad open answer")
	wantContains(t, p, "bad open answer", `name="h.order" value="A-42"`, `href="#score-0"`)

	p = e.post("/s/open/visit", form("h.store", "store-1", "h.order", "A-42", "h.utm", "x", "score", "10",
		"comment", "Great", "q.visit", "shop"), header("Accept-Language", "nl"))
	wantStatus(t, p, 200, "open answer")
	wantContains(t, p, "open answer", "Dank u wel! Uw antwoord helpt ons beter te worden.")
	rs := e.responses("visit")
	if len(rs) != 1 {
		t.Fatalf("%d responses after one open answer", len(rs))
	}
	r := rs[0]
	if r.Channel != "open" || r.Score != 10 || r.Comment != "Great" || r.Hidden["store"] != "store-1" ||
		r.Hidden["order"] != "A-42" || len(r.Hidden) != 2 || r.Unit != "store-1" || r.Customer != "" || r.Language != "nl" {
		t.Errorf("open response = %+v", r)
	}

	// A survey without an open link has none.
	wantStatus(t, e.get("/s/open/nope", nil), 404, "unknown survey")
	p = e.post("/s/open/visit", form("score", "3", "q.visit", "shop"), header("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"))
	wantStatus(t, p, 403, "cross-site open answer")
	if n := len(e.responses("visit")); n != 1 {
		t.Errorf("%d responses after a refused cross-site answer; want 1", n)
	}
}

func TestOpenLinkRewardAndRateLimit(t *testing.T) {
	e := newEnv(t, envOptions{rateLimit: 3})
	p := e.post("/s/open/gift", form("score", "4"), nil)
	wantStatus(t, p, 200, "gift answer")
	wantContains(t, p, "gift answer", "As a thank-you, here is your code:", `<p class="code">THANKS-000`)
	wantStatus(t, e.post("/s/open/gift", form("score", "9"), nil), 422, "second post, refused but counted")
	wantStatus(t, e.post("/s/open/gift", form("score", "5"), nil), 200, "third post")

	p = e.post("/s/open/gift", form("score", "5"), nil)
	wantStatus(t, p, 429, "fourth post in a minute")
	wantContains(t, p, "rate limited", "Too many answers from your connection.")
	if ra := p.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After = %q; want seconds", ra)
	}
	if n := len(e.responses("gift")); n != 2 {
		t.Errorf("%d gift responses; want 2", n)
	}
	// The widget shares the budget of the address.
	e.clock.advance(20 * time.Second) // one answer back
	wantStatus(t, e.post("/s/open/gift", form("score", "3"), nil), 200, "after 20 s")
	wantStatus(t, e.post("/s/open/gift", form("score", "3"), nil), 429, "again at once")
	e.clock.advance(time.Minute)
	wantStatus(t, e.post("/s/open/gift", form("score", "2"), nil), 200, "a minute later")
	// The pool of two is empty now: thanked without a code.
	p = e.post("/s/open/gift", form("score", "2"), nil)
	wantStatus(t, p, 200, "empty pool")
	wantNotContains(t, p, "empty pool", `class="code"`)
}
