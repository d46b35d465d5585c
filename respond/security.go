package respond

import (
	"fmt"
	"net/http"
)

// csp allows only this origin's own scripts, styles and images and no
// inline script or style, so an injected comment cannot run; forms post
// only here and no other site may frame the pages.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets what every response carries. Referrer-Policy is
// same-origin: the link's token is in the URL and must not leave with a
// link the customer follows to another site, while posts to Heed itself
// keep their Origin header (with no-referrer browsers send "Origin: null"
// on same-origin posts, which the cross-origin check refuses).
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Robots-Tag", "noindex, nofollow")
		next.ServeHTTP(w, r)
	})
}

// sameOrigin refuses a form post from another site (the standard
// library's check of Sec-Fetch-Site and Origin) with a friendly page.
func (s *server) sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.cop.Check(r); err != nil {
			s.log.Warn("respond: cross-origin post refused", "path", logPath(r),
				"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
			lang := browserLang(r)
			s.message(w, http.StatusForbidden, lang, "", wordsFor(lang).CrossSite)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panicking handler into a logged, friendly 500.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("respond: panic", "method", r.Method, "path", logPath(r), "panic", fmt.Sprint(v))
				s.oops(w, browserLang(r))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
