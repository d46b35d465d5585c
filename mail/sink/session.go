package sink

import (
	"crypto/subtle"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// session is one SMTP conversation. go-smtp sends errors to the client with
// their code only when it gets an *smtp.SMTPError itself, never wrapped.
type session struct {
	s    *Server
	conn *smtp.Conn
	user string // authenticated user
	from string
	to   []string
}

var _ smtp.AuthSession = (*session)(nil)

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: s, conn: c}, nil
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.cfg.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if ss.s.cfg.user == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if (identity != "" && identity != user) || !ss.s.cfg.credentials(user, pass) {
			return smtp.ErrAuthFailed
		}
		ss.user = user
		return nil
	}), nil
}

func (c *config) credentials(user, pass string) bool {
	u := subtle.ConstantTimeCompare([]byte(user), []byte(c.user))
	p := subtle.ConstantTimeCompare([]byte(pass), []byte(c.pass))
	return u&p == 1
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.cfg.user != "" && ss.user == "" {
		return errAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if code, ok := ss.s.cfg.reject[strings.ToLower(to)]; ok {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCodeNotSet, Message: "sink: recipient rejected"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err // ErrDataTooLarge is already an *smtp.SMTPError
	}
	if code := ss.s.takeFailure(); code != 0 {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCodeNotSet, Message: "sink: injected failure"}
	}
	if !ss.s.pause(ss.s.cfg.delay) {
		return errClosing
	}
	rec := parse(raw)
	rec.From, rec.To, rec.User = ss.from, slices.Clone(ss.to), ss.user
	_, rec.TLS = ss.conn.TLSConnectionState()
	rec.At = time.Now()
	if err := ss.s.store(rec); err != nil {
		ss.s.logError("mail sink: storing message", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "sink: cannot store message"}
	}
	return nil
}

func (ss *session) Reset() {
	ss.from, ss.to = "", nil
}

func (ss *session) Logout() error { return nil }

func (s *Server) logError(msg string, err error) {
	if s.cfg.logger != nil {
		s.cfg.logger.Error(msg, "err", err)
	}
}
