package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/api"
	"github.com/heedhq/heed/respond"
)

// healthz answers 200 {"status":"ok"} when the store answers within two
// seconds and 503 {"status":"unavailable"} otherwise, for load balancers.
func healthz(store heed.Store, log *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if err := store.Ping(ctx); err != nil {
			log.Warn("healthz: store unreachable", "error", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"status":"unavailable"}` + "\n"))
			return
		}
		w.Write([]byte(`{"status":"ok"}` + "\n"))
	}
}

// instrument logs and measures every request. The route label is the
// pattern that matched, never the raw path, so the number of series stays
// bounded: the API's own pattern when it served the request (it routes on
// a copy of the request, so it hands the pattern back through the
// context), else the root mux's.
func instrument(next http.Handler, log *slog.Logger, m *httpMetrics) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := requestID(r.Header.Get("X-Request-Id"))
		// Handed on in the request too, so the API logs under the same id.
		r.Header.Set("X-Request-Id", id)
		w.Header().Set("X-Request-Id", id)
		rec := &statusRecorder{ResponseWriter: w}
		r = r.WithContext(api.WithRouteRecorder(r.Context()))
		next.ServeHTTP(rec, r)
		d := time.Since(start)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		route := api.RouteFrom(r.Context())
		if route == "" {
			route = r.Pattern
		}
		if route == "" {
			route = "unmatched"
		}
		m.observe(r.Method, route, status, d)
		log.LogAttrs(r.Context(), levelFor(status), "http request",
			slog.String("method", r.Method),
			slog.String("path", respond.LogPath(r.URL.Path)),
			slog.Int("status", status),
			slog.Duration("duration", d),
			slog.String("request_id", id))
	})
}

// levelFor logs server errors louder than ordinary requests.
func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// requestID keeps a caller's request id when it is short and plain (a
// proxy's, to follow one request through both logs), else makes one.
func requestID(given string) string {
	if len(given) > 0 && len(given) <= 64 && plainID(given) {
		return given
	}
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func plainID(s string) bool {
	for _, c := range s {
		ok := c == '-' || c == '_' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 && code >= 200 { // 1xx are interim answers
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (Flush,
// deadlines) through the recorder.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
