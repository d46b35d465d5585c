package web

import (
	"net/http"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
)

// accountBody is the content of account.html.
type accountBody struct {
	Unit      *heed.Unit // the viewer's unit, when they have one they may see
	Notice    string
	Error     string            // about the whole password form
	Errors    map[string]string // password form field → what is wrong with it
	Fields    []passwordField
	MinLength int
}

// passwordField is one input of the change-password form.
type passwordField struct {
	ID, Label, Autocomplete string
	MinLength               int // 0: no rule (the current password)
	Error                   string
	Focus                   bool // the cursor starts here
}

// passwordFields lays out the form, the cursor in the first field at
// fault. Passwords typed are never sent back.
func passwordFields(errs map[string]string) []passwordField {
	fs := []passwordField{
		{ID: "current_password", Label: "Current password", Autocomplete: "current-password"},
		{ID: "new_password", Label: "New password", Autocomplete: "new-password", MinLength: accounts.MinPasswordLen},
		{ID: "repeat_password", Label: "Repeat the new password", Autocomplete: "new-password", MinLength: accounts.MinPasswordLen},
	}
	focused := false
	for i := range fs {
		fs[i].Error = errs[fs[i].ID]
		if fs[i].Error != "" && !focused {
			fs[i].Focus, focused = true, true
		}
	}
	return fs
}

// accountPage shows who is signed in and the form to change the password.
func (s *server) accountPage(w http.ResponseWriter, r *http.Request) error {
	var body accountBody
	// Built from known words only, never echoed from the query.
	if r.URL.Query().Get("done") == "password" {
		body.Notice = "Password changed; other devices have been signed out."
	}
	return s.renderAccount(w, r, http.StatusOK, body)
}

func (s *server) renderAccount(w http.ResponseWriter, r *http.Request, status int, body accountBody) error {
	v := viewerFrom(r.Context())
	if v.Unit != "" {
		u, err := s.dir.GetUnit(r.Context(), v.P, v.Unit)
		if err != nil && !heed.IsNotFound(err) {
			return err
		}
		if err == nil {
			body.Unit = &u
		}
	}
	body.Fields, body.MinLength = passwordFields(body.Errors), accounts.MinPasswordLen
	return s.render(w, r, status, "account", view{Title: "Your account", Section: "account", Body: body})
}

// accountPassword changes the viewer's own password. Success ends every
// session of theirs, this one included, so it signs them in again with
// the new password: the device they changed it on stays signed in.
func (s *server) accountPassword(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	current, next := r.PostForm.Get("current_password"), r.PostForm.Get("new_password")
	body := accountBody{Errors: map[string]string{}}
	switch {
	case current == "":
		body.Errors["current_password"] = "Enter your current password."
	case next == "":
		body.Errors["new_password"] = "Enter a new password."
	case next != r.PostForm.Get("repeat_password"):
		body.Errors["repeat_password"] = "The two new passwords are not the same. Type the new one twice."
	}
	if len(body.Errors) > 0 {
		return s.renderAccount(w, r, http.StatusBadRequest, body)
	}
	err := s.acc.ChangePassword(ctx, v.P, current, next)
	switch heed.ErrorCode(err) {
	case "":
		return s.signInAgain(w, r, v.Email, next)
	case heed.EUnauthorized:
		if heed.ErrorField(err) != "current_password" {
			return err // the session ended meanwhile: sign in again
		}
		body.Errors["current_password"] = "The current password is wrong."
		return s.renderAccount(w, r, http.StatusUnauthorized, body)
	case heed.EInvalid:
		body.Errors["new_password"] = sentence(heed.ErrorMessage(err))
		return s.renderAccount(w, r, http.StatusBadRequest, body)
	case heed.ERateLimited:
		s.log.Warn("web: password change rate limited", "email", v.Email, "ip", clientIP(r))
		s.retryAfter(w)
		body.Error = "Too many wrong passwords. Wait a few minutes, then try again."
		return s.renderAccount(w, r, http.StatusTooManyRequests, body)
	}
	return err
}

// signInAgain starts a new session with the password just set and shows
// the account page with the confirmation.
func (s *server) signInAgain(w http.ResponseWriter, r *http.Request, email, password string) error {
	token, err := s.acc.Login(r.Context(), email, password, clientIP(r), r.UserAgent())
	if err != nil {
		// The password did change; only the new session failed (say the
		// address is throttled). The old cookie is dead: sign in by hand.
		s.log.Warn("web: sign-in after password change failed", "email", email, "err", err)
		s.clearCookie(w)
		http.Redirect(w, r, "/login?next=%2Faccount", http.StatusSeeOther)
		return nil
	}
	s.setCookie(w, token, s.acc.Config().SessionTTL)
	http.Redirect(w, r, "/account?done=password", http.StatusSeeOther)
	return nil
}
