package api

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/heedhq/heed"
)

// A client IP that sends this many rejected tokens within the window gets
// 429 instead of 401 for further rejected tokens until the window ends.
// Tokens are 256 random bits, so nobody guesses one however fast they
// try; the limit is there to tell a misconfigured or hostile client to
// back off (Retry-After) and to keep its noise out of the logs. A valid
// token always passes, even from a limited address: an office behind one
// NAT must not be locked out by one broken script. The limit is per
// process and in memory.
const (
	failedBearerLimit  = 20
	failedBearerWindow = time.Minute
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
)

func withRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// requestID returns the id ServeHTTP gave the request, for logs.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// validRequestID accepts a caller's X-Request-Id only if it is short and
// plain, so it cannot forge log lines.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// principal returns who is calling; ServeHTTP put them in the context.
func principal(ctx context.Context) (heed.Principal, error) {
	p, ok := heed.PrincipalFrom(ctx)
	if !ok {
		return heed.Principal{}, heed.Errorf(heed.EUnauthorized, "no API token")
	}
	return p, nil
}

// authenticate resolves the bearer token to a principal, or answers 401
// (no or bad token) or 429 (a bad token from an address that sent too
// many) itself. The token is looked up first, so a valid one always
// passes.
func (s *server) authenticate(w http.ResponseWriter, r *http.Request) (heed.Principal, bool) {
	token, ok := bearer(r.Header.Get("Authorization"))
	if !ok {
		writeError(w, unauthorized("an API token is required: Authorization: Bearer <token>"))
		return heed.Principal{}, false
	}
	p, err := s.cfg.Accounts.TokenPrincipal(r.Context(), token)
	switch heed.ErrorCode(err) {
	case "":
		return p, true
	case heed.EUnauthorized, heed.ENotFound:
		writeError(w, s.rejectToken(clientIP(r)))
	default:
		writeError(w, s.errorFor(r.Context(), err))
	}
	return heed.Principal{}, false
}

// needsToken reports whether r must carry an API token: every request
// does but those for the OpenAPI document, which is public, and those
// for an inbound source's URL, which the other system authenticates with
// the source's secret (see feedback.Service.Receive). The route is
// decided by the mux that will serve it, so no path that merely looks
// like an inbound one (../, encoded slashes) slips past.
func (s *server) needsToken(r *http.Request) bool {
	if r.URL.Path == openAPIPath {
		return false
	}
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, Prefix+"/inbound/") {
		return true
	}
	_, pattern := s.mux.Handler(r)
	return pattern != inboundPattern
}

// rejectToken counts a rejected token against ip and says why it was
// refused: 429 once ip has sent too many, 401 before.
func (s *server) rejectToken(ip string) *errorResponse {
	return s.reject(ip, "tokens", unauthorized("the API token is not valid"))
}

// reject counts a rejected credential (an API token, an inbound source's
// secret: what) against ip: 429 once ip has sent too many of either, e
// before.
func (s *server) reject(ip, what string, e *errorResponse) *errorResponse {
	if wait, blocked := s.limiter.blocked(ip); blocked {
		e := newError(http.StatusTooManyRequests, heed.ERateLimited, "", "too many rejected %s; try again in %d seconds", what, seconds(wait))
		e.headers = http.Header{"Retry-After": {strconv.Itoa(seconds(wait))}}
		return e
	}
	s.limiter.fail(ip)
	return e
}

func unauthorized(msg string) *errorResponse {
	e := newError(http.StatusUnauthorized, heed.EUnauthorized, "", "%s", msg)
	e.headers = http.Header{"Www-Authenticate": {`Bearer realm="heed"`}}
	return e
}

// bearer returns the token of an "Authorization: Bearer <token>" header.
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// clientIP is the peer address. X-Forwarded-For is not read here: any
// client could set it to dodge the limit. Behind trusted proxies, heed
// serve (--trusted-proxies) has already put the client's own address in
// RemoteAddr.
func clientIP(r *http.Request) string { return addrIP(r.RemoteAddr) }

// addrIP is the host of a peer address.
func addrIP(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return remoteAddr
	}
	return host
}

func seconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// failureLimiter counts failures per key in fixed windows.
type failureLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	now    func() time.Time
	byKey  map[string]*failures
}

type failures struct {
	start time.Time // when the window opened (the first failure in it)
	n     int
}

// maxTrackedKeys bounds the limiter's memory under a flood from many IPs.
const maxTrackedKeys = 10000

func newFailureLimiter(limit int, window time.Duration, now func() time.Time) *failureLimiter {
	return &failureLimiter{limit: limit, window: window, now: now, byKey: map[string]*failures{}}
}

// blocked reports whether key has used up its failures, and for how long.
func (l *failureLimiter) blocked(key string) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.byKey[key]
	if f == nil || f.n < l.limit {
		return 0, false
	}
	left := f.start.Add(l.window).Sub(l.now())
	if left <= 0 {
		delete(l.byKey, key)
		return 0, false
	}
	return left, true
}

// fail records one failure for key.
func (l *failureLimiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	f := l.byKey[key]
	if f == nil || now.Sub(f.start) >= l.window {
		if len(l.byKey) >= maxTrackedKeys {
			l.prune(now)
		}
		f = &failures{start: now}
		l.byKey[key] = f
	}
	f.n++
}

// prune drops expired windows; if every window is live, it drops them
// all rather than grow without bound.
func (l *failureLimiter) prune(now time.Time) {
	for k, f := range l.byKey {
		if now.Sub(f.start) >= l.window {
			delete(l.byKey, k)
		}
	}
	if len(l.byKey) >= maxTrackedKeys {
		clear(l.byKey)
	}
}
