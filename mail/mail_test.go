package mail_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed/mail"
	"github.com/heedhq/heed/mail/sink"
)

const from = "Northwind <survey@northwind.example>"

func startSink(t *testing.T, opts ...sink.Option) *sink.Server {
	t.Helper()
	s, err := sink.Start("127.0.0.1:0", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sender builds an SMTP sender from rawURL, letting the test adjust the
// parsed config (root CAs, timeout).
func sender(t *testing.T, rawURL string, adjust ...func(*mail.Config)) *mail.SMTP {
	t.Helper()
	cfg, err := mail.ParseURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range adjust {
		f(&cfg)
	}
	s, err := mail.NewSMTP(cfg, from)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func waitOne(t *testing.T, s *sink.Server) sink.Received {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	msgs, err := s.WaitFor(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	return msgs[0]
}

func survey(to string) mail.Message {
	return mail.Message{
		To:      to,
		ToName:  "Ada Lovelace",
		Subject: "How was your visit?",
		Text:    "Hello Ada,\nplease rate us.",
		HTML:    "<p>Hello Ada,</p><p>please rate us.</p>",
	}
}

func TestSendDelivers(t *testing.T) {
	s := startSink(t)
	long := strings.Repeat("Lorem ipsum dolor sit amet = ", 8) // longer than a line: soft breaks
	m := mail.Message{
		To:      "ada@example.com",
		ToName:  "Ada Lovelace",
		Subject: "Wie zufrieden wären Sie? ✓",
		Text:    "Grüße, Ada!\n" + long + "\nhttps://heed.example/s/abc?x=1",
		HTML:    "<p>Grüße, <b>Ada</b>!</p>\n<p>" + long + "</p>",
		Headers: map[string]string{
			"List-Unsubscribe":      "<https://heed.example/u/TOKEN123>",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		},
		MessageID: "delivery-42",
	}
	if err := sender(t, s.URL()).Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	got := waitOne(t, s)

	if got.From != "survey@northwind.example" {
		t.Errorf("envelope from = %q", got.From)
	}
	if len(got.To) != 1 || got.To[0] != "ada@example.com" {
		t.Errorf("envelope to = %q", got.To)
	}
	checkAddress(t, got.Header, "From", "Northwind", "survey@northwind.example")
	checkAddress(t, got.Header, "To", "Ada Lovelace", "ada@example.com")
	if got.Subject != m.Subject {
		t.Errorf("subject = %q, want %q", got.Subject, m.Subject)
	}
	if got.Text != m.Text {
		t.Errorf("text = %q, want %q", got.Text, m.Text)
	}
	if got.HTML != m.HTML {
		t.Errorf("html = %q, want %q", got.HTML, m.HTML)
	}
	for k, v := range m.Headers {
		if h := got.Header.Get(k); h != v {
			t.Errorf("%s = %q, want %q", k, h, v)
		}
	}
	if got.MessageID != "delivery-42@northwind.example" {
		t.Errorf("message id = %q", got.MessageID)
	}
	if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Errorf("content type = %q", ct)
	}
	if got.TLS || got.User != "" {
		t.Errorf("TLS = %v, user = %q on a plain sink without AUTH", got.TLS, got.User)
	}
}

func checkAddress(t *testing.T, h netmail.Header, field, name, addr string) {
	t.Helper()
	a, err := h.AddressList(field)
	if err != nil || len(a) != 1 {
		t.Errorf("%s: %v %v", field, a, err)
		return
	}
	if a[0].Name != name || a[0].Address != addr {
		t.Errorf("%s = %q <%s>, want %q <%s>", field, a[0].Name, a[0].Address, name, addr)
	}
}

func TestSendTextOnlyGetsMessageID(t *testing.T) {
	s := startSink(t)
	snd := sender(t, s.URL())
	m := mail.Message{To: "bob@example.com", Subject: "Hi", Text: "plain only"}
	for range 2 {
		if err := snd.Send(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := s.WaitFor(t.Context(), 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range msgs {
		if got.Text != "plain only" || got.HTML != "" {
			t.Errorf("text %q html %q", got.Text, got.HTML)
		}
		if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("content type = %q", ct)
		}
		if got.Header.Get("To") != "<bob@example.com>" && got.Header.Get("To") != "bob@example.com" {
			t.Errorf("To header = %q", got.Header.Get("To"))
		}
	}
	if msgs[0].MessageID == "" || msgs[0].MessageID == msgs[1].MessageID {
		t.Errorf("generated message ids %q and %q should be set and differ", msgs[0].MessageID, msgs[1].MessageID)
	}
}

func TestSendConcurrently(t *testing.T) {
	s := startSink(t)
	snd := sender(t, s.URL())
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			m := survey(fmt.Sprintf("user%d@example.com", i))
			m.MessageID = fmt.Sprintf("c%d", i)
			errs <- snd.Send(t.Context(), m)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	msgs, err := s.WaitFor(t.Context(), n)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		seen[m.To[0]+" "+m.MessageID] = true
	}
	for i := range n {
		if key := fmt.Sprintf("user%d@example.com c%d@northwind.example", i, i); !seen[key] {
			t.Errorf("missing %s", key)
		}
	}
}

func TestSendAuth(t *testing.T) {
	const user, pass = "heed", "p@ss:w/rd%"
	s := startSink(t, sink.Auth(user, pass))
	withUser := func(u *url.Userinfo) string {
		return (&url.URL{Scheme: "smtp", Host: s.Addr(), User: u}).String()
	}

	if err := sender(t, withUser(url.UserPassword(user, pass))).Send(t.Context(), survey("ada@example.com")); err != nil {
		t.Fatal(err)
	}
	if got := waitOne(t, s); got.User != user {
		t.Errorf("authenticated user = %q, want %q", got.User, user)
	}

	for name, u := range map[string]*url.Userinfo{
		"wrong password": url.UserPassword(user, "nope"),
		"no credentials": nil,
	} {
		t.Run(name, func(t *testing.T) {
			err := sender(t, withUser(u)).Send(t.Context(), survey("ada@example.com"))
			if err == nil {
				t.Fatal("send succeeded")
			}
			if mail.Permanent(err) {
				t.Errorf("Permanent(%v) = true; a server configuration problem is worth retrying", err)
			}
			if strings.Contains(err.Error(), pass) {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
	if n := len(s.Messages()); n != 1 {
		t.Errorf("sink has %d messages, want only the authenticated one", n)
	}
}

func TestPermanent(t *testing.T) {
	tests := []struct {
		name      string
		opt       sink.Option
		permanent bool
	}{
		{"451 at end of data", sink.FailNext(1, 451), false},
		{"550 at end of data", sink.FailNext(1, 550), true},
		{"554 at end of data", sink.FailNext(1, 554), true},
		{"450 for recipient", sink.RejectRecipient("ada@example.com", 450), false},
		{"550 for recipient", sink.RejectRecipient("ada@example.com", 550), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := startSink(t, tt.opt)
			m := survey("ada@example.com")
			m.MessageID = "retry-7"
			err := sender(t, s.URL()).Send(t.Context(), m)
			if err == nil {
				t.Fatal("send succeeded")
			}
			if got := mail.Permanent(err); got != tt.permanent {
				t.Errorf("Permanent(%v) = %v, want %v", err, got, tt.permanent)
			}
			if !strings.Contains(err.Error(), "smtp send to ada@example.com") {
				t.Errorf("error lacks context: %v", err)
			}
			if n := len(s.Messages()); n != 0 {
				t.Errorf("sink kept %d messages after failing", n)
			}
		})
	}
}

func TestRetryAfterTemporaryFailureKeepsMessageID(t *testing.T) {
	s := startSink(t, sink.FailNext(1, 451))
	snd := sender(t, s.URL())
	m := survey("ada@example.com")
	m.MessageID = "retry-7@heed.example"
	if err := snd.Send(t.Context(), m); err == nil || mail.Permanent(err) {
		t.Fatalf("first send: %v, want a temporary error", err)
	}
	if err := snd.Send(t.Context(), m); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if got := waitOne(t, s); got.MessageID != "retry-7@heed.example" {
		t.Errorf("message id = %q", got.MessageID)
	}
}

func TestClosedPortIsTemporary(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	err = sender(t, "smtp://"+addr).Send(t.Context(), survey("ada@example.com"))
	if err == nil {
		t.Fatal("send to a closed port succeeded")
	}
	if mail.Permanent(err) {
		t.Errorf("Permanent(%v) = true", err)
	}
}

func TestContextCancelledBeforeSend(t *testing.T) {
	s := startSink(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := sender(t, s.URL()).Send(ctx, survey("ada@example.com"))
	if !errors.Is(err, context.Canceled) || mail.Permanent(err) {
		t.Errorf("err = %v, want context.Canceled and not permanent", err)
	}
}

// A server that greets, reads EHLO and then says nothing. go-mail watches
// the context only while dialling; past that, only the context closing the
// connection can end the send (its Timeout is an hour).
func TestContextCancelInterruptsStalledServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	stalled := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		fmt.Fprint(c, "220 stall ESMTP\r\n")
		bufio.NewReader(c).ReadString('\n') // EHLO: the client is past dialling
		stalled <- c
	}()
	ctx, cancel := context.WithCancel(t.Context())
	snd := sender(t, "smtp://"+ln.Addr().String(), func(c *mail.Config) { c.Timeout = time.Hour })
	done := make(chan error, 1)
	go func() { done <- snd.Send(ctx, survey("ada@example.com")) }()
	c := <-stalled
	defer c.Close()
	cancel()
	err = <-done
	if !errors.Is(err, context.Canceled) || mail.Permanent(err) {
		t.Errorf("err = %v, want context.Canceled and not permanent", err)
	}
}

func TestTimeoutWhileServerDelays(t *testing.T) {
	s := startSink(t, sink.Delay(time.Hour))
	snd := sender(t, s.URL(), func(c *mail.Config) { c.Timeout = 500 * time.Millisecond })
	err := snd.Send(t.Context(), survey("ada@example.com"))
	if !errors.Is(err, context.DeadlineExceeded) || mail.Permanent(err) {
		t.Errorf("err = %v, want context.DeadlineExceeded and not permanent", err)
	}
}

func TestInvalidMessageIsPermanent(t *testing.T) {
	s := startSink(t)
	snd := sender(t, s.URL())
	tests := map[string]func(*mail.Message){
		"display name in To":      func(m *mail.Message) { m.To = "Ada <ada@example.com>" },
		"not an address":          func(m *mail.Message) { m.To = "ada" },
		"header injection":        func(m *mail.Message) { m.Headers = map[string]string{"X-Survey": "1\r\nBcc: eve@example.com"} },
		"reserved header":         func(m *mail.Message) { m.Headers = map[string]string{"subject": "other"} },
		"content header":          func(m *mail.Message) { m.Headers = map[string]string{"Content-Type": "text/html"} },
		"bad header name":         func(m *mail.Message) { m.Headers = map[string]string{"X Survey": "1"} },
		"subject line break":      func(m *mail.Message) { m.Subject = "Hi\r\nBcc: eve@example.com" },
		"no text":                 func(m *mail.Message) { m.Text = "" },
		"message id brackets":     func(m *mail.Message) { m.MessageID = "<x@y>" },
		"message id with a space": func(m *mail.Message) { m.MessageID = "x y@z" },
	}
	for name, change := range tests {
		t.Run(name, func(t *testing.T) {
			m := survey("ada@example.com")
			change(&m)
			err := snd.Send(t.Context(), m)
			if err == nil || !mail.Permanent(err) {
				t.Errorf("err = %v, want a permanent error", err)
			}
		})
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("sink got %d messages", n)
	}
}

func TestNewSMTPValidatesFrom(t *testing.T) {
	cfg := mail.Config{Host: "127.0.0.1"}
	for _, ok := range []string{"survey@northwind.example", "Northwind <survey@northwind.example>", `"Northwind, Inc." <s@n.example>`} {
		if _, err := mail.NewSMTP(cfg, ok); err != nil {
			t.Errorf("NewSMTP(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "northwind", "Northwind <>", "a@b, c@d"} {
		if _, err := mail.NewSMTP(cfg, bad); err == nil {
			t.Errorf("NewSMTP(%q) accepted", bad)
		}
	}
	if _, err := mail.NewSMTP(mail.Config{}, "s@n.example"); err == nil {
		t.Error("NewSMTP accepted a config without host")
	}
}

func TestSTARTTLS(t *testing.T) {
	serverTLS, roots, err := sink.SelfSigned()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		query   string
		roots   *x509.CertPool
		wantErr bool
	}{
		{"verified against the test CA", "", roots, false},
		{"skip-verify", "?tls=skip-verify", nil, false},
		{"unknown certificate", "", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startSink(t, sink.TLS(serverTLS), sink.Auth("heed", "secret"))
			raw := "smtp://heed:secret@" + s.Addr() + tt.query
			snd := sender(t, raw, func(c *mail.Config) { c.RootCAs = tt.roots })
			err := snd.Send(t.Context(), survey("ada@example.com"))
			if tt.wantErr {
				if err == nil || mail.Permanent(err) {
					t.Errorf("err = %v, want a temporary error: never fall back to plain text after STARTTLS failed", err)
				}
				if n := len(s.Messages()); n != 0 {
					t.Errorf("sink got %d messages", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := waitOne(t, s); !got.TLS || got.User != "heed" {
				t.Errorf("TLS = %v, user = %q; want an upgraded, authenticated session", got.TLS, got.User)
			}
		})
	}
}

func TestImplicitTLS(t *testing.T) {
	serverTLS, _, err := sink.SelfSigned()
	if err != nil {
		t.Fatal(err)
	}
	s := startSink(t, sink.ImplicitTLS(serverTLS), sink.Auth("heed", "secret"))
	if !strings.HasPrefix(s.URL(), "smtps://") {
		t.Fatalf("URL = %q", s.URL())
	}
	u := strings.Replace(s.URL(), "smtps://", "smtps://heed:secret@", 1) + "?tls=skip-verify"
	if err := sender(t, u).Send(t.Context(), survey("ada@example.com")); err != nil {
		t.Fatal(err)
	}
	if got := waitOne(t, s); !got.TLS || got.User != "heed" {
		t.Errorf("TLS = %v, user = %q", got.TLS, got.User)
	}
}

func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	l := mail.Log{Logger: slog.New(slog.NewJSONHandler(&buf, nil))}
	m := survey("ada@example.com")
	m.MessageID = "d-1"
	if err := l.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("%v in %s", err, buf.String())
	}
	for k, want := range map[string]string{"to": m.To, "subject": m.Subject, "message_id": "d-1"} {
		if rec[k] != want {
			t.Errorf("%s = %v, want %q", k, rec[k], want)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := l.Send(ctx, m); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Send = %v", err)
	}
}
