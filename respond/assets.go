package respond

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"time"
)

// assets serves the embedded files under /s/static/. Pages link to them
// with ?v=HASH, so a versioned request may be cached for a year and a new
// build still reaches every browser at once.
type assets struct {
	files map[string]asset
}

type asset struct {
	body []byte
	hash string
}

func loadAssets(fsys fs.FS) (*assets, error) {
	as := &assets{files: map[string]asset{}}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		as.files[p[len("static/"):]] = asset{body: b, hash: hex.EncodeToString(sum[:6])}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static files: %w", err)
	}
	return as, nil
}

// url is the template function "asset": the versioned URL of a file.
func (as *assets) url(name string) (string, error) {
	a, ok := as.files[name]
	if !ok {
		return "", fmt.Errorf("respond: no static file %q", name)
	}
	return "/s/static/" + name + "?v=" + a.hash, nil
}

func (as *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	a, ok := as.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == a.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	as.serve(w, r, name, a)
}

// widget serves widget.js at /s/widget.js, the address customers paste
// into their sites. It cannot be versioned, so it is cached briefly, and
// other sites may load it (Cross-Origin-Resource-Policy).
func (as *assets) widget(w http.ResponseWriter, r *http.Request) {
	a := as.files["widget.js"]
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
	as.serve(w, r, "widget.js", a)
}

func (as *assets) serve(w http.ResponseWriter, r *http.Request, name string, a asset) {
	w.Header().Set("ETag", `"`+a.hash+`"`)
	http.ServeContent(w, r, path.Base(name), time.Time{}, bytes.NewReader(a.body))
}
