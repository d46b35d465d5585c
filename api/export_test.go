package api

import (
	"net/http"
	"time"
)

// MuxPatterns returns every pattern registered on the router of h, for
// the test that holds the OpenAPI document to the routes actually served.
func MuxPatterns(h http.Handler) []string {
	return append([]string(nil), h.(*server).mux.patterns...)
}

// FailureLimiter exposes the bad-token limiter with a clock of the test's.
type FailureLimiter struct{ l *failureLimiter }

func NewFailureLimiter(limit int, window time.Duration, now func() time.Time) FailureLimiter {
	return FailureLimiter{newFailureLimiter(limit, window, now)}
}

func (f FailureLimiter) Fail(key string)                          { f.l.fail(key) }
func (f FailureLimiter) Blocked(key string) (time.Duration, bool) { return f.l.blocked(key) }
