// Package accounts decides who may sign in to Heed and how they are
// recognised: employees with argon2id passwords and database-backed browser
// sessions, API tokens that act as an employee or carry a role, and a login
// throttle shared by every process through the store.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"runtime"
	"time"

	"github.com/heedhq/heed"
)

// Config tunes the service; zero fields take the defaults.
type Config struct {
	SessionTTL       time.Duration // how long a sign-in lasts; default 12h
	MaxLoginFailures int           // failures per email or IP before sign-in is refused; default 5
	FailureWindow    time.Duration // how far back failures count; default 15m
	Argon2           Argon2        // password hashing cost
}

func (c Config) withDefaults() Config {
	if c.SessionTTL <= 0 {
		c.SessionTTL = 12 * time.Hour
	}
	if c.MaxLoginFailures <= 0 {
		c.MaxLoginFailures = 5
	}
	if c.FailureWindow <= 0 {
		c.FailureWindow = 15 * time.Minute
	}
	c.Argon2 = c.Argon2.withDefaults()
	return c
}

// Service signs people in and tells faces who is calling.
type Service struct {
	store heed.Store
	now   func() time.Time
	cfg   Config
	// hashSlots bounds concurrent password hashes: each holds
	// cfg.Argon2.Memory KiB, and a burst of sign-ins must not exhaust RAM.
	hashSlots chan struct{}
}

// New returns a Service over store. now is the clock (time.Now if nil).
func New(store heed.Store, now func() time.Time, cfg Config) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{
		store:     store,
		now:       now,
		cfg:       cfg.withDefaults(),
		hashSlots: make(chan struct{}, max(2, runtime.GOMAXPROCS(0))),
	}
}

// Config returns the configuration in force, defaults filled in (for a
// face that sets the cookie's lifetime, for instance).
func (s *Service) Config() Config { return s.cfg }

// withHashSlot runs fn while holding one of the hashing slots.
func (s *Service) withHashSlot(ctx context.Context, fn func()) error {
	select {
	case s.hashSlots <- struct{}{}:
	case <-ctx.Done():
		return heed.Internal(ctx.Err(), "accounts: wait to hash a password")
	}
	defer func() { <-s.hashSlots }()
	fn()
	return nil
}

// hash hashes a new password under the configured cost.
func (s *Service) hash(ctx context.Context, pw string) (string, error) {
	var h string
	err := s.withHashSlot(ctx, func() { h = hashPassword(pw, s.cfg.Argon2) })
	return h, err
}

// randomToken returns n random bytes, base64url without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what the store keeps of a session or API token: its
// SHA-256 in hex. The tokens are 256 random bits, so a fast hash is
// enough; a leaked database still grants nothing.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// requireAdmin refuses principals that may not manage users and tokens.
func requireAdmin(p heed.Principal, what string) error {
	if !p.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only an admin may %s", what)
	}
	return nil
}

// employeePrincipal is the principal of a signed-in employee.
func employeePrincipal(c heed.Credentials) heed.Principal {
	return heed.Principal{
		Kind:       heed.KindEmployee,
		Name:       c.Employee.Email,
		Role:       c.Employee.Role,
		EmployeeID: c.Employee.ID,
		UnitID:     c.UnitID,
		UnitPath:   c.UnitPath,
	}
}
