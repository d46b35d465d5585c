package respond

import (
	"net/http"

	"github.com/heedhq/heed/internal/assets"
)

// widget serves widget.js at /s/widget.js, the address customers paste
// into their sites. It cannot be versioned, so it is cached briefly, and
// other sites may load it (Cross-Origin-Resource-Policy).
func widget(as *assets.Set) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		as.Serve(w, r, "widget.js")
	}
}
