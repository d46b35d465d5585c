package accounts

import (
	"context"
	"math"
	"net/netip"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// errWrongLogin is the one answer to every failed sign-in, so a caller
// cannot tell an unknown email from a wrong password.
func errWrongLogin() error { return heed.Errorf(heed.EUnauthorized, "wrong email or password") }

// throttleKeys are the login_failures keys of a sign-in attempt, strictest
// first: the email from this address (one place guessing one account's
// password), the email from anywhere (a guess spread over many places),
// and the address (one place trying many accounts). The first is strict;
// the others allow ten times as much, so a stranger cannot lock a person
// out from elsewhere with a few wrong guesses.
// Without an address (a signed-in person changing their password) the
// first key still holds the strict limit for the account.
func throttleKeys(email, ip string) []string {
	ip = throttlePlace(ip)
	keys := []string{"pair:" + email + " " + ip, "email:" + email}
	if ip != "" {
		keys = append(keys, "ip:"+ip)
	}
	return keys
}

// throttlePlace is the part of an address that counts as one place: an
// IPv4 address, or the /64 an IPv6 address belongs to, since one host is
// usually handed a whole /64 and could otherwise rotate through it.
func throttlePlace(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Unmap().Is4() {
		return ip
	}
	p, err := a.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

// clearedOnSuccess are the keys a right password resets: the account's.
// The address keeps its count, so one right password does not reset a
// place that is trying many accounts.
func clearedOnSuccess(keys []string) []string { return keys[:2] }

// Login checks an email and password and returns a new session's token,
// for the browser's cookie. After MaxLoginFailures failures within
// FailureWindow for the email or the IP, it refuses with ERateLimited
// before looking at the password.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (string, error) {
	// No address is longer than 320 bytes; the cut only bounds what a
	// bogus one stores in login_failures.
	email, ip = clean(heed.NormEmail(email), 320), clean(ip, 64)
	now := s.now()
	keys := throttleKeys(email, ip)
	if err := s.admitAttempt(ctx, keys, now); err != nil {
		return "", err
	}
	emp, ok, err := s.checkPassword(ctx, email, password)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", errWrongLogin()
	}
	// Only the email's count is cleared: one right password must not
	// reset the count of an IP that is trying many accounts.
	if err := s.clearFailures(ctx, keys); err != nil {
		return "", err
	}
	token := randomToken(32)
	err = s.store.CreateSession(ctx, heed.Session{
		TokenHash:  tokenHash(token),
		EmployeeID: emp.ID,
		CreatedAt:  now,
		ExpiresAt:  now.Add(s.cfg.SessionTTL),
		UserAgent:  clean(userAgent, 512),
		IP:         ip,
	})
	if err != nil {
		return "", heed.Internal(err, "accounts: create session")
	}
	return token, nil
}

// admitAttempt lets a password check go ahead unless the throttle
// refuses it. A refused attempt is not recorded, so a lock lifts when the
// window has passed. An accepted one is recorded (as a failure, until a
// right password clears it) before the password is looked at, and checked
// again counting itself: of many guesses sent at once, each sees those
// committed before it, so no more than the limit reach the password check.
func (s *Service) admitAttempt(ctx context.Context, keys []string, now time.Time) error {
	if err := s.checkThrottle(ctx, keys, now, 0); err != nil {
		return err
	}
	if err := s.recordFailure(ctx, keys, now); err != nil {
		return err
	}
	return s.checkThrottle(ctx, keys, now, 1)
}

// checkThrottle refuses the attempt when any key has more recent attempts
// than its limit allows; own is 1 when the count includes this attempt.
func (s *Service) checkThrottle(ctx context.Context, keys []string, now time.Time, own int) error {
	since := now.Add(-s.cfg.FailureWindow)
	for _, k := range keys {
		n, err := s.store.CountLoginFailures(ctx, k, since)
		if err != nil {
			return heed.Internal(err, "accounts: count login failures")
		}
		if n-own >= s.limit(k) {
			mins := int(math.Ceil(s.cfg.FailureWindow.Minutes()))
			return heed.Errorf(heed.ERateLimited, "too many failed sign-ins; try again in %d minutes", mins)
		}
	}
	return nil
}

// looseLimitFactor multiplies the limit of the email-from-anywhere and
// address keys: an address counts successful attempts too (one office may
// hold many people signing in), and the email alone must not be a lock a
// stranger can turn.
const looseLimitFactor = 10

// limit is how many attempts a throttle key allows within the window.
func (s *Service) limit(key string) int {
	if strings.HasPrefix(key, "pair:") {
		return s.cfg.MaxLoginFailures
	}
	return s.cfg.MaxLoginFailures * looseLimitFactor
}

// clearFailures forgets the account's failures after a right password.
func (s *Service) clearFailures(ctx context.Context, keys []string) error {
	for _, k := range clearedOnSuccess(keys) {
		if err := s.store.ClearLoginFailures(ctx, k); err != nil {
			return heed.Internal(err, "accounts: clear login failures")
		}
	}
	return nil
}

func (s *Service) recordFailure(ctx context.Context, keys []string, now time.Time) error {
	return s.store.InTx(ctx, func(q heed.Queries) error {
		for _, k := range keys {
			if err := q.RecordLoginFailure(ctx, k, now); err != nil {
				return heed.Internal(err, "accounts: record login failure")
			}
		}
		return nil
	})
}

// checkPassword reports whether password is the employee's. Unknown
// employees and employees without a password cost one hash too, so the
// time taken does not reveal who has an account.
func (s *Service) checkPassword(ctx context.Context, email, password string) (heed.Employee, bool, error) {
	c, err := s.store.GetCredentials(ctx, email)
	if err != nil && !heed.IsNotFound(err) {
		return heed.Employee{}, false, heed.Internal(err, "accounts: get credentials")
	}
	var ok bool
	var verr error
	err = s.withHashSlot(ctx, func() {
		if c.PasswordHash == "" || len(password) > maxPasswordLen {
			burnPassword(password[:min(len(password), maxPasswordLen)], s.cfg.Argon2)
			return
		}
		ok, verr = verifyPassword(password, c.PasswordHash)
	})
	if err != nil {
		return heed.Employee{}, false, err
	}
	if verr != nil {
		return heed.Employee{}, false, heed.Internal(verr, "accounts: stored hash of "+email)
	}
	if ok && needsRehash(c.PasswordHash, s.cfg.Argon2) {
		s.upgradeHash(ctx, email, password)
	}
	return c.Employee, ok, nil
}

// upgradeHash re-hashes a password made under older settings, now that
// we know it. It is best effort: the old hash keeps working if it fails.
func (s *Service) upgradeHash(ctx context.Context, email, password string) {
	if h, err := s.hash(ctx, password); err == nil {
		_ = s.store.SetPassword(ctx, email, h, s.now())
	}
}

// SessionPrincipal returns who holds a session cookie's token. The role
// and unit are read afresh, so a change takes effect on the next request.
func (s *Service) SessionPrincipal(ctx context.Context, token string) (heed.Principal, error) {
	if token == "" {
		return heed.Principal{}, heed.Errorf(heed.EUnauthorized, "not signed in")
	}
	sess, err := s.store.GetSession(ctx, tokenHash(token), s.now())
	if heed.IsNotFound(err) {
		return heed.Principal{}, heed.Errorf(heed.EUnauthorized, "not signed in, or the session has expired")
	}
	if err != nil {
		return heed.Principal{}, heed.Internal(err, "accounts: get session")
	}
	c, err := s.store.GetCredentialsByID(ctx, sess.EmployeeID)
	if heed.IsNotFound(err) {
		return heed.Principal{}, heed.Errorf(heed.EUnauthorized, "not signed in")
	}
	if err != nil {
		return heed.Principal{}, heed.Internal(err, "accounts: session employee")
	}
	return employeePrincipal(c), nil
}

// Logout ends the session of this token; an unknown token is no error.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return heed.Internal(s.store.DeleteSession(ctx, tokenHash(token)), "accounts: logout")
}

// CleanupSessions deletes expired sessions, and sign-in failures too old
// to count, and says how many sessions ended.
func (s *Service) CleanupSessions(ctx context.Context) (int, error) {
	now := s.now()
	if _, err := s.store.PurgeLoginFailures(ctx, now.Add(-s.cfg.FailureWindow)); err != nil {
		return 0, heed.Internal(err, "accounts: purge login failures")
	}
	n, err := s.store.DeleteExpiredSessions(ctx, now)
	return n, heed.Internal(err, "accounts: clean up sessions")
}

// clean makes a client-supplied string safe to store: at most n bytes of
// valid UTF-8 (PostgreSQL rejects anything else).
func clean(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}
