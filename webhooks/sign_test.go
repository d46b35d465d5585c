package webhooks

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSignSpecVector checks Sign against the example of the Standard
// Webhooks specification, so receivers using any of its libraries accept
// what Heed sends.
func TestSignSpecVector(t *testing.T) {
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	body := []byte(`{"test": 2432232314}`)
	got, err := Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), body)
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("Sign = %s; want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	secret := NewSecret()
	if !strings.HasPrefix(secret, SecretPrefix) || len(secret) < 40 {
		t.Fatalf("NewSecret = %q", secret)
	}
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"type":"case.opened"}`)
	sig, err := Sign(secret, "msg_1", now, body)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("webhook-id", "msg_1")
	h.Set("webhook-timestamp", "1800000000")
	h.Set("webhook-signature", "v1,bogus "+sig)
	if err := Verify(secret, h, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatalf("Verify of a good message: %v", err)
	}
	if err := Verify(secret, h, []byte(`{"type":"case.closed"}`), now, 5*time.Minute); err == nil {
		t.Fatal("Verify accepted a changed body")
	}
	if err := Verify(secret, h, body, now.Add(10*time.Minute), 5*time.Minute); err == nil {
		t.Fatal("Verify accepted a stale timestamp")
	}
	if err := Verify(NewSecret(), h, body, now, 5*time.Minute); err == nil {
		t.Fatal("Verify accepted another secret")
	}
}
