package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestTrustProxies(t *testing.T) {
	trusted, err := parseTrustedProxies([]string{"10.0.0.0/8", "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, peer, xff, want string
	}{
		{"direct client keeps its address", "198.51.100.7:5000", "", "198.51.100.7:5000"},
		{"untrusted peer cannot forge the header", "198.51.100.7:5000", "203.0.113.9", "198.51.100.7:5000"},
		{"through the load balancer", "10.1.2.3:4000", "203.0.113.9", "203.0.113.9:0"},
		{"through two trusted hops", "10.1.2.3:4000", "203.0.113.9, 192.0.2.1", "203.0.113.9:0"},
		{"a forged left part is ignored", "10.1.2.3:4000", "6.6.6.6, 203.0.113.9", "203.0.113.9:0"},
		{"garbled chain is not trusted", "10.1.2.3:4000", "203.0.113.9, nonsense", "10.1.2.3:4000"},
		{"an entry with a port", "10.1.2.3:4000", "203.0.113.9:5555", "203.0.113.9:0"},
		{"a bracketed IPv6 entry", "10.1.2.3:4000", "[2001:db8::1]", "[2001:db8::1]:0"},
		{"a bracketed IPv6 entry with a port", "10.1.2.3:4000", "[2001:db8::1]:443", "[2001:db8::1]:0"},
		{"no header behind proxy", "10.1.2.3:4000", "", "10.1.2.3:4000"},
	}
	for _, c := range cases {
		var got string
		h := trustProxies(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }), trusted)
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != c.want {
			t.Errorf("%s: RemoteAddr = %q, want %q", c.name, got, c.want)
		}
	}
	if _, err := parseTrustedProxies([]string{"10.0.0.0/33"}); err == nil {
		t.Error("a bad prefix was accepted")
	}
}
