package sink_test

import (
	"context"
	"crypto/tls"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/heedhq/heed/mail/sink"
)

func start(t *testing.T, opts ...sink.Option) *sink.Server {
	t.Helper()
	s, err := sink.Start("127.0.0.1:0", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// crlf turns a readable test message into wire format.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// send delivers raw over a plain connection (smtp.SendMail insists on
// STARTTLS).
func send(s *sink.Server, from string, to []string, raw string) error {
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		return err
	}
	defer c.Close()
	return c.SendMail(from, to, strings.NewReader(crlf(raw)))
}

func waitFor(t *testing.T, s *sink.Server, n int) []sink.Received {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	msgs, err := s.WaitFor(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func smtpCode(err error) int {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

func TestDecodesMessages(t *testing.T) {
	tests := []struct {
		name                       string
		raw                        string
		subject, text, html, msgID string
	}{
		{
			name: "nested multipart, base64 and quoted-printable, attachment ignored",
			raw: `From: a@example.com
To: b@example.com
Subject: =?utf-8?b?V2llIHp1ZnJpZWRlbiB3w6RyZW4gU2llPw==?=
Message-ID: <abc.123@northwind.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

R3LDvMOfZSwgQWRhIQpaZWlsZSB6d2Vp
--inner
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<p>Gr=C3=BC=C3=9Fe, <a href=3D"https://heed.example/s/x">Ada</a>! Eine sehr lange=
 Zeile.</p>
--inner--
--outer
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename="notes.txt"

not the body
--outer--
`,
			subject: "Wie zufrieden wären Sie?",
			text:    "Grüße, Ada!\nZeile zwei",
			html:    `<p>Grüße, <a href="https://heed.example/s/x">Ada</a>! Eine sehr lange Zeile.</p>`,
			msgID:   "abc.123@northwind.example",
		},
		{
			name: "single latin-1 quoted-printable part",
			raw: `Subject: =?iso-8859-1?q?Caf=E9?=
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Un caf=E9,
s'il vous pla=EEt.
`,
			subject: "Café",
			text:    "Un café,\ns'il vous plaît.",
		},
		{
			name: "single 8bit html part",
			raw: `Subject: plain subject
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

<p>Grüße ✓</p>
`,
			subject: "plain subject",
			html:    "<p>Grüße ✓</p>",
		},
		{
			name:    "no MIME headers at all",
			raw:     "Subject: old style\n\nJust text.\nTwo lines.\n",
			subject: "old style",
			text:    "Just text.\nTwo lines.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := start(t)
			if err := send(s, "a@example.com", []string{"b@example.com"}, tt.raw); err != nil {
				t.Fatal(err)
			}
			got := waitFor(t, s, 1)[0]
			if got.Subject != tt.subject || got.Text != tt.text || got.HTML != tt.html || got.MessageID != tt.msgID {
				t.Errorf("got subject %q text %q html %q id %q\nwant subject %q text %q html %q id %q",
					got.Subject, got.Text, got.HTML, got.MessageID, tt.subject, tt.text, tt.html, tt.msgID)
			}
			if string(got.Raw) != crlf(tt.raw) {
				t.Errorf("raw differs from what was sent:\n%q", got.Raw)
			}
		})
	}
}

func TestKeepsEnvelope(t *testing.T) {
	s := start(t)
	before := time.Now()
	to := []string{"b@example.com", "c@example.com"}
	if err := send(s, "bounce@northwind.example", to, "Subject: x\n\nbody\n"); err != nil {
		t.Fatal(err)
	}
	got := waitFor(t, s, 1)[0]
	if got.From != "bounce@northwind.example" || strings.Join(got.To, ",") != "b@example.com,c@example.com" {
		t.Errorf("envelope %q -> %q", got.From, got.To)
	}
	if got.Header.Get("Subject") != "x" || got.At.Before(before) || got.TLS || got.User != "" {
		t.Errorf("header %v, at %v, TLS %v, user %q", got.Header, got.At, got.TLS, got.User)
	}
}

func TestMalformedMessageIsKept(t *testing.T) {
	s := start(t)
	raw := "this is not a header block\n"
	if err := send(s, "a@example.com", []string{"b@example.com"}, raw); err != nil {
		t.Fatal(err)
	}
	got := waitFor(t, s, 1)[0]
	if string(got.Raw) != crlf(raw) || got.Header == nil {
		t.Errorf("raw %q header %v", got.Raw, got.Header)
	}
}

func TestFailNext(t *testing.T) {
	s := start(t, sink.FailNext(2, 451))
	msg := "Subject: x\n\nbody\n"
	for i := range 2 {
		if err := send(s, "a@example.com", []string{"b@example.com"}, msg); smtpCode(err) != 451 {
			t.Errorf("send %d: %v, want 451", i+1, err)
		}
	}
	if err := send(s, "a@example.com", []string{"b@example.com"}, msg); err != nil {
		t.Errorf("third send: %v", err)
	}
	s.FailNext(1, 554)
	if err := send(s, "a@example.com", []string{"b@example.com"}, msg); smtpCode(err) != 554 {
		t.Errorf("after FailNext(1, 554): %v", err)
	}
	if n := len(s.Messages()); n != 1 {
		t.Errorf("kept %d messages, want 1", n)
	}
}

func TestRejectRecipient(t *testing.T) {
	s := start(t, sink.RejectRecipient("Gone@Example.com", 550))
	err := send(s, "a@example.com", []string{"gone@example.com"}, "Subject: x\n\nbody\n")
	if smtpCode(err) != 550 {
		t.Errorf("rejected recipient: %v, want 550", err)
	}
	if err := send(s, "a@example.com", []string{"here@example.com"}, "Subject: x\n\nbody\n"); err != nil {
		t.Errorf("other recipient: %v", err)
	}
	if msgs := waitFor(t, s, 1); len(msgs) != 1 || msgs[0].To[0] != "here@example.com" {
		t.Errorf("messages: %+v", msgs)
	}
}

func TestAuth(t *testing.T) {
	s := start(t, sink.Auth("heed", "secret"))
	try := func(auth sasl.Client) error {
		c, err := smtp.Dial(s.Addr())
		if err != nil {
			return err
		}
		defer c.Close()
		if auth != nil {
			if err := c.Auth(auth); err != nil {
				return err
			}
		}
		return c.SendMail("a@example.com", []string{"b@example.com"}, strings.NewReader(crlf("Subject: x\n\nbody\n")))
	}
	if err := try(nil); smtpCode(err) != 530 {
		t.Errorf("without AUTH: %v, want 530", err)
	}
	if err := try(sasl.NewPlainClient("", "heed", "wrong")); smtpCode(err) != 535 {
		t.Errorf("wrong password: %v, want 535", err)
	}
	if err := try(sasl.NewPlainClient("", "heed", "secret")); err != nil {
		t.Fatalf("right password: %v", err)
	}
	if got := waitFor(t, s, 1)[0]; got.User != "heed" {
		t.Errorf("user = %q", got.User)
	}
}

func TestTLS(t *testing.T) {
	serverTLS, roots, err := sink.SelfSigned()
	if err != nil {
		t.Fatal(err)
	}
	clientTLS := &tls.Config{RootCAs: roots, ServerName: "127.0.0.1"}
	msg := strings.NewReader(crlf("Subject: x\n\nbody\n"))

	s := start(t, sink.TLS(serverTLS))
	c, err := smtp.DialStartTLS(s.Addr(), clientTLS)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail("a@example.com", []string{"b@example.com"}, msg); err != nil {
		t.Fatal(err)
	}
	if got := waitFor(t, s, 1)[0]; !got.TLS {
		t.Error("STARTTLS session not recorded as TLS")
	}

	implicit := start(t, sink.ImplicitTLS(serverTLS))
	if !strings.HasPrefix(implicit.URL(), "smtps://127.0.0.1:") {
		t.Errorf("URL = %q", implicit.URL())
	}
	c2, err := smtp.DialTLS(implicit.Addr(), clientTLS)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	msg.Seek(0, 0)
	if err := c2.SendMail("a@example.com", []string{"b@example.com"}, msg); err != nil {
		t.Fatal(err)
	}
	if got := waitFor(t, implicit, 1)[0]; !got.TLS {
		t.Error("implicit TLS session not recorded as TLS")
	}
}

func TestDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "eml")
	s := start(t, sink.Dir(dir))
	for _, subject := range []string{"one", "two"} {
		if err := send(s, "a@example.com", []string{"b@example.com"}, "Subject: "+subject+"\n\nbody\n"); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	// A restarted sink numbers on instead of overwriting.
	s2 := start(t, sink.Dir(dir))
	if err := send(s2, "a@example.com", []string{"b@example.com"}, "Subject: three\n\nbody\n"); err != nil {
		t.Fatal(err)
	}
	for name, subject := range map[string]string{"000001.eml": "one", "000002.eml": "two", "000003.eml": "three"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Error(err)
			continue
		}
		if want := crlf("Subject: " + subject + "\n\nbody\n"); string(data) != want {
			t.Errorf("%s = %q, want %q", name, data, want)
		}
	}
}

func TestWaitFor(t *testing.T) {
	s := start(t)
	const n = 5
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if err := send(s, "a@example.com", []string{"b@example.com"}, "Subject: x\n\nbody\n"); err != nil {
				t.Error(err)
			}
		})
	}
	if msgs := waitFor(t, s, n); len(msgs) < n {
		t.Errorf("WaitFor returned %d messages", len(msgs))
	}
	wg.Wait()

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	msgs, err := s.WaitFor(ctx, n+1)
	if !errors.Is(err, context.Canceled) || len(msgs) != n {
		t.Errorf("WaitFor past the end: %d messages, %v", len(msgs), err)
	}

	s.Close()
	if _, err := s.WaitFor(t.Context(), n+1); err == nil {
		t.Error("WaitFor on a closed sink returned no error")
	}
}

func TestOnMessageRunsBeforeTheAnswer(t *testing.T) {
	var mu sync.Mutex
	var subjects []string
	s := start(t, sink.OnMessage(func(r sink.Received) {
		mu.Lock()
		defer mu.Unlock()
		subjects = append(subjects, r.Subject)
	}))
	if err := send(s, "a@example.com", []string{"b@example.com"}, "Subject: hello\n\nbody\n"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(subjects) != 1 || subjects[0] != "hello" {
		t.Errorf("callback saw %q", subjects)
	}
}

// A slow server keeps the message even when the client gives up waiting:
// that is how a retry produces a duplicate.
func TestDelayKeepsMessageAfterClientGivesUp(t *testing.T) {
	s := start(t, sink.Delay(2*time.Second))
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SubmissionTimeout = 100 * time.Millisecond
	err = c.SendMail("a@example.com", []string{"b@example.com"}, strings.NewReader(crlf("Subject: slow\n\nbody\n")))
	if err == nil {
		t.Fatal("client did not time out although the sink delays 2s")
	}
	if got := waitFor(t, s, 1)[0]; got.Subject != "slow" {
		t.Errorf("subject %q", got.Subject)
	}
}

// Close must not wait for a delayed answer; whether the send is still
// connecting or already held, it fails and nothing is kept.
func TestCloseWithSendInFlight(t *testing.T) {
	s := start(t, sink.Delay(time.Hour))
	done := make(chan error, 1)
	go func() { done <- send(s, "a@example.com", []string{"b@example.com"}, "Subject: x\n\nbody\n") }()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err == nil {
		t.Error("send succeeded although the sink closed during its delay")
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("kept %d messages", n)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestStartRejectsBadOptions(t *testing.T) {
	for name, opt := range map[string]sink.Option{
		"FailNext with a success code": sink.FailNext(1, 250),
		"RejectRecipient with 200":     sink.RejectRecipient("a@example.com", 200),
		"TLS without certificate":      sink.TLS(&tls.Config{}),
		"negative delay":               sink.Delay(-time.Second),
	} {
		if s, err := sink.Start("127.0.0.1:0", opt); err == nil {
			s.Close()
			t.Errorf("%s: Start succeeded", name)
		}
	}
	if _, err := sink.Start("256.0.0.1:0"); err == nil {
		t.Error("Start on a bad address succeeded")
	}
}

func TestURL(t *testing.T) {
	s := start(t)
	if s.URL() != "smtp://"+s.Addr() || !strings.HasPrefix(s.Addr(), "127.0.0.1:") {
		t.Errorf("URL %q, Addr %q", s.URL(), s.Addr())
	}
}
