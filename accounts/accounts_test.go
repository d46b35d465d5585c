package accounts_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/internal/testdb"
)

// clock is a controllable time source for the service under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one engine's store with a small organisation, and the service.
type env struct {
	store heed.Store
	clock *clock
	svc   *accounts.Service
	north heed.Unit
	south heed.Unit
}

const (
	adminEmail   = "ada@acme.test"
	managerEmail = "nora@acme.test"
	goodPassword = "correct horse battery"
)

// cheap keeps hashing fast in tests; the real cost is in the benchmark.
var cheap = accounts.Argon2{Memory: 64, Time: 1, Threads: 1}

// forEachEngine runs test against a fresh environment on every engine.
func forEachEngine(t *testing.T, cfg accounts.Config, test func(t *testing.T, e *env)) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			test(t, newEnv(t, engine, cfg))
		})
	}
}

func newEnv(t *testing.T, engine string, cfg accounts.Config) *env {
	t.Helper()
	ctx := t.Context()
	s := testdb.Open(t, engine)
	t0 := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	units := []heed.Unit{
		{Key: "acme", Name: "Acme"},
		{Key: "north", Name: "North", Parent: "acme"},
		{Key: "south", Name: "South", Parent: "acme"},
	}
	if _, err := s.UpsertUnits(ctx, units, t0); err != nil {
		t.Fatalf("fixture units: %v", err)
	}
	emps := []heed.Employee{
		{Email: adminEmail, Name: "Ada", Role: heed.RoleAdmin},
		{Email: managerEmail, Name: "Nora", Role: heed.RoleManager, Unit: "north"},
	}
	if _, err := s.UpsertEmployees(ctx, emps, t0); err != nil {
		t.Fatalf("fixture employees: %v", err)
	}
	cfg.Argon2 = cheap
	e := &env{store: s, clock: &clock{t: t0}}
	e.svc = accounts.New(s, e.clock.Now, cfg)
	e.north = e.unit(t, "north")
	e.south = e.unit(t, "south")
	return e
}

func (e *env) unit(t *testing.T, key string) heed.Unit {
	t.Helper()
	u, err := e.store.GetUnit(t.Context(), key)
	if err != nil {
		t.Fatalf("GetUnit(%s): %v", key, err)
	}
	return u
}

// addUser gives an employee a password through the service, as an admin.
func (e *env) addUser(t *testing.T, u accounts.NewUser) heed.Employee {
	t.Helper()
	emp, err := e.svc.AddUser(t.Context(), heed.System(), u)
	if err != nil {
		t.Fatalf("AddUser(%s): %v", u.Email, err)
	}
	return emp
}

func (e *env) principal(t *testing.T, email string) heed.Principal {
	t.Helper()
	p, err := e.svc.PrincipalFor(t.Context(), email)
	if err != nil {
		t.Fatalf("PrincipalFor(%s): %v", email, err)
	}
	return p
}

// wantCode fails t unless err has the code (and, if given, the field).
func wantCode(t *testing.T, what string, err error, code heed.Code, field string) {
	t.Helper()
	if heed.ErrorCode(err) != code || heed.ErrorField(err) != field {
		t.Errorf("%s: error %v; want code %s field %q", what, err, code, field)
	}
}

func TestAddUserLoginSessionLogout(t *testing.T) {
	forEachEngine(t, accounts.Config{}, func(t *testing.T, e *env) {
		ctx := t.Context()
		emp := e.addUser(t, accounts.NewUser{Email: " Mia@Acme.test ", Role: heed.RoleFrontline, Unit: "south", Password: goodPassword})
		if emp.Email != "mia@acme.test" || emp.Name != "mia" || !emp.HasPassword || emp.Unit != "south" {
			t.Errorf("AddUser = %+v; want mia@acme.test named mia, unit south, with a password", emp)
		}

		token, err := e.svc.Login(ctx, "MIA@acme.test", goodPassword, "192.0.2.1", "Firefox")
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		p, err := e.svc.SessionPrincipal(ctx, token)
		if err != nil {
			t.Fatalf("SessionPrincipal: %v", err)
		}
		want := heed.Principal{Kind: heed.KindEmployee, Name: "mia@acme.test", Role: heed.RoleFrontline,
			EmployeeID: emp.ID, UnitID: e.south.ID, UnitPath: e.south.Path}
		if p != want {
			t.Errorf("SessionPrincipal = %+v; want %+v", p, want)
		}

		// The store keeps only the token's hash.
		if _, err := e.store.GetSession(ctx, token, e.clock.Now()); !heed.IsNotFound(err) {
			t.Errorf("session found under the raw token (%v); the store must keep only its hash", err)
		}
		sum := sha256.Sum256([]byte(token))
		if _, err := e.store.GetSession(ctx, hex.EncodeToString(sum[:]), e.clock.Now()); err != nil {
			t.Errorf("session not found under sha256(token): %v", err)
		}

		if err := e.svc.Logout(ctx, token); err != nil {
			t.Fatalf("Logout: %v", err)
		}
		_, err = e.svc.SessionPrincipal(ctx, token)
		wantCode(t, "SessionPrincipal after logout", err, heed.EUnauthorized, "")
	})
}

func TestSessionExpires(t *testing.T) {
	forEachEngine(t, accounts.Config{SessionTTL: time.Hour}, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.addUser(t, accounts.NewUser{Email: adminEmail, Role: heed.RoleAdmin, Password: goodPassword})
		token, err := e.svc.Login(ctx, adminEmail, goodPassword, "192.0.2.1", "")
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		e.clock.Advance(59 * time.Minute)
		if _, err := e.svc.SessionPrincipal(ctx, token); err != nil {
			t.Fatalf("SessionPrincipal before expiry: %v", err)
		}
		e.clock.Advance(time.Minute)
		_, err = e.svc.SessionPrincipal(ctx, token)
		wantCode(t, "SessionPrincipal after SessionTTL", err, heed.EUnauthorized, "")
		if n, err := e.svc.CleanupSessions(ctx); err != nil || n != 1 {
			t.Errorf("CleanupSessions = %d, %v; want 1", n, err)
		}
	})
}

func TestWrongPasswordAndUnknownUserLookAlike(t *testing.T) {
	forEachEngine(t, accounts.Config{}, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.addUser(t, accounts.NewUser{Email: managerEmail, Role: heed.RoleManager, Unit: "north", Password: goodPassword})
		_, wrongPw := e.svc.Login(ctx, managerEmail, "not the password", "192.0.2.1", "")
		_, unknown := e.svc.Login(ctx, "nobody@acme.test", goodPassword, "192.0.2.2", "")
		_, noPw := e.svc.Login(ctx, adminEmail, goodPassword, "192.0.2.3", "") // exists, no password set
		for name, err := range map[string]error{"wrong password": wrongPw, "unknown email": unknown, "no password": noPw} {
			wantCode(t, name, err, heed.EUnauthorized, "")
			if err == nil || heed.ErrorMessage(err) != "wrong email or password" {
				t.Errorf("%s: message %q; want %q", name, heed.ErrorMessage(err), "wrong email or password")
			}
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	cfg := accounts.Config{MaxLoginFailures: 3, FailureWindow: 15 * time.Minute}
	forEachEngine(t, cfg, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.addUser(t, accounts.NewUser{Email: managerEmail, Role: heed.RoleManager, Unit: "north", Password: goodPassword})
		for i := range 3 {
			_, err := e.svc.Login(ctx, managerEmail, "guess number "+string(rune('a'+i)), "192.0.2.1", "")
			wantCode(t, "wrong password", err, heed.EUnauthorized, "")
			e.clock.Advance(time.Minute)
		}
		// Refused before the password is even checked, from that address.
		_, err := e.svc.Login(ctx, managerEmail, goodPassword, "192.0.2.1", "")
		wantCode(t, "login after 3 failures", err, heed.ERateLimited, "")
		if msg := heed.ErrorMessage(err); msg != "too many failed sign-ins; try again in 15 minutes" {
			t.Errorf("rate limit message = %q", msg)
		}
		// The window slides: the first failure drops out 15 minutes after it.
		e.clock.Advance(12*time.Minute + time.Second)
		if _, err := e.svc.Login(ctx, managerEmail, goodPassword, "192.0.2.1", ""); err != nil {
			t.Fatalf("login after the window: %v", err)
		}
		// Success cleared the email's count: two more failures are allowed.
		for range 2 {
			_, err := e.svc.Login(ctx, managerEmail, "wrong again!", "203.0.113.5", "")
			wantCode(t, "wrong password after success", err, heed.EUnauthorized, "")
		}
		if _, err := e.svc.Login(ctx, managerEmail, goodPassword, "203.0.113.6", ""); err != nil {
			t.Errorf("login after 2 new failures: %v", err)
		}
	})
}

// TestStrangerCannotLockAnAccountOut: guesses from one address lock the
// account at that address only; the account's owner elsewhere signs in.
// Spread over many addresses, ten times the limit locks it everywhere.
func TestStrangerCannotLockAnAccountOut(t *testing.T) {
	cfg := accounts.Config{MaxLoginFailures: 3, FailureWindow: 15 * time.Minute}
	forEachEngine(t, cfg, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.addUser(t, accounts.NewUser{Email: managerEmail, Role: heed.RoleManager, Unit: "north", Password: goodPassword})
		for range 3 {
			_, err := e.svc.Login(ctx, managerEmail, "a stranger's guess", "203.0.113.66", "")
			wantCode(t, "stranger's guess", err, heed.EUnauthorized, "")
		}
		_, err := e.svc.Login(ctx, managerEmail, "another guess", "203.0.113.66", "")
		wantCode(t, "fourth guess from the stranger", err, heed.ERateLimited, "")
		if _, err := e.svc.Login(ctx, managerEmail, goodPassword, "192.0.2.1", ""); err != nil {
			t.Fatalf("the owner from their own address: %v", err)
		}
		// A right password clears the account's counts: 30 more guesses,
		// two from each of 15 addresses, reach the account's overall limit.
		for i := range 30 {
			_, err := e.svc.Login(ctx, managerEmail, "spread guess", fmt.Sprintf("198.51.100.%d", i/2), "")
			wantCode(t, "spread guess", err, heed.EUnauthorized, "")
		}
		_, err = e.svc.Login(ctx, managerEmail, goodPassword, "192.0.2.1", "")
		wantCode(t, "owner after 30 spread guesses", err, heed.ERateLimited, "")
	})
}

// TestIPv6HostCountsAsOnePlace: one host with a /64 cannot multiply its
// guesses by changing the low bits of its address.
func TestIPv6HostCountsAsOnePlace(t *testing.T) {
	cfg := accounts.Config{MaxLoginFailures: 3, FailureWindow: 15 * time.Minute}
	forEachEngine(t, cfg, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.addUser(t, accounts.NewUser{Email: managerEmail, Role: heed.RoleManager, Unit: "north", Password: goodPassword})
		for i := range 3 {
			_, err := e.svc.Login(ctx, managerEmail, "guess", fmt.Sprintf("2001:db8:1:2::%x", i+1), "")
			wantCode(t, "guess from the /64", err, heed.EUnauthorized, "")
		}
		_, err := e.svc.Login(ctx, managerEmail, goodPassword, "2001:db8:1:2::ffff", "")
		wantCode(t, "another address of the same /64", err, heed.ERateLimited, "")
		if _, err := e.svc.Login(ctx, managerEmail, goodPassword, "2001:db8:1:3::1", ""); err != nil {
			t.Errorf("a different /64: %v", err)
		}
	})
}

func TestLoginRateLimitByIP(t *testing.T) {
	cfg := accounts.Config{MaxLoginFailures: 3, FailureWindow: 15 * time.Minute}
	forEachEngine(t, cfg, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.addUser(t, accounts.NewUser{Email: managerEmail, Role: heed.RoleManager, Unit: "north", Password: goodPassword})
		// One IP may try ten times as often as one email (an office holds
		// many people): 30 here, each on a different account.
		for i := range 30 {
			_, err := e.svc.Login(ctx, fmt.Sprintf("u%d@acme.test", i), goodPassword, "192.0.2.66", "")
			wantCode(t, "unknown user", err, heed.EUnauthorized, "")
		}
		_, err := e.svc.Login(ctx, managerEmail, goodPassword, "192.0.2.66", "")
		wantCode(t, "31st account from the same IP", err, heed.ERateLimited, "")
		if _, err := e.svc.Login(ctx, managerEmail, goodPassword, "192.0.2.67", ""); err != nil {
			t.Errorf("same account from another IP: %v", err)
		}
	})
}

// TestConcurrentGuessesStayWithinLimit sends many wrong guesses at once:
// no more than the limit may reach the password check, however they
// interleave.
func TestConcurrentGuessesStayWithinLimit(t *testing.T) {
	cfg := accounts.Config{MaxLoginFailures: 5, FailureWindow: 15 * time.Minute}
	forEachEngine(t, cfg, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.addUser(t, accounts.NewUser{Email: managerEmail, Role: heed.RoleManager, Unit: "north", Password: goodPassword})
		var wg sync.WaitGroup
		var mu sync.Mutex
		codes := map[heed.Code]int{}
		for i := range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := e.svc.Login(ctx, managerEmail, fmt.Sprintf("guess %d", i), "192.0.2.9", "")
				mu.Lock()
				codes[heed.ErrorCode(err)]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if codes[heed.EUnauthorized] > 5 || codes[heed.EUnauthorized]+codes[heed.ERateLimited] != 30 {
			t.Fatalf("outcomes of 30 concurrent guesses = %v; want at most 5 checked (unauthorized), the rest rate_limited", codes)
		}
	})
}

func TestEmployeeTokenFollowsEmployee(t *testing.T) {
	forEachEngine(t, accounts.Config{}, func(t *testing.T, e *env) {
		ctx := t.Context()
		secret, tok, err := e.svc.CreateToken(ctx, heed.System(), accounts.NewToken{Name: "nora's script", Employee: "Nora@acme.test"})
		if err != nil {
			t.Fatalf("CreateToken: %v", err)
		}
		if !strings.HasPrefix(secret, "heed_") || len(secret) < 40 || tok.Prefix != secret[:12] {
			t.Errorf("secret %q, prefix %q; want heed_… and the first 12 characters as prefix", secret, tok.Prefix)
		}
		if tok.Employee != managerEmail || tok.ID == 0 {
			t.Errorf("token = %+v; want an ID and employee %s", tok, managerEmail)
		}

		nora := e.principal(t, managerEmail)
		p, err := e.svc.TokenPrincipal(ctx, secret)
		if err != nil {
			t.Fatalf("TokenPrincipal: %v", err)
		}
		if p.Kind != heed.KindToken || p.TokenID != tok.ID || p.Role != nora.Role || p.EmployeeID != nora.EmployeeID ||
			p.UnitID != e.north.ID || p.UnitPath != e.north.Path || p.Scope() != nora.Scope() {
			t.Errorf("TokenPrincipal = %+v; want a token acting as %+v", p, nora)
		}

		// Nora becomes frontline in the south: the token follows at once.
		move := []heed.Employee{{Email: managerEmail, Name: "Nora", Role: heed.RoleFrontline, Unit: "south"}}
		if _, err := e.store.UpsertEmployees(ctx, move, e.clock.Now()); err != nil {
			t.Fatalf("UpsertEmployees: %v", err)
		}
		p, err = e.svc.TokenPrincipal(ctx, secret)
		if err != nil {
			t.Fatalf("TokenPrincipal after move: %v", err)
		}
		if p.Role != heed.RoleFrontline || p.UnitID != e.south.ID || p.Scope() != e.principal(t, managerEmail).Scope() {
			t.Errorf("TokenPrincipal after move = %+v; want frontline in south", p)
		}

		list, err := e.svc.ListTokens(ctx, heed.System())
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(e.clock.Now()) {
			t.Errorf("ListTokens = %+v, %v; want one token last used now", list, err)
		}
	})
}

func TestRoleTokens(t *testing.T) {
	forEachEngine(t, accounts.Config{}, func(t *testing.T, e *env) {
		ctx := t.Context()
		secret, tok, err := e.svc.CreateToken(ctx, heed.System(), accounts.NewToken{Name: "north bi", Role: heed.RoleManager, Unit: "north"})
		if err != nil {
			t.Fatalf("CreateToken(manager north): %v", err)
		}
		if tok.Unit != "north" || tok.Role != heed.RoleManager {
			t.Errorf("token = %+v; want manager of north", tok)
		}
		p, err := e.svc.TokenPrincipal(ctx, secret)
		want := heed.Principal{Kind: heed.KindToken, Name: "north bi", Role: heed.RoleManager,
			UnitID: e.north.ID, UnitPath: e.north.Path, TokenID: tok.ID}
		if err != nil || p != want {
			t.Errorf("TokenPrincipal = %+v, %v; want %+v", p, err, want)
		}

		secret, _, err = e.svc.CreateToken(ctx, heed.System(), accounts.NewToken{Name: "warehouse", Role: heed.RoleAnalyst})
		if err != nil {
			t.Fatalf("CreateToken(analyst): %v", err)
		}
		if p, err := e.svc.TokenPrincipal(ctx, secret); err != nil || p.Role != heed.RoleAnalyst || !p.SeesAll() {
			t.Errorf("analyst TokenPrincipal = %+v, %v; want an analyst seeing all", p, err)
		}

		bad := []struct {
			name  string
			nt    accounts.NewToken
			code  heed.Code
			field string
		}{
			{"manager without unit", accounts.NewToken{Name: "x", Role: heed.RoleManager}, heed.EInvalid, "unit"},
			{"role and employee", accounts.NewToken{Name: "x", Role: heed.RoleAdmin, Employee: managerEmail}, heed.EInvalid, "role"},
			{"neither", accounts.NewToken{Name: "x"}, heed.EInvalid, "role"},
			{"bad role", accounts.NewToken{Name: "x", Role: "owner"}, heed.EInvalid, "role"},
			{"unknown unit", accounts.NewToken{Name: "x", Role: heed.RoleFrontline, Unit: "east"}, heed.ENotFound, "unit"},
			{"unknown employee", accounts.NewToken{Name: "x", Employee: "ghost@acme.test"}, heed.ENotFound, "employee"},
			{"no name", accounts.NewToken{Role: heed.RoleAnalyst}, heed.EInvalid, "name"},
		}
		for _, b := range bad {
			_, _, err := e.svc.CreateToken(ctx, heed.System(), b.nt)
			wantCode(t, b.name, err, b.code, b.field)
		}
	})
}

func TestRevokedTokenRejected(t *testing.T) {
	forEachEngine(t, accounts.Config{}, func(t *testing.T, e *env) {
		ctx := t.Context()
		secret, tok, err := e.svc.CreateToken(ctx, heed.System(), accounts.NewToken{Name: "old", Role: heed.RoleAnalyst})
		if err != nil {
			t.Fatalf("CreateToken: %v", err)
		}
		if err := e.svc.RevokeToken(ctx, heed.System(), tok.ID); err != nil {
			t.Fatalf("RevokeToken: %v", err)
		}
		_, err = e.svc.TokenPrincipal(ctx, secret)
		wantCode(t, "revoked token", err, heed.EUnauthorized, "")
		for _, bogus := range []string{"", "heed_nope", secret[:len(secret)-1], "Bearer " + secret} {
			_, err = e.svc.TokenPrincipal(ctx, bogus)
			wantCode(t, "bogus token "+bogus, err, heed.EUnauthorized, "")
		}
		err = e.svc.RevokeToken(ctx, heed.System(), tok.ID+100)
		wantCode(t, "revoke unknown token", err, heed.ENotFound, "")
	})
}

func TestOnlyAdminsManageAccounts(t *testing.T) {
	forEachEngine(t, accounts.Config{}, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.addUser(t, accounts.NewUser{Email: managerEmail, Role: heed.RoleManager, Unit: "north", Password: goodPassword})
		_, tok, err := e.svc.CreateToken(ctx, heed.System(), accounts.NewToken{Name: "t", Role: heed.RoleAnalyst})
		if err != nil {
			t.Fatalf("CreateToken: %v", err)
		}
		nora := e.principal(t, managerEmail)
		analystSecret, _, err := e.svc.CreateToken(ctx, heed.System(), accounts.NewToken{Name: "a", Role: heed.RoleAnalyst})
		if err != nil {
			t.Fatalf("CreateToken: %v", err)
		}
		analyst, err := e.svc.TokenPrincipal(ctx, analystSecret)
		if err != nil {
			t.Fatalf("TokenPrincipal: %v", err)
		}

		for _, p := range []heed.Principal{nora, analyst} {
			_, err := e.svc.AddUser(ctx, p, accounts.NewUser{Email: "eve@acme.test", Role: heed.RoleAdmin, Password: goodPassword})
			wantCode(t, string(p.Role)+" AddUser", err, heed.EForbidden, "")
			_, _, err = e.svc.CreateToken(ctx, p, accounts.NewToken{Name: "mine", Role: heed.RoleAdmin})
			wantCode(t, string(p.Role)+" CreateToken", err, heed.EForbidden, "")
			_, err = e.svc.ListTokens(ctx, p)
			wantCode(t, string(p.Role)+" ListTokens", err, heed.EForbidden, "")
			err = e.svc.RevokeToken(ctx, p, tok.ID)
			wantCode(t, string(p.Role)+" RevokeToken", err, heed.EForbidden, "")
			err = e.svc.SetPassword(ctx, p, adminEmail, "a new password!")
			wantCode(t, string(p.Role)+" SetPassword of someone else", err, heed.EForbidden, "")
		}
		if _, err := e.store.GetEmployee(ctx, "eve@acme.test"); !heed.IsNotFound(err) {
			t.Errorf("a refused AddUser created the employee anyway (%v)", err)
		}
	})
}

func TestSetPassword(t *testing.T) {
	forEachEngine(t, accounts.Config{}, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.addUser(t, accounts.NewUser{Email: managerEmail, Role: heed.RoleManager, Unit: "north", Password: goodPassword})
		nora := e.principal(t, managerEmail)
		err := e.svc.SetPassword(ctx, nora, managerEmail, "short")
		wantCode(t, "short password", err, heed.EInvalid, "password")
		if err := e.svc.SetPassword(ctx, nora, managerEmail, "nora's own new one"); err != nil {
			t.Fatalf("SetPassword of own: %v", err)
		}
		token, err := e.svc.Login(ctx, managerEmail, "nora's own new one", "192.0.2.1", "")
		if err != nil {
			t.Fatalf("Login with the new password: %v", err)
		}
		if err := e.svc.SetPassword(ctx, heed.System(), managerEmail, "an admin resets it"); err != nil {
			t.Fatalf("SetPassword by admin: %v", err)
		}
		if _, err := e.svc.SessionPrincipal(ctx, token); heed.ErrorCode(err) != heed.EUnauthorized {
			t.Errorf("session after a password change: %v, want unauthorized (signed out everywhere)", err)
		}
		if err := e.svc.SetPassword(ctx, heed.System(), adminEmail, "admin sets this"); err != nil {
			t.Fatalf("SetPassword by admin: %v", err)
		}
		if _, err := e.svc.Login(ctx, adminEmail, "admin sets this", "192.0.2.1", ""); err != nil {
			t.Errorf("Login with the password an admin set: %v", err)
		}
	})
}

func TestChangePassword(t *testing.T) {
	cfg := accounts.Config{MaxLoginFailures: 3, FailureWindow: 15 * time.Minute}
	forEachEngine(t, cfg, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.addUser(t, accounts.NewUser{Email: managerEmail, Role: heed.RoleManager, Unit: "north", Password: goodPassword})
		nora := e.principal(t, managerEmail)
		other, err := e.svc.Login(ctx, managerEmail, goodPassword, "192.0.2.1", "phone")
		if err != nil {
			t.Fatalf("Login: %v", err)
		}

		err = e.svc.ChangePassword(ctx, nora, goodPassword, "short")
		wantCode(t, "short new password", err, heed.EInvalid, "new_password")
		err = e.svc.ChangePassword(ctx, heed.System(), goodPassword, "a fine new password")
		wantCode(t, "the system changing 'its' password", err, heed.EForbidden, "")
		err = e.svc.ChangePassword(ctx, nora, "not the password", "a fine new password")
		wantCode(t, "wrong current password", err, heed.EUnauthorized, "current_password")
		if heed.ErrorMessage(err) != "current password is wrong" {
			t.Errorf("wrong current password: message %q", heed.ErrorMessage(err))
		}
		if _, err := e.svc.SessionPrincipal(ctx, other); err != nil {
			t.Errorf("a refused change ended the other session: %v", err)
		}

		if err := e.svc.ChangePassword(ctx, nora, goodPassword, "a fine new password"); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		_, err = e.svc.SessionPrincipal(ctx, other)
		wantCode(t, "other session after the change", err, heed.EUnauthorized, "")
		_, err = e.svc.Login(ctx, managerEmail, goodPassword, "192.0.2.1", "")
		wantCode(t, "old password after the change", err, heed.EUnauthorized, "")
		if _, err := e.svc.Login(ctx, managerEmail, "a fine new password", "192.0.2.1", ""); err != nil {
			t.Errorf("Login with the new password: %v", err)
		}

		// Wrong current passwords are throttled like sign-ins: after the
		// limit even the right one is refused (the account's own sign-in
		// from its usual address is not: a stolen session must not lock it).
		for range 3 {
			err := e.svc.ChangePassword(ctx, nora, "a wrong guess", "yet another password")
			wantCode(t, "guessing the current password", err, heed.EUnauthorized, "current_password")
		}
		err = e.svc.ChangePassword(ctx, nora, "a fine new password", "yet another password")
		wantCode(t, "change after 3 wrong guesses", err, heed.ERateLimited, "")
		if _, err := e.svc.Login(ctx, managerEmail, "a fine new password", "192.0.2.1", ""); err != nil {
			t.Errorf("sign-in after 3 wrong change-password guesses: %v", err)
		}
	})
}

func TestAddUserValidation(t *testing.T) {
	forEachEngine(t, accounts.Config{}, func(t *testing.T, e *env) {
		ctx := t.Context()
		bad := []struct {
			name  string
			u     accounts.NewUser
			code  heed.Code
			field string
		}{
			{"short password", accounts.NewUser{Email: "x@acme.test", Role: heed.RoleAdmin, Password: "123456789"}, heed.EInvalid, "password"},
			{"manager without unit", accounts.NewUser{Email: "x@acme.test", Role: heed.RoleManager, Password: goodPassword}, heed.EInvalid, "unit"},
			{"frontline without unit", accounts.NewUser{Email: "x@acme.test", Role: heed.RoleFrontline, Password: goodPassword}, heed.EInvalid, "unit"},
			{"unknown unit", accounts.NewUser{Email: "x@acme.test", Role: heed.RoleManager, Unit: "east", Password: goodPassword}, heed.ENotFound, "unit"},
			{"bad role", accounts.NewUser{Email: "x@acme.test", Role: "boss", Password: goodPassword}, heed.EInvalid, "role"},
			{"bad email", accounts.NewUser{Email: "x at acme", Role: heed.RoleAdmin, Password: goodPassword}, heed.EInvalid, "email"},
		}
		for _, b := range bad {
			_, err := e.svc.AddUser(ctx, heed.System(), b.u)
			wantCode(t, b.name, err, b.code, b.field)
		}
		if _, err := e.store.GetEmployee(ctx, "x@acme.test"); !heed.IsNotFound(err) {
			t.Errorf("a rejected AddUser created the employee anyway (%v)", err)
		}
		// Giving an imported employee a password keeps their name.
		emp := e.addUser(t, accounts.NewUser{Email: managerEmail, Role: heed.RoleManager, Unit: "north", Password: goodPassword})
		if emp.Name != "Nora" {
			t.Errorf("AddUser of an existing employee renamed them to %q", emp.Name)
		}
	})
}

// TestAddUserKeepsWhatWasNotGiven: giving an imported employee a password
// and a role keeps their name and unit when those are not given.
func TestAddUserKeepsWhatWasNotGiven(t *testing.T) {
	forEachEngine(t, accounts.Config{}, func(t *testing.T, e *env) {
		ctx := t.Context()
		e.addUser(t, accounts.NewUser{Email: managerEmail, Name: "Nora North", Role: heed.RoleManager, Unit: "north", Password: goodPassword})
		emp, err := e.svc.AddUser(ctx, heed.System(), accounts.NewUser{Email: managerEmail, Role: heed.RoleAnalyst, Password: goodPassword})
		if err != nil {
			t.Fatal(err)
		}
		if emp.Unit != "north" || emp.Name != "Nora North" || emp.Role != heed.RoleAnalyst {
			t.Fatalf("after AddUser without unit and name: %+v; want unit north, name Nora North, role analyst", emp)
		}
		_, err = e.svc.AddUser(ctx, heed.System(), accounts.NewUser{Email: "new@acme.test", Role: heed.RoleFrontline, Password: goodPassword})
		wantCode(t, "a new frontline without a unit", err, heed.EInvalid, "unit")
	})
}
