// Package sink is a small real SMTP server that keeps what it receives, in
// memory and optionally as .eml files. Tests send to it instead of mocking a
// mailer, `heed mailsink` runs it for development, and its options make it
// misbehave (failures, rejections, slowness) to exercise retries.
package sink

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Server is a running sink. Its methods are safe for concurrent use.
type Server struct {
	cfg    config
	smtp   *smtp.Server
	ln     net.Listener
	done   chan struct{} // closed by Close
	served chan struct{} // closed when Serve has returned
	once   sync.Once

	mu       sync.Mutex
	msgs     []Received
	arrived  chan struct{} // closed and replaced whenever a message is stored
	failLeft int
	failCode int
	seq      int // number of the last .eml file
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves until
// Close.
func Start(addr string, opts ...Option) (*Server, error) {
	var cfg config
	for _, opt := range opts {
		opt(&cfg)
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	s := &Server{
		cfg:      cfg,
		done:     make(chan struct{}),
		served:   make(chan struct{}),
		arrived:  make(chan struct{}),
		failLeft: cfg.failN,
		failCode: cfg.failCode,
	}
	if cfg.dir != "" {
		seq, err := lastSeq(cfg.dir)
		if err != nil {
			return nil, fmt.Errorf("sink: %w", err)
		}
		s.seq = seq
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	s.smtp = s.newSMTPServer(ln.Addr())
	if cfg.implicitTLS {
		ln = tls.NewListener(ln, cfg.tls)
	}
	s.ln = ln
	go s.serve()
	return s, nil
}

func (s *Server) newSMTPServer(addr net.Addr) *smtp.Server {
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "heed-sink"
	srv.MaxMessageBytes = 25 << 20
	srv.MaxRecipients = 100
	srv.ReadTimeout = 5 * time.Minute
	srv.WriteTimeout = time.Minute
	// Credentials cannot be sniffed on loopback, and tests need not bother
	// with certificates to exercise AUTH.
	tcp, ok := addr.(*net.TCPAddr)
	srv.AllowInsecureAuth = ok && tcp.IP.IsLoopback()
	if !s.cfg.implicitTLS {
		srv.TLSConfig = s.cfg.tls // non-nil offers STARTTLS
	}
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if s.cfg.logger != nil {
		srv.ErrorLog = slog.NewLogLogger(s.cfg.logger.Handler(), slog.LevelWarn)
	}
	return srv
}

func (s *Server) serve() {
	defer close(s.served)
	if err := s.smtp.Serve(s.ln); err != nil && s.cfg.logger != nil {
		s.cfg.logger.Error("mail sink stopped", "err", err)
	}
}

// Addr is the address the server listens on, e.g. "127.0.0.1:40123".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the address as an --smtp URL: "smtp://127.0.0.1:40123", or
// smtps:// with ImplicitTLS. It carries no credentials or TLS options.
func (s *Server) URL() string {
	if s.cfg.implicitTLS {
		return "smtps://" + s.Addr()
	}
	return "smtp://" + s.Addr()
}

// Close stops the server, dropping open connections. Messages stay readable.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		close(s.done)
		err = s.smtp.Close()
		// Serve may not have registered the listener yet; closing it here
		// makes sure it returns either way.
		s.ln.Close()
		<-s.served
	})
	return err
}

// Messages returns the messages received so far, oldest first. Treat them
// as read-only: they share memory with the server's copy.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs)
}

// WaitFor waits until at least n messages have arrived and returns all of
// them. When ctx ends or the server closes first, it returns what has
// arrived together with an error saying how many were missing.
func (s *Server) WaitFor(ctx context.Context, n int) ([]Received, error) {
	for {
		s.mu.Lock()
		msgs, arrived := slices.Clone(s.msgs), s.arrived
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs, nil
		}
		select {
		case <-arrived:
		case <-ctx.Done():
			return msgs, fmt.Errorf("sink: waiting for %d messages, got %d: %w", n, len(msgs), ctx.Err())
		case <-s.done:
			return msgs, fmt.Errorf("sink: closed while waiting for %d messages, got %d", n, len(msgs))
		}
	}
}

// FailNext makes the next n messages fail with code, as the option does,
// replacing any failures still pending. It panics unless code is 4xx or 5xx.
func (s *Server) FailNext(n, code int) {
	if n > 0 && !failureCode(code) {
		panic(fmt.Sprintf("sink: FailNext code %d is not 4xx or 5xx", code))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failLeft, s.failCode = n, code
}

// takeFailure consumes one pending injected failure, returning its code or 0.
func (s *Server) takeFailure() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failLeft == 0 {
		return 0
	}
	s.failLeft--
	return s.failCode
}

// pause waits d, or less if the server closes; it reports whether the
// server is still open.
func (s *Server) pause(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.done:
		return false
	}
}

func (s *Server) store(rec Received) error {
	s.mu.Lock()
	if s.cfg.dir != "" {
		name := filepath.Join(s.cfg.dir, fmt.Sprintf("%06d.eml", s.seq+1))
		if err := os.WriteFile(name, rec.Raw, 0o644); err != nil {
			s.mu.Unlock()
			return err
		}
		s.seq++
	}
	s.msgs = append(s.msgs, rec)
	close(s.arrived)
	s.arrived = make(chan struct{})
	s.mu.Unlock()
	if s.cfg.onMessage != nil {
		s.cfg.onMessage(rec)
	}
	return nil
}

// lastSeq creates dir if needed and returns the highest NNNNNN.eml number
// in it, so a restarted sink does not overwrite earlier messages.
func lastSeq(dir string) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	last := 0
	for _, e := range entries {
		stem, ok := strings.CutSuffix(e.Name(), ".eml")
		if n, err := strconv.Atoi(stem); ok && err == nil && n > last {
			last = n
		}
	}
	return last, nil
}

var errClosing = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "sink: shutting down"}
