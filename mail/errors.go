package mail

import (
	"context"
	"errors"
	"fmt"

	gomail "github.com/wneessen/go-mail"
)

// Permanent reports whether err means this message will never be accepted as
// it is, so the job should stop retrying and record a bounce: the server
// answered 5xx to the recipient (RCPT TO) or to the message (DATA), or the
// message could not be built (malformed recipient address, line break in a
// header).
//
// Everything else is worth retrying with backoff: 4xx answers, refused
// connections, timeouts and cancellation, TLS failures, AUTH failures and a
// 5xx to our own MAIL FROM — the last two are configuration problems that
// affect every message, not this recipient.
func Permanent(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var inv *invalidError
	if errors.As(err, &inv) {
		return true
	}
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Reason {
	case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		return se.ErrorCode() >= 500 && se.ErrorCode() < 600
	}
	return false
}

// invalidError marks a message that no server could accept as built.
type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }

func invalid(format string, args ...any) error {
	return &invalidError{msg: fmt.Sprintf(format, args...)}
}

// Invalid reports whether err is about the message as built (a line break
// in its subject, a malformed recipient), not about the recipient's
// server: retrying the same message cannot help, but neither did the
// address bounce.
func Invalid(err error) bool {
	var inv *invalidError
	return errors.As(err, &inv)
}
