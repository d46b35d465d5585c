package respond

import (
	"net/http"
	"strings"
)

// routes builds the route table. Personal links (/s/{token}/…) and the
// fixed paths (/s/open/…, /s/widget/…, /s/static/…) live in two muxes:
// in one mux "GET /s/open/{survey}" and "GET /s/{token}/thanks" would
// both match /s/open/thanks and the standard library refuses such a pair.
// Tokens are 32 base64url characters, so no token is a fixed name.
func (s *server) routes() http.Handler {
	fixed := http.NewServeMux()
	fixed.Handle("GET /s/static/{file...}", s.assets)
	fixed.HandleFunc("GET /s/widget.js", widget(s.assets))
	fixed.Handle("GET /s/open/{survey}", s.page(s.openForm))
	fixed.Handle("POST /s/open/{survey}", s.sameOrigin(s.page(s.openSubmit)))
	fixed.HandleFunc("GET /s/widget/{survey}", s.widgetConfig)
	fixed.HandleFunc("OPTIONS /s/widget/{survey}/responses", s.widgetPreflight)
	fixed.HandleFunc("POST /s/widget/{survey}/responses", s.widgetSubmit)
	fixed.Handle("/", s.page(s.notFound))

	links := http.NewServeMux()
	links.Handle("GET /s/{token}", s.page(s.linkForm))
	links.Handle("POST /s/{token}", s.sameOrigin(s.page(s.linkSubmit)))
	links.Handle("POST /s/{token}/confirm", s.sameOrigin(http.HandlerFunc(s.linkConfirm)))
	links.Handle("GET /s/{token}/thanks", s.page(s.linkThanks))
	links.Handle("GET /s/{token}/unsubscribe", s.page(s.unsubscribeForm))
	// No sameOrigin: mail providers post one-click unsubscribes from
	// their servers; unsubscribe checks for itself (see there).
	links.Handle("POST /s/{token}/unsubscribe", s.page(s.unsubscribe))
	links.Handle("/", s.page(s.notFound))

	return s.recoverPanics(securityHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isFixed(r.URL.Path) {
			fixed.ServeHTTP(w, r)
			return
		}
		links.ServeHTTP(w, r)
	})))
}

// isFixed reports whether path is under one of the fixed names rather
// than a personal link.
func isFixed(path string) bool {
	rest, ok := strings.CutPrefix(path, "/s/")
	if !ok {
		return true // not ours at all: the fixed mux's 404
	}
	first, _, _ := strings.Cut(rest, "/")
	switch first {
	case "static", "open", "widget", "widget.js":
		return true
	}
	return false
}
