// Package mail sends Heed's survey emails. A Sender delivers one Message;
// SMTP sends through a real server (configured from the --smtp URL), Log only
// logs. Permanent tells a retrying job whether an error means "bounced".
package mail

import (
	"context"
	"log/slog"
)

// Message is one email to one recipient: a plain-text body, optionally with
// an HTML alternative.
type Message struct {
	To      string // bare address, e.g. "ada@example.com"
	ToName  string // display name; may be empty
	Subject string
	Text    string // required: every survey email has a plain-text part
	HTML    string // optional alternative to Text

	// Headers holds extra header fields such as List-Unsubscribe and
	// List-Unsubscribe-Post. Fields that the message's structure owns
	// (From, To, Subject, Date, Message-ID, MIME and Content-* fields) are
	// refused, so a template cannot break the envelope.
	Headers map[string]string

	// MessageID, when set, becomes the Message-ID header (give it without
	// angle brackets). A job sets it from its own id so that a retried send
	// carries the same Message-ID and a duplicate is recognisable. Without
	// an "@" the sender's domain is appended: "delivery-42" becomes
	// "delivery-42@northwind.example".
	MessageID string
}

// Sender delivers a Message. Implementations honour ctx.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Log is a Sender that delivers nothing: it only logs recipient, subject and
// message id. It is for running Heed without an SMTP server (development,
// demos); no email reaches anyone. A nil Logger means slog.Default().
type Log struct {
	Logger *slog.Logger
}

var (
	_ Sender = Log{}
	_ Sender = (*SMTP)(nil)
)

// Send logs m and returns nil, or ctx's error when ctx is already done.
func (l Log) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	logger := l.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.InfoContext(ctx, "mail not sent (log only)",
		"to", m.To, "subject", m.Subject, "message_id", m.MessageID)
	return nil
}
