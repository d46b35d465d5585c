// Package assets serves a face's embedded static files (CSS, scripts)
// with versioned URLs: pages link to name?v=HASH, so such a request may
// be cached for a year while a new build still reaches every browser at
// once. The web UI and the respondents' pages both use it.
package assets

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

// Set is the files of one folder of an embedded file system, served
// under one URL prefix.
type Set struct {
	prefix string
	files  map[string]file
}

type file struct {
	body []byte
	hash string
}

// Load reads every file under dir of fsys; URLs are prefix + the file's
// path below dir (prefix "/static/" and "static/app.css" give
// "/static/app.css?v=…").
func Load(fsys fs.FS, dir, prefix string) (*Set, error) {
	s := &Set{prefix: prefix, files: map[string]file{}}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		s.files[p[len(dir)+1:]] = file{body: b, hash: hex.EncodeToString(sum[:6])}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static files: %w", err)
	}
	return s, nil
}

// URL is the versioned address of a file (the templates' "asset").
func (s *Set) URL(name string) (string, error) {
	f, ok := s.files[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return s.prefix + name + "?v=" + f.hash, nil
}

// ServeHTTP serves the file named by the route's {file...} wildcard:
// for a year when asked for by its current version, five minutes
// otherwise.
func (s *Set) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	f, ok := s.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == f.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	s.Serve(w, r, name)
}

// Serve writes a file with its ETag, answering conditional and range
// requests; the caller sets caching. Unknown names are 404.
func (s *Set) Serve(w http.ResponseWriter, r *http.Request, name string) {
	f, ok := s.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", `"`+f.hash+`"`)
	http.ServeContent(w, r, path.Base(name), time.Time{}, bytes.NewReader(f.body))
}
