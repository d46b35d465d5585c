package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// cookieName holds the session token from accounts.Login.
const cookieName = "heed_session"

// viewer is the signed-in person a page is rendered for.
type viewer struct {
	P     heed.Principal
	Name  string
	Email string
	Unit  string // unit key; "" for analysts and admins without one
}

// IsAdmin is for the templates (the Jobs link).
func (v *viewer) IsAdmin() bool { return v.P.IsAdmin() }

// Role is for the templates.
func (v *viewer) Role() string { return string(v.P.Role) }

type viewerKey struct{}

func viewerFrom(ctx context.Context) *viewer {
	v, _ := ctx.Value(viewerKey{}).(*viewer)
	return v
}

// handlerFunc is a handler that returns its error, so every page reports
// failures the same way (see fail).
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// page serves h to signed-in people only; others are sent to sign in and
// brought back afterwards.
func (s *server) page(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := s.loadViewer(r)
		if heed.ErrorCode(err) == heed.EUnauthorized {
			s.toLogin(w, r)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(heed.WithPrincipal(r.Context(), v.P), viewerKey{}, v))
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10) // forms here are tiny
		}
		// Pages show private data: keep them out of shared and back-button caches.
		w.Header().Set("Cache-Control", "no-store")
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// optional serves h to anyone, with the viewer in the context when the
// visitor is signed in.
func (s *server) optional(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v, err := s.loadViewer(r); err == nil {
			r = r.WithContext(context.WithValue(heed.WithPrincipal(r.Context(), v.P), viewerKey{}, v))
		}
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// public serves h to anyone (the sign-in and sign-out forms).
func (s *server) public(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// loadViewer finds who holds the session cookie; EUnauthorized when
// nobody (or an expired session) does.
func (s *server) loadViewer(r *http.Request) (*viewer, error) {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		return nil, heed.Errorf(heed.EUnauthorized, "not signed in")
	}
	p, err := s.acc.SessionPrincipal(r.Context(), c.Value)
	if err != nil {
		return nil, err
	}
	v := &viewer{P: p, Name: p.Name, Email: p.Name}
	// Everyone may read their own record; the name is for the header.
	if e, err := s.dir.GetEmployee(r.Context(), p, p.Name); err == nil {
		v.Name, v.Unit = e.Name, e.Unit
	} else if !heed.IsNotFound(err) {
		return nil, err
	}
	return v, nil
}

// toLogin sends the visitor to the sign-in page, remembering where they
// were going when that was a page (GET) of ours.
func (s *server) toLogin(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil && c.Value != "" {
		s.clearCookie(w) // expired or revoked: do not send it again
	}
	target := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath returns next when it is a path on this site and "/" otherwise,
// so the sign-in page cannot be used to send people elsewhere.
func localPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

func (s *server) setCookie(w http.ResponseWriter, token string, ttl time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    token,
		Path:     "/",
		MaxAge:   int(ttl.Seconds()),
		Expires:  time.Now().Add(ttl),
		HttpOnly: true,
		Secure:   s.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

func (s *server) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   s.secure,
		SameSite: http.SameSiteLaxMode,
	})
}
