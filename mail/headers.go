package mail

import (
	"maps"
	"net/textproto"
	"slices"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// reserved are the fields the message's structure owns; a value in
// Message.Headers would duplicate or contradict them.
var reserved = []string{
	"Bcc", "Cc", "Date", "From", "Message-Id", "Mime-Version", "Reply-To",
	"Return-Path", "Sender", "Subject", "To",
}

func setHeaders(msg *gomail.Msg, headers map[string]string) error {
	for _, name := range slices.Sorted(maps.Keys(headers)) {
		key := textproto.CanonicalMIMEHeaderKey(name)
		if !validFieldName(name) {
			return invalid("header name %q is not valid", name)
		}
		if slices.Contains(reserved, key) || strings.HasPrefix(key, "Content-") {
			return invalid("header %s is set by the message itself", key)
		}
		value := headers[name]
		// A line break would let a value start a header field of its own.
		if strings.ContainsAny(value, "\r\n\x00") {
			return invalid("header %s contains a line break", key)
		}
		msg.SetGenHeader(gomail.Header(key), value)
	}
	return nil
}

// validFieldName follows RFC 5322: printable ASCII except colon.
func validFieldName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

// messageID checks id for use inside <…> and gives it a right-hand side
// from the sender's domain when it has none.
func messageID(id, from string) (string, error) {
	for _, r := range id {
		if r <= ' ' || r >= 0x7f || r == '<' || r == '>' {
			return "", invalid("message id %q: want printable ASCII without spaces or angle brackets", id)
		}
	}
	if !strings.Contains(id, "@") {
		id += "@" + from[strings.LastIndexByte(from, '@')+1:]
	}
	left, right, _ := strings.Cut(id, "@")
	if left == "" || right == "" || strings.Contains(right, "@") {
		return "", invalid("message id %q: want left@right", id)
	}
	return id, nil
}
