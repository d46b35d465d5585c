package mail_test

import (
	"strings"
	"testing"

	"github.com/heedhq/heed/mail"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw  string
		want mail.Config
	}{
		{"smtp://mail.example.com", mail.Config{Host: "mail.example.com", Port: 25}},
		{"smtp://mail.example.com:587", mail.Config{Host: "mail.example.com", Port: 587}},
		{"smtps://mail.example.com", mail.Config{Host: "mail.example.com", Port: 465, ImplicitTLS: true}},
		{"SMTPS://u@mail.example.com:2465/", mail.Config{Host: "mail.example.com", Port: 2465, Username: "u", ImplicitTLS: true}},
		{"smtp://survey%40northwind.example:p%40ss%3Aw%2Frd@mail.example.com:587",
			mail.Config{Host: "mail.example.com", Port: 587, Username: "survey@northwind.example", Password: "p@ss:w/rd"}},
		{"smtp://127.0.0.1:2525?tls=skip-verify", mail.Config{Host: "127.0.0.1", Port: 2525, SkipVerify: true}},
		{"smtps://[::1]:4650?tls=skip-verify", mail.Config{Host: "::1", Port: 4650, ImplicitTLS: true, SkipVerify: true}},
	}
	for _, tt := range tests {
		got, err := mail.ParseURL(tt.raw)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", tt.raw, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseURL(%q) = %+v, want %+v", tt.raw, got, tt.want)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	const secret = "hunter2"
	tests := []struct{ raw, want string }{
		{"mail.example.com:25", "want smtp://"},
		{"", "want smtp://"},
		{"http://u:hunter2@mail.example.com", `unsupported scheme "http"`},
		{"smtp://u:hunter2@", "missing host"},
		{"smtp://u:hunter2@:25", "missing host"},
		{"smtp://u:hunter2@mail.example.com:0", `bad port "0"`},
		{"smtp://u:hunter2@mail.example.com:70000", `bad port "70000"`},
		{"smtp://u:hunter2@mail.example.com:smtp", "invalid port"},
		{"smtp://u:hunter2@mail.example.com/inbox", `unexpected path "/inbox"`},
		{"smtp://u:hunter2@mail.example.com?tls=off", `unknown tls="off"`},
		{"smtp://u:hunter2@mail.example.com?starttls=1", `unknown query parameter "starttls"`},
		{"smtp://u:hunter2@mail.example.com#x", "unexpected fragment"},
		{"smtp://:hunter2@mail.example.com", "password without user"},
		{"smtp://u:hunter2%zz@mail.example.com", "invalid %-escape"},
	}
	for _, tt := range tests {
		_, err := mail.ParseURL(tt.raw)
		if err == nil {
			t.Errorf("ParseURL(%q) succeeded", tt.raw)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseURL(%q) = %q, want it to mention %q", tt.raw, err, tt.want)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("ParseURL(%q) error shows the password: %q", tt.raw, err)
		}
	}
}

func TestConfigStringRedactsPassword(t *testing.T) {
	tests := []struct {
		cfg  mail.Config
		want string
	}{
		{mail.Config{Host: "mail.example.com", Username: "survey", Password: "hunter2"}, "smtp://survey:xxxxx@mail.example.com:25"},
		{mail.Config{Host: "mail.example.com", Username: "survey"}, "smtp://survey@mail.example.com:25"},
		{mail.Config{Host: "::1", Port: 2465, ImplicitTLS: true, SkipVerify: true}, "smtps://[::1]:2465?tls=skip-verify"},
	}
	for _, tt := range tests {
		if got := tt.cfg.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	// What String prints, ParseURL reads back (but for the password).
	cfg, err := mail.ParseURL("smtps://u:hunter2@mail.example.com:2465?tls=skip-verify")
	if err != nil {
		t.Fatal(err)
	}
	back, err := mail.ParseURL(cfg.String())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Password = "xxxxx"
	if back != cfg {
		t.Errorf("round trip: %+v, want %+v", back, cfg)
	}
}
