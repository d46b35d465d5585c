package sink

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Option configures a Server at Start.
type Option func(*config)

type config struct {
	failN, failCode int
	reject          map[string]int
	delay           time.Duration
	onMessage       func(Received)
	user, pass      string
	dir             string
	tls             *tls.Config
	implicitTLS     bool
	logger          *slog.Logger
}

// FailNext makes the next n messages fail at the end of DATA with code:
// 451 or 421 for a temporary failure, 550 or 554 for a permanent one. The
// data is read and thrown away, as a real server would.
func FailNext(n, code int) Option {
	return func(c *config) { c.failN, c.failCode = n, code }
}

// RejectRecipient answers RCPT TO addr with code (e.g. 550 for an unknown
// mailbox, 450 for a full one). Addresses compare case-insensitively.
func RejectRecipient(addr string, code int) Option {
	return func(c *config) {
		if c.reject == nil {
			c.reject = map[string]int{}
		}
		c.reject[strings.ToLower(addr)] = code
	}
}

// Delay holds each message for d after its data has arrived and before
// answering. Like a real slow server, the message is kept even if the
// client has given up waiting, which is how retries produce duplicates.
func Delay(d time.Duration) Option {
	return func(c *config) { c.delay = d }
}

// OnMessage calls f with each message after it is stored and before the
// client gets its answer, so f has run by the time the send returns. f must
// not modify the message.
func OnMessage(f func(Received)) Option {
	return func(c *config) { c.onMessage = f }
}

// Auth requires AUTH PLAIN with user and pass before MAIL FROM. On a
// loopback address AUTH is offered without TLS; elsewhere only after
// STARTTLS (see TLS) or over ImplicitTLS.
func Auth(user, pass string) Option {
	return func(c *config) { c.user, c.pass = user, pass }
}

// Dir writes each message also as dir/NNNNNN.eml, numbering on from the
// highest number already there. The directory is created if missing.
func Dir(path string) Option {
	return func(c *config) { c.dir = path }
}

// TLS offers STARTTLS with cfg (see SelfSigned).
func TLS(cfg *tls.Config) Option {
	return func(c *config) { c.tls, c.implicitTLS = cfg, false }
}

// ImplicitTLS speaks TLS from the first byte with cfg, like port 465; URL
// then starts with smtps://.
func ImplicitTLS(cfg *tls.Config) Option {
	return func(c *config) { c.tls, c.implicitTLS = cfg, true }
}

// Logger receives the server's internal errors (failed handshakes, broken
// connections). Without it they are dropped.
func Logger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

func (c *config) validate() error {
	if c.failN < 0 {
		return fmt.Errorf("FailNext: negative count %d", c.failN)
	}
	if c.failN > 0 && !failureCode(c.failCode) {
		return fmt.Errorf("FailNext: code %d is not 4xx or 5xx", c.failCode)
	}
	for addr, code := range c.reject {
		if !failureCode(code) {
			return fmt.Errorf("RejectRecipient %s: code %d is not 4xx or 5xx", addr, code)
		}
	}
	if c.delay < 0 {
		return fmt.Errorf("Delay: negative %s", c.delay)
	}
	if c.user == "" && c.pass != "" {
		return fmt.Errorf("Auth: empty user")
	}
	if c.tls != nil && len(c.tls.Certificates) == 0 && c.tls.GetCertificate == nil {
		return fmt.Errorf("TLS: config has no certificate")
	}
	return nil
}

func failureCode(code int) bool { return code >= 400 && code < 600 }
