package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLoginLogoutAndRedirect(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.client()

	// A page asked for while signed out leads to the sign-in form, which
	// remembers where the visitor was going.
	p := e.get(c, "/customers?q=alice")
	wantStatus(t, p, http.StatusSeeOther, "customers while signed out")
	loc := p.header.Get("Location")
	if loc != "/login?next="+url.QueryEscape("/customers?q=alice") {
		t.Fatalf("redirect to %q, want the sign-in page with next", loc)
	}
	p = e.get(c, loc)
	wantStatus(t, p, http.StatusOK, "sign-in page")
	wantContains(t, p, "sign-in page", `name="email"`, `name="password"`, `value="/customers?q=alice"`)

	p = e.post(c, "/login", url.Values{"email": {"nora@acme.test"}, "password": {password}, "next": {"/customers?q=alice"}})
	wantStatus(t, p, http.StatusSeeOther, "sign in")
	if got := p.header.Get("Location"); got != "/customers?q=alice" {
		t.Fatalf("after sign-in went to %q, want back to /customers?q=alice", got)
	}
	p = e.get(c, "/customers?q=alice")
	wantStatus(t, p, http.StatusOK, "customers after sign-in")
	wantContains(t, p, "customers after sign-in", "Alice Archer", "Nora North", "Manager", `action="/logout"`)

	// The sign-in page sends a signed-in visitor on.
	wantStatus(t, e.get(c, "/login"), http.StatusSeeOther, "sign-in page while signed in")

	p = e.post(c, "/logout", nil)
	wantStatus(t, p, http.StatusSeeOther, "sign out")
	if got := p.header.Get("Location"); got != "/login" {
		t.Errorf("after sign-out went to %q, want /login", got)
	}
	wantStatus(t, e.get(c, "/customers"), http.StatusSeeOther, "customers after sign-out")
}

func TestLoginNextMustBeLocal(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "evil"} {
		c := e.client()
		p := e.post(c, "/login", url.Values{"email": {"fred@acme.test"}, "password": {password}, "next": {next}})
		wantStatus(t, p, http.StatusSeeOther, "sign in with next "+next)
		if got := p.header.Get("Location"); got != "/" {
			t.Errorf("next=%q: went to %q, want /", next, got)
		}
	}
}

func TestLoginWrongPasswordAndUnknownUserLookTheSame(t *testing.T) {
	e := newEnv(t, envOptions{})
	wrong := e.post(e.client(), "/login", url.Values{"email": {"nora@acme.test"}, "password": {"not the password"}})
	unknown := e.post(e.client(), "/login", url.Values{"email": {"nobody@acme.test"}, "password": {"not the password"}})
	for name, p := range map[string]page{"wrong password": wrong, "unknown user": unknown} {
		wantStatus(t, p, http.StatusUnauthorized, name)
		wantContains(t, p, name, "Wrong email or password.", `role="alert"`)
		if strings.Contains(p.header.Get("Set-Cookie"), "heed_session=") {
			t.Errorf("%s: a session cookie was set", name)
		}
	}
	// The email typed is kept, so the visitor only retypes the password,
	// where the cursor now is.
	wantContains(t, wrong, "wrong password", `value="nora@acme.test"`)
	if !fieldHas(wrong.body, "password", "autofocus") || fieldHas(wrong.body, "email", "autofocus") {
		t.Errorf("after a wrong password the focus is not on the password field:\n%s", wrong.body)
	}
	if fresh := e.get(e.client(), "/login"); !fieldHas(fresh.body, "email", "autofocus") || fieldHas(fresh.body, "password", "autofocus") {
		t.Errorf("a fresh sign-in page does not start in the email field:\n%s", fresh.body)
	}
}

func TestLoginRateLimited(t *testing.T) {
	e := newEnv(t, envOptions{}) // MaxLoginFailures: 3
	c := e.client()
	limited := false
	for i := 1; i <= 4 && !limited; i++ {
		p := e.post(c, "/login", url.Values{"email": {"fred@acme.test"}, "password": {"guess " + string(rune('0'+i))}})
		switch p.status {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			limited = true
		default:
			t.Fatalf("attempt %d: status %d, want 401 or 429", i, p.status)
		}
	}
	if !limited {
		t.Fatal("4 wrong passwords in a row were never rate limited (limit 3)")
	}
	// Now even the right password is refused, with a message that says why.
	p := e.post(c, "/login", url.Values{"email": {"fred@acme.test"}, "password": {password}})
	wantStatus(t, p, http.StatusTooManyRequests, "right password while rate limited")
	wantContains(t, p, "rate limited", "Too many failed sign-in attempts")
	if got, want := p.header.Get("Retry-After"), "900"; got != want {
		t.Errorf("429 on /login: Retry-After %q, want %q (seconds of the failure window)", got, want)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	for _, secure := range []bool{false, true} {
		e := newEnv(t, envOptions{secureCookies: secure})
		p := e.post(e.client(), "/login", url.Values{"email": {"fred@acme.test"}, "password": {password}})
		wantStatus(t, p, http.StatusSeeOther, "sign in")
		resp := http.Response{Header: p.header}
		var session *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "heed_session" {
				session = c
			}
		}
		if session == nil {
			t.Fatalf("secure=%v: no heed_session cookie in %q", secure, p.header["Set-Cookie"])
		}
		if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.Value == "" {
			t.Errorf("secure=%v: cookie %q: want HttpOnly, SameSite=Lax, Path=/ and a token", secure, session.Raw)
		}
		if session.Secure != secure {
			t.Errorf("secure=%v: cookie %q has Secure=%v", secure, session.Raw, session.Secure)
		}
		if want := int(e.acc.Config().SessionTTL.Seconds()); session.MaxAge != want {
			t.Errorf("secure=%v: cookie Max-Age %d, want the session TTL %d", secure, session.MaxAge, want)
		}
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.signedIn("admin@acme.test")
	evil := http.Header{"Origin": {"http://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}

	p := e.postWith(c, "/logout", nil, evil)
	wantStatus(t, p, http.StatusForbidden, "cross-origin sign-out")
	wantContains(t, p, "cross-origin refusal", "Request refused")
	p = e.postWith(c, "/jobs/test", nil, evil)
	wantStatus(t, p, http.StatusForbidden, "cross-origin enqueue")
	p = e.postWith(e.client(), "/login", url.Values{"email": {"admin@acme.test"}, "password": {password}}, evil)
	wantStatus(t, p, http.StatusForbidden, "cross-origin sign-in")

	// Nothing happened: still signed in, and no job was enqueued.
	p = e.get(c, "/jobs")
	wantStatus(t, p, http.StatusOK, "jobs after refused requests")
	wantNotContains(t, p, "jobs after refused requests", "heed.test")

	// The same requests from our own origin work.
	wantStatus(t, e.post(c, "/jobs/test", nil), http.StatusSeeOther, "same-origin enqueue")
	wantContains(t, e.get(c, "/jobs"), "jobs after enqueue", "heed.test")
	wantStatus(t, e.post(c, "/logout", nil), http.StatusSeeOther, "same-origin sign-out")
	wantStatus(t, e.get(c, "/"), http.StatusSeeOther, "overview after sign-out")
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.signedIn("fred@acme.test")
	for _, path := range []string{"/login", "/", "/customers", "/no-such-page"} {
		p := e.get(c, path)
		h := p.header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: Content-Security-Policy %q", path, csp)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
		if strings.Contains(p.body, "<script>") || strings.Contains(p.body, " style=") {
			t.Errorf("%s: inline script or style, which the CSP would block", path)
		}
	}
}
