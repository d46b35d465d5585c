package web

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
)

// loginBody is the content of login.html.
type loginBody struct {
	Email string
	Next  string
	Error string
}

// loginPage shows the sign-in form, or moves on if already signed in.
func (s *server) loginPage(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	if _, err := s.loadViewer(r); err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "login", view{Title: "Sign in", Body: loginBody{Next: next}})
}

// loginSubmit checks the form and starts a session. An unknown email and
// a wrong password get the same answer, so the form does not reveal who
// has an account.
func (s *server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	body := loginBody{
		Email: strings.TrimSpace(r.PostForm.Get("email")),
		Next:  localPath(r.PostForm.Get("next")),
	}
	password := r.PostForm.Get("password")
	if body.Email == "" || password == "" {
		body.Error = "Enter your email address and your password."
		return s.render(w, r, http.StatusBadRequest, "login", view{Title: "Sign in", Body: body})
	}
	token, err := s.acc.Login(r.Context(), body.Email, password, clientIP(r), r.UserAgent())
	switch heed.ErrorCode(err) {
	case "":
		s.setCookie(w, token, s.acc.Config().SessionTTL)
		http.Redirect(w, r, body.Next, http.StatusSeeOther)
		return nil
	case heed.EUnauthorized:
		body.Error = "Wrong email or password."
		return s.render(w, r, http.StatusUnauthorized, "login", view{Title: "Sign in", Body: body})
	case heed.ERateLimited:
		s.log.Warn("web: sign-in rate limited", "ip", clientIP(r))
		s.retryAfter(w)
		body.Error = "Too many failed sign-in attempts. Wait a few minutes, then try again."
		return s.render(w, r, http.StatusTooManyRequests, "login", view{Title: "Sign in", Body: body})
	}
	return err
}

// retryAfter tells a throttled client how many seconds to wait: the
// whole failure window, after which every counted failure has expired.
func (s *server) retryAfter(w http.ResponseWriter) {
	secs := int(math.Ceil(s.acc.Config().FailureWindow.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
}

// logout ends the session (if any) and returns to the sign-in page.
func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(cookieName); err == nil && c.Value != "" {
		if err := s.acc.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// clientIP is the address the request came from, for the sign-in
// throttle. Proxy headers are not trusted: anyone can set them.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
