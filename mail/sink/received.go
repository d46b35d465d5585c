package sink

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Received is one message as the sink got it.
type Received struct {
	From      string      // envelope sender (MAIL FROM)
	To        []string    // envelope recipients (RCPT TO)
	Raw       []byte      // the message as transmitted, CRLF line endings
	Header    mail.Header // parsed header fields; empty if unparseable
	Subject   string      // decoded (RFC 2047)
	Text      string      // first text/plain part, decoded, "\n" line endings, no final one
	HTML      string      // first text/html part, the same
	MessageID string      // without angle brackets
	User      string      // who authenticated; empty without AUTH
	TLS       bool        // arrived over TLS (STARTTLS or implicit)
	At        time.Time
}

// maxDepth bounds nested multiparts: a hostile message cannot recurse forever.
const maxDepth = 8

// parse fills what can be read from raw. A malformed message is still kept,
// with whatever fields could be decoded; a sink should not be stricter than
// the servers it stands in for.
func parse(raw []byte) Received {
	rec := Received{Raw: raw, Header: mail.Header{}}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return rec
	}
	rec.Header = msg.Header
	rec.Subject = decodeWords(msg.Header.Get("Subject"))
	rec.MessageID = strings.Trim(strings.TrimSpace(msg.Header.Get("Message-ID")), "<>")
	var b bodies
	b.walk(textproto.MIMEHeader(msg.Header), msg.Body, 0)
	rec.Text, rec.HTML = b.text, b.html
	return rec
}

func decodeWords(s string) string {
	var d mime.WordDecoder
	if out, err := d.DecodeHeader(s); err == nil {
		return out
	}
	return s
}

type bodies struct {
	text, html       string
	hasText, hasHTML bool
}

func (b *bodies) walk(h textproto.MIMEHeader, body io.Reader, depth int) {
	mediaType, params := "text/plain", map[string]string{}
	if ct := h.Get("Content-Type"); ct != "" {
		var err error
		if mediaType, params, err = mime.ParseMediaType(ct); err != nil {
			return
		}
	}
	if disp, _, _ := mime.ParseMediaType(h.Get("Content-Disposition")); disp == "attachment" {
		return
	}
	switch {
	case strings.HasPrefix(mediaType, "multipart/") && depth < maxDepth:
		mr := multipart.NewReader(body, params["boundary"])
		for {
			// NextRawPart, because NextPart would decode quoted-printable
			// itself but not base64; decoding both here keeps one path.
			p, err := mr.NextRawPart()
			if err != nil {
				return
			}
			b.walk(p.Header, p, depth+1)
		}
	case mediaType == "text/plain" && !b.hasText:
		b.text, b.hasText = decodeText(h, params["charset"], body, depth), true
	case mediaType == "text/html" && !b.hasHTML:
		b.html, b.hasHTML = decodeText(h, params["charset"], body, depth), true
	}
}

// decodeText undoes the transfer encoding and the charset, keeping what
// decoded when the body turns out malformed.
//
// A message that is a single part always ends with a line break on the
// wire, whether or not the sender's text did; it is dropped so that such a
// message decodes like a part of a multipart one, where the break before
// the boundary belongs to the boundary.
func decodeText(h textproto.MIMEHeader, charset string, body io.Reader, depth int) string {
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	data, _ := io.ReadAll(body)
	s := strings.ReplaceAll(toUTF8(charset, data), "\r\n", "\n")
	if depth == 0 {
		s = strings.TrimSuffix(s, "\n")
	}
	return s
}

// toUTF8 handles UTF-8 (and its subset US-ASCII) and Latin-1, whose bytes
// are its code points; any other charset is returned undecoded.
func toUTF8(charset string, data []byte) string {
	switch strings.ToLower(charset) {
	case "iso-8859-1", "latin1":
		runes := make([]rune, len(data))
		for i, c := range data {
			runes[i] = rune(c)
		}
		return string(runes)
	}
	return string(data)
}
