package respond

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"
)

// limiter is a token bucket per client address: each holds up to n
// answers and refills at n per period, so a burst of n is allowed and
// then one every period/n. Buckets that have refilled completely are
// dropped, so memory follows the clients of the last period only.
type limiter struct {
	mu      sync.Mutex
	n       float64
	period  time.Duration
	now     func() time.Time
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(n int, period time.Duration, now func() time.Time) *limiter {
	return &limiter{n: float64(n), period: period, now: now, buckets: map[string]*bucket{}}
}

// allow takes one answer from client's bucket, or says how long until
// one is there.
func (l *limiter) allow(client string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	b, ok := l.buckets[client]
	if !ok {
		b = &bucket{tokens: l.n, at: now}
		l.buckets[client] = b
	}
	b.tokens = l.refilled(b, now)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.n * float64(l.period))
	return false, wait
}

func (l *limiter) refilled(b *bucket, now time.Time) float64 {
	elapsed := now.Sub(b.at)
	if elapsed < 0 {
		elapsed = 0 // a clock that stepped back refills nothing
	}
	return math.Min(l.n, b.tokens+l.n*float64(elapsed)/float64(l.period))
}

// sweep drops full buckets, at most once a period.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < l.period {
		return
	}
	l.swept = now
	for k, b := range l.buckets {
		if l.refilled(b, now) >= l.n {
			delete(l.buckets, k)
		}
	}
}

// clientKey is whom the limit counts: the client's address (cmd/heed has
// already put the real client there when behind trusted proxies), and for
// IPv6 its /64, since one home or phone gets a whole /64 to rotate in.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// limited counts one answer of r's client and, over the limit, sets
// Retry-After and reports true.
func (s *server) limited(w http.ResponseWriter, r *http.Request) bool {
	ok, wait := s.limit.allow(clientKey(r))
	if ok {
		return false
	}
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return true
}
