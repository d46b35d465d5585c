package web

import (
	"fmt"
	"net/http"
)

// csp allows only this origin's own scripts, styles and images, and no
// inline script at all, so injected markup cannot run.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response of the web UI carries,
// refusals and error pages included.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// crossOriginDenied answers a state-changing request from another origin
// (a CSRF attempt, or a misconfigured proxy) with a 403 page.
func (s *server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	s.log.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path,
		"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
	s.errorPage(w, r, http.StatusForbidden, "Request refused",
		"This form was sent from another site, so Heed did not act on it. Go back, reload the page and try again.")
}

// recoverPanics turns a panicking handler into a logged 500 page instead
// of a dropped connection.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("web: panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong",
					"Heed hit an unexpected problem. It has been logged; please try again in a moment.")
			}
		}()
		next.ServeHTTP(w, r)
	})
}
