package mail

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout bounds one whole send when Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Config says how to reach an SMTP server. ParseURL builds one from the
// --smtp flag; String prints it with the password redacted.
type Config struct {
	Host     string
	Port     int // zero means 25, or 465 with ImplicitTLS
	Username string
	Password string

	// ImplicitTLS speaks TLS from the first byte (smtps://). Otherwise the
	// connection starts in plain text and is upgraded with STARTTLS whenever
	// the server offers it; a failed upgrade fails the send rather than
	// falling back to plain text.
	ImplicitTLS bool

	// SkipVerify accepts any server certificate (?tls=skip-verify). It is
	// meant for development servers with self-signed certificates only:
	// anyone on the path can then read the mail and the password.
	SkipVerify bool

	// RootCAs, when set, replaces the system roots for verifying the server
	// (a private CA, or a test certificate).
	RootCAs *x509.CertPool

	// Timeout bounds one whole send: dial, TLS, AUTH and DATA. Zero means
	// DefaultTimeout.
	Timeout time.Duration
}

const redacted = "xxxxx"

// ParseURL reads the --smtp flag:
//
//	smtp://[user[:password]@]host[:port]   plain, upgraded with STARTTLS when offered (port 25)
//	smtps://[user[:password]@]host[:port]  implicit TLS (port 465)
//
// User and password are URL-escaped. The only query parameter is
// tls=skip-verify, which accepts a self-signed certificate (dev servers only).
// Errors never contain the password.
func ParseURL(raw string) (Config, error) {
	if !strings.Contains(raw, "://") {
		return Config{}, errors.New("smtp url: want smtp://[user:pass@]host[:port] or smtps://…")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("smtp url: %w", urlParseError(err))
	}
	var cfg Config
	switch u.Scheme {
	case "smtp":
	case "smtps":
		cfg.ImplicitTLS = true
	default:
		return Config{}, fmt.Errorf("smtp url: unsupported scheme %q (want smtp or smtps)", u.Scheme)
	}
	if cfg.Host = u.Hostname(); cfg.Host == "" {
		return Config{}, errors.New("smtp url: missing host")
	}
	if cfg.Port, err = parsePort(u.Port(), cfg.ImplicitTLS); err != nil {
		return Config{}, fmt.Errorf("smtp url: %w", err)
	}
	if u.Path != "" && u.Path != "/" {
		return Config{}, fmt.Errorf("smtp url: unexpected path %q", u.Path)
	}
	if u.Fragment != "" {
		return Config{}, fmt.Errorf("smtp url: unexpected fragment %q", u.Fragment)
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	if cfg.Password != "" && cfg.Username == "" {
		return Config{}, errors.New("smtp url: password without user")
	}
	if cfg.SkipVerify, err = parseQuery(u.RawQuery); err != nil {
		return Config{}, fmt.Errorf("smtp url: %w", err)
	}
	return cfg, nil
}

// urlParseError keeps url.Parse's reason but drops the URL it quotes, which
// would carry the password.
func urlParseError(err error) error {
	var escape url.EscapeError
	if errors.As(err, &escape) {
		return errors.New("invalid %-escape")
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return errors.New("malformed URL")
}

func parsePort(s string, implicitTLS bool) (int, error) {
	if s == "" {
		return defaultPort(implicitTLS), nil
	}
	port, err := strconv.Atoi(s)
	if err != nil || port < 1 || port > 65535 {
		return 0, fmt.Errorf("bad port %q", s)
	}
	return port, nil
}

func defaultPort(implicitTLS bool) int {
	if implicitTLS {
		return 465
	}
	return 25
}

// parseQuery accepts nothing but tls=skip-verify.
func parseQuery(raw string) (skipVerify bool, err error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return false, fmt.Errorf("bad query: %w", err)
	}
	for key, values := range q {
		if key != "tls" {
			return false, fmt.Errorf("unknown query parameter %q (only tls=skip-verify)", key)
		}
		if len(values) != 1 || values[0] != "skip-verify" {
			return false, fmt.Errorf("unknown tls=%q (only tls=skip-verify)", strings.Join(values, ","))
		}
		skipVerify = true
	}
	return skipVerify, nil
}

// String is the config as a URL with the password replaced by "xxxxx", safe
// for logs.
func (c Config) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.port()))}
	if c.ImplicitTLS {
		u.Scheme = "smtps"
	}
	switch {
	case c.Password != "":
		u.User = url.UserPassword(c.Username, redacted)
	case c.Username != "":
		u.User = url.User(c.Username)
	}
	if c.SkipVerify {
		u.RawQuery = "tls=skip-verify"
	}
	return u.String()
}

func (c Config) port() int {
	if c.Port == 0 {
		return defaultPort(c.ImplicitTLS)
	}
	return c.Port
}

func (c Config) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

func (c Config) validate() error {
	switch {
	case c.Host == "":
		return errors.New("smtp config: missing host")
	case c.Port < 0 || c.Port > 65535:
		return fmt.Errorf("smtp config: bad port %d", c.Port)
	case c.Timeout < 0:
		return fmt.Errorf("smtp config: negative timeout %s", c.Timeout)
	case c.Password != "" && c.Username == "":
		return errors.New("smtp config: password without user")
	}
	return nil
}
