package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP sends each message over its own connection to one SMTP server.
// Dialling per message keeps it simple and correct for survey volumes; it is
// safe for concurrent use.
type SMTP struct {
	cfg  Config
	from netmail.Address
}

// NewSMTP returns a Sender for the server in cfg, sending from the address
// from, optionally with a display name ("Northwind <survey@northwind.example>").
func NewSMTP(cfg Config, from string) (*SMTP, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("smtp sender %q: %w", from, err)
	}
	return &SMTP{cfg: cfg, from: *addr}, nil
}

// Send delivers m, giving up when ctx is done or Config.Timeout has passed.
// Use Permanent on the error to decide whether to retry.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return fmt.Errorf("smtp send to %s: %w", m.To, err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.timeout())
	defer cancel()
	d := &dialer{cfg: s.cfg, ctx: ctx}
	defer d.release()
	client, err := gomail.NewClient(s.cfg.Host, s.clientOptions(d.dial)...)
	if err != nil {
		return fmt.Errorf("smtp send to %s: %w", m.To, err)
	}
	err = client.DialAndSendWithContext(ctx, msg)
	switch {
	case err == nil || msg.IsDelivered():
		// The server has taken the message; a failed RSET or QUIT afterwards
		// does not un-send it, and reporting it would make the job send twice.
		return nil
	case ctxDone(ctx) != nil:
		return fmt.Errorf("smtp send to %s: %w: %w", m.To, ctxDone(ctx), err)
	}
	return fmt.Errorf("smtp send to %s: %w", m.To, err)
}

// ctxDone is ctx.Err(), but also reports a deadline that has passed while
// the context's own timer has not fired yet: an I/O deadline at the same
// instant can win that race.
func ctxDone(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return nil
}

// ioGrace lets the send's context, not go-mail's per-command I/O deadline,
// end a stalled send, so that the error says why.
const ioGrace = 5 * time.Second

func (s *SMTP) clientOptions(dial gomail.DialContextFunc) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.port()),
		gomail.WithTimeout(s.cfg.timeout() + ioGrace),
		gomail.WithTLSConfig(s.cfg.tlsConfig()),
		gomail.WithTLSPolicy(gomail.TLSOpportunistic),
		gomail.WithDialContextFunc(dial),
	}
	if s.cfg.ImplicitTLS {
		// Our dialer already speaks TLS; this keeps go-mail from trying
		// STARTTLS on top of it.
		opts = append(opts, gomail.WithSSL())
	}
	if s.cfg.Username != "" {
		// go-mail refuses PLAIN and LOGIN over an unencrypted connection
		// (except to localhost), so a stripped STARTTLS cannot leak the
		// password.
		opts = append(opts,
			gomail.WithUsername(s.cfg.Username),
			gomail.WithPassword(s.cfg.Password),
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1,
				gomail.SMTPAuthPlain, gomail.SMTPAuthLogin, gomail.SMTPAuthCramMD5))
	}
	return opts
}

func (c Config) tlsConfig() *tls.Config {
	return &tls.Config{
		ServerName:         c.Host,
		RootCAs:            c.RootCAs,
		InsecureSkipVerify: c.SkipVerify, // only when the URL asks for tls=skip-verify
		MinVersion:         tls.VersionTLS12,
	}
}

// dialer opens the connection and ties it to the send's context. go-mail
// watches the context only while dialling, so without this a server that
// stalls mid-conversation would hold the send until its own I/O timeout.
// Closing the connection interrupts whatever is blocked on it.
type dialer struct {
	cfg  Config
	ctx  context.Context
	conn net.Conn // the TCP connection, under any TLS
	stop func() bool
}

func (d *dialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var nd net.Dialer
	conn, err := nd.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	d.conn = conn
	d.stop = context.AfterFunc(d.ctx, func() { conn.Close() })
	if !d.cfg.ImplicitTLS {
		return conn, nil
	}
	// Returned as *tls.Conn so that go-mail knows the session is encrypted.
	tc := tls.Client(conn, d.cfg.tlsConfig())
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, fmt.Errorf("tls handshake: %w", err)
	}
	return tc, nil
}

// release closes the connection whatever happened: go-mail leaves it open
// when the conversation fails before sending (EHLO, STARTTLS, AUTH).
func (d *dialer) release() {
	if d.stop != nil {
		d.stop()
	}
	if d.conn != nil {
		d.conn.Close()
	}
}

func (s *SMTP) build(m Message) (*gomail.Msg, error) {
	to, err := recipient(m)
	if err != nil {
		return nil, err
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, invalid("subject contains a line break")
	}
	if m.Text == "" {
		return nil, invalid("message has no text part")
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	from := s.from
	msg.SetAddrHeaderFromMailAddress(gomail.HeaderFrom, &from)
	msg.SetAddrHeaderFromMailAddress(gomail.HeaderTo, to)
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	if err := setHeaders(msg, m.Headers); err != nil {
		return nil, err
	}
	if m.MessageID != "" {
		id, err := messageID(m.MessageID, s.from.Address)
		if err != nil {
			return nil, err
		}
		msg.SetMessageIDWithValue(id)
	}
	return msg, nil
}

func recipient(m Message) (*netmail.Address, error) {
	a, err := netmail.ParseAddress(m.To)
	if err != nil || a.Name != "" || a.Address != m.To {
		return nil, invalid("recipient %q is not a plain address", m.To)
	}
	a.Name = m.ToName
	return a, nil
}
