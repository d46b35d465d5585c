package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAccountChangePassword(t *testing.T) {
	e := newEnv(t, envOptions{})
	c := e.signedIn("nora@acme.test")
	other := e.signedIn("nora@acme.test") // her phone, say
	const newPassword = "a brand new secret"

	wantContains(t, e.get(c, "/"), "header", `href="/account"`)
	p := e.get(c, "/account")
	wantStatus(t, p, http.StatusOK, "account page")
	wantContains(t, p, "account page", "Your account", "Nora North", "nora@acme.test", "North region",
		`action="/account/password"`, `name="current_password"`, `name="new_password"`, `name="repeat_password"`)

	change := func(current, next, repeat string) page {
		return e.post(c, "/account/password", url.Values{
			"current_password": {current}, "new_password": {next}, "repeat_password": {repeat}})
	}
	for _, tc := range []struct {
		name          string
		p             page
		status        int
		message, into string
	}{
		{"repeat differs", change(password, newPassword, newPassword+"!"), http.StatusBadRequest,
			"The two new passwords are not the same", "repeat_password"},
		{"wrong current password", change("not my password", newPassword, newPassword), http.StatusUnauthorized,
			"The current password is wrong.", "current_password"},
		{"new password too short", change(password, "short", "short"), http.StatusBadRequest,
			"New password must be at least 10 characters.", "new_password"},
	} {
		wantStatus(t, tc.p, tc.status, tc.name)
		wantContains(t, tc.p, tc.name, tc.message, `id="`+tc.into+`-error"`)
		// The cursor goes to the field at fault; no password is sent back.
		if !strings.Contains(tc.p.body, `id="`+tc.into+`"`) || !fieldHas(tc.p.body, tc.into, "autofocus") {
			t.Errorf("%s: the %s field does not have the focus", tc.name, tc.into)
		}
		wantNotContains(t, tc.p, tc.name, newPassword, password)
	}
	wantStatus(t, e.get(other, "/"), http.StatusOK, "other device after refused changes")

	p = change(password, newPassword, newPassword)
	wantStatus(t, p, http.StatusSeeOther, "change password")
	if loc := p.header.Get("Location"); loc != "/account?done=password" {
		t.Fatalf("after the change went to %q", loc)
	}
	// Signed in again here, with a new session, and told what happened.
	p = e.get(c, p.header.Get("Location"))
	wantStatus(t, p, http.StatusOK, "account page after the change")
	wantContains(t, p, "account page after the change", "Password changed; other devices have been signed out.")
	wantStatus(t, e.get(other, "/"), http.StatusSeeOther, "other device after the change")

	p = e.post(e.client(), "/login", url.Values{"email": {"nora@acme.test"}, "password": {password}})
	wantStatus(t, p, http.StatusUnauthorized, "sign in with the old password")
	p = e.post(e.client(), "/login", url.Values{"email": {"nora@acme.test"}, "password": {newPassword}})
	wantStatus(t, p, http.StatusSeeOther, "sign in with the new password")
}

func TestAccountWrongPasswordsThrottled(t *testing.T) {
	e := newEnv(t, envOptions{}) // MaxLoginFailures: 3
	c := e.signedIn("fred@acme.test")
	var p page
	for i := 0; i < 4 && p.status != http.StatusTooManyRequests; i++ {
		p = e.post(c, "/account/password", url.Values{
			"current_password": {"guess " + string(rune('a'+i))}, "new_password": {"a brand new secret"}, "repeat_password": {"a brand new secret"}})
	}
	wantStatus(t, p, http.StatusTooManyRequests, "4th wrong current password")
	wantContains(t, p, "throttled change", "Too many wrong passwords")
	if p.header.Get("Retry-After") != "900" {
		t.Errorf("Retry-After %q, want 900 (the 15-minute failure window)", p.header.Get("Retry-After"))
	}
	// A stolen session guessing on the account page must not lock the
	// owner out of signing in.
	p = e.post(e.client(), "/login", url.Values{"email": {"fred@acme.test"}, "password": {password}})
	wantStatus(t, p, http.StatusSeeOther, "sign-in after guessing on the account page")
}

// fieldHas reports whether the input with this id carries the attribute.
func fieldHas(body, id, attr string) bool {
	i := strings.Index(body, `<input id="`+id+`"`)
	if i < 0 {
		return false
	}
	tag := body[i:]
	tag = tag[:strings.IndexByte(tag, '>')]
	return strings.Contains(tag, " "+attr)
}
