// Package webhooks sends Heed's events to the endpoints an admin
// registers: generic JSON events signed as the Standard Webhooks
// specification says (webhook-id, webhook-timestamp and webhook-signature
// headers, HMAC-SHA256), or Slack-compatible messages. Deliveries are rows
// written in the transaction of the change they report, sent in order per
// endpoint by a durable job, retried with backoff, parked dead after
// MaxAttempts and redeliverable by hand.
package webhooks

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// SecretPrefix starts every signing secret, as Standard Webhooks does.
const SecretPrefix = "whsec_"

// NewSecret returns a fresh signing secret: the prefix and the base64 of
// 32 random bytes (the specification asks for 24 to 64).
func NewSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return SecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// secretKey is the HMAC key a secret stands for.
func secretKey(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil || len(key) == 0 {
		return nil, errors.New("webhooks: the secret is not whsec_ followed by base64")
	}
	return key, nil
}

// Sign returns the webhook-signature header value for a message: "v1,"
// and the base64 HMAC-SHA256 of "id.timestamp.body" under the secret.
func Sign(secret, msgID string, ts time.Time, body []byte) (string, error) {
	key, err := secretKey(secret)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", msgID, ts.Unix())
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// Verify checks a received message as a receiver should: the timestamp is
// within tolerance of now (against replays) and one of the signatures in
// the webhook-signature header is the message's. Heed's tests use it; a
// receiver written in Go may too.
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	id, tsText, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || tsText == "" || sigs == "" {
		return errors.New("webhooks: missing webhook-id, webhook-timestamp or webhook-signature header")
	}
	sec, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("webhooks: webhook-timestamp %q is not a Unix time", tsText)
	}
	ts := time.Unix(sec, 0)
	if d := now.Sub(ts); d > tolerance || d < -tolerance {
		return fmt.Errorf("webhooks: timestamp %s is too far from now", ts.UTC().Format(time.RFC3339))
	}
	want, err := Sign(secret, id, ts, body)
	if err != nil {
		return err
	}
	for _, s := range strings.Fields(sigs) {
		if hmac.Equal([]byte(s), []byte(want)) {
			return nil
		}
	}
	return errors.New("webhooks: no signature matches")
}
